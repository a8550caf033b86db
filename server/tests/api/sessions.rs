use crate::helpers::*;
use app::error::AppError;
use backend::entities::session;
use sea_orm::EntityTrait;

fn cookie_value(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_id_is_renewed_at_login() {
    let app = TestApp::spawn().await;
    app.complete_first_login("s1", "s1@example.ac.jp").await;
    let before = app.login("s1", PASSWORD, SECOND_PASSWORD).await.session_cookie().unwrap();

    let after = app.login("s1", PASSWORD, SECOND_PASSWORD).await.session_cookie().unwrap();

    assert_ne!(cookie_value(&before), cookie_value(&after));
    assert_eq!(
        session::Entity::find().all(&app.db).await.unwrap().len(),
        1,
        "the old session is gone"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_ends_the_session_on_the_server() {
    let app = TestApp::spawn().await;
    app.complete_first_login("s1", "s1@example.ac.jp").await;
    let cookie = app.login("s1", PASSWORD, SECOND_PASSWORD).await.session_cookie().unwrap();

    app.call("logout", &[("tenant", TENANT)]).await.expect_page(Page::Login);
    // Replaying the old cookie from another client does not bring the session back.
    let replay = client();
    let answer = replay
        .post(app.url("/api/home"))
        .header("cookie", cookie_value(&cookie))
        .form(&[("tenant", TENANT)])
        .send()
        .await
        .unwrap();

    let body = answer.text().await.unwrap();
    assert_eq!(
        serde_json::from_str::<AppError>(&body).unwrap(),
        AppError::NotSignedIn
    );
    assert!(session::Entity::find().all(&app.db).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_of_one_university_does_not_open_another() {
    let app = TestApp::spawn().await;
    let other = app.add_other_university().await;
    // The other university has a student with the same user ID: without the tenant check,
    // this session would open their home page and act on their behalf.
    backend::registry::import_csv(
        &app.db,
        other.id,
        format!("user_id,name,student_number,password\ns1,別人 次郎,9009,{PASSWORD}\n").as_bytes(),
    )
    .await
    .unwrap();
    app.complete_first_login("s1", "s1@example.ac.jp").await;
    app.login("s1", PASSWORD, SECOND_PASSWORD).await.expect_page(Page::Home);

    let home = app.call("home", &[("tenant", "other-u")]).await;
    let (_, page) = app.get("/other-u/home").await;
    let change = app
        .call(
            "change_second_password",
            &[
                ("tenant", "other-u"),
                ("current_second_password", SECOND_PASSWORD),
                ("new_second_password", "Newpass2026"),
                ("new_second_password_confirmation", "Newpass2026"),
            ],
        )
        .await;

    assert_eq!(home.error(), AppError::NotSignedIn);
    assert!(!page.contains("別人") && !page.contains("9009"));
    assert_eq!(change.error(), AppError::NotSignedIn);
    // Its own university still opens.
    assert!(app.call("home", &[("tenant", TENANT)]).await.status.is_success());
    app.login_with(&client(), "s1", PASSWORD, SECOND_PASSWORD)
        .await
        .expect_page(Page::Home);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_https_the_session_cookie_is_host_prefixed() {
    let app = TestApp::spawn_with(Options {
        configure: |s| s.public_url = "https://shomei.example.ac.jp".parse().unwrap(),
        ..Default::default()
    })
    .await;

    // Over https the browser's Origin is the public one.
    let answer = client()
        .post(app.url("/api/login"))
        .header("origin", "https://shomei.example.ac.jp")
        .form(&login_form("s1", PASSWORD, ""))
        .send()
        .await
        .unwrap();

    let cookie = set_cookie_named(answer.headers(), "_session").expect("a session cookie");
    assert!(cookie.starts_with("__Host-shomei_session="), "{cookie}");
    assert!(
        cookie.contains("; Path=/;") && cookie.contains("; Secure"),
        "{cookie}"
    );
    assert!(!cookie.to_ascii_lowercase().contains("domain="), "{cookie}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_https_the_language_cookie_is_secure_too() {
    let app = TestApp::spawn_with(Options {
        configure: |s| s.public_url = "https://shomei.example.ac.jp".parse().unwrap(),
        ..Default::default()
    })
    .await;

    let answer = client()
        .get(app.url(&format!("{}?lang=en", Page::Login.href(TENANT))))
        .send()
        .await
        .unwrap();

    let cookie = set_cookie_named(answer.headers(), "shomei_lang").expect("a language cookie");
    assert!(cookie.starts_with("shomei_lang=en;"), "{cookie}");
    assert!(cookie.ends_with("; Secure"), "{cookie}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_with_two_session_cookies_is_signed_out() {
    let app = TestApp::spawn().await;
    app.complete_first_login("s1", "s1@example.ac.jp").await;
    let real =
        cookie_value(&app.login("s1", PASSWORD, SECOND_PASSWORD).await.session_cookie().unwrap());
    let home_with = |cookie: String| {
        let url = app.url("/api/home");
        async move {
            let body = client()
                .post(url)
                .header("cookie", cookie)
                .form(&[("tenant", TENANT)])
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            serde_json::from_str::<AppError>(&body).ok()
        }
    };

    let alone = home_with(real.clone()).await;
    let planted_before = home_with(format!("shomei_session=planted; {real}")).await;
    let planted_after = home_with(format!("{real}; shomei_session=planted")).await;

    assert_eq!(alone, None, "the real cookie alone opens the home page");
    assert_eq!(planted_before, Some(AppError::NotSignedIn));
    assert_eq!(planted_after, Some(AppError::NotSignedIn));
}
