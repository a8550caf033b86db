//! What a server function needs of the request it runs in: the state, the language, the
//! session cookie, and a way to set cookies on the response.

use super::cookies;
use super::state::AppState;
use crate::error::AppError;
use backend::account::{Caller, LoggedIn, LoginAttempt, Purpose, SessionCookies, StudentSession};
use backend::platform::audit::Actor;
use backend::platform::rate_limit::client_key;
use domain::i18n::{Lang, LANG_COOKIE};
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

/// Whether this request asks for HTML (see `accepts_html`).
pub fn accepts_html_request() -> bool {
    use_context::<Parts>().is_some_and(|parts| accepts_html(&parts.headers))
}

/// Whether the browser is loading this page inside a frame (a university portal).
pub fn is_framed(headers: &http::HeaderMap) -> bool {
    headers.get("sec-fetch-dest").is_some_and(|dest| dest == "iframe")
}

pub fn lang() -> Lang {
    use_context::<Parts>().map(|parts| lang_of(&parts)).unwrap_or_default()
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
pub fn spend_link_cookie(state: &AppState, slug: &str, purpose: Purpose) {
    set_cookie(&cookies::spent_link(&state.settings, slug, purpose));
}

/// The session cookies of this request: the one in use (none when it carried two: one
/// planted beside the real one, to fix a session or to confuse which is read, leaves it
/// signed out) and every one of them, which all end at login and logout.
pub fn session_cookies(state: &AppState) -> SessionCookies {
    match use_context::<Parts>() {
        Some(parts) => session_cookies_of(&state.settings, &parts.headers),
        None => SessionCookies::default(),
    }
}

/// The session cookies of a request's headers (for the handlers outside Leptos).
pub fn session_cookies_of(
    settings: &backend::platform::settings::Settings,
    headers: &http::HeaderMap,
) -> SessionCookies {
    let name = cookies::session_cookie_name(settings);
    let all: Vec<String> = cookies(headers)
        .filter(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
        .collect();
    let current = match all.as_slice() {
        [one] => Some(one.clone()),
        [] => None,
        _ => {
            tracing::warn!("request with two session cookies refused");
            None
        }
    };
    SessionCookies { current, all }
}

/// The session cookie in use, if any.
pub fn session_cookie(state: &AppState) -> Option<String> {
    session_cookies(state).current
}

/// The university of `slug` and this browser's session there at exactly `stage`.
pub async fn student_at(
    state: &AppState,
    slug: &str,
    stage: domain::Stage,
) -> Result<StudentSession, AppError> {
    let cookie = session_cookie(state);
    Ok(state.accounts.require(slug, cookie.as_deref(), stage).await?)
}

/// A login form with what the browser carries: its device cookie and its sessions.
pub fn login_attempt(
    state: &AppState,
    user_id: String,
    password: String,
    second_password: String,
) -> LoginAttempt {
    LoginAttempt {
        user_id,
        password: password.into(),
        second_password: second_password.into(),
        device: cookie(cookies::DEVICE_COOKIE),
        sessions: session_cookies(state),
    }
}

/// The cookies of a login: the new session, and the device cookie of a browser not yet
/// known for this student.
pub fn set_login_cookies(state: &AppState, logged_in: &LoggedIn) {
    set_cookie(&cookies::session(&state.settings, &logged_in.session));
    if let Some(device) = &logged_in.new_device {
        set_cookie(&cookies::device(&state.settings, device));
    }
}

/// After a reset: the reset link's cookie ends, and the browser forgets its session cookie.
pub fn forget_reset_link_and_session(state: &AppState, slug: &str) {
    spend_link_cookie(state, slug, Purpose::SecondPasswordReset);
    clear_session_cookie(state);
}

/// Tells the browser to forget its session cookie.
pub fn clear_session_cookie(state: &AppState) {
    set_cookie(&cookies::clearing_session(&state.settings));
}

/// The client's address, put into each request by the server's middleware: the socket's
/// peer, or what a trusted proxy says in `X-Forwarded-For`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddress(pub std::net::IpAddr);

fn client_ip() -> Option<std::net::IpAddr> {
    use_context::<Parts>().and_then(|parts| client_ip_of(&parts))
}

fn client_ip_of(parts: &Parts) -> Option<std::net::IpAddr> {
    parts.extensions.get::<ClientAddress>().copied().map(|ClientAddress(ip)| ip)
}

pub fn client_address() -> String {
    client_ip().map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
}

/// The key this request's client is limited by (an IPv6 client by its /64).
pub fn client_limit_key() -> String {
    client_ip().map_or_else(|| "unknown".to_owned(), client_key)
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
    use_context::<Parts>()
        .map(|parts| actor_of(&parts))
        .unwrap_or_else(|| Actor::new("unknown".to_owned(), ""))
}

/// The sender of a request, from its parts (for the handlers outside Leptos).
pub fn actor_of(parts: &Parts) -> Actor {
    let user_agent = parts
        .headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let address = client_ip_of(parts).map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
    Actor::new(address, user_agent)
}

/// Who sends this request, as the services need it.
pub fn caller() -> Caller {
    Caller {
        actor: actor(),
        lang: lang(),
        client_key: client_limit_key(),
    }
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
