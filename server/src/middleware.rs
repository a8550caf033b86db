//! Request-level rules that hold for every route: who the client is, how much it may send,
//! where requests may come from, and the security headers of every answer.

use app::error::AppError;
use app::routes::Page;
use app::web::links::LinkKind;
use app::web::request::ClientAddress;
use app::web::{cookies, links};
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use backend::account::Accounts;
use backend::platform::clock::now_ms;
use backend::platform::rate_limit::{client_key, WindowLimiter};
use backend::platform::settings::{ProxyNet, Settings};
use backend::tenancy;
use domain::i18n::{CommonMsg, Lang};
use domain::{OneTimeToken, TenantSlug};
use http::header::{
    HeaderValue, CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, LOCATION, ORIGIN,
    REFERRER_POLICY, RETRY_AFTER, SET_COOKIE, STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use http::{Method, StatusCode};
use sea_orm::DatabaseConnection;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

/// Where the campus machines' API lives. It is mounted beside the pages, outside the same-site
/// rule below (machines send a key, not a student's cookies); see `server::router`.
pub const MACHINE_API_PREFIX: &str = "/api/v1";

/// A path as the log may keep it: a share's link is its secret, so its token is left out.
pub fn loggable(path: &str) -> std::borrow::Cow<'_, str> {
    match path.strip_prefix("/s/") {
        Some(rest) => {
            let after = rest.find('/').map_or("", |at| &rest[at..]);
            format!("/s/…{after}").into()
        }
        None => path.into(),
    }
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Mutating requests must come from our own pages: a browser's `Sec-Fetch-Site` says
/// `cross-site` or `same-site`, or (for browsers without it) an `Origin` header names another
/// origin, and the request is refused. Clients that send neither (scripts, the operator's
/// tools) are not browsers riding on a student's cookies.
pub async fn refuse_foreign_origin(
    State(public_origin): State<Arc<str>>,
    request: Request,
    next: Next,
) -> Response {
    if !is_safe(request.method()) {
        let headers = request.headers();
        let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
        let origin = headers.get(ORIGIN).and_then(|v| v.to_str().ok());
        let refused = match fetch_site {
            // `none`: typed by the user, e.g. a bookmarked form; no page of another site.
            Some(site) => !matches!(site, "same-origin" | "none"),
            None => origin.is_some_and(|o| o != &*public_origin),
        };
        if refused {
            tracing::warn!(?origin, ?fetch_site, path = %loggable(request.uri().path()), "cross-origin request refused");
            return (StatusCode::FORBIDDEN, "cross-origin request refused").into_response();
        }
    }
    next.run(request).await
}

/// Works out the client's address once: the socket's peer, or, when the peer is a trusted
/// proxy, the last address in `X-Forwarded-For` that is not itself a trusted proxy. A client
/// cannot choose its address by sending the header itself.
pub async fn identify_client(
    State(trusted): State<Arc<Vec<ProxyNet>>>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    if let Some(peer) = peer {
        let client = client_behind_proxies(peer, request.headers(), &trusted);
        request.extensions_mut().insert(ClientAddress(client));
    }
    next.run(request).await
}

pub fn client_behind_proxies(
    peer: IpAddr,
    headers: &http::HeaderMap,
    trusted: &[ProxyNet],
) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .map(|v| v.to_str().unwrap_or("?"))
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    // Walk back from the nearest hop; the first untrusted one is the client. An entry that is
    // not an address stops the walk at the last trusted hop: skipping it would let whatever a
    // client wrote further left pass for its address.
    let mut nearest_trusted = peer;
    for entry in forwarded.into_iter().rev() {
        let Some(ip) = forwarded_address(entry) else {
            tracing::warn!(
                entry,
                "X-Forwarded-For entry is not an address; the client is taken to be the proxy"
            );
            return nearest_trusted;
        };
        if !is_trusted(ip) {
            return ip;
        }
        nearest_trusted = ip;
    }
    nearest_trusted
}

/// An address as proxies write it in `X-Forwarded-For`: `203.0.113.9`, `2001:db8::1`, or with
/// a port, `203.0.113.9:4711` and `[2001:db8::1]:4711`.
fn forwarded_address(entry: &str) -> Option<IpAddr> {
    if let Ok(ip) = entry.parse() {
        return Some(ip);
    }
    if let Some(rest) = entry.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok();
    }
    let (host, port) = entry.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

/// A sliding window of mutating requests per client address; past it, 429 with
/// `Retry-After`. Generous, because a campus network may put many students behind one address;
/// the per-account delays and the bounded hashing queue are the finer limits.
#[derive(Clone)]
pub struct ClientLimit {
    pub limiter: Option<WindowLimiter>,
}

impl ClientLimit {
    pub fn per_minute(requests: u32) -> Self {
        Self {
            limiter: (requests > 0)
                .then(|| WindowLimiter::new(requests as usize, Duration::from_secs(60))),
        }
    }
}

pub async fn limit_clients(
    State(limit): State<ClientLimit>,
    request: Request,
    next: Next,
) -> Response {
    let (Some(limiter), false) = (&limit.limiter, is_safe(request.method())) else {
        return next.run(request).await;
    };
    let client = request
        .extensions()
        .get::<ClientAddress>()
        .map(|ClientAddress(ip)| client_key(*ip))
        .unwrap_or_default();
    if let Err(wait) = limiter.check(&client) {
        tracing::warn!(%client, path = %loggable(request.uri().path()), "client rate limit reached");
        let lang = app::web::request::lang_of_headers(request.uri(), request.headers());
        let refusal = Refusal {
            status: StatusCode::TOO_MANY_REQUESTS,
            error: AppError::Refused(CommonMsg::TooManyRequests.into()),
            message: CommonMsg::TooManyRequests,
            retry_after: wait.as_secs().max(1),
        };
        return refusal.answer(request.headers(), lang);
    }
    next.run(request).await
}

/// How many deadlines the work of an abandoned request may still take.
const WORK_LIMIT: u32 = 10;

/// How long the server works on one request before answering 503 instead. Nothing a student
/// does takes near this long; a request that does is stuck, and its client had better retry.
///
/// The work itself runs in its own task and is not cut short at this deadline, nor when its
/// client goes away (hyper drops the future of a closed connection). A database
/// future dropped half-way can leave its connection inside a transaction or never give it
/// back, and with SQLite's single connection that stops the whole server (seen once in the
/// end-to-end run: one abandoned request, then every request waited for the pool). Finished
/// work commits or rolls back as it would have; only its answer is dropped. A request whose
/// work outlives ten deadlines (a body sent a byte at a time, to hold a task) is dropped then.
pub async fn limit_request_time(
    State(deadline): State<Duration>,
    request: Request,
    next: Next,
) -> Response {
    let headers = request.headers().clone();
    let lang = app::web::request::lang_of_headers(request.uri(), &headers);
    let path = loggable(request.uri().path()).into_owned();
    // Not forever, though: work still running at ten deadlines (a body sent a byte at a time)
    // is dropped after all, as every request once was at one.
    let work = tokio::spawn({
        let path = path.clone();
        async move {
            let answer =
                tokio::time::timeout(deadline.saturating_mul(WORK_LIMIT), next.run(request));
            answer.await.unwrap_or_else(|_| {
                tracing::error!(%path, "request dropped after ten deadlines");
                StatusCode::SERVICE_UNAVAILABLE.into_response()
            })
        }
    });
    match tokio::time::timeout(deadline, work).await {
        Ok(Ok(response)) => response,
        Ok(Err(failed)) => {
            tracing::error!(%path, error = %failed, "request failed");
            Refusal::retry_later(StatusCode::INTERNAL_SERVER_ERROR).answer(&headers, lang)
        }
        Err(_) => {
            tracing::error!(%path, ?deadline, "request abandoned after its deadline");
            Refusal::retry_later(StatusCode::SERVICE_UNAVAILABLE).answer(&headers, lang)
        }
    }
}

/// A refusal before the app answered, in the form the caller reads: the error type for the
/// app's own calls, a sentence for a page or a form sent without JavaScript.
struct Refusal {
    status: StatusCode,
    error: AppError,
    message: CommonMsg,
    retry_after: u64,
}

impl Refusal {
    /// 503 (busy) or 500 (failed on our side), to be tried again in a few seconds.
    fn retry_later(status: StatusCode) -> Self {
        let (error, message) = if status == StatusCode::SERVICE_UNAVAILABLE {
            (AppError::Busy, CommonMsg::ServiceBusy)
        } else {
            (AppError::Internal, CommonMsg::InternalError)
        };
        Self {
            status,
            error,
            message,
            retry_after: 5,
        }
    }

    fn answer(self, headers: &http::HeaderMap, lang: Lang) -> Response {
        let (content_type, body) = if app::web::request::accepts_html(headers) {
            let text = self.message.text(lang);
            (
                "text/html; charset=utf-8",
                format!(
                    "<!DOCTYPE html><html lang=\"{}\"><meta charset=\"utf-8\"><title>{}</title><p role=\"alert\">{text}</p></html>",
                    lang.code(),
                    self.status.as_u16()
                ),
            )
        } else {
            (
                "application/json",
                serde_json::to_string(&self.error).unwrap_or_default(),
            )
        };
        let mut response = (self.status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        headers.insert(RETRY_AFTER, HeaderValue::from(self.retry_after));
        response
    }
}

/// Remembers a language chosen with `?lang=` for the following requests.
pub async fn remember_language(
    State(settings): State<Arc<Settings>>,
    request: Request,
    next: Next,
) -> Response {
    let chosen = query_value(request.uri(), "lang").and_then(|value| Lang::from_code(&value));
    let mut response = next.run(request).await;
    if let Some(lang) = chosen {
        let cookie = cookies::language(&settings, lang);
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(SET_COOKIE, value);
        }
    }
    response
}

fn query_value(uri: &http::Uri, key: &str) -> Option<String> {
    uri.query()?
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.to_owned())
}

/// What moving a token out of the address needs: whether cookies are `Secure`, and the
/// links' expiry, to end the cookie when its link can no longer be used.
#[derive(Clone)]
pub struct LinkPages {
    pub accounts: Accounts,
    pub staff: backend::staff::Staff,
}

/// How long the link cookie lives when its link is already unusable: long enough for the page
/// to say why.
const SPENT_LINK_COOKIE_SECONDS: i64 = 60;

/// A one-time URL's token is moved out of the address bar at once: the page's address is
/// answered with a redirect to the same page without `token`, and the token travels in a
/// cookie scoped to that page that ends when the link does. So the token never reaches a
/// `Referer`, the browser history or a screenshot of the address bar, while the page's forms
/// keep the same-origin `Referer` that forms without JavaScript need.
///
/// Only the link pages of a valid university slug (the three of students, and the staff's
/// set-up page) are touched, and the redirect's
/// `Location` and the cookie's `Path` are built from known strings, never from the request:
/// an address like `//evil.example/…?token=` or a path carrying `;` changes nothing.
pub async fn take_token_from_address(
    State(link_pages): State<LinkPages>,
    request: Request,
    next: Next,
) -> Response {
    let uri = request.uri();
    let token = query_value(uri, "token").filter(|t| !t.is_empty());
    let target = links::link_page_of_any(uri.path())
        .map(|(slug, kind)| (links::kind_path(slug, kind), kind));
    let lang = query_value(uri, "lang").and_then(|code| Lang::from_code(&code));
    let is_get = request.method() == Method::GET;
    let (Some(token), Some((page, purpose)), true) = (token, target, is_get) else {
        return next.run(request).await;
    };
    let location = match lang {
        Some(lang) => format!("{page}?lang={}", lang.code()),
        None => page.clone(),
    };
    // A token is 43 URL-safe base64 characters; anything else is unknown as a link and must
    // not reach a header.
    let token = OneTimeToken::parse(&token).map(|t| t.as_str().to_owned()).unwrap_or_default();
    let usable_until = match token.is_empty() {
        true => None,
        false => match purpose {
            LinkKind::Account(purpose) => {
                link_pages.accounts.link_usable_until(purpose, &token).await.unwrap_or(None)
            }
            LinkKind::StaffSetUp => {
                link_pages.staff.set_up_link_usable_until(&token).await.unwrap_or(None)
            }
        },
    };
    let max_age = usable_until
        .map(|until| (until - now_ms() + 999) / 1000)
        .filter(|seconds| *seconds > 0)
        .unwrap_or(SPENT_LINK_COOKIE_SECONDS);
    let cookie = cookies::link(&link_pages.accounts.settings, &page, &token, max_age);
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    if let (Ok(location), Ok(cookie)) = (
        HeaderValue::from_str(&location),
        HeaderValue::from_str(&cookie),
    ) {
        headers.insert(LOCATION, location);
        headers.insert(SET_COOKIE, cookie);
    }
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// What the security headers need: the database (for a tenant's portal origins) and whether
/// the service is reached over https.
#[derive(Clone)]
pub struct HeaderPolicy {
    pub db: DatabaseConnection,
    pub https: bool,
}

/// The site's CSS, JS, WASM and icon: the same for everyone, nothing personal.
fn is_static_asset(path: &str) -> bool {
    path.starts_with("/pkg/") || path == "/favicon.ico"
}

/// The login page, the one page a university portal may frame.
pub(crate) fn login_page_tenant(path: &str) -> Option<&str> {
    match Page::of_path(path)? {
        (slug, Page::Login) if TenantSlug::is_valid(slug) => Some(slug),
        _ => None,
    }
}

/// The headers of every answer. Pages get their Content-Security-Policy (with the nonce of
/// their inline scripts) from the shell; everything else gets a policy that allows nothing.
/// `frame-ancestors` is added here: the portal origins a university lists for its login
/// page, and `'none'` for every other page.
pub async fn security_headers(
    State(policy): State<HeaderPolicy>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let framable_for = login_page_tenant(path).map(str::to_owned);
    let may_be_stored = framable_for.is_some() || is_static_asset(path);
    let verification_page = path.starts_with("/v/") || path.starts_with("/s/");
    let mut response = next.run(request).await;

    let mut ancestors = "'none'".to_owned();
    if let Some(slug) = framable_for {
        if let Ok(Some(tenant)) = tenancy::find(&policy.db, &slug).await {
            let origins = tenancy::portal_origins(&tenant);
            if !origins.is_empty() {
                ancestors = origins.join(" ");
            }
        }
    }
    let headers = response.headers_mut();
    let page_policy = headers
        .get(CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .unwrap_or_else(|| "default-src 'none'".to_owned());
    let csp = format!("{page_policy}; frame-ancestors {ancestors}");
    if let Ok(value) = HeaderValue::from_str(&csp) {
        headers.insert(CONTENT_SECURITY_POLICY, value);
    }
    if ancestors == "'none'" {
        // For browsers that predate frame-ancestors.
        headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // `same-origin`, not `no-referrer`: forms without JavaScript rely on the Referer to
    // come back to their page with the server's answer. Tokens never stay in an address
    // (see `take_token_from_address`), whose redirect says `no-referrer` itself.
    headers
        .entry(REFERRER_POLICY)
        .or_insert(HeaderValue::from_static("same-origin"));
    // Pages show a student's data and carry one-time tokens in their forms; answers of
    // server functions are the student's own. None of it may stay in a shared or a browser
    // cache. The login page (the same for everyone, kept by the server itself) and the
    // site's assets are exempt.
    if !may_be_stored {
        headers.entry(CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    }
    // A certificate's page is found by its QR code, never by a search engine.
    if verification_page {
        headers.insert(
            "x-robots-tag",
            HeaderValue::from_static("noindex, nofollow"),
        );
    }
    if policy.https {
        headers.insert(
            STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_share_token_never_reaches_the_log() {
        let token = "abcdefghijklmnopqrstuvwxyz234567";
        assert_eq!(loggable(&format!("/s/{token}")), "/s/…");
        assert_eq!(loggable(&format!("/s/{token}/pdf")), "/s/…/pdf");
        assert_eq!(loggable("/demo/login"), "/demo/login");
    }

    fn headers(xff: &str) -> http::HeaderMap {
        let mut headers = http::HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_str(xff).unwrap());
        headers
    }

    #[test]
    fn a_forwarded_address_is_believed_only_from_a_trusted_proxy() {
        let proxies = [ProxyNet::parse("10.0.0.0/8").unwrap()];
        let client: IpAddr = "203.0.113.9".parse().unwrap();
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();

        let via_proxy = client_behind_proxies(proxy, &headers("203.0.113.9"), &proxies);
        let direct = client_behind_proxies(client, &headers("198.51.100.1"), &proxies);

        assert_eq!(via_proxy, client);
        assert_eq!(direct, client);
    }

    #[test]
    fn a_client_cannot_prepend_an_address_of_its_choice() {
        let proxies = [ProxyNet::parse("10.0.0.0/8").unwrap()];
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        // The client sent "1.2.3.4"; the proxy appended the address it saw.
        let seen = client_behind_proxies(proxy, &headers("1.2.3.4, 203.0.113.9"), &proxies);
        assert_eq!(seen, "203.0.113.9".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn an_entry_that_is_no_address_is_not_skipped_to_believe_the_one_before_it() {
        let proxies = [ProxyNet::parse("10.0.0.0/8").unwrap()];
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        // The client wrote "1.2.3.4"; the proxy appended something that is not an address.
        let seen = client_behind_proxies(proxy, &headers("1.2.3.4, unknown"), &proxies);
        assert_eq!(seen, proxy);
        let with_ports = client_behind_proxies(
            proxy,
            &headers("1.2.3.4, 203.0.113.9:4711, [2001:db8::1]:80"),
            &proxies,
        );
        assert_eq!(with_ports, "2001:db8::1".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn only_a_tenants_login_page_may_be_framed() {
        assert_eq!(login_page_tenant("/demo/login"), Some("demo"));
        assert_eq!(login_page_tenant("/demo/home"), None);
        assert_eq!(login_page_tenant("/demo/login/x"), None);
        assert_eq!(login_page_tenant("/Demo/login"), None);
    }
}
