//! The development gateway's own payment pages, imitating a provider's hosted page at
//! `/dev/gateway/pay/{payment}`: a card form that takes the test card numbers, or a konbini
//! slip with a button that pays it. Served only when `SHOMEI_PAYMENT_GATEWAY=dev`; every page
//! says it is not a real payment. Plain HTML with one style block, allowed by its hash.

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use backend::platform::clock::to_jst;
use backend::wallet::dev_gateway::{self, CardOutcome, DevGateway};
use base64::Engine;
use serde::Deserialize;
use sha2::{Digest, Sha256};

pub fn router(gateway: DevGateway) -> Router {
    Router::new().route("/pay/{payment}", get(show).post(pay)).with_state(gateway)
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0;background:#f4f1ea;color:#1b1f24;line-height:1.6}\
header{background:#5c2d91;color:#fff;padding:.75rem 1rem}\
header p{margin:0;font-weight:700}\
main{max-width:32rem;margin:0 auto;padding:1rem}\
.warning{border:2px solid #8a1c1c;background:#fff;padding:.75rem;color:#8a1c1c;font-weight:700}\
.amount{font-size:1.5rem;font-weight:700}\
label{display:block;font-weight:700;margin-top:1rem}\
input{font-size:1.1rem;padding:.5rem;width:100%;box-sizing:border-box;border:1px solid #555}\
button{margin-top:1rem;font-size:1.1rem;padding:.6rem 1.2rem;background:#5c2d91;color:#fff;border:0;border-radius:4px}\
.error{color:#8a1c1c;font-weight:700}\
code{font-size:1rem}\
a{color:#3b1d63}";

/// The pages' policy: nothing but the one style block (by its hash) and forms to this site.
/// Computed once.
static POLICY: std::sync::LazyLock<HeaderValue> = std::sync::LazyLock::new(|| {
    let style_hash =
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(STYLE.as_bytes()));
    let policy = format!(
        "default-src 'none'; style-src 'sha256-{style_hash}'; form-action 'self'; base-uri 'none'"
    );
    HeaderValue::from_str(&policy).expect("a policy of ASCII")
});

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn page(title: &str, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<meta name=\"description\" content=\"開発用の決済ゲートウェイ（実際の決済ではありません） / Development payment gateway, not a real payment\">\
<meta name=\"robots\" content=\"noindex\">\
<title>{title}</title><style>{STYLE}</style></head><body>\
<header><p>開発用決済ゲートウェイ / Development payment gateway</p></header>\
<main><h1>{title}</h1>\
<p class=\"warning\">これは開発用のゲートウェイです。実際の決済は行われません。<br>This is a development gateway: no real payment is made.</p>\
{body}</main></body></html>"
    );
    let mut response = (StatusCode::OK, html).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CONTENT_SECURITY_POLICY, POLICY.clone());
    response
}

fn not_found() -> Response {
    let mut response = page(
        "お支払いが見つかりません / No such payment",
        "<p>このお支払いは見つかりません。 / This payment does not exist.</p>",
    );
    *response.status_mut() = StatusCode::NOT_FOUND;
    response
}

async fn show(State(gateway): State<DevGateway>, Path(payment): Path<String>) -> Response {
    render(&gateway, &payment, None).await
}

async fn render(gateway: &DevGateway, payment_id: &str, error: Option<&str>) -> Response {
    let Ok(Some(payment)) = gateway.find(payment_id).await else {
        return not_found();
    };
    let amount = domain::Yen::new(payment.amount).unwrap_or_default();
    let back = format!(
        "<p><a href=\"{}\">証明書発行サービスに戻る / Back to the service</a></p>",
        escape(&payment.return_url)
    );
    let amount_line = format!("<p class=\"amount\">{amount}円 / {amount} yen</p>");
    let action = format!("{}/pay/{}", dev_gateway::PREFIX, escape(&payment.id));
    let body = match (payment.method.as_str(), payment.state.as_str()) {
        ("card", "pending") => {
            let error = error
                .map(|e| format!("<p class=\"error\" role=\"alert\">{e}</p>"))
                .unwrap_or_default();
            format!(
                "{amount_line}{error}\
<form method=\"post\" action=\"{action}\">\
<label for=\"card_number\">カード番号 / Card number</label>\
<input id=\"card_number\" name=\"card_number\" inputmode=\"numeric\" autocomplete=\"off\" required aria-describedby=\"test-cards\">\
<p id=\"test-cards\">テスト用カード番号 / Test card numbers: <code>{}</code>（成功 / succeeds）、<code>{}</code>（拒否 / declined）、<code>{}</code>（残高不足 / insufficient funds）</p>\
<button type=\"submit\">支払う / Pay</button></form>{back}",
                dev_gateway::CARD_SUCCEEDS,
                dev_gateway::CARD_DECLINED,
                dev_gateway::CARD_INSUFFICIENT_FUNDS
            )
        }
        ("konbini", "pending") => format!(
            "{amount_line}\
<p>お支払い番号 / Payment number: <code>{}</code></p>\
<p>支払期限 / Deadline: {}</p>\
<p>店舗で支払う代わりに、次のボタンまたは <code>shomei dev-gateway pay {}</code> で支払えます。<br>\
Instead of paying at a store, press the button below or run <code>shomei dev-gateway pay {}</code>.</p>\
<form method=\"post\" action=\"{action}\"><input type=\"hidden\" name=\"konbini\" value=\"pay\">\
<button type=\"submit\">店舗で支払ったことにする / Mark as paid at the store</button></form>{back}",
            escape(payment.konbini_number.as_deref().unwrap_or("")),
            payment
                .deadline
                .map(|d| to_jst(d).format("%Y-%m-%d %H:%M JST").to_string())
                .unwrap_or_default(),
            escape(&payment.id),
            escape(&payment.id),
        ),
        (_, state) => format!(
            "{amount_line}<p>このお支払いは完了しています（{state}）。 / This payment is settled ({state}).</p>{back}",
            state = escape(state)
        ),
    };
    page("お支払い / Payment", &body)
}

#[derive(Deserialize)]
struct PayForm {
    card_number: Option<String>,
    konbini: Option<String>,
}

async fn pay(
    State(gateway): State<DevGateway>,
    Path(payment_id): Path<String>,
    Form(form): Form<PayForm>,
) -> Response {
    let Ok(Some(payment)) = gateway.find(&payment_id).await else {
        return not_found();
    };
    if form.konbini.is_some() {
        let _ = gateway.pay_konbini(&payment_id).await;
        let page = format!("{}/pay/{}", dev_gateway::PREFIX, payment_id);
        return Redirect::to(&page).into_response();
    }
    let card = form.card_number.unwrap_or_default();
    match gateway.pay_with_card(&payment_id, &card).await {
        Ok(CardOutcome::NotATestCard) => {
            let message =
                "テスト用のカード番号を入力してください。 / Enter one of the test card numbers.";
            render(&gateway, &payment_id, Some(message)).await
        }
        Ok(CardOutcome::Declined(reason)) => {
            let reason = reason.code();
            tracing::info!(payment = %payment_id, reason, "development gateway: card declined");
            Redirect::to(&payment.return_url).into_response()
        }
        Ok(_) => Redirect::to(&payment.return_url).into_response(),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "try again").into_response(),
    }
}
