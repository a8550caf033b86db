//! A debit on PostgreSQL in one statement: the balance, the ledger transaction and its two
//! postings, the idempotency key with its answer, and the audit event, written by one
//! statement that is its own transaction. Campus machines send many debits, and each round
//! trip to the database was most of one's cost (docs/PERFORMANCE.md); this path needs one
//! instead of eight. SQLite keeps the step-by-step path of `Wallet::debit`, which also serves
//! PostgreSQL when this statement cannot (an account not opened yet). Both answer alike, and
//! the wallet's service tests run on both databases.
//!
//! What holds it together:
//! - the card's balance moves by a conditional `UPDATE` first, which locks the card's row, so
//!   two debits of one card wait for each other and the second sees the first's balance;
//! - every later part is written only from what that `UPDATE` returned, so a refusal writes
//!   nothing (the caller then stores it under the key, as the step-by-step path does);
//! - the key is inserted without `ON CONFLICT`: a second request with it waits for the first
//!   and then fails whole on the unique index, and the caller reads the first one's answer;
//! - postings, transactions and balances keep the triggers and checks of the ledger
//!   (append-only, never below zero) on this path too.

use super::ledger::Account;
use super::{idempotency, Debit};
use crate::platform::audit::{self, Actor, Event};
use crate::platform::{storage, StorageError};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use std::sync::LazyLock;

/// Parameters: $1 university, $2 card account code, $3 counter account code, $4 amount,
/// $5 time, $6 kind, $7 description, $8 actor, $9 key scope, $10 key, $11 request hash, and
/// from $12 the audit event's.
static DEBIT: LazyLock<String> = LazyLock::new(|| {
    format!(
        "
WITH card AS (
  SELECT id FROM ledger_accounts WHERE tenant_id = $1 AND code = $2
), counter AS (
  SELECT id FROM ledger_accounts WHERE tenant_id = $1 AND code = $3
), moved AS (
  UPDATE card_balances SET balance = balance - $4::bigint, updated_at = $5
  WHERE account_id = (SELECT id FROM card) AND balance >= $4::bigint
    AND EXISTS (SELECT 1 FROM counter)
  RETURNING balance
), posted AS (
  INSERT INTO ledger_transactions (tenant_id, kind, description, actor, corrects_id, created_at)
  SELECT $1, $6, $7, $8, NULL, $5 FROM moved
  RETURNING id
), postings AS (
  INSERT INTO ledger_postings (transaction_id, account_id, amount)
  SELECT posted.id, (SELECT id FROM card), -$4::bigint FROM posted
  UNION ALL
  SELECT posted.id, (SELECT id FROM counter), $4::bigint FROM posted
), kept AS (
  INSERT INTO idempotency_keys (tenant_id, scope, key, request_hash, outcome, created_at)
  SELECT $1, $9, $10, $11, json_build_object(
    'outcome', 'debited', 'transaction_id', posted.id, 'balance', moved.balance)::text, $5
  FROM posted, moved
), audited AS (
  {audit}
)
SELECT (SELECT id FROM posted) AS transaction_id, (SELECT balance FROM moved) AS balance,
  EXISTS (SELECT 1 FROM card) AND EXISTS (SELECT 1 FROM counter) AS opened",
        audit = audit::postgres_insert_for_each("posted", 12)
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
    let mut values = vec![
        debit.tenant_id.into(),
        Account::Card(debit.student).code().into(),
        debit.to.code().into(),
        debit.amount.get().into(),
        at.into(),
        debit.kind.code().into(),
        debit.description.into(),
        debit.actor.into(),
        request.scope_code().into(),
        request.key.as_str().into(),
        request.hash().into(),
    ];
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
