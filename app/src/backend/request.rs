//! What a server function needs of the request it runs in: the state, the language, the
//! session cookie, and a way to set cookies on the response.

use super::audit::{Actor, Event, Subject};
use super::entities::tenant;
use super::links;
use super::reauth::Reauth;
use super::sessions::{self, Session, Stage};
use super::state::AppState;
use super::tenants;
use super::tokens::Purpose;
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

/// Whether the request asks for HTML: a page load, or a form sent without JavaScript.
pub fn accepts_html(headers: &http::HeaderMap) -> bool {
    headers
        .get(http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
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

/// Ends the cookie that carried a link's token to its page, once the link is used.
pub fn spend_link_cookie(state: &AppState, tenant: &tenant::Model, purpose: Purpose) {
    set_cookie(&links::spent_link_cookie(
        &state.settings,
        &tenant.slug,
        purpose,
    ));
}

/// The session cookie's value. A request that carries two of them (one planted beside the
/// real one, to fix a session or to confuse which is read) has none: it is signed out.
pub fn session_cookie(state: &AppState) -> Option<String> {
    let parts = use_context::<Parts>()?;
    let name = sessions::cookie_name(&state.settings);
    let mut values = cookies(&parts.headers).filter(|(key, _)| *key == name);
    let first = values.next()?.1.to_owned();
    if values.next().is_some() {
        tracing::warn!("request with two session cookies refused");
        return None;
    }
    Some(first)
}

/// What re-authenticating in this request needs: its session cookie and its sender.
pub fn reauth(state: &AppState) -> Result<Reauth<'_>, AppError> {
    Ok(Reauth {
        passwords: &state.passwords,
        session: session_cookie(state).ok_or(AppError::NotSignedIn)?,
        actor: actor(),
    })
}

/// The session of this request for `tenant`, at any stage.
pub async fn session(
    state: &AppState,
    tenant: &tenant::Model,
) -> Result<Option<Session>, AppError> {
    let Some(raw) = session_cookie(state) else {
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
    let name = sessions::cookie_name(&state.settings);
    // Every session cookie the request carries ends, however many it sent.
    let raws: Vec<String> = use_context::<Parts>()
        .map(|parts| {
            cookies(&parts.headers)
                .filter(|(key, _)| *key == name)
                .map(|(_, value)| value.to_owned())
                .collect()
        })
        .unwrap_or_default();
    for raw in raws {
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

fn client_ip() -> Option<std::net::IpAddr> {
    use_context::<Parts>()
        .and_then(|parts| parts.extensions.get::<ClientAddress>().copied())
        .map(|ClientAddress(ip)| ip)
}

pub fn client_address() -> String {
    client_ip().map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
}

/// The key this request's client is limited by (an IPv6 client by its /64).
pub fn client_limit_key() -> String {
    client_ip().map_or_else(|| "unknown".to_owned(), super::limits::client_key)
}

/// Whether the request was sent from this machine itself: the client is a loopback address
/// and no proxy forwarded it (a proxy on this machine would make every client look local).
pub fn from_this_machine() -> bool {
    use_context::<Parts>().is_some_and(|parts| {
        let loopback = parts
            .extensions
            .get::<ClientAddress>()
            .is_some_and(|ClientAddress(ip)| ip.is_loopback());
        let forwarded = ["forwarded", "x-forwarded-for", "x-real-ip"]
            .iter()
            .any(|name| parts.headers.contains_key(*name));
        loopback && !forwarded
    })
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

/// Gives refusals that ask the client to come back later their HTTP status: 429 for a
/// delayed login (without `Retry-After`: the remaining time of a delay is not published), 503
/// with `Retry-After` when hashing is saturated.
///
/// A form posted without JavaScript is answered with a redirect back to its page, which shows
/// the refusal; a status set here would replace that redirect and leave the student looking
/// at the raw answer, so such requests keep it.
pub fn with_status<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    let Some(response) = use_context::<ResponseOptions>() else {
        return result;
    };
    let plain_form = use_context::<Parts>().is_some_and(|parts| accepts_html(&parts.headers));
    if plain_form {
        return result;
    }
    match &result {
        Err(AppError::Throttled) => response.set_status(http::StatusCode::TOO_MANY_REQUESTS),
        Err(AppError::Busy) => {
            response.set_status(http::StatusCode::SERVICE_UNAVAILABLE);
            response.insert_header(http::header::RETRY_AFTER, HeaderValue::from(1));
        }
        _ => {}
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
