//! `M.I.Cオンラインチャージ` through the real server: the forms, the development gateway's page
//! and its notices to the webhook endpoint, the student's CSV, and a server killed with
//! SIGKILL between the payment and its notice.

use crate::helpers::*;
use backend::platform::clock::Clock;
use backend::platform::settings::PaymentGateway;

use backend::wallet::dev_gateway::{self, DevGateway};
use backend::wallet::gateway::PaymentMethod;
use backend::wallet::ledger;
use backend::wallet::top_ups::{NewTopUp, TopUpState, TopUps};
use backend::wallet::IdempotencyKey;
use domain::i18n::Lang;
use domain::Yen;
use reqwest::StatusCode;
use secrecy::SecretString;
use std::process::{Child, Stdio};
use std::sync::Arc;
use std::time::Duration;

const SECRET: &str = "whsec_aW50ZWdyYXRpb24tdGVzdHMtc2VjcmV0";

fn with_dev_gateway(settings: &mut backend::platform::settings::Settings) {
    settings.payment_gateway = Some(PaymentGateway::Dev);
    settings.webhook_secret = Some(SecretString::from(SECRET.to_owned()));
}

async fn spawn() -> TestApp {
    TestApp::spawn_with(Options {
        configure: with_dev_gateway,
        ..Default::default()
    })
    .await
}

/// The top-up services over the app's database and the development gateway, as a test drives
/// them beside the server.
fn top_ups(app: &TestApp) -> TopUps {
    TopUps {
        db: app.db.clone(),
        clock: Clock::system(),
        gateway: Some(Arc::new(gateway(app))),
        outbox: Default::default(),
        applications: None,
    }
}

/// The gateway as the server runs it, on the app's database and secret.
fn gateway(app: &TestApp) -> DevGateway {
    DevGateway::new(
        app.db.clone(),
        Clock::system(),
        SecretString::from(SECRET.to_owned()),
    )
}

async fn balance(app: &TestApp, user_id: &str) -> i64 {
    app.card_balance(app.tenant_id, user_id).await
}

/// Waits until `user_id`'s balance is `yen` (the gateway's worker sends its notices).
async fn balance_becomes(app: &TestApp, user_id: &str, yen: i64) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while balance(app, user_id).await != yen {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the balance reaches {yen}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The top-up form and its confirmation: the confirmation page's address (with its key).
async fn review(app: &TestApp, amount: &str, method: &str) -> String {
    let answer = app
        .call(
            "review_top_up",
            &[("tenant", TENANT), ("amount", amount), ("method", method)],
        )
        .await;
    answer.location().expect("a redirect to the confirmation").to_owned()
}

fn query_value(address: &str, key: &str) -> String {
    address
        .split_once('?')
        .unwrap()
        .1
        .split('&')
        .find_map(|pair| pair.strip_prefix(&format!("{key}=")))
        .unwrap()
        .to_owned()
}

async fn start(app: &TestApp, confirmation: &str) -> ServerFnAnswer {
    let (amount, method, key) = (
        query_value(confirmation, "amount"),
        query_value(confirmation, "method"),
        query_value(confirmation, "key"),
    );
    app.call(
        "start_top_up",
        &[
            ("tenant", TENANT),
            ("amount", &amount),
            ("method", &method),
            ("key", &key),
        ],
    )
    .await
}

#[tokio::test]
async fn a_card_top_up_through_the_gateways_page_credits_the_card_once_and_mails_a_receipt() {
    let app = spawn().await;
    app.signed_in("s1", "s1@example.ac.jp").await;
    let mails_before = app.smtp().mails_to("s1@example.ac.jp").len();

    let confirmation = review(&app, "3000", "card").await;
    let started = start(&app, &confirmation).await;
    let payment_page = started.location().unwrap().to_owned();
    assert!(
        payment_page.starts_with("/dev/gateway/pay/pay_"),
        "{payment_page}"
    );
    // The confirm button pressed again, or in a second tab of the same page: the same checkout.
    let again = start(&app, &confirmation).await;
    assert_eq!(again.location(), Some(payment_page.as_str()));

    let paid = app.pay_on_gateway_page(&payment_page, dev_gateway::CARD_SUCCEEDS).await;
    assert_eq!(paid.status(), StatusCode::SEE_OTHER);
    assert!(paid.headers()["location"]
        .to_str()
        .unwrap()
        .contains("/test-u/card/top-up?ref="));

    balance_becomes(&app, "s1", 3000).await;
    let receipt = app.smtp().wait_for("s1@example.ac.jp", mails_before + 1).await;
    assert!(receipt.text().contains("3,000"), "{}", receipt.text());
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(balance(&app, "s1").await, 3000, "credited once");
    assert_eq!(ledger::verify(&app.db).await.unwrap(), vec![]);
}

#[tokio::test]
async fn the_top_up_forms_refuse_bad_amounts_with_the_students_message_and_start_nothing() {
    let app = spawn().await;
    app.signed_in("s1", "s1@example.ac.jp").await;

    for (amount, other) in [
        ("other", "1000.5"),
        ("other", "-500"),
        ("other", "abc"),
        ("other", ""),
    ] {
        let answer = app
            .call(
                "review_top_up",
                &[
                    ("tenant", TENANT),
                    ("amount", amount),
                    ("other_amount", other),
                    ("method", "card"),
                ],
            )
            .await;
        assert!(
            matches!(
                answer.error(),
                app::error::AppError::Invalid {
                    field: app::error::Field::Amount,
                    ..
                }
            ),
            "{other}: {}",
            answer.body
        );
    }
    for too_much in ["500", "30001"] {
        let answer = app
            .call(
                "review_top_up",
                &[("tenant", TENANT), ("amount", too_much), ("method", "card")],
            )
            .await;
        assert!(
            matches!(answer.error(), app::error::AppError::Refused(_)),
            "{too_much}"
        );
    }
    let unknown_method = app
        .call(
            "review_top_up",
            &[
                ("tenant", TENANT),
                ("amount", "3000"),
                ("method", "bitcoin"),
            ],
        )
        .await;
    assert!(!unknown_method.status.is_success());
    use sea_orm::{EntityTrait, PaginatorTrait};
    assert_eq!(
        backend::entities::top_up::Entity::find().count(&app.db).await.unwrap(),
        0
    );
}

#[tokio::test]
async fn a_top_up_past_the_maximum_balance_is_refused() {
    let app = spawn().await;
    app.signed_in("s1", "s1@example.ac.jp").await;
    app.put_on_card(app.tenant_id, "s1", 25_000, "入金").await;

    let refused = app
        .call(
            "review_top_up",
            &[("tenant", TENANT), ("amount", "10000"), ("method", "card")],
        )
        .await;
    let allowed = app
        .call(
            "review_top_up",
            &[("tenant", TENANT), ("amount", "5000"), ("method", "card")],
        )
        .await;

    assert_eq!(
        refused.error(),
        app::error::AppError::Refused(domain::i18n::WalletMsg::PastMaximumBalance.into())
    );
    assert!(allowed.location().unwrap().contains("/test-u/card/confirm?amount=5000"));
}

#[tokio::test]
async fn without_a_gateway_the_top_up_page_says_online_top_up_is_not_available() {
    let app = TestApp::spawn().await;
    app.signed_in("s1", "s1@example.ac.jp").await;

    let (status, page) = app.get("/test-u/card").await;
    let refused = app
        .call(
            "review_top_up",
            &[("tenant", TENANT), ("amount", "3000"), ("method", "card")],
        )
        .await;

    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("オンラインチャージはまだご利用いただけません"),
        "{page}"
    );
    assert!(!page.contains("確認画面へ"));
    assert!(!refused.status.is_success());
    let gateway_page = app.client.get(app.url("/dev/gateway/pay/pay_x")).send().await.unwrap();
    assert_eq!(gateway_page.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_notice_with_a_bad_signature_gets_400_and_one_from_another_site_is_still_heard() {
    let app = spawn().await;
    let body = r#"{"type":"payment.succeeded","data":{"payment_id":"pay_x","reference":"r"}}"#;
    // The timestamp is the one signed: a second read of the clock may fall in the next second.
    let (_, timestamp, signature) = gateway(&app).signed_notice("msg_1", body);
    let post = |signature: String| {
        client()
            .post(app.url("/webhooks/payments/test-u"))
            // A gateway is no browser: the same-site rule for POSTs does not apply here.
            .header("sec-fetch-site", "cross-site")
            .header("webhook-id", "msg_1")
            .header("webhook-timestamp", timestamp.clone())
            .header("webhook-signature", signature)
            .body(body)
            .send()
    };

    let forged = post("v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".to_owned())
        .await
        .unwrap();
    let signed = post(signature).await.unwrap();
    let too_large = client()
        .post(app.url("/webhooks/payments/test-u"))
        .body(vec![b'x'; 20 * 1024])
        .send()
        .await
        .unwrap();

    assert_eq!(forged.status(), StatusCode::BAD_REQUEST);
    // Signed, for a payment nobody here has: heard, nothing credited.
    assert_eq!(signed.status(), StatusCode::OK);
    assert_eq!(too_large.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn another_students_top_up_is_not_found_by_changing_its_reference() {
    let app = spawn().await;
    app.signed_in("s1", "s1@example.ac.jp").await;
    let own = start(&app, &review(&app, "3000", "konbini").await).await;
    let own_page = own.location().unwrap().to_owned();
    // s2's top-up, and its reference put into s1's address and form.
    let tenant = backend::tenancy::require(&app.db, TENANT).await.unwrap();
    let s2 = app.student_id(app.tenant_id, "s2").await;
    let top_ups = top_ups(&app);
    let key = IdempotencyKey::parse("other-students-key-01").unwrap();
    let theirs = top_ups
        .start(NewTopUp {
            tenant: &tenant,
            student: s2,
            amount: Yen::new(5000).unwrap(),
            method: PaymentMethod::Konbini,
            key: &key,
            lang: Lang::Ja,
            return_url: &|reference| format!("/test-u/card/top-up?ref={reference}"),
            notify_url: app.url("/webhooks/payments/test-u"),
        })
        .await
        .unwrap();

    let (own_status, own_body) = app.get(&own_page).await;
    let (their_status, their_body) =
        app.get(&format!("/test-u/card/top-up?ref={}", theirs.reference)).await;
    let by_form = app
        .call(
            "top_up_status",
            &[("tenant", TENANT), ("reference", &theirs.reference)],
        )
        .await;

    assert_eq!(own_status, StatusCode::OK);
    assert!(own_body.contains("コンビニでお支払いください"));
    assert_eq!(their_status, StatusCode::NOT_FOUND);
    assert!(!their_body.contains(theirs.konbini_number.as_deref().unwrap()));
    assert_eq!(by_form.error(), app::error::AppError::NotFound);
}

#[tokio::test]
async fn the_history_downloads_as_csv_for_its_student_only() {
    let app = spawn().await;
    app.signed_in("s1", "s1@example.ac.jp").await;
    app.put_on_card(app.tenant_id, "s1", 1200, "=HYPERLINK(\"x\")").await;

    let csv = app.client.get(app.url("/test-u/card/history.csv")).send().await.unwrap();
    let signed_out = client().get(app.url("/test-u/card/history.csv")).send().await.unwrap();

    assert_eq!(csv.status(), StatusCode::OK);
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(csv.headers()["cache-control"], "no-store");
    let text = csv.text().await.unwrap();
    assert!(
        text.starts_with("\u{feff}日時,内容,金額,残高\r\n"),
        "{text}"
    );
    assert!(text.contains(",1200,1200\r\n"), "{text}");
    assert!(
        !text.contains(",\"=HYPERLINK"),
        "no formula reaches a spreadsheet: {text}"
    );
    assert_eq!(signed_out.status(), StatusCode::SEE_OTHER);
}

struct ServerProcess(Child);

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

fn serve(app: &TestApp, port: u16) -> ServerProcess {
    let child = app
        .shomei_command()
        .args(["serve"])
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("SHOMEI_PUBLIC_URL", format!("http://127.0.0.1:{port}"))
        .env("SHOMEI_PAYMENT_GATEWAY", "dev")
        .env("SHOMEI_WEBHOOK_SECRET", SECRET)
        .env_remove("SHOMEI_SMTP_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the shomei binary");
    ServerProcess(child)
}

async fn wait_until_serving(base: &str) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !client()
        .get(format!("{base}/{TENANT}/login"))
        .send()
        .await
        .is_ok_and(|a| a.status().is_success())
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "server up within 30 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_between_the_payment_and_its_notice_credits_once_after_the_restart() {
    let app = spawn().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = serve(&app, port);
    wait_until_serving(&base).await;
    let tenant = backend::tenancy::require(&app.db, TENANT).await.unwrap();
    let student = app.student_id(app.tenant_id, "s1").await;
    let dev = gateway(&app);
    let top_ups = top_ups(&app);
    let key = IdempotencyKey::parse("sigkill-test-key-0001").unwrap();
    let top_up = top_ups
        .start(NewTopUp {
            tenant: &tenant,
            student,
            amount: Yen::new(4000).unwrap(),
            method: PaymentMethod::Card,
            key: &key,
            lang: Lang::Ja,
            return_url: &|reference| format!("{base}/test-u/card/top-up?ref={reference}"),
            notify_url: format!("{base}/webhooks/payments/test-u"),
        })
        .await
        .unwrap();

    // SIGKILL: no shutdown of any kind. Then the student pays at the gateway.
    server.0.kill().unwrap();
    server.0.wait().unwrap();
    let payment = top_up.redirect_url.as_deref().unwrap().rsplit('/').next().unwrap().to_owned();
    dev.pay_with_card(&payment, dev_gateway::CARD_SUCCEEDS).await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        balance(&app, "s1").await,
        0,
        "nothing credited while shomei is down"
    );

    // The restarted server's worker sends the notice that found nobody; it credits once.
    let _restarted = serve(&app, port);
    wait_until_serving(&base).await;
    balance_becomes(&app, "s1", 4000).await;
    // The same notice again (a gateway that did not hear the 2xx): nothing more.
    let notice = {
        use sea_orm::{EntityTrait, QueryOrder};
        backend::entities::dev_gateway_notice::Entity::find()
            .order_by_desc(backend::entities::dev_gateway_notice::Column::Id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
    };
    let (id, timestamp, signature) = dev.signed_notice(&notice.notice_id, &notice.body);
    let replayed = client()
        .post(format!("{base}/webhooks/payments/test-u"))
        .header("webhook-id", id)
        .header("webhook-timestamp", timestamp)
        .header("webhook-signature", signature)
        .body(notice.body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(replayed.status(), StatusCode::OK);
    assert_eq!(balance(&app, "s1").await, 4000);
    let found = top_ups.find(app.tenant_id, student, &top_up.reference).await.unwrap();
    assert_eq!(found.state, TopUpState::Paid);
}

#[tokio::test]
async fn a_confirmation_whose_address_was_changed_into_nonsense_goes_back_to_the_form() {
    let app = spawn().await;
    app.signed_in("s1", "s1@example.ac.jp").await;

    let mut sent_back = Vec::new();
    for query in [
        "amount=abc&method=card&key=0123456789abcdefghij",
        "amount=3000&method=bitcoin&key=0123456789abcdefghij",
        "amount=3000&method=card&key=short",
    ] {
        let page = app
            .client
            .get(app.url(&format!("/test-u/card/confirm?{query}")))
            .send()
            .await
            .unwrap();
        sent_back.push(page.headers().get("location").map(|l| l.to_str().unwrap().to_owned()));
    }
    let unknown_method = app
        .call(
            "review_top_up",
            &[
                ("tenant", TENANT),
                ("amount", "3000"),
                ("method", "bitcoin"),
            ],
        )
        .await;

    assert!(
        sent_back.iter().all(|l| l.as_deref() == Some("/test-u/card")),
        "{sent_back:?}"
    );
    assert_eq!(
        unknown_method.error(),
        app::error::AppError::Refused(domain::i18n::WalletMsg::ChooseMethod.into())
    );
}
