use crate::helpers::*;
use app::error::{AppError, Field};
use backend::entities::{one_time_token, session};
use domain::i18n::{CommonMsg, FieldMsg};
use sea_orm::{sea_query::Expr, EntityTrait};

async fn forgot(app: &TestApp, email: &str) -> ServerFnAnswer {
    app.call_with(
        &client(),
        "request_second_password_reset",
        &[("tenant", TENANT), ("email", email)],
    )
    .await
}

async fn reset(app: &TestApp, link: &str, new: &str, confirmation: &str) -> ServerFnAnswer {
    app.call_with(
        &client(),
        "reset_second_password",
        &[
            ("tenant", TENANT),
            ("token", &token_of(link)),
            ("new_second_password", new),
            ("new_second_password_confirmation", confirmation),
        ],
    )
    .await
}

/// Mails from earlier flows (registration) to the address, then the reset link.
async fn reset_link(app: &TestApp, email: &str) -> String {
    let count = app.smtp().mails_to(email).len();
    forgot(app, email).await.expect_page(Page::SecondPasswordForgotSent);
    link_in(&app.smtp().wait_for(email, count + 1).await.text())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_address_gets_the_same_answer_and_no_mail() {
    let app = TestApp::spawn().await;
    app.complete_first_login("s1", "s1@example.ac.jp").await;

    let known = forgot(&app, "s1@example.ac.jp").await;
    let unknown = forgot(&app, "nobody@example.ac.jp").await;
    app.smtp().wait_for("s1@example.ac.jp", 2).await;

    assert_eq!(
        (known.status, known.location()),
        (unknown.status, unknown.location())
    );
    assert_eq!(known.body, unknown.body);
    assert!(app.queued_to("nobody@example.ac.jp").await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_mails_are_limited_per_account_silently() {
    let app = TestApp::spawn().await;
    app.complete_first_login("s1", "s1@example.ac.jp").await;
    let before = app.queued_to("s1@example.ac.jp").await.len();

    for _ in 0..5 {
        forgot(&app, "s1@example.ac.jp")
            .await
            .expect_page(Page::SecondPasswordForgotSent);
    }

    let resets = app.queued_to("s1@example.ac.jp").await.len() - before;
    assert_eq!(
        resets as u64,
        backend::account::Purpose::SecondPasswordReset.mails_per_hour()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_mails_are_limited_per_client_address_silently() {
    let app = TestApp::spawn().await;
    app.complete_first_login("s1", "s1@example.ac.jp").await;
    let before = app.queued_to("s1@example.ac.jp").await.len();
    for n in 0..server::RESET_REQUESTS_PER_CLIENT {
        forgot(&app, &format!("stranger{n}@example.ac.jp")).await;
    }

    let answer = forgot(&app, "s1@example.ac.jp").await;

    answer.expect_page(Page::SecondPasswordForgotSent);
    assert_eq!(app.queued_to("s1@example.ac.jp").await.len(), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_sets_the_new_password_ends_every_session_and_does_not_log_in() {
    let app = TestApp::spawn().await;
    app.signed_in("s1", "s1@example.ac.jp").await;
    let link = reset_link(&app, "s1@example.ac.jp").await;

    let answer = reset(&app, &link, "Resetpass2026", "Resetpass2026").await;
    let notice = app.smtp().wait_for("s1@example.ac.jp", 3).await;

    answer.expect_page(Page::SecondPasswordResetDone);
    assert!(answer.session_cookie().is_none(), "no automatic login");
    assert!(session::Entity::find().all(&app.db).await.unwrap().is_empty());
    assert!(notice.subject().contains("第2パスワードが再設定されました"));
    app.login_with(&client(), "s1", PASSWORD, "Resetpass2026")
        .await
        .expect_page(Page::Home);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_new_password_leaves_the_link_usable() {
    let app = TestApp::spawn().await;
    app.complete_first_login("s1", "s1@example.ac.jp").await;
    let link = reset_link(&app, "s1@example.ac.jp").await;

    let refused = reset(&app, &link, "Password1", "Password1").await;
    let accepted = reset(&app, &link, "Resetpass2026", "Resetpass2026").await;

    assert_eq!(
        refused.error(),
        AppError::invalid(Field::SecondPassword, FieldMsg::PasswordCommon)
    );
    accepted.expect_page(Page::SecondPasswordResetDone);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_used_reset_link_cannot_be_used_again() {
    let app = TestApp::spawn().await;
    app.complete_first_login("s1", "s1@example.ac.jp").await;
    let link = reset_link(&app, "s1@example.ac.jp").await;
    reset(&app, &link, "Resetpass2026", "Resetpass2026")
        .await
        .expect_page(Page::SecondPasswordResetDone);

    let again = reset(&app, &link, "Another2026", "Another2026").await;
    let (_, page) = app.get(link.trim_start_matches(&app.base)).await;

    assert_eq!(again.error(), AppError::Refused(CommonMsg::LinkUsed.into()));
    assert!(
        page.contains("このURLはすでに使用されています。")
            && page.contains("第2パスワードを忘れた場合")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_reset_link_is_refused() {
    let app = TestApp::spawn().await;
    app.complete_first_login("s1", "s1@example.ac.jp").await;
    let link = reset_link(&app, "s1@example.ac.jp").await;
    one_time_token::Entity::update_many()
        .col_expr(one_time_token::Column::ExpiresAt, Expr::value(0i64))
        .exec(&app.db)
        .await
        .unwrap();

    let answer = reset(&app, &link, "Resetpass2026", "Resetpass2026").await;
    let (_, page) = app.get(link.trim_start_matches(&app.base)).await;

    assert_eq!(
        answer.error(),
        AppError::Refused(CommonMsg::LinkExpired.into())
    );
    assert!(page.contains("このURLは有効期限が切れています。"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_uses_of_one_reset_link_let_exactly_one_through() {
    let app = TestApp::spawn().await;
    app.complete_first_login("s1", "s1@example.ac.jp").await;
    let link = reset_link(&app, "s1@example.ac.jp").await;

    let forms = (0..8)
        .map(|n| {
            let password = format!("Resetpass20{n:02}");
            vec![
                ("tenant", TENANT.to_owned()),
                ("token", token_of(&link)),
                ("new_second_password", password.clone()),
                ("new_second_password_confirmation", password),
            ]
        })
        .collect();
    let answers = app.call_at_once("reset_second_password", forms).await;

    let succeeded = answers.iter().filter(|a| a.status.is_success()).count();
    assert_eq!(succeeded, 1, "{answers:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_never_asks_the_university_directory_about_a_password() {
    let app = TestApp::spawn().await;
    app.complete_first_login("s1", "s1@example.ac.jp").await;
    let link = reset_link(&app, "s1@example.ac.jp").await;
    let before = app.directory_checks();

    // Concurrent POSTs with one link each could otherwise test guesses of the university
    // password outside every limit.
    let answer = reset(&app, &link, PASSWORD, PASSWORD).await;

    answer.expect_page(Page::SecondPasswordResetDone);
    assert_eq!(app.directory_checks(), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_of_second_password_voids_an_unused_reset_link() {
    let app = TestApp::spawn().await;
    app.signed_in("s1", "s1@example.ac.jp").await;
    let link = reset_link(&app, "s1@example.ac.jp").await;

    app.change_second_password(SECOND_PASSWORD, "Newpass2026")
        .await
        .expect_page(Page::SecondPasswordChanged);
    let late = reset(&app, &link, "Resetpass2026", "Resetpass2026").await;

    assert_eq!(
        late.error(),
        AppError::Refused(CommonMsg::LinkVoided.into())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_voids_an_unused_email_change_link() {
    let app = TestApp::spawn().await;
    app.signed_in("s1", "s1@example.ac.jp").await;
    let change_link = app.email_change_link("s1-new@example.ac.jp").await;
    // The registration mail and the notice of the requested change, before the reset link.
    app.smtp().wait_for("s1@example.ac.jp", 2).await;
    let link = reset_link(&app, "s1@example.ac.jp").await;

    reset(&app, &link, "Resetpass2026", "Resetpass2026")
        .await
        .expect_page(Page::SecondPasswordResetDone);
    let late = app
        .call(
            "confirm_email_change",
            &[("tenant", TENANT), ("token", &token_of(&change_link))],
        )
        .await;

    assert_eq!(
        late.error(),
        AppError::Refused(CommonMsg::LinkVoided.into())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_link_dies_with_the_address_it_was_sent_to() {
    let app = TestApp::spawn().await;
    app.signed_in("s1", "s1@example.ac.jp").await;
    let reset_to_old = reset_link(&app, "s1@example.ac.jp").await;

    // The address changes (the change link confirmed from the new mailbox).
    let change_link = app.email_change_link("s1-new@example.ac.jp").await;
    app.call(
        "confirm_email_change",
        &[("tenant", TENANT), ("token", &token_of(&change_link))],
    )
    .await
    .expect_page(Page::EmailChangeDone);
    let late = reset(&app, &reset_to_old, "Resetpass2026", "Resetpass2026").await;

    assert_eq!(
        late.error(),
        AppError::Refused(CommonMsg::LinkVoided.into())
    );
    let page_state = app
        .call(
            "reset_link_state",
            &[("tenant", TENANT), ("token", &token_of(&reset_to_old))],
        )
        .await;
    assert_eq!(page_state.body, "\"Voided\"");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simultaneous_reset_requests_send_no_more_mails_than_the_limit() {
    let app = TestApp::spawn().await;
    app.complete_first_login("s1", "s1@example.ac.jp").await;
    let before = app.queued_to("s1@example.ac.jp").await.len();
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(20));

    let requests = (0..20).map(|_| {
        let (browser, barrier, url, origin) = (
            client(),
            barrier.clone(),
            app.url("/api/request_second_password_reset"),
            app.base.clone(),
        );
        tokio::spawn(async move {
            barrier.wait().await;
            browser
                .post(url)
                .header("origin", origin)
                .form(&[("tenant", TENANT), ("email", "s1@example.ac.jp")])
                .send()
                .await
                .unwrap()
                .status()
        })
    });
    let statuses = futures::future::join_all(requests).await;

    assert!(statuses.iter().all(|s| s.as_ref().unwrap().is_success()));
    let sent = app.queued_to("s1@example.ac.jp").await.len() - before;
    assert_eq!(
        sent as u64,
        backend::account::Purpose::SecondPasswordReset.mails_per_hour()
    );
}
