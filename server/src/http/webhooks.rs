//! The payment gateway's notices: `POST /webhooks/payments/{tenant}`. The signature and the
//! timestamp are checked before anything else (400 and nothing changed when they fail); the
//! payment's state is then read from the gateway, and the card credited once. A notice that
//! cannot be acted on yet (the gateway cannot be read) gets 503, so the gateway sends it again.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use backend::tenancy;
use backend::wallet::top_ups::{NoticeOutcome, TopUpError, TopUps};
use backend::wallet::webhook_signature::SignedNotice;

/// Where notices come, below the site's root; the same-site rule for browsers' POSTs does
/// not cover it (a gateway is no browser), the signature does.
pub const PREFIX: &str = "/webhooks";

/// The path a university's notices are sent to.
pub fn payments_path(tenant: &str) -> String {
    format!("{PREFIX}/payments/{tenant}")
}

pub fn router(top_ups: TopUps) -> Router {
    Router::new()
        .route("/payments/{tenant}", post(payment_notice))
        .with_state(top_ups)
}

async fn payment_notice(
    State(top_ups): State<TopUps>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("");
    let notice = SignedNotice {
        id: header("webhook-id"),
        timestamp: header("webhook-timestamp"),
        signature: header("webhook-signature"),
        body: &body,
    };
    let Ok(Some(tenant)) = tenancy::find(&top_ups.db, &tenant).await else {
        return (StatusCode::NOT_FOUND, "no such university").into_response();
    };
    match top_ups.receive_notice(&tenant, notice).await {
        Ok(outcome) => {
            let said = match outcome {
                NoticeOutcome::Credited => "credited",
                NoticeOutcome::ApplicationPaid => "application paid",
                NoticeOutcome::Recorded => "recorded",
                NoticeOutcome::AlreadyHandled => "already handled",
                NoticeOutcome::Ignored => "no such top-up here",
            };
            (StatusCode::OK, said).into_response()
        }
        Err(TopUpError::BadNotice) => {
            tracing::warn!(tenant = %tenant.slug, "a payment notice with a bad signature or timestamp");
            (StatusCode::BAD_REQUEST, "bad signature or timestamp").into_response()
        }
        Err(TopUpError::NotAvailable) => {
            (StatusCode::NOT_FOUND, "no payment gateway is configured").into_response()
        }
        Err(err) => {
            tracing::warn!(error = %err, "a payment notice to be sent again");
            (StatusCode::SERVICE_UNAVAILABLE, "try again later").into_response()
        }
    }
}
