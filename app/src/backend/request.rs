//! What a server function needs of the request it runs in: the state, the language, the
//! session cookie, and a way to set cookies on the response.

use super::audit::{Actor, Event, Subject};
use super::entities::tenant;
use super::sessions::{self, Session, Stage, SESSION_COOKIE};
use super::state::AppState;
use super::tenants;
use crate::error::AppError;
use crate::i18n::{Lang, LANG_COOKIE};
use http::header::{COOKIE, SET_COOKIE};
use http::request::Parts;
use http::HeaderValue;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server function's context");
        AppError::Internal
    })
}

/// A cookie of the current request.
pub fn cookie(name: &str) -> Option<String> {
    let parts = use_context::<Parts>()?;
    cookie_from_headers(&parts.headers, name)
}

/// Every `name=value` pair of the request's Cookie headers.
pub fn cookies(headers: &http::HeaderMap) -> impl Iterator<Item = (&str, &str)> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
}

pub fn cookie_from_headers(headers: &http::HeaderMap, name: &str) -> Option<String> {
    cookies(headers)
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// The language of the request: `?lang=` first, then the cookie, then Japanese.
pub fn lang_of(parts: &Parts) -> Lang {
    lang_of_headers(&parts.uri, &parts.headers)
}

pub fn lang_of_headers(uri: &http::Uri, headers: &http::HeaderMap) -> Lang {
    let from_query = uri.query().and_then(|query| {
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(key, _)| *key == "lang")
            .and_then(|(_, value)| Lang::from_code(value))
    });
    from_query
        .or_else(|| cookie_from_headers(headers, LANG_COOKIE).and_then(|c| Lang::from_code(&c)))
        .unwrap_or_default()
}

/// Whether the browser is loading this page inside a frame (a university portal).
pub fn is_framed(headers: &http::HeaderMap) -> bool {
    headers
        .get("sec-fetch-dest")
        .is_some_and(|dest| dest == "iframe")
}

pub fn lang() -> Lang {
    use_context::<Parts>()
        .map(|parts| lang_of(&parts))
        .unwrap_or_default()
}

pub fn set_cookie(value: &str) {
    match (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(value),
    ) {
        (Some(response), Ok(header)) => response.append_header(SET_COOKIE, header),
        _ => tracing::error!("could not set a cookie on the response"),
    }
}

/// The session of this request for `tenant`, at any stage.
pub async fn session(
    state: &AppState,
    tenant: &tenant::Model,
) -> Result<Option<Session>, AppError> {
    let Some(raw) = cookie(SESSION_COOKIE) else {
        return Ok(None);
    };
    Ok(sessions::find(&state.db, &state.settings, &raw)
        .await?
        .filter(|session| session.tenant_id == tenant.id))
}

/// The tenant named in the URL and this request's session at exactly `stage`.
pub async fn require_stage(
    state: &AppState,
    tenant_slug: &str,
    stage: Stage,
) -> Result<(tenant::Model, Session), AppError> {
    let tenant = tenants::require(&state.db, tenant_slug).await?;
    match session(state, &tenant).await? {
        Some(session) if session.stage == stage => Ok((tenant, session)),
        _ => Err(AppError::NotSignedIn),
    }
}

/// Deletes this request's session on the server, if it has one.
pub async fn forget_session(state: &AppState) -> Result<(), AppError> {
    if let Some(raw) = cookie(SESSION_COOKIE) {
        sessions::end(&state.db, &raw).await?;
    }
    Ok(())
}

/// Ends this request's session and tells the browser to forget the cookie.
pub async fn end_session(state: &AppState) -> Result<(), AppError> {
    forget_session(state).await?;
    set_cookie(&sessions::clearing_cookie(&state.settings));
    Ok(())
}

/// The client's address, put into each request by the server's middleware: the socket's
/// peer, or what a trusted proxy says in `X-Forwarded-For`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddress(pub std::net::IpAddr);

pub fn client_address() -> String {
    use_context::<Parts>()
        .and_then(|parts| parts.extensions.get::<ClientAddress>().copied())
        .map(|ClientAddress(ip)| ip.to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The sender of this request, for the audit log.
pub fn actor() -> Actor {
    let user_agent = use_context::<Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get(http::header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
        .unwrap_or_default();
    Actor::new(client_address(), &user_agent)
}

/// Records an event of this request's sender about an account of `tenant`.
pub async fn audit(
    state: &AppState,
    event: Event,
    tenant: &tenant::Model,
    account_id: Option<i32>,
) {
    let subject = Subject {
        tenant_id: Some(tenant.id),
        account_id,
        user_id_key: None,
    };
    super::audit::record(&state.db, &actor(), event, subject).await;
}

/// Gives refusals that ask the client to come back later their HTTP status and
/// `Retry-After`: 429 for a delayed login, 503 when hashing is saturated.
pub fn with_status<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    let answer = match &result {
        Err(AppError::Throttled {
            retry_after_seconds,
        }) => Some((http::StatusCode::TOO_MANY_REQUESTS, *retry_after_seconds)),
        Err(AppError::Busy) => Some((http::StatusCode::SERVICE_UNAVAILABLE, 1)),
        _ => None,
    };
    if let (Some((status, seconds)), Some(response)) = (answer, use_context::<ResponseOptions>()) {
        response.set_status(status);
        response.insert_header(http::header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    result
}

/// The page's Content-Security-Policy: scripts only from this origin or inline with this
/// response's nonce (Leptos puts it on its hydration and resource scripts), WebAssembly
/// allowed to compile, no plugins, no `<base>`, forms only to this origin. The server's
/// middleware adds `frame-ancestors`.
pub fn send_content_security_policy() {
    let (Some(nonce), Some(response)) =
        (leptos::nonce::use_nonce(), use_context::<ResponseOptions>())
    else {
        tracing::error!("no nonce or response options while rendering a page");
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'",
        &*nonce
    );
    match HeaderValue::from_str(&policy) {
        Ok(value) => response.insert_header(http::header::CONTENT_SECURITY_POLICY, value),
        Err(_) => tracing::error!("the nonce made an invalid header"),
    }
}
