//! The signed record of an issued certificate: what it printed, as issued, with the SHA-256 of
//! its PDF, canonicalised by the JSON Canonicalization Scheme (RFC 8785) and signed by the
//! university's key. The verification page shows it and checks its signature on every view;
//! anyone can check it with the published public key, without this service's code.

use super::issuance::CourseTable;
use super::signing::{KeySecret, PublicKey, Signer};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use domain::{DocumentId, VerificationCode};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// The record's format, first in every record.
pub const RECORD_FORMAT: &str = "shomei-certificate-record/1";

/// One certificate as issued.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateRecord {
    pub format: String,
    /// The public document id.
    pub document: String,
    /// The university's slug and its name as printed.
    pub university: String,
    pub university_name: String,
    /// The certificate type's code and its title as printed, and the language printed in.
    pub certificate: String,
    pub title: String,
    pub lang: String,
    /// `00000123-1`.
    pub number: String,
    /// Every fact printed, label and value, in the order printed.
    pub facts: Vec<(String, String)>,
    pub statement: String,
    /// A transcript's course results and totals, as printed.
    pub courses: Option<CourseTable>,
    /// `YYYY-MM-DD`, in JST.
    pub issued_on: String,
    /// `YYYY-MM-DD`: the last day it is valid; `None`: no end.
    pub valid_until: Option<String>,
    /// SHA-256 of the PDF as delivered, lower-case hex; `None` in the record the PDF itself
    /// embeds, which cannot hold its own file's hash.
    pub pdf_sha256: Option<String>,
    /// The signing key's id.
    pub kid: String,
}

impl CertificateRecord {
    /// The bytes that are signed: the record in RFC 8785 canonical form.
    pub fn canonical(&self) -> Vec<u8> {
        serde_json_canonicalizer::to_vec(self).expect("a record of strings serialises")
    }
}

/// The format of the file a certificate's PDF embeds.
pub const EMBEDDED_FORMAT: &str = "shomei-embedded-record/1";

/// The file a certificate's PDF embeds (PDF/A-3's associated file): its record without the
/// PDF's hash, the signature of that record's canonical form by the same key, and where the key
/// is published. Whoever holds the PDF checks what it prints with no request to the service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbeddedRecord {
    pub format: String,
    pub record: CertificateRecord,
    /// Ed25519 over the record's RFC 8785 form, base64url.
    pub signature: String,
    /// The JWKS that holds the key `record.kid`.
    pub keys: String,
}

impl EmbeddedRecord {
    /// `record` (its `pdf_sha256` left out) signed by `signer`, as the JSON file embedded.
    pub fn file(record: &CertificateRecord, signer: &Signer, keys: String) -> Vec<u8> {
        let record = CertificateRecord {
            pdf_sha256: None,
            ..record.clone()
        };
        let embedded = EmbeddedRecord {
            format: EMBEDDED_FORMAT.to_owned(),
            signature: signer.sign(&record.canonical()),
            record,
            keys,
        };
        serde_json::to_vec_pretty(&embedded).expect("a record of strings serialises")
    }
}

/// A stored record's signature, checked against the key it names.
pub fn signature_holds(canonical: &[u8], signature_b64: &str, key: &PublicKey) -> bool {
    URL_SAFE_NO_PAD
        .decode(signature_b64)
        .is_ok_and(|signature| key.verifies(canonical, &signature))
}

/// What the code hashes are keyed with.
const CODE_PURPOSE: &str = "shomei/verification-code/v1";

/// The keyed hash a verification code is stored as (HMAC-SHA256 of the document id and the
/// code, base64url): a stolen table gives no code, and one code says nothing of another
/// document's.
pub fn code_hash(secret: &KeySecret, document: &DocumentId, code: &VerificationCode) -> String {
    URL_SAFE_NO_PAD.encode(code_mac(secret, document, code).finalize().into_bytes())
}

fn code_mac(secret: &KeySecret, document: &DocumentId, code: &VerificationCode) -> Hmac<Sha256> {
    let mut mac = secret.mac(CODE_PURPOSE);
    mac.update(document.as_str().as_bytes());
    mac.update(b":");
    mac.update(code.compact().as_bytes());
    mac
}

/// Whether `code` is the code of `document` whose stored hash is `stored`, compared in
/// constant time.
pub fn code_matches(
    secret: &KeySecret,
    document: &DocumentId,
    code: &VerificationCode,
    stored: &str,
) -> bool {
    let Ok(stored) = URL_SAFE_NO_PAD.decode(stored) else {
        return false;
    };
    code_mac(secret, document, code).verify_slice(&stored).is_ok()
}

/// What a grant to see a document's record is keyed with.
const GRANT_PURPOSE: &str = "shomei/verification-grant/v1";

/// A grant to see document `document`'s record until `until_ms` (epoch ms), given once its code
/// was right: `{until_ms}.{HMAC}`. The verification page keeps it in a cookie for that page
/// only, so the code itself is never stored by the browser nor sent again.
pub fn grant(secret: &KeySecret, document: &DocumentId, until_ms: i64) -> String {
    let mac = grant_mac(secret, document, until_ms).finalize().into_bytes();
    format!("{until_ms}.{}", URL_SAFE_NO_PAD.encode(mac))
}

/// Whether `grant` is one made for `document` and still runs at `now_ms`.
pub fn grant_holds(secret: &KeySecret, document: &DocumentId, grant: &str, now_ms: i64) -> bool {
    let Some((until, mac)) = grant.split_once('.') else {
        return false;
    };
    let (Ok(until_ms), Ok(mac)) = (until.parse::<i64>(), URL_SAFE_NO_PAD.decode(mac)) else {
        return false;
    };
    now_ms < until_ms && grant_mac(secret, document, until_ms).verify_slice(&mac).is_ok()
}

fn grant_mac(secret: &KeySecret, document: &DocumentId, until_ms: i64) -> Hmac<Sha256> {
    let mut mac = secret.mac(GRANT_PURPOSE);
    mac.update(format!("{document}:{until_ms}").as_bytes());
    mac
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::SecretString;

    fn secret() -> KeySecret {
        KeySecret::new(&SecretString::from(
            "a key secret of at least thirty-two characters".to_owned(),
        ))
        .unwrap()
    }

    #[test]
    fn a_record_is_canonical_json_with_its_keys_in_order() {
        let record = CertificateRecord {
            format: RECORD_FORMAT.to_owned(),
            document: "abcdefghijklmnopqrst".to_owned(),
            university: "demo".to_owned(),
            university_name: "デモ大学".to_owned(),
            certificate: "enrollment".to_owned(),
            title: "在学証明書".to_owned(),
            lang: "ja".to_owned(),
            number: "00000001-1".to_owned(),
            facts: vec![("氏名".to_owned(), "山田 花子".to_owned())],
            statement: "在学していることを証明する。".to_owned(),
            courses: None,
            issued_on: "2027-01-15".to_owned(),
            valid_until: None,
            pdf_sha256: Some("00".repeat(32)),
            kid: "k".to_owned(),
        };

        let text = String::from_utf8(record.canonical()).unwrap();

        assert!(
            text.starts_with(r#"{"certificate":"enrollment","courses":null,"document":"#),
            "{text}"
        );
        assert!(text.contains(r#""facts":[["氏名","山田 花子"]]"#), "{text}");
        assert!(!text.contains(' ') || text.contains("山田 花子"));
    }

    #[test]
    fn a_code_matches_its_own_document_only() {
        let secret = secret();
        let one = DocumentId::parse("abcdefghijklmnopqrst").unwrap();
        let two = DocumentId::parse("bbcdefghijklmnopqrst").unwrap();
        let code = VerificationCode::parse("K7MX-Q2WR-9TPA").unwrap();
        let other = VerificationCode::parse("K7MX-Q2WR-9TPB").unwrap();

        let stored = code_hash(&secret, &one, &code);

        assert!(code_matches(&secret, &one, &code, &stored));
        assert!(!code_matches(&secret, &one, &other, &stored));
        assert!(!code_matches(&secret, &two, &code, &stored));
        assert!(!stored.contains(code.compact()));
    }

    #[test]
    fn a_grant_opens_its_own_document_until_it_runs_out() {
        let secret = secret();
        let document = DocumentId::parse("abcdefghijklmnopqrst").unwrap();
        let other = DocumentId::parse("abcdefghijklmnopqrsu").unwrap();
        let grant = grant(&secret, &document, 1_000);

        assert!(grant_holds(&secret, &document, &grant, 999));
        assert!(!grant_holds(&secret, &document, &grant, 1_000));
        assert!(!grant_holds(&secret, &other, &grant, 999));
        assert!(!grant_holds(
            &secret,
            &document,
            &grant.replace("1000.", "9000."),
            999
        ));
        assert!(!grant_holds(&secret, &document, "1000", 999));
    }
}
