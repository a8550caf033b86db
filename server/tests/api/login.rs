use crate::helpers::*;
use app::error::AppError;
use domain::i18n::AccountMsg;
use reqwest::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_login_page_shows_the_three_fields_the_notes_and_the_help_desk() {
    let app = TestApp::spawn().await;

    let (status, html) = app.get(&Page::Login.href(TENANT)).await;

    assert_eq!(status, StatusCode::OK);
    for text in [
        "在学生ログイン",
        "ユーザID",
        "パスワード",
        "第2パスワード",
        "注意事項",
        "テスト大学の注意事項です。",
        "000-1111-2222",
    ] {
        assert!(html.contains(text), "missing {text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_login_page_speaks_english_when_asked_and_remembers_it() {
    let app = TestApp::spawn().await;

    let (_, html) = app.get(&format!("/{TENANT}/login?lang=en")).await;
    let (_, later) = app.get(&Page::Login.href(TENANT)).await;

    assert!(html.contains("Student login") && html.contains("<html lang=\"en\""));
    assert!(
        later.contains("Student login"),
        "the cookie keeps the choice"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_tenant_gets_a_404_page() {
    let app = TestApp::spawn().await;

    let (status, html) = app.get("/no-such-university/login").await;

    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("ページが見つかりません"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_wrong_credential_gets_one_and_the_same_message() {
    let app = TestApp::spawn().await;
    app.complete_first_login("s1", "s1@example.ac.jp").await;

    let answers = [
        app.login("nobody", PASSWORD, SECOND_PASSWORD).await,
        app.login("s1", "wrong-password", SECOND_PASSWORD).await,
        app.login("s1", PASSWORD, "Wrong2026x").await,
        app.login("s1", PASSWORD, "").await,
        app.login("", "", "").await,
    ];

    for answer in &answers {
        assert_eq!(
            answer.error(),
            AppError::Refused(AccountMsg::InvalidCredentials.into())
        );
        assert_eq!(answer.body, answers[0].body);
        assert!(answer.session_cookie().is_none());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_login_leads_to_email_registration() {
    let app = TestApp::spawn().await;

    let answer = app.login("s1", PASSWORD, "").await;

    answer.expect_page(Page::EmailRegister);
    let cookie = answer.session_cookie().expect("a session cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    assert!(
        !cookie.contains("Secure"),
        "no Secure flag on an http public URL"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_ids_are_matched_without_regard_to_case() {
    let app = TestApp::spawn().await;

    app.login("S1", PASSWORD, "").await.expect_page(Page::EmailRegister);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_full_login_opens_the_home_page_with_the_students_details() {
    let app = TestApp::spawn().await;
    app.complete_first_login("s1", "s1@example.ac.jp").await;

    app.login("s1", PASSWORD, SECOND_PASSWORD).await.expect_page(Page::Home);
    let (status, html) = app.get(&Page::Home.href(TENANT)).await;

    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("山田 花子")
            && html.contains("s1@example.ac.jp")
            && html.contains("メニュー")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_home_page_sends_a_visitor_without_a_session_to_the_login_page() {
    let app = TestApp::spawn().await;

    let response = app
        .client
        .get(app.url(&Page::Home.href(TENANT)))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();

    assert!(response.status().is_redirection());
    assert_eq!(
        response.headers()["location"].to_str().unwrap(),
        Page::Login.href(TENANT)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cross_origin_post_is_refused() {
    let app = TestApp::spawn().await;

    let response = app
        .client
        .post(app.url("/api/login"))
        .header("origin", "http://evil.example")
        .form(&login_form("s1", PASSWORD, ""))
        .send()
        .await
        .unwrap();
    let cross_site = app
        .client
        .post(app.url("/api/login"))
        .header("sec-fetch-site", "cross-site")
        .form(&login_form("s1", PASSWORD, ""))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_posted_without_javascript_comes_back_with_the_error_in_the_page() {
    let app = TestApp::spawn().await;
    let login_page = app.url(&Page::Login.href(TENANT));

    let response = app
        .client
        .post(app.url("/api/login"))
        .header("origin", &app.base)
        .header("accept", "text/html")
        .header("referer", &login_page)
        .form(&login_form("s1", "wrong", ""))
        .send()
        .await
        .unwrap();
    let back_to = response.headers()["location"].to_str().unwrap().to_owned();
    let (_, html) = app.get(back_to.trim_start_matches(&app.base)).await;

    assert_eq!(response.status(), StatusCode::FOUND);
    assert!(back_to.starts_with(&login_page));
    assert!(html.contains("ユーザID、パスワード、または第2パスワードが正しくありません。"));
}
