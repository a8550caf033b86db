//! Idempotency keys: every request that moves money names itself with a key its sender chose
//! (a hidden field minted with the form, a header of the machine API). The first request with
//! a key stores its outcome in the same database transaction as its postings; the same key
//! again gets that outcome back and moves nothing; the same key with another request is
//! refused. Keys are kept for [`KEPT_FOR_MS`].

use super::WalletError;
use crate::entities::idempotency_key;
use crate::platform::secrets::sha256_hex;
use crate::platform::{storage, StorageError};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

/// Seven days: well past the 24 hours a sender may retry in.
pub const KEPT_FOR_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// A key as its sender gave it: 16 to 100 characters of letters, digits, `-` and `_` (a UUID
/// fits; a short counter that two senders could both choose does not).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub fn parse(text: &str) -> Option<IdempotencyKey> {
        let valid = (16..=100).contains(&text.len())
            && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        valid.then(|| IdempotencyKey(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whose keys these are: two senders never share a key space.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Student(i32),
    Machine(i32),
    /// A staff member's forms (balance corrections).
    Staff(i32),
}

impl Scope {
    fn code(self) -> String {
        match self {
            Scope::Student(id) => format!("student:{id}"),
            Scope::Machine(id) => format!("machine:{id}"),
            Scope::Staff(id) => format!("staff:{id}"),
        }
    }
}

/// A request that moves money: who sent it under which key, and a fingerprint of what it asks.
pub struct Request<'a> {
    pub tenant_id: i32,
    pub scope: Scope,
    pub key: &'a IdempotencyKey,
    /// The request's own words, in a fixed order; hashed, never stored as they are.
    pub fingerprint: String,
}

impl Request<'_> {
    pub(super) fn hash(&self) -> String {
        sha256_hex(&self.fingerprint)
    }

    pub(super) fn scope_code(&self) -> String {
        self.scope.code()
    }
}

/// The stored outcome of an earlier request with this key, if there was one; refused if that
/// request asked for something else.
pub async fn replay(
    db: &impl ConnectionTrait,
    request: &Request<'_>,
) -> Result<Option<String>, WalletError> {
    let found = idempotency_key::Entity::find()
        .filter(idempotency_key::Column::TenantId.eq(request.tenant_id))
        .filter(idempotency_key::Column::Scope.eq(request.scope.code()))
        .filter(idempotency_key::Column::Key.eq(request.key.as_str()))
        .one(db)
        .await
        .map_err(storage("reading an idempotency key"))?;
    match found {
        None => Ok(None),
        Some(row) if row.request_hash == request.hash() => Ok(Some(row.outcome)),
        Some(_) => Err(WalletError::KeyReusedForAnotherRequest),
    }
}

/// What storing a key can meet.
pub enum Stored {
    Stored,
    /// Another request with this key was stored first (it ran at the same moment): the
    /// caller's transaction is spoilt and must be rolled back, then the other's outcome read.
    Taken,
}

/// Stores the outcome of a request under its key, in the caller's transaction.
pub async fn store(
    db: &impl ConnectionTrait,
    request: &Request<'_>,
    outcome: &str,
    at: i64,
) -> Result<Stored, StorageError> {
    let written = idempotency_key::ActiveModel {
        tenant_id: Set(request.tenant_id),
        scope: Set(request.scope.code()),
        key: Set(request.key.as_str().to_owned()),
        request_hash: Set(request.hash()),
        outcome: Set(outcome.to_owned()),
        created_at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await;
    match written {
        Ok(_) => Ok(Stored::Stored),
        Err(err) if crate::platform::is_unique_violation(&err) => Ok(Stored::Taken),
        Err(err) => Err(storage("storing an idempotency key")(err)),
    }
}

/// Forgets keys older than [`KEPT_FOR_MS`]; returns how many.
pub async fn forget_old(db: &impl ConnectionTrait, now: i64) -> Result<u64, StorageError> {
    let removed = idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::CreatedAt.lt(now - KEPT_FOR_MS))
        .exec(db)
        .await
        .map_err(storage("forgetting old idempotency keys"))?;
    Ok(removed.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::IdempotencyKey;

    #[test]
    fn a_key_is_long_enough_that_two_senders_never_choose_the_same() {
        assert!(IdempotencyKey::parse("0b9c6f2e-54a1-4f0e-9a53-2f4c1d7e8a90").is_some());
        assert!(IdempotencyKey::parse("k_0123456789abcdef").is_some());
        for bad in [
            "1",
            "short-key",
            "has space in it 123",
            "ключ-ключ-ключ-ключ",
            &"x".repeat(101),
        ] {
            assert!(IdempotencyKey::parse(bad).is_none(), "{bad}");
        }
    }
}
