use crate::helpers::*;
use reqwest::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_manual_is_a_page_of_the_service_in_both_languages_with_the_help_desk() {
    let app = TestApp::spawn().await;

    let (status, ja) = app.get(&Page::Manual.href(TENANT)).await;
    let (_, en) = app.get(&format!("/{TENANT}/manual?lang=en")).await;

    assert_eq!(status, StatusCode::OK);
    assert!(ja.contains("操作マニュアル") && ja.contains("第2パスワードを忘れた場合"));
    assert!(ja.contains("000-1111-2222"), "the university's help desk");
    assert!(en.contains("User manual") && en.contains("Forgot your second password?"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_login_page_links_to_the_forgotten_password_page_and_the_manual() {
    let app = TestApp::spawn().await;

    let (_, html) = app.get(&Page::Login.href(TENANT)).await;

    assert!(html.contains(&format!("href=\"/{TENANT}/second-password/forgot\"")));
    assert!(html.contains(&format!("href=\"/{TENANT}/manual\"")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_menu_of_a_signed_in_student_holds_the_four_entries() {
    let app = TestApp::spawn().await;
    app.signed_in("s1", "s1@example.ac.jp").await;

    let (_, html) = app.get(&Page::Home.href(TENANT)).await;

    for entry in [
        "メールアドレス変更",
        "第2パスワード変更",
        "マニュアル",
        "ログアウト",
    ] {
        assert!(html.contains(entry), "missing {entry}");
    }
}
