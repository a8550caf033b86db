use crate::helpers::*;
use app::error::{AppError, Field};
use backend::entities::account;
use domain::i18n::FieldMsg;
use sea_orm::EntityTrait;

async fn at_setup(app: &TestApp, user_id: &str) {
    let link = app.register_email(user_id, &format!("{user_id}@example.ac.jp")).await;
    app.confirm_link(&link).await.expect_page(Page::EmailDone);
    app.login(user_id, PASSWORD, "").await.expect_page(Page::SecondPasswordSetup);
}

async fn set(app: &TestApp, password: &str, confirmation: &str) -> ServerFnAnswer {
    app.call(
        "setup_second_password",
        &[
            ("tenant", TENANT),
            ("second_password", password),
            ("second_password_confirmation", confirmation),
        ],
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_password_that_breaks_the_rule_is_refused() {
    let app = TestApp::spawn().await;
    at_setup(&app, "s1").await;

    let short = set(&app, "Ab1", "Ab1").await;
    let unmixed = set(&app, "shomei2026", "shomei2026").await;

    assert_eq!(
        short.error(),
        AppError::invalid(Field::SecondPassword, FieldMsg::PasswordTooShort)
    );
    assert_eq!(
        unmixed.error(),
        AppError::invalid(Field::SecondPassword, FieldMsg::PasswordNeedsMix)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_confirmation_that_does_not_match_is_refused() {
    let app = TestApp::spawn().await;
    at_setup(&app, "s1").await;

    let answer = set(&app, SECOND_PASSWORD, "Shomei2026y").await;

    assert_eq!(
        answer.error(),
        AppError::invalid(Field::SecondPasswordConfirm, FieldMsg::PasswordMismatch)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_university_password_cannot_be_the_second_password() {
    let app = TestApp::spawn().await;
    at_setup(&app, "s1").await;

    // PASSWORD has upper, lower and digits, so only the directory check can refuse it.
    let answer = set(&app, PASSWORD, PASSWORD).await;

    assert_eq!(
        answer.error(),
        AppError::invalid(Field::SecondPassword, FieldMsg::PasswordEqualsUniversity)
    );
    let stored = account::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert!(stored.second_password_hash.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_user_id_cannot_be_the_second_password() {
    let app = TestApp::spawn().await;
    // A registry row whose user ID itself passes the rule.
    backend::registry::import_csv(
        &app.db,
        app.tenant_id,
        format!("user_id,name,password\nAbc12345,Test,{PASSWORD}\n").as_bytes(),
    )
    .await
    .unwrap();
    at_setup(&app, "Abc12345").await;

    let answer = set(&app, "Abc12345", "Abc12345").await;

    assert_eq!(
        answer.error(),
        AppError::invalid(Field::SecondPassword, FieldMsg::PasswordEqualsUserId)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_valid_second_password_is_stored_hashed_and_ends_the_first_login_session() {
    let app = TestApp::spawn().await;
    at_setup(&app, "s1").await;

    set(&app, SECOND_PASSWORD, SECOND_PASSWORD)
        .await
        .expect_page(Page::SecondPasswordDone);
    let again = set(&app, "Another2026", "Another2026").await;

    let stored = account::Entity::find().one(&app.db).await.unwrap().unwrap();
    let hash = stored.second_password_hash.unwrap();
    assert!(hash.as_str().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
    assert_eq!(again.error(), AppError::NotSignedIn);
}
