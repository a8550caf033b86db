use crate::helpers::*;
use app::error::{AppError, Field};
use app::i18n::Msg;

async fn change(app: &TestApp, current: &str, new: &str, confirmation: &str) -> ServerFnAnswer {
    app.call(
        "change_second_password",
        &[
            ("tenant", TENANT),
            ("current_second_password", current),
            ("new_second_password", new),
            ("new_second_password_confirmation", confirmation),
        ],
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_current_second_password_is_refused() {
    let app = TestApp::spawn().await;
    app.signed_in("s1", "s1@example.ac.jp").await;

    let answer = change(&app, "Wrong2026x", "Newpass2026", "Newpass2026").await;

    assert_eq!(
        answer.error(),
        AppError::invalid(Field::CurrentSecondPassword, Msg::WrongSecondPassword)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_new_password_keeps_the_setup_rules_and_differs_from_the_current_one() {
    let app = TestApp::spawn().await;
    app.signed_in("s1", "s1@example.ac.jp").await;

    let short = change(&app, SECOND_PASSWORD, "Ab1", "Ab1").await;
    let same = change(&app, SECOND_PASSWORD, SECOND_PASSWORD, SECOND_PASSWORD).await;
    let university = change(&app, SECOND_PASSWORD, PASSWORD, PASSWORD).await;
    let mismatch = change(&app, SECOND_PASSWORD, "Newpass2026", "Newpass2027").await;

    assert_eq!(
        short.error(),
        AppError::invalid(Field::SecondPassword, Msg::PasswordTooShort)
    );
    assert_eq!(
        same.error(),
        AppError::invalid(Field::SecondPassword, Msg::PasswordSameAsCurrent)
    );
    assert_eq!(
        university.error(),
        AppError::invalid(Field::SecondPassword, Msg::PasswordEqualsUniversity)
    );
    assert_eq!(
        mismatch.error(),
        AppError::invalid(Field::SecondPasswordConfirm, Msg::PasswordMismatch)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_ends_every_other_session_and_sends_a_notice() {
    let app = TestApp::spawn().await;
    app.signed_in("s1", "s1@example.ac.jp").await;
    let phone = client();
    app.login_with(&phone, "s1", PASSWORD, SECOND_PASSWORD)
        .await
        .expect_redirect("/home");

    change(&app, SECOND_PASSWORD, "Newpass2026", "Newpass2026")
        .await
        .expect_redirect("/second-password/changed");
    let notice = app.smtp().wait_for("s1@example.ac.jp", 2).await;

    assert_eq!(
        app.call_with(&phone, "home", &[("tenant", TENANT)])
            .await
            .error(),
        AppError::NotSignedIn
    );
    assert!(
        app.call("home", &[("tenant", TENANT)])
            .await
            .status
            .is_success(),
        "this session stays"
    );
    assert!(notice.subject().contains("第2パスワードが変更されました"));
    assert_eq!(
        app.login_with(&client(), "s1", PASSWORD, SECOND_PASSWORD)
            .await
            .error(),
        AppError::Refused(Msg::InvalidCredentials)
    );
    app.login_with(&client(), "s1", PASSWORD, "Newpass2026")
        .await
        .expect_redirect("/home");
}
