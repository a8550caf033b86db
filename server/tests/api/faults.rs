//! Faults: SMTP down, busy (421) or refusing (550) during every flow that sends mail; one link
//! used by fifty requests at once; the server killed with SIGKILL in the middle of flows.

use crate::helpers::*;
use crate::smtp_sink::{Fault, SmtpSink};
use app::error::AppError;
use backend::entities::{account, one_time_token, outbox};
use domain::i18n::CommonMsg;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

const S1: &str = "s1@example.ac.jp";
const S1_NEW: &str = "s1.new@example.ac.jp";
const S2: &str = "s2@example.ac.jp";
const NEW_SECOND_PASSWORD: &str = "Kawaru2026y";

/// Walks every flow that sends mail, for s1 (signed in, first login done) and s2 (first
/// login), checking that each request succeeds whatever SMTP does. Returns the addresses.
async fn walk_every_mail_flow(app: &TestApp) -> [&'static str; 3] {
    // 2.4b: a notice of the change to the registered address.
    app.change_second_password(SECOND_PASSWORD, NEW_SECOND_PASSWORD)
        .await
        .expect_page(Page::SecondPasswordChanged);
    // 2.4a: a confirmation link to the new address.
    app.call(
        "request_email_change",
        &[
            ("tenant", TENANT),
            ("new_email", S1_NEW),
            ("new_email_confirmation", S1_NEW),
            ("current_second_password", NEW_SECOND_PASSWORD),
        ],
    )
    .await
    .expect_page(Page::EmailChangeSent);
    // 2.4c: a reset link, asked for from the login page.
    app.call_with(
        &client(),
        "request_second_password_reset",
        &[("tenant", TENANT), ("email", S1)],
    )
    .await
    .expect_page(Page::SecondPasswordForgotSent);
    // 2.1: another student's first login and registration link.
    let s2 = client();
    app.login_with(&s2, "s2", PASSWORD, "").await.expect_page(Page::EmailRegister);
    app.call_with(
        &s2,
        "register_email",
        &[
            ("tenant", TENANT),
            ("email", S2),
            ("email_confirmation", S2),
        ],
    )
    .await
    .expect_page(Page::EmailSent);
    [S1, S1_NEW, S2]
}

/// The outbox in the order mails were queued (PostgreSQL returns updated rows in any order).
async fn outbox_rows(app: &TestApp) -> Vec<outbox::Model> {
    outbox::Entity::find()
        .order_by_asc(outbox::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

/// Signs s1 in, and waits until the mails of that are delivered; returns how many there were.
async fn signed_in_with_mail_delivered(app: &TestApp) -> usize {
    app.signed_in("s1", S1).await;
    wait_for_outbox(app, "the first login's mails sent", |rows| {
        rows.iter().all(|row| row.sent_at.is_some())
    })
    .await;
    outbox_rows(app).await.len()
}

/// Polls until `done` holds for the outbox, for at most 15 s.
async fn wait_for_outbox(app: &TestApp, what: &str, done: impl Fn(&[outbox::Model]) -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    while !done(&outbox_rows(app).await) {
        assert!(tokio::time::Instant::now() < deadline, "{what} within 15 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// What each address received against what was queued for it.
async fn received_and_queued(app: &TestApp, addresses: &[&str]) -> Vec<(usize, usize)> {
    let mut counts = Vec::new();
    for address in addresses {
        counts.push((
            app.smtp().mails_to(address).len(),
            app.queued_to(address).await.len(),
        ));
    }
    counts
}

/// Every flow succeeds during `fault`; once SMTP is well again, every queued mail arrives
/// exactly once and none is left unsent.
async fn every_mail_arrives_once_after_a_transient(fault: Fault) {
    let app = TestApp::spawn().await;
    let delivered_before = signed_in_with_mail_delivered(&app).await;
    app.smtp().set_fault(fault);

    let addresses = walk_every_mail_flow(&app).await;
    wait_for_outbox(&app, "every new mail tried and failed once", |rows| {
        rows.iter()
            .skip(delivered_before)
            .all(|row| row.attempts >= 1 && row.last_error.is_some())
    })
    .await;
    let during_fault = received_and_queued(&app, &addresses).await;
    app.smtp().set_fault(Fault::None);
    wait_for_outbox(&app, "every mail sent", |rows| {
        rows.iter().all(|row| row.sent_at.is_some())
    })
    .await;
    // Time enough for a second delivery of any mail, were one going to happen.
    tokio::time::sleep(Duration::from_millis(1500)).await;

    let rows = outbox_rows(&app).await;
    assert!(
        rows.len() >= delivered_before + 4,
        "each flow queued a mail"
    );
    assert!(during_fault.iter().all(|(got, queued)| got < queued));
    for (got, queued) in received_and_queued(&app, &addresses).await {
        assert_eq!(got, queued, "each queued mail delivered exactly once");
    }
    assert!(rows.iter().all(|row| row.failed_at.is_none() && row.sent_at.is_some()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn while_smtp_is_down_every_flow_succeeds_and_each_mail_arrives_once_it_is_back() {
    every_mail_arrives_once_after_a_transient(Fault::Down).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn while_smtp_answers_421_every_flow_succeeds_and_each_mail_arrives_once_it_recovers() {
    every_mail_arrives_once_after_a_transient(Fault::Busy).await;
}

/// Runs the operator CLI, expecting success, and returns what it printed.
fn shomei(app: &TestApp, args: &[&str]) -> String {
    let output = app.cli(args);
    assert!(
        output.status.success(),
        "shomei {args:?} failed: {output:?}"
    );
    String::from_utf8(output.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mails_refused_with_550_are_kept_listed_for_the_operator_and_sent_once_when_retried() {
    let app = TestApp::spawn().await;
    let delivered_before = signed_in_with_mail_delivered(&app).await;
    app.smtp().set_fault(Fault::Refuse);

    let addresses = walk_every_mail_flow(&app).await;
    wait_for_outbox(&app, "every new mail refused", |rows| {
        rows.iter().skip(delivered_before).all(|row| row.failed_at.is_some())
    })
    .await;
    app.smtp().set_fault(Fault::None);
    let refusals = app.smtp().refusals();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let not_retried_on_its_own = app.smtp().refusals() == refusals
        && received_and_queued(&app, &addresses)
            .await
            .iter()
            .all(|(got, queued)| got < queued);
    let listing = shomei(&app, &["mail", "failed"]);
    let refused: Vec<i32> = outbox_rows(&app)
        .await
        .iter()
        .filter(|row| row.failed_at.is_some())
        .map(|row| row.id)
        .collect();
    for id in &refused {
        shomei(&app, &["mail", "retry", &id.to_string()]);
    }
    wait_for_outbox(&app, "every retried mail sent", |rows| {
        rows.iter().all(|row| row.sent_at.is_some())
    })
    .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;

    assert_eq!(
        refused.len(),
        outbox_rows(&app).await.len() - delivered_before
    );
    assert_eq!(refusals, refused.len(), "each refused once, never retried");
    assert!(not_retried_on_its_own);
    assert!(listing.contains(&format!("{} mail(s) refused permanently", refused.len())));
    for address in addresses {
        assert!(listing.contains(address), "{address} listed");
    }
    assert!(listing.contains("550"), "the server's reason listed");
    for (got, queued) in received_and_queued(&app, &addresses).await {
        assert_eq!(got, queued, "each retried mail delivered exactly once");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_simultaneous_uses_of_one_link_let_exactly_one_through() {
    let app = TestApp::spawn().await;
    let link = app.register_email("s1", S1).await;
    let token = token_of(&link);

    let form = vec![("tenant", TENANT.to_owned()), ("token", token)];
    let answers = app.call_at_once("confirm_email", vec![form; 50]).await;

    let succeeded = answers.iter().filter(|a| a.status.is_success()).count();
    assert_eq!(succeeded, 1, "exactly one use succeeds");
    for refused in answers.iter().filter(|a| !a.status.is_success()) {
        assert_eq!(
            refused.error(),
            AppError::Refused(CommonMsg::LinkUsed.into())
        );
    }
    let used = one_time_token::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(used.iter().filter(|t| t.used_at.is_some()).count(), 1);
}

/// The real `shomei` binary serving on `port` over the app's database, its mail going to
/// `smtp_port` (without one, mail waits in the outbox). Killed with SIGKILL when dropped.
struct ServerProcess(Child);

impl ServerProcess {
    fn start(app: &TestApp, port: u16, smtp_port: Option<u16>) -> Self {
        let mut command = app.shomei_command();
        if let Some(smtp_port) = smtp_port {
            command.env("SHOMEI_SMTP_URL", format!("smtp://127.0.0.1:{smtp_port}"));
        } else {
            command.env_remove("SHOMEI_SMTP_URL");
        }
        let child = command
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("SHOMEI_PUBLIC_URL", format!("http://127.0.0.1:{port}"))
            .env("SHOMEI_CLIENT_REQUESTS_PER_MINUTE", "0")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the shomei binary");
        Self(child)
    }

    fn kill(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

async fn wait_until_serving(base: &str) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let answer = client().get(format!("{base}/{TENANT}/login")).send().await;
        if answer.is_ok_and(|a| a.status().is_success()) {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "server up within 30 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_mid_flow_leaves_no_half_written_state() {
    let app = TestApp::spawn_with(Options {
        with_smtp: false,
        ..Default::default()
    })
    .await;
    let students: Vec<String> = (100..130).map(|n| format!("k{n}")).collect();
    let csv = std::iter::once("user_id,name,password".to_owned())
        .chain(students.iter().map(|id| format!("{id},学生 {id},{PASSWORD}")))
        .collect::<Vec<_>>()
        .join("\n");
    backend::registry::import_csv(&app.db, app.tenant_id, csv.as_bytes())
        .await
        .unwrap();
    // Nothing is being sent when the server dies: it has no SMTP server until the restart.
    // (A mail being sent at that moment would wait out its 2-minute lease, then go again.)
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = ServerProcess::start(&app, port, None);
    wait_until_serving(&base).await;

    // Every student starts 2.1 at once; the server dies once a few have been answered.
    let answered = Arc::new(AtomicUsize::new(0));
    let flows = students.iter().map(|id| {
        let (base, answered, id) = (base.clone(), answered.clone(), id.clone());
        tokio::spawn(async move {
            let browser = client();
            let post = |endpoint: &str, form: Vec<(&str, String)>| {
                browser
                    .post(format!("{base}/api/{endpoint}"))
                    .header("origin", &base)
                    .form(&form)
                    .send()
            };
            let login = vec![
                ("tenant", TENANT.to_owned()),
                ("user_id", id.clone()),
                ("password", PASSWORD.to_owned()),
                ("second_password", String::new()),
            ];
            let email = format!("{id}@example.ac.jp");
            let succeeded = |answer: Result<reqwest::Response, reqwest::Error>| {
                answer.is_ok_and(|a| a.status().is_success())
            };
            if succeeded(post("login", login).await) {
                let register = vec![
                    ("tenant", TENANT.to_owned()),
                    ("email", email.clone()),
                    ("email_confirmation", email),
                ];
                if succeeded(post("register_email", register).await) {
                    answered.fetch_add(1, Ordering::SeqCst);
                }
            }
        })
    });
    let flows: Vec<_> = flows.collect();
    while answered.load(Ordering::SeqCst) < 3 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill();
    let answered_before_the_kill = answered.load(Ordering::SeqCst);
    for flow in flows {
        flow.await.unwrap();
    }
    let sink = SmtpSink::start().await;
    let mut server = ServerProcess::start(&app, port, Some(sink.port));
    wait_until_serving(&base).await;

    // Each link that was queued arrives once and works on the restarted server.
    let tokens = one_time_token::Entity::find().all(&app.db).await.unwrap();
    let queued = outbox_rows(&app).await;
    let mut confirmed = 0;
    for token in &tokens {
        let email = token.email.clone().expect("a registration token has its address");
        let mail = sink.wait_for(&email, 1).await;
        let answer = client()
            .post(format!("{base}/api/confirm_email"))
            .header("origin", &base)
            .form(&[
                ("tenant", TENANT),
                ("token", &token_of(&link_in(&mail.text()))),
            ])
            .send()
            .await
            .unwrap();
        confirmed += usize::from(answer.status().is_success());
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let verified = account::Entity::find()
        .filter(account::Column::EmailVerifiedAt.is_not_null())
        .all(&app.db)
        .await
        .unwrap();
    server.kill();

    eprintln!(
        "killed after {answered_before_the_kill} answers; {} tokens, {} mails",
        tokens.len(),
        queued.len()
    );
    assert!(tokens.len() >= answered_before_the_kill);
    assert!(
        answered_before_the_kill < students.len(),
        "the kill landed mid-flow"
    );
    assert_eq!(tokens.len(), queued.len(), "no token without its mail");
    for token in &tokens {
        let email = token.email.as_deref().unwrap();
        assert_eq!(sink.mails_to(email).len(), 1, "{email}: one mail");
    }
    assert_eq!(confirmed, tokens.len(), "every queued link works");
    assert_eq!(verified.len(), tokens.len());
}
