//! A debit on PostgreSQL in one statement: the balance, the ledger transaction and its two
//! postings, the idempotency key with its answer, and the audit event, written by one
//! statement that is its own transaction. Campus machines send many debits, and each round
//! trip to the database was most of one's cost (docs/PERFORMANCE.md); this path needs one
//! instead of eight. SQLite keeps the step-by-step path of `Wallet::debit`, which also serves
//! PostgreSQL when this statement cannot (an account not opened yet). Both answer alike, and
//! the wallet's service tests run on both databases.
//!
//! The card's part is `card_statement`'s; after it:
//! - the key is inserted without `ON CONFLICT`: a second request with it waits for the first
//!   and then fails whole on the unique index, and the caller reads the first one's answer;
//! - a refusal writes nothing (the caller then stores it under the key, as the step-by-step
//!   path does).

use super::card_statement::{self, CardMove, OPENED};
use super::{idempotency, Debit};
use crate::platform::audit::{self, Actor, Event};
use crate::platform::{storage, StorageError};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use std::sync::LazyLock;

/// Parameters: `card_statement`'s, then $8 description, $9 key scope, $10 key, $11 request
/// hash, and from $12 the audit event's.
static DEBIT: LazyLock<String> = LazyLock::new(|| {
    format!(
        "
WITH {card}, kept AS (
  INSERT INTO idempotency_keys (tenant_id, scope, key, request_hash, outcome, created_at)
  SELECT $1, $9, $10, $11, json_build_object(
    'outcome', 'debited', 'transaction_id', posted.id, 'balance', moved.balance)::text, $5
  FROM posted, moved
), audited AS (
  {audit}
)
SELECT (SELECT id FROM posted) AS transaction_id, (SELECT balance FROM moved) AS balance,
  {OPENED} AS opened",
        card = card_statement::parts("$8", "TRUE"),
        audit = audit::postgres_insert_for_each("posted", 12, "NULL")
    )
});

/// What the one statement came to.
pub(super) enum Ran {
    /// The money moved, and the key keeps this answer.
    Debited { transaction_id: i32, balance: i64 },
    /// The balance is less than the amount; nothing was written (the caller stores the
    /// refusal under the key, with the balance as it is then).
    Refused,
    /// Another request with the key was stored first; nothing was written.
    KeyTaken,
    /// An account is not opened yet; nothing was written.
    NotOpened,
}

pub(super) fn available(db: &impl ConnectionTrait) -> bool {
    db.get_database_backend() == DbBackend::Postgres
}

pub(super) async fn run(
    db: &impl ConnectionTrait,
    actor: &Actor,
    debit: &Debit<'_>,
    request: &idempotency::Request<'_>,
    at: i64,
) -> Result<Ran, StorageError> {
    let mut values = card_statement::values(&CardMove {
        tenant_id: debit.tenant_id,
        student: debit.student,
        to: debit.to,
        amount: debit.amount,
        at,
        kind: debit.kind,
        actor: debit.actor,
    });
    values.extend([
        debit.description.into(),
        request.scope_code().into(),
        request.key.as_str().into(),
        request.hash().into(),
    ]);
    values.extend(audit::statement_values(
        actor,
        Event::CardDebited,
        debit.tenant_id,
    ));
    let statement = Statement::from_sql_and_values(DbBackend::Postgres, DEBIT.as_str(), values);
    let row = match db.query_one(statement).await {
        Ok(row) => row,
        Err(err) if crate::platform::is_unique_violation(&err) => {
            return Ok(Ran::KeyTaken);
        }
        Err(err) => return Err(storage("debiting a card in one statement")(err)),
    };
    let row = row.ok_or(StorageError)?;
    let read = storage("reading a debit's answer");
    let columns: Result<(bool, Option<i32>, Option<i64>), _> = (|| {
        Ok((
            row.try_get("", "opened")?,
            row.try_get("", "transaction_id")?,
            row.try_get("", "balance")?,
        ))
    })();
    Ok(match columns.map_err(read)? {
        (false, _, _) => Ran::NotOpened,
        (true, Some(transaction_id), Some(balance)) => Ran::Debited {
            transaction_id,
            balance,
        },
        (true, _, _) => Ran::Refused,
    })
}
