use crate::helpers::*;
use backend::entities::audit_event;
use sea_orm::{EntityTrait, QueryOrder};
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

/// Everything the server logs in this test process, with the filter production uses.
fn captured_logs() -> Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Arc::new(Mutex::new(Vec::new()));
        let writer_logs = logs.clone();
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(
                server::DEFAULT_LOG_FILTER,
            ))
            .with_ansi(false)
            .with_writer(move || Capture(writer_logs.clone()))
            .try_init()
            .ok();
        logs
    })
    .clone()
}

struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

const NEW_SECOND_PASSWORD: &str = "Kamogawa2027";
const RESET_SECOND_PASSWORD: &str = "Kamogawa2028";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_flow_is_audited_and_no_secret_reaches_the_logs() {
    let logs = captured_logs();
    let app = TestApp::spawn().await;
    let mut secrets = vec![
        PASSWORD.to_owned(),
        SECOND_PASSWORD.to_owned(),
        NEW_SECOND_PASSWORD.to_owned(),
        RESET_SECOND_PASSWORD.to_owned(),
        "wrong-Pass-9".to_owned(),
    ];

    // 2.3 refused, then 2.1 and 2.2.
    app.login("s1", "wrong-Pass-9", "").await;
    let registration = app.complete_first_login("s1", "s1@example.ac.jp").await;
    secrets.push(registration.clone());
    app.login("s1", PASSWORD, SECOND_PASSWORD).await.expect_page(Page::Home);

    // 2.4a
    app.call(
        "request_email_change",
        &[
            ("tenant", TENANT),
            ("new_email", "new@example.ac.jp"),
            ("new_email_confirmation", "new@example.ac.jp"),
            ("current_second_password", SECOND_PASSWORD),
        ],
    )
    .await
    .expect_page(Page::EmailChangeSent);
    let change = link_in(&app.smtp().wait_for("new@example.ac.jp", 1).await.text());
    secrets.push(change.clone());
    app.call(
        "confirm_email_change",
        &[("tenant", TENANT), ("token", &token_of(&change))],
    )
    .await
    .expect_page(Page::EmailChangeDone);

    // 2.4b, then logout.
    app.change_second_password(SECOND_PASSWORD, NEW_SECOND_PASSWORD)
        .await
        .expect_page(Page::SecondPasswordChanged);
    app.call("logout", &[("tenant", TENANT)]).await;

    // 2.4c
    // The change link and the notice of 2.4b have arrived; the reset link is the third.
    app.smtp().wait_for("new@example.ac.jp", 2).await;
    app.call(
        "request_second_password_reset",
        &[("tenant", TENANT), ("email", "new@example.ac.jp")],
    )
    .await
    .expect_page(Page::SecondPasswordForgotSent);
    let reset = link_in(&app.smtp().wait_for("new@example.ac.jp", 3).await.text());
    secrets.push(reset.clone());
    app.call(
        "reset_second_password",
        &[
            ("tenant", TENANT),
            ("token", &token_of(&reset)),
            ("new_second_password", RESET_SECOND_PASSWORD),
            ("new_second_password_confirmation", RESET_SECOND_PASSWORD),
        ],
    )
    .await
    .expect_page(Page::SecondPasswordResetDone);
    // Throttling, too: enough failures for a delay.
    for _ in 0..6 {
        app.login("s2", "wrong-Pass-9", "").await;
    }

    let events: Vec<audit_event::Model> = audit_event::Entity::find()
        .order_by_asc(audit_event::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    let codes: Vec<&str> = events.iter().map(|e| e.event.as_str()).collect();
    for expected in [
        "login_failed",
        "email_registration_requested",
        "email_registered",
        "login_succeeded",
        "second_password_set",
        "email_change_requested",
        "email_changed",
        "second_password_changed",
        "logout",
        "second_password_reset_requested",
        "second_password_reset",
        "login_throttled",
    ] {
        assert!(
            codes.contains(&expected),
            "{expected} missing from {codes:?}"
        );
    }
    for event in &events {
        assert_eq!(event.tenant_id, Some(app.tenant_id));
        assert_eq!(event.client_address, "127.0.0.1");
        assert_eq!(event.user_agent, USER_AGENT);
        assert!(event.at > 0);
    }
    let text = String::from_utf8(logs.lock().unwrap().clone()).unwrap();
    assert!(
        text.contains("second_password_reset"),
        "the audit events are logged"
    );
    for secret in &secrets {
        assert!(
            !text.contains(secret.as_str()),
            "a secret in the logs: {secret}"
        );
    }
    for token in [&registration, &change, &reset].map(|link| token_of(link)) {
        assert!(!text.contains(&token), "a token in the logs");
    }
    assert!(!text.contains("token="), "a one-time URL in the logs");
}
