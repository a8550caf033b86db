//! The universities' public keys, for anyone who checks a certificate's signature without
//! this service's code: a JWKS of every key at `/.well-known/jwks.json`, the service's
//! `did:web` document at `/.well-known/did.json` and each university's at `/{slug}/did.json`
//! (`did:web:{host}:{slug}`). Retired keys stay in all of them: what they signed still
//! verifies. Public, cacheable for a few minutes (a rotation shows within them).

use app::web::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use backend::certificates::PublicKey;
use serde_json::{json, Value};

pub const JWKS: &str = backend::certificates::JWKS_PATH;
pub const SERVICE_DID: &str = "/.well-known/did.json";

pub async fn jwks(State(state): State<AppState>) -> Response {
    match state.applications.issuing.keys.public_keys(None).await {
        Ok(keys) => {
            let keys: Vec<Value> = keys.iter().map(jwk).collect();
            published(json!({ "keys": keys }), "application/jwk-set+json")
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

pub async fn service_did(State(state): State<AppState>) -> Response {
    let did = backend::certificates::did_web(&state.settings.public_url, None);
    match state.applications.issuing.keys.public_keys(None).await {
        Ok(keys) => published(did_document(&did, &keys), "application/did+json"),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

pub async fn university_did(State(state): State<AppState>, Path(tenant): Path<String>) -> Response {
    let Ok(Some(university)) = backend::tenancy::find(&state.db, &tenant).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let did = backend::certificates::did_web(&state.settings.public_url, Some(&university.slug));
    match state.applications.issuing.keys.public_keys(Some(university.id)).await {
        Ok(keys) => published(did_document(&did, &keys), "application/did+json"),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

fn jwk(key: &PublicKey) -> Value {
    json!({
        "kty": "OKP",
        "crv": "Ed25519",
        "x": key.x(),
        "kid": key.kid,
        "use": "sig",
        "alg": "EdDSA",
    })
}

/// A DID document whose verification methods are `keys`, as Multikeys, each also an
/// assertion method (what a credential's proof names).
fn did_document(did: &str, keys: &[PublicKey]) -> Value {
    let ids: Vec<String> = keys.iter().map(|key| format!("{did}#{}", key.kid)).collect();
    let methods: Vec<Value> = keys
        .iter()
        .zip(&ids)
        .map(|(key, id)| {
            json!({
                "id": id,
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": key.multibase(),
            })
        })
        .collect();
    json!({
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": ids,
    })
}

fn published(body: Value, content_type: &'static str) -> Response {
    public_json(body, content_type, "public, max-age=300")
}

/// A public JSON document anyone may fetch, from any origin, cached as `cache_control` says.
pub(super) fn public_json(
    body: Value,
    content_type: &'static str,
    cache_control: &'static str,
) -> Response {
    let mut response = axum::Json(body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    response
}
