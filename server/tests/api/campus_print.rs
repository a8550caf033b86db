//! Certificates printed at a campus machine, through the machine API: what a card's student has
//! waiting, each certificate handed to one machine once (that machine's retry under the same
//! key gets it again), the application collected once all are printed, and nothing for another
//! university's machine, another student's card or an application not ready.

use crate::helpers::*;
use crate::machines::{machine, LIBRARY_MACHINE};
use crate::staff::{act_beside_the_server, fresh_application};
use reqwest::StatusCode;
use serde_json::Value;
use std::sync::Arc;

/// Application `number` (campus print) started and made ready by a clerk beside the server.
async fn make_ready(app: &TestApp, number: &str) {
    use backend::certificates::StaffAction::{MakeReady, Start};
    act_beside_the_server(app, number, [Start, MakeReady]).await;
}

async fn waiting(app: &TestApp, key: &str, card: &str) -> (StatusCode, Value) {
    let response = client()
        .get(app.url(&format!("/api/v1/cards/{card}/prints")))
        .bearer_auth(key)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// The print call's answer: status, headers and body.
async fn print(
    app: &TestApp,
    key: &str,
    card: &str,
    number: &str,
    idempotency_key: &str,
) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
    let response = client()
        .post(app.url(&format!("/api/v1/cards/{card}/prints/{number}/1")))
        .bearer_auth(key)
        .header("idempotency-key", idempotency_key)
        .send()
        .await
        .unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    (status, headers, response.bytes().await.unwrap().to_vec())
}

async fn status_of(app: &TestApp, number: &str) -> String {
    use sea_orm::EntityTrait;
    let id = domain::parse_application_number(number).unwrap();
    backend::entities::application::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .status
}

/// How many prints the audit log records.
async fn printed_events(app: &TestApp) -> usize {
    use backend::entities::audit_event;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    audit_event::Entity::find()
        .filter(audit_event::Column::Event.eq("certificate_printed"))
        .all(&app.db)
        .await
        .unwrap()
        .len()
}

fn problem_type(body: &[u8]) -> String {
    let problem: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    problem["type"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn a_machine_prints_a_ready_certificate_once_and_the_application_is_collected() {
    let app = TestApp::spawn().await;
    let library = machine(&app, app.tenant_id, LIBRARY_MACHINE).await;
    let hall = machine(&app, app.tenant_id, "本館 証明書発行機").await;
    let number = fresh_application(&app, "campus_print", 1).await;
    make_ready(&app, &number).await;

    let (listed, before) = waiting(&app, &library, "C1001").await;
    let (first, headers, pdf) =
        print(&app, &library, "C1001", &number, "print-key-0000000001").await;
    let (again, again_headers, again_pdf) =
        print(&app, &library, "C1001", &number, "print-key-0000000001").await;
    let (other_key, _, other_key_body) =
        print(&app, &library, "C1001", &number, "print-key-0000000002").await;
    let (other_machine, _, _) = print(&app, &hall, "C1001", &number, "print-key-0000000001").await;
    let (_, after) = waiting(&app, &library, "C1001").await;

    assert_eq!(listed, StatusCode::OK);
    let prints = before["prints"].as_array().unwrap();
    assert_eq!(prints.len(), 1, "{before}");
    assert_eq!(prints[0]["application"], number.as_str());
    assert_eq!(prints[0]["line"], 1);
    assert_eq!(prints[0]["name_ja"], "在学証明書");
    assert_eq!(prints[0]["copies"], 1);
    assert_eq!(first, StatusCode::OK);
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(headers["shomei-copies"], "1");
    assert_eq!(headers["cache-control"], "no-store");
    assert!(headers.get("idempotent-replayed").is_none());
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(again, StatusCode::OK);
    assert_eq!(again_headers["idempotent-replayed"], "true");
    assert_eq!(again_pdf, pdf);
    assert_eq!(other_key, StatusCode::GONE);
    assert_eq!(
        problem_type(&other_key_body),
        "urn:shomei:problem:already-printed"
    );
    assert_eq!(other_machine, StatusCode::GONE);
    assert_eq!(after["prints"], serde_json::json!([]));
    assert_eq!(status_of(&app, &number).await, "collected");
    assert_eq!(printed_events(&app).await, 1);
}

#[tokio::test]
async fn another_universitys_machine_another_students_card_or_an_application_not_ready_prints_nothing(
) {
    let app = TestApp::spawn().await;
    let other = app.add_other_university().await;
    let theirs = machine(&app, other.id, "他大学の発行機").await;
    let ours = machine(&app, app.tenant_id, LIBRARY_MACHINE).await;
    let number = fresh_application(&app, "campus_print", 1).await;
    let not_ready = fresh_application(&app, "campus_print", 2).await;
    let pdf_delivery = fresh_application(&app, "pdf", 3).await;
    make_ready(&app, &number).await;

    let (other_university, _, body) =
        print(&app, &theirs, "C1001", &number, "print-key-0000000001").await;
    let (other_card, _, other_card_body) =
        print(&app, &ours, "C1002", &number, "print-key-0000000002").await;
    let (s2_waiting, s2_list) = waiting(&app, &ours, "C1002").await;
    let (unready, _, _) = print(&app, &ours, "C1001", &not_ready, "print-key-0000000003").await;
    let (not_for_print, _, _) =
        print(&app, &ours, "C1001", &pdf_delivery, "print-key-0000000004").await;
    let (no_key, _, no_key_body) = print(&app, &ours, "C1001", &number, "short").await;
    let (_, still) = waiting(&app, &ours, "C1001").await;

    assert_eq!(other_university, StatusCode::NOT_FOUND);
    assert_eq!(problem_type(&body), "urn:shomei:problem:unknown-card");
    assert_eq!(other_card, StatusCode::NOT_FOUND);
    assert_eq!(
        problem_type(&other_card_body),
        "urn:shomei:problem:nothing-to-print"
    );
    assert_eq!(s2_waiting, StatusCode::OK);
    assert_eq!(s2_list["prints"], serde_json::json!([]));
    assert_eq!(unready, StatusCode::NOT_FOUND);
    assert_eq!(not_for_print, StatusCode::NOT_FOUND);
    assert_eq!(no_key, StatusCode::BAD_REQUEST);
    assert_eq!(
        problem_type(&no_key_body),
        "urn:shomei:problem:missing-idempotency-key"
    );
    assert_eq!(still["prints"].as_array().unwrap().len(), 1, "{still}");
    assert_eq!(status_of(&app, &number).await, "ready");
}

#[tokio::test]
async fn eight_machines_asking_at_once_print_a_certificate_once() {
    let app = TestApp::spawn().await;
    let number = fresh_application(&app, "campus_print", 1).await;
    make_ready(&app, &number).await;
    let mut keys = Vec::new();
    for n in 0..8 {
        keys.push(machine(&app, app.tenant_id, &format!("発行機{n}")).await);
    }
    let app = Arc::new(app);
    let barrier = Arc::new(tokio::sync::Barrier::new(keys.len()));

    let asks = keys.into_iter().enumerate().map(|(n, key)| {
        let (app, barrier, number) = (app.clone(), barrier.clone(), number.clone());
        tokio::spawn(async move {
            barrier.wait().await;
            print(
                &app,
                &key,
                "C1001",
                &number,
                &format!("print-key-at-once-{n:04}"),
            )
            .await
            .0
        })
    });
    let answers: Vec<StatusCode> =
        futures::future::join_all(asks).await.into_iter().map(Result::unwrap).collect();

    assert_eq!(
        answers.iter().filter(|s| **s == StatusCode::OK).count(),
        1,
        "{answers:?}"
    );
    assert_eq!(
        answers.iter().filter(|s| **s == StatusCode::GONE).count(),
        7,
        "{answers:?}"
    );
    assert_eq!(status_of(&app, &number).await, "collected");
}
