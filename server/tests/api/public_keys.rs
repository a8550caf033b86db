//! The universities' public keys as anyone fetches them: the JWKS and the `did:web`
//! documents, with retired keys kept.

use crate::helpers::*;
use reqwest::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_jwks_and_the_did_documents_publish_every_key_of_a_university_retired_ones_too() {
    let app = TestApp::spawn().await;
    let keys = server::issuing(&app.db, &app.settings).keys;
    let operator = backend::platform::audit::Actor::new("operator".to_owned(), "");
    let first = keys.rotate(app.tenant_id, &operator).await.unwrap();
    let second = keys.rotate(app.tenant_id, &operator).await.unwrap();

    let jwks = app.client.get(app.url("/.well-known/jwks.json")).send().await.unwrap();
    let content_type = jwks.headers()["content-type"].to_str().unwrap().to_owned();
    let jwks: serde_json::Value = jwks.json().await.unwrap();
    let did: serde_json::Value = app
        .client
        .get(app.url(&format!("/{TENANT}/did.json")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (unknown, _) = app.get("/no-such-university/did.json").await;

    assert_eq!(content_type, "application/jwk-set+json");
    let kids: Vec<&str> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap())
        .collect();
    assert_eq!(kids, [first.kid.as_str(), second.kid.as_str()]);
    assert_eq!(jwks["keys"][1]["crv"], "Ed25519");
    assert_eq!(jwks["keys"][1]["x"], second.x());
    let port = app.base.rsplit(':').next().unwrap();
    let id = format!("did:web:127.0.0.1%3A{port}:{TENANT}");
    assert_eq!(did["id"], id);
    assert_eq!(
        did["verificationMethod"][0]["id"],
        format!("{id}#{}", first.kid)
    );
    assert_eq!(
        did["verificationMethod"][1]["publicKeyMultibase"],
        second.multibase()
    );
    assert_eq!(did["assertionMethod"].as_array().unwrap().len(), 2);
    assert_eq!(unknown, StatusCode::NOT_FOUND);
}
