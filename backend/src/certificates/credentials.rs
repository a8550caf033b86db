//! A W3C Verifiable Credential 2.0 of each issued certificate, and the universities' revocation
//! lists. The credential says what the certificate printed, as its signed record keeps it; its
//! proof is a Data Integrity proof of the `eddsa-jcs-2022` cryptosuite by the university's key,
//! named as a verification method of the university's `did:web` document, so any verifier
//! checks it without this service's code. Its `credentialStatus` points at one entry of a
//! Bitstring Status List credential the service publishes for the university, fed by the
//! certificates' revocations; the entry was drawn at random when the certificate was issued
//! (`issuance`), so it tells nothing of the order of issue.
//!
//! Credentials are made when asked for, from the stored record after its signature is checked,
//! and signed by the university's current key: what they say cannot drift from what was issued,
//! and nothing is vouched for afresh once a certificate is revoked.
//!
//! The credential's own terms (its subject's facts, the PDF's hash) are not in the VC 2.0
//! context; they take the issuer-dependent vocabulary that context gives undefined terms. The
//! `eddsa-jcs-2022` proof signs the JSON itself (RFC 8785), so that changes nothing it checks.

use super::records::CertificateRecord;
use super::signing::{base58, did_web};
use super::verification::{Standing, Verifications};
use crate::entities::issued_document;
use crate::platform::{storage, StorageError};
use crate::tenancy;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use domain::DocumentId;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::io::Write;

/// The cryptosuite of every proof made here.
pub const CRYPTOSUITE: &str = "eddsa-jcs-2022";

/// The VC 2.0 base context.
pub const CREDENTIALS_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";

/// Entries in each status list: the least the Bitstring Status List allows, so that fetching a
/// list tells the university nothing of which certificate is being checked.
pub const STATUS_LIST_ENTRIES: i32 = 131_072;

/// Where a university's status lists are published, below its slug:
/// `/{slug}/credentials/status/{list}`.
pub const STATUS_LIST_PATH: &str = "credentials/status";

/// The media type of a credential (VC Data Model 2.0, §6.3).
pub const CREDENTIAL_MEDIA_TYPE: &str = "application/vc";

/// A Data Integrity proof's options: the verification method (`{did}#{key id}`) and when the
/// proof was made (an XML Schema `dateTime`).
pub struct ProofOptions<'a> {
    pub verification_method: &'a str,
    pub created: &'a str,
}

/// The proof configuration of `eddsa-jcs-2022`: the options, with the document's `@context`.
fn proof_configuration(unsecured: &Value, options: &ProofOptions) -> Value {
    let mut config = json!({
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": options.created,
        "verificationMethod": options.verification_method,
        "proofPurpose": "assertionMethod",
    });
    if let Some(context) = unsecured.get("@context") {
        config["@context"] = context.clone();
    }
    config
}

/// What the proof signs: the SHA-256 of the canonical proof configuration, then that of the
/// canonical document (without its proof).
fn hash_data(config: &Value, unsecured: &Value) -> Vec<u8> {
    let canonical = |value: &Value| {
        serde_json_canonicalizer::to_vec(value).expect("a JSON value always canonicalises")
    };
    let mut data = Sha256::digest(canonical(config)).to_vec();
    data.extend(Sha256::digest(canonical(unsecured)));
    data
}

/// `unsecured` with an `eddsa-jcs-2022` proof made by `sign` (an Ed25519 signature).
pub fn secure(
    mut unsecured: Value,
    options: &ProofOptions,
    sign: impl FnOnce(&[u8]) -> [u8; 64],
) -> Value {
    let mut proof = proof_configuration(&unsecured, options);
    let signature = sign(&hash_data(&proof, &unsecured));
    proof["proofValue"] = Value::String(format!("z{}", base58(&signature)));
    unsecured["proof"] = proof;
    unsecured
}

/// Where entry `status_index` of university `slug` is: the list's address and the index in it.
fn status_entry(base: &str, slug: &str, status_index: i32) -> (String, i32) {
    let list = status_index / STATUS_LIST_ENTRIES;
    (
        format!("{base}/{slug}/{STATUS_LIST_PATH}/{list}"),
        status_index % STATUS_LIST_ENTRIES,
    )
}

/// The unsecured credential of `record`, issued by `issuer` (a `did:web`), whose revocation is
/// entry `status_index` of the university's lists. Dates are in JST, as printed.
fn certificate_credential(
    base: &str,
    issuer: &str,
    record: &CertificateRecord,
    status_index: i32,
) -> Value {
    let labelled = |pairs: &[(String, String)]| -> Vec<Value> {
        pairs
            .iter()
            .map(|(label, value)| json!({ "label": label, "value": value }))
            .collect()
    };
    let mut subject = json!({
        "documentId": record.document,
        "certificateType": record.certificate,
        "title": record.title,
        "language": record.lang,
        "number": record.number,
        "facts": labelled(&record.facts),
        "statement": record.statement,
        "pdfSha256": record.pdf_sha256.as_deref().unwrap_or_default(),
    });
    if let Some(courses) = &record.courses {
        const KEYS: [&str; 6] = ["year", "term", "course", "credits", "grade", "category"];
        let rows: Vec<Value> = courses
            .rows
            .iter()
            .map(|row| {
                Value::Object(
                    KEYS.iter().map(|k| k.to_string()).zip(row.iter().map(|v| json!(v))).collect(),
                )
            })
            .collect();
        subject["courses"] = json!({ "results": rows, "totals": labelled(&courses.totals) });
    }
    let (list, index) = status_entry(base, &record.university, status_index);
    let mut credential = json!({
        "@context": [CREDENTIALS_CONTEXT],
        "id": format!("{base}/v/{}", record.document),
        "type": ["VerifiableCredential", "CertificateCredential"],
        "name": record.title,
        "issuer": { "id": issuer, "name": record.university_name },
        "validFrom": format!("{}T00:00:00+09:00", record.issued_on),
        "credentialSubject": subject,
        "credentialStatus": {
            "id": format!("{list}#{index}"),
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": index.to_string(),
            "statusListCredential": list,
        },
    });
    if let Some(last) = &record.valid_until {
        credential["validUntil"] = Value::String(format!("{last}T23:59:59+09:00"));
    }
    credential
}

/// The bitstring of a status list whose set entries are `set`, GZIP-compressed and written as
/// a base64url multibase string (`u…`), as the Bitstring Status List encodes it: entry 0 is the
/// first byte's most significant bit.
fn encoded_list(set: impl IntoIterator<Item = i32>) -> String {
    let mut bits = vec![0u8; (STATUS_LIST_ENTRIES / 8) as usize];
    for index in set {
        let index = index as usize;
        bits[index / 8] |= 0x80 >> (index % 8);
    }
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gzip.write_all(&bits).expect("compressing in memory cannot fail");
    let compressed = gzip.finish().expect("compressing in memory cannot fail");
    format!("u{}", URL_SAFE_NO_PAD.encode(compressed))
}

/// A credential as downloaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuedCredential {
    pub file_name: String,
    pub json: Vec<u8>,
}

/// The instant `now_ms` as a proof's `created` and a list's `validFrom`: UTC, to the second.
fn timestamp(now_ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(now_ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl Verifications {
    /// The Verifiable Credential of document `id`, signed now by its university's current key;
    /// `None` when there is no such document, or it is revoked, or its record does not verify.
    pub async fn credential(
        &self,
        id: &DocumentId,
    ) -> Result<Option<IssuedCredential>, StorageError> {
        let Some((summary, record, row)) = self.found(id).await? else {
            return Ok(None);
        };
        if matches!(
            summary.standing,
            Standing::Revoked { .. } | Standing::SignatureInvalid
        ) {
            return Ok(None);
        }
        let base = self.base();
        let issuer = did_web(&self.public_url, Some(&summary.university.slug));
        // Signed documents have their entry (drawn at issue, or the id before entries were).
        let entry = row.status_index.unwrap_or(row.id);
        let unsecured = certificate_credential(&base, &issuer, &record, entry);
        let credential = self.signed(row.tenant_id, &issuer, unsecured).await?;
        Ok(Some(IssuedCredential {
            file_name: format!(
                "certificate-{}-{}.credential.json",
                record.number, record.lang
            ),
            json: serde_json::to_vec_pretty(&credential).expect("a JSON value serialises"),
        }))
    }

    /// Status list `list` of university `slug`: a Bitstring Status List credential of its
    /// certificates' revocations, signed now; `None` for an unknown university or a list with
    /// none of its certificates.
    pub async fn status_list(&self, slug: &str, list: i32) -> Result<Option<Value>, StorageError> {
        let Some(university) = tenancy::find(&self.db, slug).await? else {
            return Ok(None);
        };
        let Some(first) = list.checked_mul(STATUS_LIST_ENTRIES).filter(|_| list >= 0) else {
            return Ok(None);
        };
        let last = first.saturating_add(STATUS_LIST_ENTRIES - 1);
        let entries: Vec<(i32, Option<i64>)> = issued_document::Entity::find()
            .select_only()
            .column(issued_document::Column::StatusIndex)
            .column(issued_document::Column::RevokedAt)
            .filter(issued_document::Column::TenantId.eq(university.id))
            .filter(issued_document::Column::DocumentId.is_not_null())
            .filter(issued_document::Column::StatusIndex.between(first, last))
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(storage("reading a status list"))?;
        if entries.is_empty() {
            return Ok(None);
        }
        let revoked = entries
            .iter()
            .filter(|(_, revoked_at)| revoked_at.is_some())
            .map(|(entry, _)| entry % STATUS_LIST_ENTRIES);
        let (url, _) = status_entry(&self.base(), &university.slug, first);
        let issuer = did_web(&self.public_url, Some(&university.slug));
        let unsecured = json!({
            "@context": [CREDENTIALS_CONTEXT],
            "id": url,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": issuer,
            "validFrom": timestamp(self.clock.now_ms()),
            "credentialSubject": {
                "id": format!("{url}#list"),
                "type": "BitstringStatusList",
                "statusPurpose": "revocation",
                "encodedList": encoded_list(revoked),
            },
        });
        self.signed(university.id, &issuer, unsecured).await.map(Some)
    }

    /// The service's address without its last slash.
    fn base(&self) -> String {
        self.public_url.as_str().trim_end_matches('/').to_owned()
    }

    /// `unsecured` with a proof by university `tenant_id`'s current key, named as a method of
    /// `issuer`.
    async fn signed(
        &self,
        tenant_id: i32,
        issuer: &str,
        unsecured: Value,
    ) -> Result<Value, StorageError> {
        let signer = self.keys.signer(tenant_id).await.map_err(|err| {
            tracing::error!(tenant_id, %err, "a credential cannot be signed");
            StorageError
        })?;
        let method = format!("{issuer}#{}", signer.kid);
        let created = timestamp(self.clock.now_ms());
        let options = ProofOptions {
            verification_method: &method,
            created: &created,
        };
        Ok(secure(unsecured, &options, |data| signer.sign_bytes(data)))
    }
}

#[cfg(test)]
mod tests {
    //! The cryptosuite against the W3C's test vectors for `eddsa-jcs-2022` (w3c/vc-di-eddsa,
    //! `TestVectors/`, under the W3C Software and Document License; see licenses/): the same
    //! key and document must give the same hash data and the same proof value, byte for byte
    //! (Ed25519 signatures are deterministic).

    use super::super::signing::Signer;
    use super::*;

    const W3C_COMBINED_HASH: &str = "66ab154f5c2890a140cb8388a22a160454f80575f6eae09e5a097cabe539a1db59b7cb6251b8991add1ce0bc83107e3db9dbbab5bd2c28f687db1a03abc92f19";

    fn w3c(name: &str) -> Value {
        let text = match name {
            "unsigned" => include_str!("../../../testdata/w3c-eddsa-jcs-2022/unsigned.json"),
            "signed" => include_str!("../../../testdata/w3c-eddsa-jcs-2022/signed.json"),
            _ => include_str!("../../../testdata/w3c-eddsa-jcs-2022/key-pair.json"),
        };
        serde_json::from_str(text).unwrap()
    }

    /// The signed vector's proof options.
    fn w3c_options(signed: &Value) -> (String, String) {
        let proof = &signed["proof"];
        let text = |key: &str| proof[key].as_str().unwrap().to_owned();
        (text("verificationMethod"), text("created"))
    }

    /// The W3C's private key: base58btc of the multicodec `ed25519-priv` (0x8026) and the seed.
    fn w3c_signer() -> Signer {
        let private = w3c("key-pair")["privateKeyMultibase"].as_str().unwrap().to_owned();
        let bytes = base58_decode(&private[1..]);
        assert_eq!(&bytes[..2], &[0x80, 0x26]);
        Signer::from_seed("w3c", bytes[2..].try_into().unwrap())
    }

    fn base58_decode(text: &str) -> Vec<u8> {
        const ALPHABET: &str = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
        let mut bytes: Vec<u8> = Vec::new();
        for c in text.chars() {
            let mut carry = ALPHABET.find(c).unwrap() as u32;
            for byte in bytes.iter_mut().rev() {
                carry += u32::from(*byte) * 58;
                *byte = carry as u8;
                carry >>= 8;
            }
            while carry > 0 {
                bytes.insert(0, carry as u8);
                carry >>= 8;
            }
        }
        let zeros = text.chars().take_while(|c| *c == '1').count();
        [vec![0; zeros], bytes].concat()
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn the_hash_data_of_the_w3c_vector_is_the_w3cs() {
        let unsigned = w3c("unsigned");
        let (method, created) = w3c_options(&w3c("signed"));
        let options = ProofOptions {
            verification_method: &method,
            created: &created,
        };

        let data = hash_data(&proof_configuration(&unsigned, &options), &unsigned);

        assert_eq!(hex(&data), W3C_COMBINED_HASH);
    }

    #[test]
    fn the_w3c_vector_signed_with_the_w3c_key_is_the_w3cs_signed_vector() {
        let signer = w3c_signer();
        let expected = w3c("signed");
        let (method, created) = w3c_options(&expected);
        let options = ProofOptions {
            verification_method: &method,
            created: &created,
        };

        let signed = secure(w3c("unsigned"), &options, |data| signer.sign_bytes(data));

        assert_eq!(signed, expected);
    }

    #[test]
    fn a_status_list_sets_the_bits_of_its_revoked_entries_from_the_left() {
        use std::io::Read;
        let encoded = encoded_list([0, 9, STATUS_LIST_ENTRIES - 1]);

        let compressed = URL_SAFE_NO_PAD.decode(&encoded[1..]).unwrap();
        let mut bits = Vec::new();
        flate2::read::GzDecoder::new(&compressed[..]).read_to_end(&mut bits).unwrap();

        assert!(encoded.starts_with('u'));
        assert_eq!(bits.len(), 16 * 1024);
        assert_eq!(bits[0], 0b1000_0000);
        assert_eq!(bits[1], 0b0100_0000);
        assert_eq!(bits[bits.len() - 1], 0b0000_0001);
        assert_eq!(bits.iter().map(|b| b.count_ones()).sum::<u32>(), 3);
    }

    #[test]
    fn an_entry_is_found_by_its_list_and_its_index_in_it() {
        let base = "https://certs.example.ac.jp";
        assert_eq!(
            status_entry(base, "demo", 5),
            (
                "https://certs.example.ac.jp/demo/credentials/status/0".to_owned(),
                5
            )
        );
        assert_eq!(
            status_entry(base, "demo", STATUS_LIST_ENTRIES + 2),
            (
                "https://certs.example.ac.jp/demo/credentials/status/1".to_owned(),
                2
            )
        );
    }
}
