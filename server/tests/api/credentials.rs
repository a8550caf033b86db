//! Issued certificates' Verifiable Credentials as a verifier meets them. They are checked by a
//! verifier written here from the `eddsa-jcs-2022` specification, with other crates than the
//! service's signing code uses for base58. It is first shown right on the W3C's signed test
//! vector. It then checks credentials downloaded by a student and by a share's recipient: the
//! key comes from the university's `did:web` document, and the revocation from the status list
//! the credential names, all fetched over HTTP.

use crate::helpers::*;
use crate::staff::{fresh_application, give_role, issue_beside_the_server, set_up_clerk};
use crate::verification::revoke;
use app::routes::Page;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A verifier of `eddsa-jcs-2022` proofs, after the cryptosuite's "Verify Proof" algorithm.
mod verifier {
    use serde_json::Value;
    use sha2::{Digest, Sha256};

    /// Whether `secured`'s proof is a valid `eddsa-jcs-2022` proof by `public_key`.
    pub fn verifies(secured: &Value, public_key: &[u8; 32]) -> bool {
        let mut unsecured = secured.clone();
        let Some(mut proof) = unsecured.as_object_mut().and_then(|doc| doc.remove("proof")) else {
            return false;
        };
        let Some(proof_value) = proof.as_object_mut().and_then(|p| p.remove("proofValue")) else {
            return false;
        };
        if proof["type"] != "DataIntegrityProof" || proof["cryptosuite"] != "eddsa-jcs-2022" {
            return false;
        }
        // The proof's context must open the document's.
        if let Some(context) = proof.get("@context").and_then(Value::as_array) {
            let document = unsecured["@context"].as_array().cloned().unwrap_or_default();
            if !document.starts_with(context) {
                return false;
            }
        }
        let Some(signature) = proof_value
            .as_str()
            .and_then(|v| v.strip_prefix('z'))
            .and_then(|v| bs58::decode(v).into_vec().ok())
            .and_then(|bytes| <[u8; 64]>::try_from(bytes).ok())
        else {
            return false;
        };
        let canonical = |v: &Value| serde_json_canonicalizer::to_vec(v).unwrap();
        let mut hash_data = Sha256::digest(canonical(&proof)).to_vec();
        hash_data.extend(Sha256::digest(canonical(&unsecured)));
        let Ok(key) = ed25519_dalek::VerifyingKey::from_bytes(public_key) else {
            return false;
        };
        key.verify_strict(
            &hash_data,
            &ed25519_dalek::Signature::from_bytes(&signature),
        )
        .is_ok()
    }

    /// The Ed25519 key of a Multikey's `publicKeyMultibase` (`z` + base58btc of 0xed 0x01 and
    /// the key); a `did:key` is one too.
    pub fn multikey(multibase: &str) -> [u8; 32] {
        let bytes = bs58::decode(multibase.strip_prefix('z').unwrap()).into_vec().unwrap();
        assert_eq!(&bytes[..2], &[0xed, 0x01], "an Ed25519 multikey");
        bytes[2..].try_into().unwrap()
    }

    /// Whether entry `index` of a Bitstring Status List's `encodedList` is set.
    pub fn entry_is_set(encoded_list: &str, index: usize) -> bool {
        use base64::Engine;
        use std::io::Read;
        let compressed = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(encoded_list.strip_prefix('u').expect("a base64url multibase"))
            .unwrap();
        let mut bits = Vec::new();
        flate2::read::GzDecoder::new(&compressed[..]).read_to_end(&mut bits).unwrap();
        assert!(bits.len() >= 16 * 1024, "at least 131,072 entries");
        bits[index / 8] & (0x80 >> (index % 8)) != 0
    }
}

/// `TestVectors/eddsa-jcs-2022/signedJCS.json` of w3c/vc-di-eddsa (licenses/W3C-test-vectors.md).
fn w3c_signed() -> Value {
    serde_json::from_str(include_str!(
        "../../../testdata/w3c-eddsa-jcs-2022/signed.json"
    ))
    .unwrap()
}

#[test]
fn the_verifier_here_accepts_the_w3c_signed_vector_and_refuses_it_altered() {
    let signed = w3c_signed();
    let method = signed["proof"]["verificationMethod"].as_str().unwrap();
    // did:key:{multikey}#{multikey}
    let key = verifier::multikey(method.rsplit('#').next().unwrap());
    let mut altered = signed.clone();
    altered["credentialSubject"]["alumniOf"] = json!("The School of Counterfeits");
    let mut other_created = signed.clone();
    other_created["proof"]["created"] = json!("2023-02-24T23:36:39Z");

    assert!(verifier::verifies(&signed, &key));
    assert!(!verifier::verifies(&altered, &key));
    assert!(!verifier::verifies(&other_created, &key));
    assert!(!verifier::verifies(&signed, &[7; 32]));
}

/// The key of `credential`'s proof, as a verifier resolves it: the issuer's `did:web`
/// document, fetched from this service, and the verification method the proof names in it.
async fn resolved_key(app: &TestApp, credential: &Value) -> [u8; 32] {
    let method = credential["proof"]["verificationMethod"].as_str().unwrap();
    let did = method.split('#').next().unwrap();
    let issuer = credential["issuer"]["id"].as_str().or(credential["issuer"].as_str());
    assert_eq!(issuer, Some(did), "the proof is the issuer's");
    // did:web:127.0.0.1%3A{port}:{slug} is https://127.0.0.1:{port}/{slug}/did.json.
    let path: Vec<&str> = did.split(':').skip(3).collect();
    let document: Value = fetch_json(app, &format!("/{}/did.json", path.join("/"))).await;
    assert!(document["assertionMethod"].as_array().unwrap().contains(&json!(method)));
    let found = document["verificationMethod"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == method)
        .expect("the method in the DID document");
    verifier::multikey(found["publicKeyMultibase"].as_str().unwrap())
}

async fn fetch_json(app: &TestApp, path: &str) -> Value {
    let response = app.client.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.json().await.unwrap()
}

/// Whether `credential`'s entry is set in the status list it names, once that list's own proof
/// is checked with the key of the issuer's DID document.
async fn revoked_by_its_list(app: &TestApp, credential: &Value) -> bool {
    let status = &credential["credentialStatus"];
    assert_eq!(status["type"], "BitstringStatusListEntry");
    assert_eq!(status["statusPurpose"], "revocation");
    let url = status["statusListCredential"].as_str().unwrap();
    let list = fetch_json(app, url.trim_start_matches(&app.base)).await;
    assert!(list["type"]
        .as_array()
        .unwrap()
        .contains(&json!("BitstringStatusListCredential")));
    assert_eq!(list["issuer"], credential["issuer"]["id"]);
    assert!(
        verifier::verifies(&list, &resolved_key(app, &list).await),
        "{list}"
    );
    let index: usize = status["statusListIndex"].as_str().unwrap().parse().unwrap();
    verifier::entry_is_set(
        list["credentialSubject"]["encodedList"].as_str().unwrap(),
        index,
    )
}

fn credential_path(number: &str) -> String {
    format!("/{TENANT}/certificates/credential?no={number}&line=1")
}

#[tokio::test]
async fn a_students_credential_verifies_by_the_universitys_did_document_until_it_is_revoked() {
    let app = TestApp::spawn().await;
    app.complete_first_login("s1", "s1@example.ac.jp").await;
    app.login("s1", PASSWORD, SECOND_PASSWORD).await.expect_page(Page::Home);
    let number = fresh_application(&app, "pdf", 1).await;
    issue_beside_the_server(&app, &number).await;

    let response = app.client.get(app.url(&credential_path(&number))).send().await.unwrap();
    let headers = response.headers().clone();
    let credential: Value = response.json().await.unwrap();
    let pdf = app
        .client
        .get(app.url(&format!("/{TENANT}/certificates/pdf?no={number}&line=1")))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let key = resolved_key(&app, &credential).await;
    let revoked_before = revoked_by_its_list(&app, &credential).await;
    let mut altered = credential.clone();
    altered["credentialSubject"]["facts"][0]["value"] = json!("山田 太郎");

    assert_eq!(headers["content-type"], "application/vc");
    assert_eq!(headers["cache-control"], "no-store");
    assert!(headers["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename=\"certificate-"));
    assert!(verifier::verifies(&credential, &key), "{credential}");
    assert!(!verifier::verifies(&altered, &key));
    assert_eq!(credential["proof"]["cryptosuite"], "eddsa-jcs-2022");
    assert_eq!(credential["proof"]["proofPurpose"], "assertionMethod");
    let subject = &credential["credentialSubject"];
    assert_eq!(subject["title"], "在学証明書");
    assert!(subject["facts"]
        .as_array()
        .unwrap()
        .contains(&json!({ "label": "氏名", "value": "山田 花子" })));
    use sha2::Digest;
    let pdf_sha256: String =
        sha2::Sha256::digest(&pdf).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(subject["pdfSha256"], pdf_sha256);
    assert!(credential["id"].as_str().unwrap().contains("/v/"));
    assert!(credential["validUntil"].as_str().unwrap().ends_with("T23:59:59+09:00"));
    assert!(!revoked_before);

    set_up_clerk(&app).await;
    app.get(&Page::StaffRecoveryCodes.href(TENANT)).await;
    give_role(&app, "admin").await;
    let revoked = revoke(&app, &number, "misuse").await;
    assert!(revoked.location().is_some_and(|l| l.ends_with("&done=revoked")));
    let revoked_after = revoked_by_its_list(&app, &credential).await;
    let (download_after, _) = app.get(&credential_path(&number)).await;

    assert!(revoked_after);
    assert!(
        verifier::verifies(&credential, &key),
        "the proof itself still holds"
    );
    assert_eq!(download_after, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_share_gives_its_recipient_the_credential_and_the_download_is_in_its_log() {
    let app = TestApp::spawn().await;
    app.complete_first_login("s1", "s1@example.ac.jp").await;
    app.login("s1", PASSWORD, SECOND_PASSWORD).await.expect_page(Page::Home);
    let number = fresh_application(&app, "pdf", 1).await;
    issue_beside_the_server(&app, &number).await;
    let form = [
        ("tenant", TENANT),
        ("number", number.as_str()),
        ("line", "1"),
        ("recipient", "株式会社サンプル 人事部"),
        ("days", "30"),
        ("consent", "yes"),
    ];
    app.call("create_share", &form).await;
    let (_, list) = app.get(&Page::CertificatesShares.href(TENANT)).await;
    let at = list.find("/s/").expect("a share link");
    let share = &list[at..at + 3 + domain::ShareToken::LEN];
    let recipient = reqwest::Client::new();

    let (_, page) = {
        let r = recipient.get(app.url(share)).send().await.unwrap();
        (r.status(), r.text().await.unwrap())
    };
    let response = recipient.get(app.url(&format!("{share}/credential"))).send().await.unwrap();
    let status = response.status();
    let credential: Value = response.json().await.unwrap();
    let (_, log) = app.get(&Page::CertificatesShares.href(TENANT)).await;
    let malformed = recipient.get(app.url("/s/not-a-token/credential")).send().await.unwrap();

    assert!(page.contains(&format!("{share}/credential")), "{page}");
    assert_eq!(status, StatusCode::OK);
    assert!(verifier::verifies(
        &credential,
        &resolved_key(&app, &credential).await
    ));
    assert!(log.contains("デジタル証明書（VC）を保存"), "{log}");
    assert_eq!(malformed.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn another_students_credential_and_a_list_of_no_certificates_are_not_found() {
    let app = TestApp::spawn().await;
    let number = fresh_application(&app, "pdf", 1).await;
    issue_beside_the_server(&app, &number).await;
    app.complete_first_login("s2", "s2@example.ac.jp").await;
    app.login("s2", PASSWORD, SECOND_PASSWORD).await.expect_page(Page::Home);

    let (others, _) = app.get(&credential_path(&number)).await;
    let (no_line, _) = app
        .get(&format!(
            "/{TENANT}/certificates/credential?no={number}&line=9"
        ))
        .await;
    let (own_list, _) = app.get(&format!("/{TENANT}/credentials/status/0")).await;
    let (empty_list, _) = app.get(&format!("/{TENANT}/credentials/status/1")).await;
    let (not_a_list, _) = app.get(&format!("/{TENANT}/credentials/status/x")).await;
    let (negative, _) = app.get(&format!("/{TENANT}/credentials/status/-1")).await;
    let (unknown, _) = app.get("/no-such-university/credentials/status/0").await;

    assert_eq!(others, StatusCode::NOT_FOUND);
    assert_eq!(no_line, StatusCode::NOT_FOUND);
    assert_eq!(own_list, StatusCode::OK);
    assert_eq!(empty_list, StatusCode::NOT_FOUND);
    assert_eq!(not_a_list, StatusCode::NOT_FOUND);
    assert_eq!(negative, StatusCode::NOT_FOUND);
    assert_eq!(unknown, StatusCode::NOT_FOUND);
}
