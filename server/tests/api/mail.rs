use crate::helpers::*;
use crate::smtp_sink::SmtpSink;
use backend::entities::outbox;
use reqwest::StatusCode;
use sea_orm::EntityTrait;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mail_queued_while_smtp_is_down_is_delivered_once_it_is_back() {
    // A port with nothing listening: reserve one, then free it.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let app = TestApp::spawn_with(Options {
        smtp_port: Some(port),
        ..Default::default()
    })
    .await;
    app.login("s1", PASSWORD, "").await.expect_page(Page::EmailRegister);
    app.call(
        "register_email",
        &[
            ("tenant", TENANT),
            ("email", "s1@example.ac.jp"),
            ("email_confirmation", "s1@example.ac.jp"),
        ],
    )
    .await
    .expect_page(Page::EmailSent);
    // Let the worker fail at least once.
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;
    let waiting = outbox::Entity::find().one(&app.db).await.unwrap().unwrap();

    let sink = SmtpSink::start_on(port).await;
    let mail = sink.wait_for("s1@example.ac.jp", 1).await;

    assert!(waiting.sent_at.is_none() && waiting.attempts >= 1 && waiting.last_error.is_some());
    assert!(link_in(&mail.text()).contains("/email/confirm?token="));
    // Give the worker time to record the delivery and to send again if it were going to.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let sent = outbox::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert!(sent.sent_at.is_some());
    assert_eq!(
        sink.mails_to("s1@example.ac.jp").len(),
        1,
        "delivered exactly once"
    );
}

async fn queue_a_registration_mail(app: &TestApp) {
    app.login("s1", PASSWORD, "").await.expect_page(Page::EmailRegister);
    app.call(
        "register_email",
        &[
            ("tenant", TENANT),
            ("email", "s1@example.ac.jp"),
            ("email_confirmation", "s1@example.ac.jp"),
        ],
    )
    .await
    .expect_page(Page::EmailSent);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_development_mailbox_turned_on_shows_the_mail_and_its_link_to_this_machine() {
    let app = TestApp::spawn_with(Options {
        with_smtp: false,
        configure: |s| s.dev_mailbox = true,
        ..Default::default()
    })
    .await;
    queue_a_registration_mail(&app).await;

    let (status, html) = app.get("/dev/mailbox").await;

    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("s1@example.ac.jp"));
    assert!(html.contains(&format!("{}/{TENANT}/email/confirm?token=", app.base)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_smtp_the_development_mailbox_stays_off_unless_the_operator_turns_it_on() {
    let app = TestApp::spawn_with(Options {
        with_smtp: false,
        ..Default::default()
    })
    .await;
    queue_a_registration_mail(&app).await;

    let (status, html) = app.get("/dev/mailbox").await;

    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!html.contains("token="));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_development_mailbox_is_not_shown_to_another_machine() {
    let app = TestApp::spawn_with(Options {
        with_smtp: false,
        configure: |s| {
            s.dev_mailbox = true;
            s.trusted_proxies =
                vec![backend::platform::settings::ProxyNet::parse("127.0.0.1").unwrap()];
        },
        ..Default::default()
    })
    .await;
    queue_a_registration_mail(&app).await;

    // Through a proxy on this machine: the client is another machine.
    let response = app
        .client
        .get(app.url("/dev/mailbox"))
        .header("x-forwarded-for", "203.0.113.9")
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(!response.text().await.unwrap().contains("token="));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_smtp_configured_the_development_mailbox_does_not_exist() {
    let app = TestApp::spawn().await;

    let (status, _) = app.get("/dev/mailbox").await;

    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sent_mail_leaves_no_live_link_in_the_outbox() {
    let app = TestApp::spawn().await;
    let link = app.register_email("s1", "s1@example.ac.jp").await;
    let token = token_of(&link);

    // The sink has the mail; the worker records the delivery just after.
    let mut row = None;
    for _ in 0..50 {
        let found = outbox::Entity::find().one(&app.db).await.unwrap().unwrap();
        if found.sent_at.is_some() {
            row = Some(found);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }

    let row = row.expect("the delivery is recorded");
    assert!(!row.body_text.contains(&token), "{}", row.body_text);
    assert!(row.body_text.contains(backend::platform::outbox::LINK_REMOVED));
    // The HTML part carried the same link; none of it is kept.
    assert_eq!(row.body_html, None);
    // The link still works: only the copy in the outbox is gone.
    app.confirm_link(&link).await.expect_page(Page::EmailDone);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mail_has_an_html_part_with_the_same_link_as_its_text() {
    let app = TestApp::spawn().await;

    let link = app.register_email("s1", "s1@example.ac.jp").await;

    let mail = app.smtp().wait_for("s1@example.ac.jp", 1).await;
    let html = mail.html().expect("an HTML part");
    let href = html
        .split("href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a link in the HTML part")
        .replace("&amp;", "&");
    assert_eq!(href, link);
    assert!(link.contains("/email/confirm?token="), "{link}");
    assert!(html.contains("テスト大学"), "{html}");
}
