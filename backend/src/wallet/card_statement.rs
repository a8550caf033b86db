//! The parts of one PostgreSQL statement that take money from a card: the card's balance,
//! the ledger transaction and its two postings. A machine's debit (`debit_statement`) and a
//! certificate application paid from the balance (`certificates::apply_statement`) each add
//! their own parts after these and send the whole as one round trip.
//!
//! What holds it together:
//! - the card's balance moves by a conditional `UPDATE` first, which locks the card's row, so
//!   two payments from one card wait for each other and the second sees the first's balance;
//! - every later part is written only from what that `UPDATE` returned (`moved`), so a
//!   refusal writes nothing;
//! - postings, transactions and balances keep the triggers and checks of the ledger
//!   (append-only, never below zero) on this path too.

use super::ledger::{Account, Kind};
use domain::{StudentId, Yen};

/// How many parameters [`parts`] takes, `$1` to `$PARAMS`.
pub(super) const PARAMS: usize = 7;

/// Whether the two accounts were there (the statement writes nothing when one is not opened).
pub(super) const OPENED: &str = "EXISTS (SELECT 1 FROM card) AND EXISTS (SELECT 1 FROM counter)";

/// One movement from a card.
pub(super) struct CardMove<'a> {
    pub tenant_id: i32,
    pub student: StudentId,
    pub to: Account,
    pub amount: Yen,
    pub at: i64,
    pub kind: Kind,
    pub actor: &'a str,
}

/// `WITH` parts (without `WITH`, without a trailing comma) named `card`, `counter`, `moved`
/// (its `balance`: the card's after the move), `posted` (its `id`: the ledger transaction) and
/// `postings`. `description` is an SQL expression for the transaction's description, and
/// nothing moves unless the SQL condition `guard` holds.
pub(super) fn parts(description: &str, guard: &str) -> String {
    format!(
        "
card AS (
  SELECT id FROM ledger_accounts WHERE tenant_id = $1 AND code = $2
), counter AS (
  SELECT id FROM ledger_accounts WHERE tenant_id = $1 AND code = $3
), moved AS (
  UPDATE card_balances SET balance = balance - $4::bigint, updated_at = $5
  WHERE account_id = (SELECT id FROM card) AND balance >= $4::bigint
    AND EXISTS (SELECT 1 FROM counter) AND ({guard})
  RETURNING balance
), posted AS (
  INSERT INTO ledger_transactions (tenant_id, kind, description, actor, corrects_id, created_at)
  SELECT $1, $6, {description}, $7, NULL, $5 FROM moved
  RETURNING id
), postings AS (
  INSERT INTO ledger_postings (transaction_id, account_id, amount)
  SELECT posted.id, (SELECT id FROM card), -$4::bigint FROM posted
  UNION ALL
  SELECT posted.id, (SELECT id FROM counter), $4::bigint FROM posted
)"
    )
}

/// The values of `$1` to `$PARAMS`.
pub(super) fn values(movement: &CardMove<'_>) -> Vec<sea_orm::Value> {
    vec![
        movement.tenant_id.into(),
        Account::Card(movement.student).code().into(),
        movement.to.code().into(),
        movement.amount.get().into(),
        movement.at.into(),
        movement.kind.code().into(),
        movement.actor.into(),
    ]
}
