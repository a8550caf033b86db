//! The campus machine API (`/api/v1/`): a machine's key, its university's cards only, debits
//! once per idempotency key, problem documents, and the OpenAPI description.

use crate::helpers::*;
use backend::machines::Machines;
use backend::registry;
use backend::wallet::{ledger, Wallet};
use reqwest::StatusCode;
use secrecy::ExposeSecret;
use serde_json::{json, Value};

/// The machine's name most tests give it.
pub(crate) const LIBRARY_MACHINE: &str = "図書館1F 証明書発行機";

/// A machine named `name` of university `tenant_id`, and its key.
pub(crate) async fn machine(app: &TestApp, tenant_id: i32, name: &str) -> String {
    let machines = Machines::new(app.db.clone(), Wallet::new(app.db.clone()));
    let (_, key) = machines.add(tenant_id, name).await.unwrap();
    key.expose_secret().to_owned()
}

async fn read_card(app: &TestApp, key: &str, card: &str) -> (StatusCode, Value) {
    let response = client()
        .get(app.url(&format!("/api/v1/cards/{card}")))
        .bearer_auth(key)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn debit_request(
    app: &TestApp,
    key: &str,
    card: &str,
    idempotency_key: &str,
    body: Value,
) -> reqwest::RequestBuilder {
    client()
        .post(app.url(&format!("/api/v1/cards/{card}/debits")))
        .bearer_auth(key)
        .header("idempotency-key", idempotency_key)
        .json(&body)
}

async fn debit(
    app: &TestApp,
    key: &str,
    card: &str,
    idempotency_key: &str,
    body: Value,
) -> (StatusCode, Value) {
    let response = debit_request(app, key, card, idempotency_key, body).send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn new_key() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[tokio::test]
async fn a_machine_reads_a_card_of_its_own_university_with_its_balance() {
    let app = TestApp::spawn().await;
    let key = machine(&app, app.tenant_id, LIBRARY_MACHINE).await;
    app.put_on_card(app.tenant_id, "s1", 2500, "テスト用の入金").await;

    let (status, card) = read_card(&app, &key, "C1001").await;

    assert_eq!(status, StatusCode::OK);
    assert_eq!(card["user_id"], "s1");
    assert_eq!(card["name"], "山田 花子");
    assert_eq!(card["student_number"], "1001");
    assert_eq!(card["balance"], 2500);
}

#[tokio::test]
async fn a_machine_of_another_university_never_reaches_this_universitys_cards() {
    let app = TestApp::spawn().await;
    let other = app.add_other_university().await;
    let csv = format!("user_id,name,card_number,password\no1,別の 学生,C9001,{PASSWORD}\n");
    registry::import_csv(&app.db, other.id, csv.as_bytes()).await.unwrap();
    let other_key = machine(&app, other.id, LIBRARY_MACHINE).await;
    app.put_on_card(app.tenant_id, "s1", 1000, "テスト用の入金").await;

    // The card number of this university's student, in the URL and in the body.
    let (read, _) = read_card(&app, &other_key, "C1001").await;
    let (debited, problem) = debit(
        &app,
        &other_key,
        "C1001",
        &new_key(),
        json!({"amount": 100, "description": "印刷"}),
    )
    .await;

    assert_eq!(read, StatusCode::NOT_FOUND);
    assert_eq!(debited, StatusCode::NOT_FOUND);
    assert_eq!(problem["type"], "urn:shomei:problem:unknown-card");
    assert_eq!(app.card_balance(app.tenant_id, "s1").await, 1000);
    // Its own student it reaches.
    assert_eq!(read_card(&app, &other_key, "C9001").await.0, StatusCode::OK);
}

#[tokio::test]
async fn a_request_without_a_valid_machine_key_is_refused_with_a_problem_document() {
    let app = TestApp::spawn().await;
    let key = machine(&app, app.tenant_id, LIBRARY_MACHINE).await;
    let machines = Machines::new(app.db.clone(), Wallet::new(app.db.clone()));
    let (revoked, revoked_key) = machines.add(app.tenant_id, "retired").await.unwrap();
    machines.revoke(app.tenant_id, revoked.id).await.unwrap();
    let wrong = format!("{}x", &key[..key.len() - 1]);

    for bad in [wrong.as_str(), revoked_key.expose_secret(), "", "Basic abc"] {
        let response = client()
            .get(app.url("/api/v1/cards/C1001"))
            .header("authorization", format!("Bearer {bad}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{bad}");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["type"], "urn:shomei:problem:unauthorized");
        assert_eq!(problem["status"], 401);
    }
    let no_header = client().get(app.url("/api/v1/cards/C1001")).send().await.unwrap();
    assert_eq!(no_header.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_same_idempotency_key_twice_debits_once_and_answers_the_same() {
    let app = TestApp::spawn().await;
    let key = machine(&app, app.tenant_id, LIBRARY_MACHINE).await;
    app.put_on_card(app.tenant_id, "s1", 1000, "テスト用の入金").await;
    let idempotency_key = new_key();
    let body = json!({"amount": 300, "description": "在学証明書 1通"});

    let (first_status, first) = debit(&app, &key, "C1001", &idempotency_key, body.clone()).await;
    let second = debit_request(&app, &key, "C1001", &idempotency_key, body).send().await.unwrap();

    assert_eq!(first_status, StatusCode::CREATED);
    assert_eq!(second.status(), StatusCode::CREATED);
    assert_eq!(second.headers()["idempotent-replayed"], "true");
    let second: Value = second.json().await.unwrap();
    assert_eq!(first["transaction_id"], second["transaction_id"]);
    assert_eq!(first["balance"], 700);
    assert_eq!(second["balance"], 700);
    assert_eq!(app.card_balance(app.tenant_id, "s1").await, 700);
}

#[tokio::test]
async fn the_same_idempotency_key_for_another_request_is_refused_and_moves_nothing() {
    let app = TestApp::spawn().await;
    let key = machine(&app, app.tenant_id, LIBRARY_MACHINE).await;
    app.put_on_card(app.tenant_id, "s1", 1000, "テスト用の入金").await;
    let idempotency_key = new_key();
    debit(
        &app,
        &key,
        "C1001",
        &idempotency_key,
        json!({"amount": 300, "description": "印刷"}),
    )
    .await;

    let (status, problem) = debit(
        &app,
        &key,
        "C1001",
        &idempotency_key,
        json!({"amount": 500, "description": "印刷"}),
    )
    .await;

    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["type"], "urn:shomei:problem:idempotency-key-reused");
    assert_eq!(app.card_balance(app.tenant_id, "s1").await, 700);
}

#[tokio::test]
async fn a_debit_without_an_idempotency_key_or_with_a_bad_amount_moves_nothing() {
    let app = TestApp::spawn().await;
    let key = machine(&app, app.tenant_id, LIBRARY_MACHINE).await;
    app.put_on_card(app.tenant_id, "s1", 1000, "テスト用の入金").await;

    let no_key = client()
        .post(app.url("/api/v1/cards/C1001/debits"))
        .bearer_auth(&key)
        .json(&json!({"amount": 100, "description": "印刷"}))
        .send()
        .await
        .unwrap();
    assert_eq!(no_key.status(), StatusCode::BAD_REQUEST);
    let problem: Value = no_key.json().await.unwrap();
    assert_eq!(
        problem["type"],
        "urn:shomei:problem:missing-idempotency-key"
    );
    for body in [
        json!({"amount": 0, "description": "印刷"}),
        json!({"amount": -100, "description": "印刷"}),
        json!({"amount": 1.5, "description": "印刷"}),
        json!({"amount": "100", "description": "印刷"}),
        json!({"amount": 100, "description": ""}),
        json!({"amount": 100}),
    ] {
        let (status, problem) = debit(&app, &key, "C1001", &new_key(), body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(problem["type"], "urn:shomei:problem:bad-request", "{body}");
    }
    assert_eq!(app.card_balance(app.tenant_id, "s1").await, 1000);
}

#[tokio::test]
async fn a_hundred_debits_sent_at_once_take_exactly_what_the_card_holds() {
    let app = TestApp::spawn().await;
    let key = machine(&app, app.tenant_id, LIBRARY_MACHINE).await;
    app.put_on_card(app.tenant_id, "s1", 5000, "テスト用の入金").await;
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(100));

    let requests = (0..100).map(|_| {
        let request = debit_request(
            &app,
            &key,
            "C1001",
            &new_key(),
            json!({"amount": 100, "description": "印刷 1枚"}),
        );
        let barrier = barrier.clone();
        tokio::spawn(async move {
            barrier.wait().await;
            request.send().await.expect("the server answers").status()
        })
    });
    let statuses: Vec<StatusCode> = futures::future::join_all(requests)
        .await
        .into_iter()
        .map(|status| status.unwrap())
        .collect();

    let created = statuses.iter().filter(|s| **s == StatusCode::CREATED).count();
    let refused = statuses.iter().filter(|s| **s == StatusCode::CONFLICT).count();
    assert_eq!((created, refused), (50, 50), "{statuses:?}");
    assert_eq!(app.card_balance(app.tenant_id, "s1").await, 0);
    assert_eq!(ledger::verify(&app.db).await.unwrap(), vec![]);
}

#[tokio::test]
async fn a_debit_larger_than_the_balance_is_refused_with_the_balance() {
    let app = TestApp::spawn().await;
    let key = machine(&app, app.tenant_id, LIBRARY_MACHINE).await;
    app.put_on_card(app.tenant_id, "s1", 250, "テスト用の入金").await;

    let (status, problem) = debit(
        &app,
        &key,
        "C1001",
        &new_key(),
        json!({"amount": 300, "description": "印刷"}),
    )
    .await;

    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(problem["type"], "urn:shomei:problem:insufficient-balance");
    assert_eq!(problem["balance"], 250);
    assert_eq!(app.card_balance(app.tenant_id, "s1").await, 250);
}

#[tokio::test]
async fn the_openapi_description_is_generated_from_the_routes() {
    let app = TestApp::spawn().await;

    let response = client().get(app.url("/api/v1/openapi.json")).send().await.unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    let description: Value = response.json().await.unwrap();
    assert!(description["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = description["paths"].as_object().unwrap();
    assert!(paths.contains_key("/cards/{card_number}"));
    assert!(paths.contains_key("/cards/{card_number}/debits"));
    assert!(paths.contains_key("/cards/{card_number}/prints"));
    assert!(paths.contains_key("/cards/{card_number}/prints/{application}/{line}"));
    assert_eq!(
        description["components"]["securitySchemes"]["machine_key"]["scheme"],
        "bearer"
    );
}

#[tokio::test]
async fn the_operator_adds_lists_and_revokes_machines_and_the_key_is_shown_once() {
    let app = TestApp::spawn().await;

    let added = app.cli(&[
        "machine",
        "add",
        "--tenant",
        TENANT,
        "--name",
        "本館 発行機",
    ]);
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let printed = String::from_utf8(added.stdout).unwrap();
    let key = printed
        .split_whitespace()
        .find(|word| word.starts_with("shm_"))
        .expect("the key is printed")
        .to_owned();
    assert_eq!(read_card(&app, &key, "C1001").await.0, StatusCode::OK);

    let listed =
        String::from_utf8(app.cli(&["machine", "list", "--tenant", TENANT]).stdout).unwrap();
    assert!(listed.contains("本館 発行機"), "{listed}");
    assert!(!listed.contains(&key), "the key is never shown again");

    let id = listed.split_whitespace().next().unwrap().trim_start_matches('#');
    let revoked = app.cli(&["machine", "revoke", "--tenant", TENANT, id]);
    assert!(
        revoked.status.success(),
        "{}",
        String::from_utf8_lossy(&revoked.stderr)
    );
    assert_eq!(
        read_card(&app, &key, "C1001").await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn ledger_verify_is_clean_after_money_moved_and_reports_a_tampered_balance() {
    let app = TestApp::spawn().await;
    let key = machine(&app, app.tenant_id, LIBRARY_MACHINE).await;
    app.put_on_card(app.tenant_id, "s1", 1000, "テスト用の入金").await;
    debit(
        &app,
        &key,
        "C1001",
        &new_key(),
        json!({"amount": 400, "description": "印刷"}),
    )
    .await;

    let clean = app.cli(&["ledger", "verify"]);
    use sea_orm::ConnectionTrait;
    app.db
        .execute_unprepared("UPDATE card_balances SET balance = balance + 1")
        .await
        .unwrap();
    let tampered = app.cli(&["ledger", "verify"]);

    assert!(
        clean.status.success(),
        "{}",
        String::from_utf8_lossy(&clean.stdout)
    );
    assert!(!tampered.status.success());
    let report = String::from_utf8(tampered.stdout).unwrap();
    assert!(
        report.contains("cached balance 601, postings sum to 600"),
        "{report}"
    );
}

#[tokio::test]
async fn ledger_balance_reports_the_unused_balance_at_the_end_of_a_day() {
    let app = TestApp::spawn().await;
    app.put_on_card(app.tenant_id, "s1", 1200, "テスト用の入金").await;
    app.put_on_card(app.tenant_id, "s2", 800, "テスト用の入金").await;

    let today = backend::platform::clock::to_jst(backend::platform::clock::now_ms())
        .format("%Y-%m-%d")
        .to_string();
    let now = app.cli(&["ledger", "balance", "--tenant", TENANT, "--at", &today]);
    let before = app.cli(&[
        "ledger",
        "balance",
        "--tenant",
        TENANT,
        "--at",
        "2020-03-31",
    ]);

    assert!(
        now.status.success(),
        "{}",
        String::from_utf8_lossy(&now.stderr)
    );
    assert!(String::from_utf8(now.stdout).unwrap().contains("2,000"));
    assert!(String::from_utf8(before.stdout).unwrap().contains(" 0 "));
}
