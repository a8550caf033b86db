//! Each university's Ed25519 signing keys. A certificate's record is signed by the current
//! key of its university; `shomei keys rotate` makes a new current key and retires the old one,
//! whose public key stays published forever, so what it signed still verifies. The private key
//! is kept sealed (ChaCha20-Poly1305) under a key derived from the configured key secret, with
//! the university and the key's id as associated data: a stolen table signs nothing, and a
//! sealed key moved to another university's row does not open.

use crate::entities::signing_key;
use crate::platform::audit::{self, Actor, Event, Subject};
use crate::platform::clock::Clock;
use crate::platform::{begin, is_unique_violation, storage, Db, StorageError};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{ChaCha20Poly1305, KeyInit, Nonce};
use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier, VerifyingKey};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use secrecy::{ExposeSecret, SecretBox, SecretString};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// Where the JWKS of every university's public keys is published.
pub const JWKS_PATH: &str = "/.well-known/jwks.json";

/// The configured key secret's shortest length: 32 characters.
pub const MIN_KEY_SECRET_CHARS: usize = 32;

/// Keys derived from the configured key secret, one per purpose.
#[derive(Clone)]
pub struct KeySecret(Arc<SecretBox<[u8; 32]>>);

impl KeySecret {
    /// `None` when `secret` is shorter than [`MIN_KEY_SECRET_CHARS`].
    pub fn new(secret: &SecretString) -> Option<Self> {
        let text = secret.expose_secret();
        if text.chars().count() < MIN_KEY_SECRET_CHARS {
            return None;
        }
        let digest: [u8; 32] = Sha256::digest(text.as_bytes()).into();
        Some(Self(Arc::new(SecretBox::new(Box::new(digest)))))
    }

    /// The key for `purpose` (HMAC-SHA256 of the purpose under the secret).
    pub(super) fn derive(&self, purpose: &str) -> [u8; 32] {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.0.expose_secret())
            .expect("HMAC takes a key of any length");
        mac.update(purpose.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// An HMAC-SHA256 keyed with the key for `purpose`: the keyed hashes of codes, grants and
    /// share tokens.
    pub(super) fn mac(&self, purpose: &str) -> Hmac<Sha256> {
        <Hmac<Sha256> as Mac>::new_from_slice(&self.derive(purpose))
            .expect("HMAC takes a key of any length")
    }
}

/// Why a key could not be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("no key secret is configured ([keys] secret, SHOMEI_KEYS_SECRET)")]
    NoSecret,
    #[error("the signing key does not open with the configured key secret")]
    Unsealable,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// A public key as published.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicKey {
    pub tenant_id: i32,
    pub kid: String,
    pub key: [u8; 32],
    pub created_at: i64,
    pub retired_at: Option<i64>,
}

impl PublicKey {
    /// The key as base64url (a JWK's `x`).
    pub fn x(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.key)
    }

    /// The key as a Multikey's `publicKeyMultibase`: base58btc (`z`) of the Ed25519 public key
    /// multicodec prefix (0xed 0x01) and the 32 bytes.
    pub fn multibase(&self) -> String {
        let mut bytes = vec![0xed, 0x01];
        bytes.extend(self.key);
        format!("z{}", base58(&bytes))
    }

    /// Whether `signature` is this key's over `message`.
    pub fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        let (Ok(key), Ok(signature)) = (
            VerifyingKey::from_bytes(&self.key),
            Signature::from_slice(signature),
        ) else {
            return false;
        };
        key.verify(message, &signature).is_ok()
    }
}

/// A university's current private key, opened.
pub struct Signer {
    pub kid: String,
    key: SigningKey,
}

impl Signer {
    /// The signature of `message`, base64url.
    pub fn sign(&self, message: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(self.sign_bytes(message))
    }

    /// The signature of `message`, as its 64 bytes.
    pub fn sign_bytes(&self, message: &[u8]) -> [u8; 64] {
        self.key.sign(message).to_bytes()
    }

    /// A signer of the key whose 32-byte seed is `seed` (the cryptosuite's test vectors).
    #[cfg(test)]
    pub(super) fn from_seed(kid: &str, seed: [u8; 32]) -> Self {
        Self {
            kid: kid.to_owned(),
            key: SigningKey::from_bytes(&seed),
        }
    }
}

/// The universities' keys.
#[derive(Clone)]
pub struct SigningKeys {
    pub db: Db,
    pub clock: Clock,
    /// `None`: nothing can be signed here (verifying needs no secret).
    pub secret: Option<KeySecret>,
}

impl SigningKeys {
    /// Makes a new current key for university `tenant_id` and retires the one before it, as
    /// `actor` asked (audited with both keys' ids).
    pub async fn rotate(&self, tenant_id: i32, actor: &Actor) -> Result<PublicKey, KeyError> {
        let secret = self.secret.as_ref().ok_or(KeyError::NoSecret)?;
        let now = self.clock.now_ms();
        let txn = begin(&self.db).await?;
        let retired: Vec<String> = signing_key::Entity::find()
            .filter(signing_key::Column::TenantId.eq(tenant_id))
            .filter(signing_key::Column::RetiredAt.is_null())
            .all(&txn)
            .await
            .map_err(storage("reading the current signing key"))?
            .into_iter()
            .map(|row| row.kid)
            .collect();
        signing_key::Entity::update_many()
            .col_expr(signing_key::Column::RetiredAt, Expr::value(now))
            .filter(signing_key::Column::TenantId.eq(tenant_id))
            .filter(signing_key::Column::RetiredAt.is_null())
            .exec(&txn)
            .await
            .map_err(storage("retiring a signing key"))?;
        let row = new_key(secret, tenant_id, now)
            .insert(&txn)
            .await
            .map_err(storage("keeping a signing key"))?;
        let detail = serde_json::json!({ "kid": row.kid, "retired": retired, "by": "rotation" });
        audit_key(&txn, actor, tenant_id, &detail).await;
        txn.commit().await.map_err(storage("committing a rotated key"))?;
        tracing::info!(tenant_id, kid = %row.kid, "rotated a university's signing key");
        Ok(public_of(&row).ok_or(StorageError)?)
    }

    /// University `tenant_id`'s current key, made on first use, to sign with.
    pub async fn signer(&self, tenant_id: i32) -> Result<Signer, KeyError> {
        let secret = self.secret.as_ref().ok_or(KeyError::NoSecret)?;
        let row = match self.current(tenant_id).await? {
            Some(row) => row,
            None => self.first_key(secret, tenant_id).await?,
        };
        Ok(Signer {
            key: unseal(secret, &row)?,
            kid: row.kid,
        })
    }

    /// Every public key of university `tenant_id` (of all universities with `None`), oldest
    /// first.
    pub async fn public_keys(
        &self,
        tenant_id: Option<i32>,
    ) -> Result<Vec<PublicKey>, StorageError> {
        let mut query = signing_key::Entity::find().order_by_asc(signing_key::Column::Id);
        if let Some(tenant_id) = tenant_id {
            query = query.filter(signing_key::Column::TenantId.eq(tenant_id));
        }
        let rows = query.all(&self.db).await.map_err(storage("reading public keys"))?;
        Ok(rows.iter().filter_map(public_of).collect())
    }

    /// The public key `kid` of university `tenant_id`, retired or not.
    pub async fn public_key(
        &self,
        tenant_id: i32,
        kid: &str,
    ) -> Result<Option<PublicKey>, StorageError> {
        let row = signing_key::Entity::find()
            .filter(signing_key::Column::TenantId.eq(tenant_id))
            .filter(signing_key::Column::Kid.eq(kid))
            .one(&self.db)
            .await
            .map_err(storage("reading a public key"))?;
        Ok(row.as_ref().and_then(public_of))
    }

    async fn current(&self, tenant_id: i32) -> Result<Option<signing_key::Model>, StorageError> {
        signing_key::Entity::find()
            .filter(signing_key::Column::TenantId.eq(tenant_id))
            .filter(signing_key::Column::RetiredAt.is_null())
            .one(&self.db)
            .await
            .map_err(storage("reading the current signing key"))
    }

    /// The university's first key; when another request made it at the same moment, that one.
    async fn first_key(
        &self,
        secret: &KeySecret,
        tenant_id: i32,
    ) -> Result<signing_key::Model, KeyError> {
        match new_key(secret, tenant_id, self.clock.now_ms()).insert(&self.db).await {
            Ok(row) => {
                // Made by the service at the university's first issue, not by a person.
                let detail =
                    serde_json::json!({ "kid": row.kid, "retired": [], "by": "first issue" });
                let service = Actor::new("service".to_owned(), "");
                audit_key(&self.db, &service, tenant_id, &detail).await;
                Ok(row)
            }
            Err(err) if is_unique_violation(&err) => {
                Ok(self.current(tenant_id).await?.ok_or(StorageError)?)
            }
            Err(err) => Err(storage("keeping a first signing key")(err).into()),
        }
    }
}

/// Audits a key made for university `tenant_id`: its id, the ones it retired, and why.
async fn audit_key(
    db: &impl sea_orm::ConnectionTrait,
    actor: &Actor,
    tenant_id: i32,
    detail: &serde_json::Value,
) {
    let detail = detail.to_string();
    let about = Subject {
        tenant_id: Some(tenant_id),
        detail: Some(&detail),
        ..Default::default()
    };
    audit::record(db, actor, Event::SigningKeyMade, about).await;
}

/// The `did:web` of the service at `public_url` (`None`) or of its university `slug`:
/// `did:web:example.ac.jp:demo`, the port's colon written `%3A` as the method says.
pub fn did_web(public_url: &url::Url, slug: Option<&str>) -> String {
    let mut did = format!("did:web:{}", public_url.host_str().unwrap_or("localhost"));
    if let Some(port) = public_url.port() {
        did.push_str(&format!("%3A{port}"));
    }
    let segments = public_url.path_segments().into_iter().flatten();
    for segment in segments.chain(slug).filter(|segment| !segment.is_empty()) {
        did.push(':');
        did.push_str(segment);
    }
    did
}

/// Base58 in Bitcoin's alphabet (what `z` multibase strings are).
pub(super) fn base58(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    let zeros = bytes.iter().take_while(|b| **b == 0).count();
    // Base-58 digits, least significant first, by repeated division of the big number.
    let mut digits: Vec<u8> = Vec::new();
    for byte in bytes {
        let mut carry = u32::from(*byte);
        for digit in &mut digits {
            carry += u32::from(*digit) << 8;
            *digit = (carry % 58) as u8;
            carry /= 58;
        }
        while carry > 0 {
            digits.push((carry % 58) as u8);
            carry /= 58;
        }
    }
    let mut out = "1".repeat(zeros);
    out.extend(digits.iter().rev().map(|d| char::from(ALPHABET[usize::from(*d)])));
    out
}

/// What the sealing key is derived for.
const SEAL_PURPOSE: &str = "shomei/signing-key-seal/v1";

/// A new key pair as a row.
fn new_key(secret: &KeySecret, tenant_id: i32, now: i64) -> signing_key::ActiveModel {
    let mut private = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut private);
    let key = SigningKey::from_bytes(&private);
    let public = key.verifying_key().to_bytes();
    let kid = kid_of(&public);
    let sealed = seal(secret, tenant_id, &kid, &private);
    private.fill(0);
    signing_key::ActiveModel {
        tenant_id: Set(tenant_id),
        kid: Set(kid),
        public_key: Set(URL_SAFE_NO_PAD.encode(public)),
        sealed_private_key: Set(sealed),
        created_at: Set(now),
        retired_at: Set(None),
        ..Default::default()
    }
}

/// A key's id: the first 16 bytes of the SHA-256 of its public key, base64url (22 characters).
fn kid_of(public: &[u8; 32]) -> String {
    URL_SAFE_NO_PAD.encode(&Sha256::digest(public)[..16])
}

fn associated_data(tenant_id: i32, kid: &str) -> String {
    format!("{tenant_id}:{kid}")
}

fn seal(secret: &KeySecret, tenant_id: i32, kid: &str, private: &[u8; 32]) -> String {
    let aad = associated_data(tenant_id, kid);
    URL_SAFE_NO_PAD.encode(seal_bytes(secret, SEAL_PURPOSE, aad.as_bytes(), private))
}

fn unseal(secret: &KeySecret, row: &signing_key::Model) -> Result<SigningKey, KeyError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(&row.sealed_private_key)
        .map_err(|_| KeyError::Unsealable)?;
    let aad = associated_data(row.tenant_id, &row.kid);
    let mut private =
        open_bytes(secret, SEAL_PURPOSE, aad.as_bytes(), &bytes).ok_or(KeyError::Unsealable)?;
    let key: [u8; 32] = private.as_slice().try_into().map_err(|_| KeyError::Unsealable)?;
    private.fill(0);
    let key = SigningKey::from_bytes(&key);
    if kid_of(&key.verifying_key().to_bytes()) != row.kid {
        return Err(KeyError::Unsealable);
    }
    Ok(key)
}

/// `plain` sealed (ChaCha20-Poly1305) under the key derived for `purpose`, bound to `aad`:
/// a random nonce, then the ciphertext and its tag.
pub(super) fn seal_bytes(secret: &KeySecret, purpose: &str, aad: &[u8], plain: &[u8]) -> Vec<u8> {
    let cipher = ChaCha20Poly1305::new(&secret.derive(purpose).into());
    let mut nonce = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let payload = Payload { msg: plain, aad };
    let sealed = cipher
        .encrypt(Nonce::from_slice(&nonce), payload)
        .expect("sealing in memory cannot fail");
    let mut out = nonce.to_vec();
    out.extend(sealed);
    out
}

/// What [`seal_bytes`] sealed; `None` for another key, purpose or `aad`, or altered bytes.
pub(super) fn open_bytes(
    secret: &KeySecret,
    purpose: &str,
    aad: &[u8],
    sealed: &[u8],
) -> Option<Vec<u8>> {
    if sealed.len() < 12 {
        return None;
    }
    let (nonce, sealed) = sealed.split_at(12);
    let cipher = ChaCha20Poly1305::new(&secret.derive(purpose).into());
    let payload = Payload { msg: sealed, aad };
    cipher.decrypt(Nonce::from_slice(nonce), payload).ok()
}

fn public_of(row: &signing_key::Model) -> Option<PublicKey> {
    let key: [u8; 32] = URL_SAFE_NO_PAD.decode(&row.public_key).ok()?.try_into().ok()?;
    Some(PublicKey {
        tenant_id: row.tenant_id,
        kid: row.kid.clone(),
        key,
        created_at: row.created_at,
        retired_at: row.retired_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(text: &str) -> KeySecret {
        KeySecret::new(&SecretString::from(text.to_owned())).unwrap()
    }

    fn row_of(secret: &KeySecret, tenant_id: i32) -> signing_key::Model {
        let row = new_key(secret, tenant_id, 0);
        signing_key::Model {
            id: 1,
            tenant_id,
            kid: row.kid.unwrap(),
            public_key: row.public_key.unwrap(),
            sealed_private_key: row.sealed_private_key.unwrap(),
            created_at: 0,
            retired_at: None,
        }
    }

    #[test]
    fn a_sealed_key_opens_with_its_secret_and_signs_what_its_public_key_verifies() {
        let secret = secret("a key secret of at least thirty-two characters");
        let row = row_of(&secret, 7);

        let key = unseal(&secret, &row).unwrap();

        let public = public_of(&row).unwrap();
        let signature = key.sign(b"record").to_bytes();
        assert!(public.verifies(b"record", &signature));
        assert!(!public.verifies(b"recorc", &signature));
    }

    #[test]
    fn a_sealed_key_opens_neither_with_another_secret_nor_at_another_university() {
        let ours = secret("a key secret of at least thirty-two characters");
        let row = row_of(&ours, 7);

        let other_secret = secret("another key secret of thirty-two characters");
        let moved = signing_key::Model {
            tenant_id: 8,
            ..row.clone()
        };

        assert_eq!(
            unseal(&other_secret, &row).err(),
            Some(KeyError::Unsealable)
        );
        assert_eq!(unseal(&ours, &moved).err(), Some(KeyError::Unsealable));
    }

    #[test]
    fn base58_matches_known_values() {
        assert_eq!(base58(b"hello world"), "StV1DL6CwTryKyV");
        assert_eq!(base58(&[0, 0, 1]), "112");
        assert_eq!(base58(&[]), "");
    }

    #[test]
    fn an_ed25519_multikey_starts_with_z6mk() {
        let key = PublicKey {
            tenant_id: 1,
            kid: "k".to_owned(),
            key: [7; 32],
            created_at: 0,
            retired_at: None,
        };
        assert!(key.multibase().starts_with("z6Mk"), "{}", key.multibase());
    }

    #[test]
    fn a_did_web_names_the_host_its_port_and_the_university() {
        let local: url::Url = "http://127.0.0.1:3000/".parse().unwrap();
        let public: url::Url = "https://certs.example.ac.jp".parse().unwrap();
        assert_eq!(
            did_web(&local, Some("demo")),
            "did:web:127.0.0.1%3A3000:demo"
        );
        assert_eq!(did_web(&public, None), "did:web:certs.example.ac.jp");
    }

    #[test]
    fn a_key_secret_shorter_than_thirty_two_characters_is_refused() {
        assert!(KeySecret::new(&SecretString::from("short".to_owned())).is_none());
    }
}
