//! Request-level rules that hold for every route.

use app::i18n::{Lang, LANG_COOKIE};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::{HeaderValue, ORIGIN, SET_COOKIE};
use http::{Method, StatusCode};
use std::sync::Arc;

/// Mutating requests must come from our own pages: a browser's `Sec-Fetch-Site` says
/// `cross-site`, or an `Origin` header names another origin, and the request is refused.
/// Clients that send neither (scripts, the operator's tools) are not browsers riding on a
/// student's cookies.
pub async fn refuse_foreign_origin(
    State(public_origin): State<Arc<str>>,
    request: Request,
    next: Next,
) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe {
        let headers = request.headers();
        let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
        let origin = headers.get(ORIGIN).and_then(|v| v.to_str().ok());
        let foreign_origin = origin.is_some_and(|o| o != &*public_origin);
        if fetch_site == Some("cross-site") || foreign_origin {
            tracing::warn!(?origin, ?fetch_site, path = %request.uri().path(), "cross-origin request refused");
            return (StatusCode::FORBIDDEN, "cross-origin request refused").into_response();
        }
    }
    next.run(request).await
}

/// Remembers a language chosen with `?lang=` for the following requests.
pub async fn remember_language(request: Request, next: Next) -> Response {
    let chosen = request.uri().query().and_then(|query| {
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(key, _)| *key == "lang")
            .and_then(|(_, value)| Lang::from_code(value))
    });
    let mut response = next.run(request).await;
    if let Some(lang) = chosen {
        let cookie = format!(
            "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            lang.code()
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(SET_COOKIE, value);
        }
    }
    response
}

/// Headers every response carries. (The full policy — CSP with nonces, framing rules —
/// is tracked as its own issue.)
pub async fn baseline_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    // `same-origin`, not `no-referrer`: forms without JavaScript rely on the Referer to
    // come back to their page with the server's answer.
    headers.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    response
}
