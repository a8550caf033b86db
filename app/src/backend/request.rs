//! What a server function needs of the request it runs in: the state, the language, the
//! session cookie, and a way to set cookies on the response.

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

pub fn cookie_from_headers(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// The language of the request: `?lang=` first, then the cookie, then Japanese.
pub fn lang_of(parts: &Parts) -> Lang {
    let from_query = parts.uri.query().and_then(|query| {
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(key, _)| *key == "lang")
            .and_then(|(_, value)| Lang::from_code(value))
    });
    from_query
        .or_else(|| {
            cookie_from_headers(&parts.headers, LANG_COOKIE).and_then(|c| Lang::from_code(&c))
        })
        .unwrap_or_default()
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

/// The client's address as the socket sees it. (Behind a proxy this is the proxy; trusting
/// `X-Forwarded-For` from configured proxies is a separate setting still to come.)
pub async fn client_address() -> String {
    match leptos_axum::extract::<axum::extract::ConnectInfo<std::net::SocketAddr>>().await {
        Ok(axum::extract::ConnectInfo(addr)) => addr.ip().to_string(),
        Err(_) => "unknown".to_owned(),
    }
}
