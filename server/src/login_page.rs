//! The login page is the one page every student opens, in bursts (the start of term, the
//! portal's link). Its HTML is the same for everyone of one university, language and framing
//! but for the CSP nonce, so a rendered page is kept for a few seconds and served again with a
//! fresh nonce. Anything that could make the page personal (a query string, a cookie other
//! than the language) is rendered as usual.
//!
//! A certificate's verification page by its id alone (`/v/{id}`, the QR code's target, which
//! every verifier opens) is the same for everyone too, and kept the same way. A code's grant is
//! a cookie, so a page showing a record is never kept. A kept verification page is dropped at
//! once when a revocation has been committed since it was rendered
//! (`certificates::revocations_committed`); an expiry at midnight shows within the seconds a
//! page is kept.

use crate::middleware::login_page_tenant;
use app::web::request::{cookies, is_framed, lang_of_headers};
use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use backend::certificates::revocations_committed;
use backend::platform::secrets::random_secret;
use domain::i18n::{Lang, LANG_COOKIE};
use domain::DocumentId;
use http::header::{CONTENT_LENGTH, CONTENT_SECURITY_POLICY, SET_COOKIE};
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Far beyond any login page; only bounds memory.
const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;
/// Bounds memory whatever happens: a few universities × 2 languages × 2 framings.
const MAX_ENTRIES: usize = 4096;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    Login {
        slug: String,
        lang: Lang,
        framed: bool,
    },
    Verification {
        document: String,
        lang: Lang,
    },
}

/// A rendered page cut where its nonce stood, with its headers (the nonce in them too).
struct Entry {
    rendered_at: Instant,
    /// `revocations_committed()` when it began to be rendered.
    revocations: u64,
    headers: HeaderMap,
    nonce: String,
    pieces: Vec<Bytes>,
}

#[derive(Clone)]
pub struct LoginPageCache {
    entries: Arc<Mutex<HashMap<Key, Arc<Entry>>>>,
    lifetime: Duration,
}

impl LoginPageCache {
    pub fn new(lifetime: Duration) -> Self {
        Self {
            entries: Arc::default(),
            lifetime,
        }
    }

    fn fresh(&self, key: &Key) -> Option<Arc<Entry>> {
        let entries = self.entries.lock().unwrap();
        entries
            .get(key)
            .filter(|entry| entry.rendered_at.elapsed() < self.lifetime)
            .filter(|entry| entry.revocations == revocations_committed())
            .cloned()
    }

    fn keep(&self, key: Key, entry: Entry) {
        let mut entries = self.entries.lock().unwrap();
        if entries.len() >= MAX_ENTRIES {
            entries.retain(|_, kept| kept.rendered_at.elapsed() < self.lifetime);
        }
        if entries.len() < MAX_ENTRIES {
            entries.insert(key, Arc::new(entry));
        }
    }
}

/// The key of a request whose answer is the same for everyone, or `None`.
fn shared_page(request: &Request) -> Option<Key> {
    if request.method() != Method::GET || request.uri().query().is_some() {
        return None;
    }
    let only_language_cookie = cookies(request.headers()).all(|(name, _)| name == LANG_COOKIE);
    if !only_language_cookie {
        return None;
    }
    let path = request.uri().path();
    let lang = lang_of_headers(request.uri(), request.headers());
    if let Some(slug) = login_page_tenant(path) {
        return Some(Key::Login {
            slug: slug.to_owned(),
            lang,
            framed: is_framed(request.headers()),
        });
    }
    let document = path.strip_prefix("/v/").filter(|id| DocumentId::parse(id).is_some())?;
    Some(Key::Verification {
        document: document.to_owned(),
        lang,
    })
}

/// The nonce of a page's Content-Security-Policy (`'nonce-…'`).
fn nonce_of(headers: &HeaderMap) -> Option<String> {
    let policy = headers.get(CONTENT_SECURITY_POLICY)?.to_str().ok()?;
    let start = policy.find("'nonce-")? + "'nonce-".len();
    let length = policy[start..].find('\'')?;
    Some(policy[start..start + length].to_owned()).filter(|nonce| nonce.len() >= 16)
}

fn split_at_nonce(body: &[u8], nonce: &str) -> Vec<Bytes> {
    let needle = nonce.as_bytes();
    let mut pieces = Vec::new();
    let mut rest = body;
    while let Some(at) = rest.windows(needle.len()).position(|w| w == needle) {
        pieces.push(Bytes::copy_from_slice(&rest[..at]));
        rest = &rest[at + needle.len()..];
    }
    pieces.push(Bytes::copy_from_slice(rest));
    pieces
}

/// The kept page with a nonce of its own.
fn serve_again(entry: &Entry) -> Response {
    let nonce = random_secret();
    let body = entry.pieces.join(nonce.as_bytes());
    let mut response = Response::new(Body::from(body));
    *response.headers_mut() = entry.headers.clone();
    let policy = entry.headers[CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap_or_default()
        .replace(&entry.nonce, &nonce);
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.headers_mut().insert(CONTENT_SECURITY_POLICY, value);
    }
    response
}

/// Serves a university's login page, or a verification page by its id alone, from memory when
/// it may; renders and keeps it otherwise.
pub async fn serve_login_page(
    State(cache): State<LoginPageCache>,
    request: Request,
    next: Next,
) -> Response {
    let Some(key) = shared_page(&request).filter(|_| !cache.lifetime.is_zero()) else {
        return next.run(request).await;
    };
    if let Some(entry) = cache.fresh(&key) {
        return serve_again(&entry);
    }
    // Read before rendering: a revocation committed meanwhile makes this copy stale.
    let revocations = revocations_committed();
    let response = next.run(request).await;
    let nonce = nonce_of(response.headers());
    let (Some(nonce), StatusCode::OK, false) = (
        nonce,
        response.status(),
        response.headers().contains_key(SET_COOKIE),
    ) else {
        return response;
    };
    let (parts, body) = response.into_parts();
    let Ok(body) = to_bytes(body, MAX_PAGE_BYTES).await else {
        tracing::error!(?key, "a shared page could not be read whole");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let mut headers = parts.headers.clone();
    // The length changes with the nonce; the server counts the new body itself.
    headers.remove(CONTENT_LENGTH);
    cache.keep(
        key,
        Entry {
            rendered_at: Instant::now(),
            revocations,
            headers,
            pieces: split_at_nonce(&body, &nonce),
            nonce,
        },
    );
    Response::from_parts(parts, Body::from(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_cut_wherever_its_nonce_stands() {
        let pieces = split_at_nonce(b"<script nonce=\"N0\">a</script><style nonce=\"N0\">", "N0");
        assert_eq!(pieces.len(), 3);
        assert_eq!(
            pieces.join(&b"XY"[..]),
            b"<script nonce=\"XY\">a</script><style nonce=\"XY\">"
        );
    }

    #[test]
    fn the_nonce_is_read_from_the_policy() {
        let mut headers = HeaderMap::new();
        headers.insert(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "script-src 'self' 'nonce-abcdefghijklmnop0123'; object-src 'none'",
            ),
        );
        assert_eq!(nonce_of(&headers).as_deref(), Some("abcdefghijklmnop0123"));
    }
}
