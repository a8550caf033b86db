//! Applications paid through the payment gateway, through the real server and the development
//! gateway's own page and worker: a card paid on the gateway's page accepts the application
//! once its notice comes, with a receipt naming the card; a cancellation refunds it through the
//! gateway (the server's refund worker) and never onto the card; a konbini slip is shown on the
//! application's page; without a gateway only the balance pays.

use crate::helpers::*;
use backend::entities::{application, top_up};
use backend::platform::settings::PaymentGateway;
use backend::wallet::{dev_gateway, ledger};
use reqwest::StatusCode;
use sea_orm::{EntityTrait, PaginatorTrait};
use secrecy::SecretString;
use std::time::Duration;

const DEMO_CATALOGUE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../catalogues/demo.toml");

fn with_dev_gateway(settings: &mut backend::platform::settings::Settings) {
    settings.payment_gateway = Some(PaymentGateway::Dev);
    settings.webhook_secret = Some(SecretString::from(
        "whsec_YXBwbGljYXRpb24tcGF5bWVudHMtdGVzdA".to_owned(),
    ));
}

async fn spawn(gateway: bool) -> TestApp {
    let app = if gateway {
        TestApp::spawn_with(Options {
            configure: with_dev_gateway,
            ..Default::default()
        })
        .await
    } else {
        TestApp::spawn().await
    };
    let imported = app.cli(&["catalogue", "import", "--tenant", TENANT, DEMO_CATALOGUE]);
    assert!(imported.status.success(), "{imported:?}");
    app
}

/// Two enrollment certificates as PDFs (400 yen), reviewed: the confirmation page's key.
async fn reviewed(app: &TestApp) -> String {
    let order = [
        ("tenant", TENANT),
        ("lines[0][code]", "enrollment"),
        ("lines[0][lang]", "ja"),
        ("lines[0][copies]", "2"),
        ("delivery", "pdf"),
    ];
    let answer = app.call("review_application", &order).await;
    let location = answer.location().unwrap_or_else(|| panic!("a redirect: {}", answer.body));
    location.split_once("?key=").expect("a key").1.to_owned()
}

async fn confirmation_page(app: &TestApp, key: &str) -> String {
    let href = format!("{}?key={key}", Page::CertificatesConfirm.href(TENANT));
    app.get(&href).await.1
}

async fn submit(app: &TestApp, key: &str, pay_by: &str) -> ServerFnAnswer {
    let form = [
        ("tenant", TENANT),
        ("key", key),
        ("total", "400"),
        ("pay_by", pay_by),
    ];
    app.call("submit_application", &form).await
}

async fn the_application(app: &TestApp) -> application::Model {
    let mut all = application::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(all.len(), 1, "one application");
    all.remove(0)
}

/// Waits (the gateway's worker sends its notices, the server's sends refunds) until `done`.
async fn eventually<F, Fut>(what: &str, done: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while !done().await {
        assert!(tokio::time::Instant::now() < deadline, "{what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn an_application_paid_by_card_on_the_gateways_page_is_accepted_and_a_cancel_refunds_it_there(
) {
    let app = spawn(true).await;
    app.signed_in("s1", "s1@example.ac.jp").await;
    let mails_before = app.smtp().mails_to("s1@example.ac.jp").len();
    let key = reviewed(&app).await;
    let confirm = confirmation_page(&app, &key).await;

    let first = submit(&app, &key, "card").await;
    let payment_page = first.location().expect("to the gateway's page").to_owned();
    // `申請する` pressed again, or in a second tab: the same payment.
    let again = submit(&app, &key, "card").await;
    let waiting = the_application(&app).await;
    let paid = app.pay_on_gateway_page(&payment_page, dev_gateway::CARD_SUCCEEDS).await;
    eventually("the application is accepted", || async {
        the_application(&app).await.status == "accepted"
    })
    .await;
    let receipt = app.smtp().wait_for("s1@example.ac.jp", mails_before + 1).await;
    let detail_href = format!(
        "{}?no={:08}",
        Page::CertificatesApplication.href(TENANT),
        waiting.id
    );
    let detail = app.get(&detail_href).await.1;

    assert!(confirm.contains("クレジットカード") && confirm.contains("コンビニ払い"));
    assert!(
        payment_page.starts_with("/dev/gateway/pay/pay_"),
        "{payment_page}"
    );
    assert_eq!(again.location(), Some(payment_page.as_str()));
    assert_eq!(
        (waiting.status.as_str(), waiting.pay_by.as_str()),
        ("awaiting_payment", "card")
    );
    assert_eq!(paid.status(), StatusCode::SEE_OTHER);
    let back = paid.headers()["location"].to_str().unwrap();
    assert!(
        back.contains("/test-u/certificates/application?no="),
        "{back}"
    );
    assert!(
        receipt.text().contains("クレジットカードで支払い済み"),
        "{}",
        receipt.text()
    );
    assert!(detail.contains("受付済") && detail.contains("クレジットカード"));
    assert_eq!(app.card_balance(app.tenant_id, "s1").await, 0);

    let number = format!("{:08}", waiting.id);
    let cancelled = app
        .call(
            "cancel_application",
            &[("tenant", TENANT), ("number", &number)],
        )
        .await;
    assert!(cancelled.location().is_some(), "{}", cancelled.body);
    eventually("the gateway took the refund", || async {
        let payment = top_up::Entity::find().one(&app.db).await.unwrap().unwrap();
        payment.refund_state.as_deref() == Some("done")
    })
    .await;
    let mail = app.smtp().wait_for("s1@example.ac.jp", mails_before + 2).await;
    assert!(mail.text().contains("返金します"), "{}", mail.text());
    assert_eq!(the_application(&app).await.status, "cancelled");
    assert_eq!(
        app.card_balance(app.tenant_id, "s1").await,
        0,
        "nothing onto the card"
    );
    assert_eq!(ledger::verify(&app.db).await.unwrap(), vec![]);
}

#[tokio::test]
async fn a_konbini_application_shows_its_slip_on_its_page_until_it_is_paid() {
    let app = spawn(true).await;
    app.signed_in("s1", "s1@example.ac.jp").await;
    let key = reviewed(&app).await;

    let submitted = submit(&app, &key, "konbini").await;
    let place = submitted.location().expect("to the application").to_owned();
    let page = app.get(&place).await.1;
    let slip = top_up::Entity::find().one(&app.db).await.unwrap().unwrap();

    assert!(
        place.starts_with(&Page::CertificatesApplication.href(TENANT)),
        "{place}"
    );
    assert!(!place.contains("accepted=1"));
    let number = slip.konbini_number.expect("a payment number");
    assert!(page.contains("支払待ち") && page.contains("お支払い番号") && page.contains(&number));
    assert_eq!(app.card_balance(app.tenant_id, "s1").await, 0);
}

#[tokio::test]
async fn a_konbini_slip_still_being_opened_is_said_so_and_not_shown_as_a_card_payment() {
    use sea_orm::{ActiveModelTrait, Set};
    let app = spawn(true).await;
    app.signed_in("s1", "s1@example.ac.jp").await;
    let key = reviewed(&app).await;
    let submitted = submit(&app, &key, "konbini").await;
    let place = submitted.location().expect("to the application").to_owned();
    // Arranged as the moment between the claim and the gateway's answer.
    let slip = top_up::Entity::find().one(&app.db).await.unwrap().unwrap();
    let mut opening: top_up::ActiveModel = slip.into();
    opening.state = Set("opening".to_owned());
    opening.konbini_number = Set(None);
    opening.konbini_deadline = Set(None);
    opening.update(&app.db).await.unwrap();

    let page = app.get(&place).await.1;

    assert!(page.contains("お支払い番号を発行しています"), "{page}");
    assert!(!page.contains("カードのお支払いを確認しています"));
}

#[tokio::test]
async fn without_a_gateway_a_card_payment_is_refused_and_nothing_is_written() {
    let app = spawn(false).await;
    app.signed_in("s1", "s1@example.ac.jp").await;
    let key = reviewed(&app).await;
    let confirm = confirmation_page(&app, &key).await;

    let refused = submit(&app, &key, "card").await;

    assert!(
        !confirm.contains("コンビニ払い"),
        "no gateway, no choice of it"
    );
    assert!(refused.location().is_none());
    assert!(
        refused.body.contains("GatewayUnavailable"),
        "{}",
        refused.body
    );
    assert_eq!(application::Entity::find().count(&app.db).await.unwrap(), 0);
}
