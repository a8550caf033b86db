use crate::helpers::*;
use app::error::{AppError, Field};
use domain::i18n::FieldMsg;
use domain::PasswordPolicy;

/// First login up to the second-password form for `s1` (student number 1001).
async fn at_setup(app: &TestApp) {
    let link = app.register_email("s1", "s1@example.ac.jp").await;
    app.confirm_link(&link).await.expect_page(Page::EmailDone);
    app.login("s1", PASSWORD, "").await.expect_page(Page::SecondPasswordSetup);
}

async fn try_setup(app: &TestApp, password: &str) -> ServerFnAnswer {
    app.call(
        "setup_second_password",
        &[
            ("tenant", TENANT),
            ("second_password", password),
            ("second_password_confirmation", password),
        ],
    )
    .await
}

fn refusal(answer: &ServerFnAnswer) -> FieldMsg {
    match answer.error() {
        AppError::Invalid {
            field: Field::SecondPassword,
            msg,
        } => msg,
        other => panic!("expected a refusal of the second password, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_common_password_is_refused_with_its_reason() {
    let app = TestApp::spawn().await;
    at_setup(&app).await;

    let answer = try_setup(&app, "Password1").await;

    assert_eq!(refusal(&answer), FieldMsg::PasswordCommon);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_student_number_is_refused() {
    let app = TestApp::spawn().await;
    // Student numbers of the test registry are digits; give s1 one the manual's rule allows.
    backend::registry::import_csv(
        &app.db,
        app.tenant_id,
        format!(
            "user_id,name,student_number,status,password\ns1,山田 花子,Ab24Cd0123,enrolled,{PASSWORD}\n"
        )
        .as_bytes(),
    )
    .await
    .unwrap();
    at_setup(&app).await;

    assert_eq!(
        refusal(&try_setup(&app, "aB24cD0123").await),
        FieldMsg::PasswordEqualsStudentNumber
    );
    try_setup(&app, "Kamogawa2026").await.expect_page(Page::SecondPasswordDone);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_the_long_policy_fifteen_characters_of_any_kind_are_enough() {
    let app = TestApp::spawn_with(Options {
        tenant: |t| t.password_policy = Some(PasswordPolicy::Long),
        ..Default::default()
    })
    .await;
    at_setup(&app).await;

    assert_eq!(
        refusal(&try_setup(&app, "Kamogawa2026").await),
        FieldMsg::PasswordTooShortLong
    );
    try_setup(&app, "a walk along the kamo river")
        .await
        .expect_page(Page::SecondPasswordDone);
}
