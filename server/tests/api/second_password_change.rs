use crate::helpers::*;
use app::error::{AppError, Field};
use domain::i18n::{AccountMsg, FieldMsg};

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
        AppError::invalid(Field::CurrentSecondPassword, FieldMsg::WrongSecondPassword)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_new_password_keeps_the_setup_rules_and_differs_from_the_current_one() {
    let app = TestApp::spawn().await;
    app.signed_in("s1", "s1@example.ac.jp").await;

    let short = change(&app, SECOND_PASSWORD, "Ab1", "Ab1").await;
    let same = change(&app, SECOND_PASSWORD, SECOND_PASSWORD, SECOND_PASSWORD).await;
    let mismatch = change(&app, SECOND_PASSWORD, "Newpass2026", "Newpass2027").await;

    assert_eq!(
        short.error(),
        AppError::invalid(Field::SecondPassword, FieldMsg::PasswordTooShort)
    );
    assert_eq!(
        same.error(),
        AppError::invalid(Field::SecondPassword, FieldMsg::PasswordSameAsCurrent)
    );
    assert_eq!(
        mismatch.error(),
        AppError::invalid(Field::SecondPasswordConfirm, FieldMsg::PasswordMismatch)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_ends_every_other_session_and_sends_a_notice() {
    let app = TestApp::spawn().await;
    app.signed_in("s1", "s1@example.ac.jp").await;
    let phone = client();
    app.login_with(&phone, "s1", PASSWORD, SECOND_PASSWORD)
        .await
        .expect_page(Page::Home);

    change(&app, SECOND_PASSWORD, "Newpass2026", "Newpass2026")
        .await
        .expect_page(Page::SecondPasswordChanged);
    let notice = app.smtp().wait_for("s1@example.ac.jp", 2).await;

    assert_eq!(
        app.call_with(&phone, "home", &[("tenant", TENANT)]).await.error(),
        AppError::NotSignedIn
    );
    assert!(
        app.call("home", &[("tenant", TENANT)]).await.status.is_success(),
        "this session stays"
    );
    assert!(notice.subject().contains("第2パスワードが変更されました"));
    assert_eq!(
        app.login_with(&client(), "s1", PASSWORD, SECOND_PASSWORD).await.error(),
        AppError::Refused(AccountMsg::InvalidCredentials.into())
    );
    app.login_with(&client(), "s1", PASSWORD, "Newpass2026")
        .await
        .expect_page(Page::Home);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_never_asks_the_university_directory_about_a_password() {
    let app = TestApp::spawn().await;
    app.signed_in("s1", "s1@example.ac.jp").await;
    let before = app.directory_checks();

    // Whether a candidate is the university password is no question a signed-in session (or
    // its thief) may ask: the answer would confirm a guess outside every login limit.
    let answer = change(&app, SECOND_PASSWORD, PASSWORD, PASSWORD).await;

    answer.expect_page(Page::SecondPasswordChanged);
    assert_eq!(app.directory_checks(), before);
}

async fn request_email_change(app: &TestApp, current: &str) -> ServerFnAnswer {
    app.call(
        "request_email_change",
        &[
            ("tenant", TENANT),
            ("new_email", "new@example.ac.jp"),
            ("new_email_confirmation", "new@example.ac.jp"),
            ("current_second_password", current),
        ],
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_current_second_passwords_end_the_session_after_a_few_and_each_is_audited() {
    use backend::account::FAILURES_PER_SESSION;
    use backend::entities::audit_event;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let app = TestApp::spawn().await;
    app.signed_in("s1", "s1@example.ac.jp").await;

    let mut answers = Vec::new();
    for n in 0..FAILURES_PER_SESSION {
        answers.push(
            change(
                &app,
                &format!("Wrong2026x{n}"),
                "Newpass2026",
                "Newpass2026",
            )
            .await,
        );
    }
    let with_the_right_one = request_email_change(&app, SECOND_PASSWORD).await;

    for early in &answers[..answers.len() - 1] {
        assert_eq!(
            early.error(),
            AppError::invalid(Field::CurrentSecondPassword, FieldMsg::WrongSecondPassword)
        );
    }
    assert_eq!(
        answers.last().unwrap().error(),
        AppError::Refused(AccountMsg::ReauthenticationLoggedOut.into())
    );
    assert_eq!(with_the_right_one.error(), AppError::NotSignedIn);
    let events = |code: &'static str| {
        let db = app.db.clone();
        async move {
            audit_event::Entity::find()
                .filter(audit_event::Column::Event.eq(code))
                .all(&db)
                .await
                .unwrap()
                .len()
        }
    };
    assert_eq!(
        events("reauthentication_failed").await,
        FAILURES_PER_SESSION as usize
    );
    assert_eq!(events("session_ended_by_reauthentication").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simultaneous_guesses_in_one_session_are_checked_no_more_often_than_the_limit() {
    use backend::account::FAILURES_PER_SESSION;
    let app = TestApp::spawn_with(Options {
        configure: |s| s.hash_queue = 64,
        ..Default::default()
    })
    .await;
    app.signed_in("s1", "s1@example.ac.jp").await;
    let before = app.passwords.computed();
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(20));

    let guesses = (0..20).map(|n| {
        let (browser, barrier, url, origin) = (
            app.client.clone(),
            barrier.clone(),
            app.url("/api/request_email_change"),
            app.base.clone(),
        );
        tokio::spawn(async move {
            let guess = format!("Guess2026x{n}");
            barrier.wait().await;
            browser
                .post(url)
                .header("origin", origin)
                .form(&[
                    ("tenant", TENANT),
                    ("new_email", "new@example.ac.jp"),
                    ("new_email_confirmation", "new@example.ac.jp"),
                    ("current_second_password", guess.as_str()),
                ])
                .send()
                .await
                .unwrap()
                .status()
        })
    });
    let statuses = futures::future::join_all(guesses).await;

    assert!(statuses.iter().all(|s| !s.as_ref().unwrap().is_success()));
    assert_eq!(
        app.passwords.computed() - before,
        FAILURES_PER_SESSION as u64
    );
}
