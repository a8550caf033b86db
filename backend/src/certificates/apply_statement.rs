//! An application paid from the balance on PostgreSQL, accepted by one statement that is its
//! own transaction: the fee from the card (the wallet's parts), the application with its
//! number, its lines, its first status, the receipt mail and the audit event. Accepting one
//! took about fifteen round trips to the database, and they were most of its cost
//! (docs/PERFORMANCE.md); this path needs one, after the registry read and the catalogue's
//! stamp. SQLite, applications paid through the gateway and those with nothing to pay keep the
//! step-by-step path of `Applications::apply`, and both answer alike: the service tests run on
//! both databases.
//!
//! What holds it together, besides the wallet's rules (`wallet::card_fee_statement`):
//! - the application was priced from the kept catalogue; nothing moves unless the
//!   university's catalogue stamp is still the one it was priced under (`Stale` otherwise,
//!   and the caller prices it again);
//! - the application's id comes from its sequence inside the statement, so the ledger's
//!   description, the receipt and the audit event carry its number;
//! - the application is inserted without `ON CONFLICT`: a second request with the key waits
//!   for the first and then fails whole on the unique index, and the caller answers with the
//!   first application;
//! - the receipt mail is rendered in Rust with two markers that the statement fills in with
//!   the number and the balance after the payment; it is queued only for a registered
//!   address, as the other path does.

use super::applications::Quote;
use crate::account;
use crate::platform::audit::{self, Actor, Event};
use crate::platform::outbox;
use crate::platform::{is_unique_violation, storage, StorageError};
use crate::wallet::{card_fee_statement, card_fee_values, CARD_FEE_OPENED, CARD_FEE_PARAMS};
use domain::{ApplicationStatus, PayBy, StudentId, Yen, MAX_LINES};
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use std::sync::LazyLock;

/// Where the receipt's text says the application's number.
pub(super) const NUMBER_MARKER: &str = "@@APPLICATION_NUMBER@@";
/// Where the receipt's text says the balance after the payment.
pub(super) const BALANCE_MARKER: &str = "@@BALANCE_AFTER@@";

/// The application's number (`application_number`: eight digits, more when it needs them).
const NUMBER: &str = "CASE WHEN seq.id < 100000000 THEN lpad(seq.id::text, 8, '0') \
                      ELSE seq.id::text END";

/// The receipt mail as rendered, without its recipient.
pub(super) struct ReceiptText {
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
}

/// What one application writes.
pub(super) struct Accepting<'a> {
    pub tenant_id: i32,
    pub student: StudentId,
    /// Whose registered address gets the receipt.
    pub user_id_key: Option<String>,
    /// The catalogue stamp the quote was priced under.
    pub stamp: i64,
    pub quote: &'a Quote,
    pub purpose: Option<String>,
    pub address: Option<String>,
    pub lang: &'a str,
    pub key: &'a str,
    pub hash: &'a str,
    pub receipt: ReceiptText,
    pub at: i64,
}

/// What the one statement came to.
pub(super) enum Ran {
    Accepted {
        id: i32,
        balance: Yen,
    },
    /// The balance is less than the total; nothing was written.
    Refused,
    /// Another application has the key; nothing was written.
    KeyTaken,
    /// The catalogue changed since the quote; nothing was written.
    Stale,
    /// The card or the fees' account is not opened yet; nothing was written.
    NotOpened,
}

pub(super) fn available(db: &impl ConnectionTrait) -> bool {
    db.get_database_backend() == DbBackend::Postgres
}

/// The statements for one to `MAX_LINES` lines, made once: formatting one per application
/// took a good part of the client's time (docs/PERFORMANCE.md).
static STATEMENTS: LazyLock<Vec<String>> = LazyLock::new(|| (1..=MAX_LINES).map(sql).collect());

/// The statement for `lines` application lines; the parameters follow [`values`].
fn sql(lines: usize) -> String {
    let first = CARD_FEE_PARAMS + 1;
    let p = |n: usize| format!("${}", first + n);
    let audit_first = first + OWN_PARAMS;
    let line_first = audit_first + 5;
    // Each line's values in the order of `values`, cast to their columns' types.
    const LINE_TYPES: [&str; LINE_PARAMS] = [
        "int", "int", "text", "text", "text", "text", "int", "bigint", "bigint",
    ];
    let rows: Vec<String> = (0..lines)
        .map(|line| {
            let first = line_first + line * LINE_PARAMS;
            let cells: Vec<String> = LINE_TYPES
                .iter()
                .enumerate()
                .map(|(n, cast)| format!("${}::{cast}", first + n))
                .collect();
            format!("({})", cells.join(", "))
        })
        .collect();
    let card = card_fee_statement(
        "'No. ' || (SELECT number FROM numbered)",
        "EXISTS (SELECT 1 FROM fresh)",
    );
    let detail = "'{\"application\":\"' || numbered.number || '\",\"total\":' || $4::bigint || '}'";
    let user_id_key = p(16);
    let registered = account::postgres_registered_email("$1", &user_id_key);
    let filled = |body: &str| {
        format!(
            "replace(replace({body}, '{NUMBER_MARKER}', numbered.number), '{BALANCE_MARKER}', \
             to_char(moved.balance, 'FM999,999,999,999,999,990'))"
        )
    };
    let receipt = outbox::postgres_enqueue_for_each(
        &format!("app, numbered, moved, ({registered}) AS registered"),
        [
            "registered.email",
            &p(17),
            &filled(&p(18)),
            &filled(&p(19)),
            "$5",
        ],
    );
    let audited = audit::postgres_insert_for_each("app, numbered", audit_first, detail);
    format!(
        "
WITH fresh AS (
  SELECT 1 WHERE COALESCE(
    (SELECT stamp FROM catalogue_stamps WHERE tenant_id = $1), 0) = {stamp}::bigint
), numbered AS (
  SELECT seq.id, {NUMBER} AS number
  FROM (SELECT nextval(pg_get_serial_sequence('applications', 'id'))::int AS id) AS seq
), {card}, app AS (
  INSERT INTO applications (id, tenant_id, student_id, status, pay_by, delivery_method_id,
    delivery_code, delivery_kind, delivery_name_ja, delivery_name_en, delivery_fee_yen,
    total_yen, purpose, address, lang, expected_on, request_key, request_hash,
    paid_transaction_id, tracking_number, cancel_reason, created_at, updated_at)
  SELECT numbered.id, $1, {student}, {status}, {pay_by}, {delivery_id}, {delivery_code},
    {delivery_kind}, {delivery_ja}, {delivery_en}, {delivery_fee}, $4, {purpose}, {address},
    {lang}, {expected_on}, {key}, {hash}, posted.id, NULL, NULL, $5, $5
  FROM numbered, posted
  RETURNING id
), lines AS (
  INSERT INTO application_lines (application_id, position, certificate_type_id, type_code,
    name_ja, name_en, lang, copies, fee_yen, amount_yen)
  SELECT app.id, line.* FROM app, (VALUES {rows}) AS line
), status AS (
  INSERT INTO application_events (application_id, status, actor, note, at)
  SELECT app.id, {status}, 'student', NULL, $5 FROM app
), receipt AS (
  {receipt}
), audited AS (
  {audited}
)
SELECT (SELECT id FROM app) AS application_id, (SELECT balance FROM moved) AS balance,
  EXISTS (SELECT 1 FROM fresh) AS fresh, {CARD_FEE_OPENED} AS opened",
        stamp = p(0),
        student = p(1),
        status = p(2),
        pay_by = p(3),
        delivery_id = p(4),
        delivery_code = p(5),
        delivery_kind = p(6),
        delivery_ja = p(7),
        delivery_en = p(8),
        delivery_fee = p(9),
        purpose = p(10),
        address = p(11),
        lang = p(12),
        expected_on = p(13),
        key = p(14),
        hash = p(15),
        rows = rows.join(", "),
    )
}

/// The application's own parameters (`p(0)` to `p(19)` in [`sql`]).
const OWN_PARAMS: usize = 20;

/// Parameters per application line.
const LINE_PARAMS: usize = 9;

fn values(actor: &Actor, accepting: Accepting<'_>) -> Vec<Value> {
    let quote = accepting.quote;
    let mut values = card_fee_values(
        accepting.tenant_id,
        accepting.student,
        quote.total,
        accepting.at,
    );
    let delivery = &quote.delivery;
    values.extend([
        accepting.stamp.into(),
        accepting.student.0.into(),
        ApplicationStatus::Accepted.code().into(),
        PayBy::Balance.code().into(),
        quote.delivery_id.into(),
        delivery.code.as_str().into(),
        delivery.kind.code().into(),
        delivery.name_ja.as_str().into(),
        delivery.name_en.as_str().into(),
        delivery.fee.get().into(),
        accepting.purpose.into(),
        accepting.address.into(),
        accepting.lang.into(),
        quote.expected_on.format("%Y-%m-%d").to_string().into(),
        accepting.key.into(),
        accepting.hash.into(),
        accepting.user_id_key.into(),
        accepting.receipt.subject.into(),
        accepting.receipt.body_text.into(),
        accepting.receipt.body_html.into(),
    ]);
    // The id in the audit event is left out, as `audit::record` leaves it for this event.
    values.extend(audit::statement_values(
        actor,
        Event::ApplicationSubmitted,
        accepting.tenant_id,
    ));
    for (position, line) in quote.lines.iter().enumerate() {
        values.extend([
            i32::try_from(position).unwrap_or(i32::MAX).into(),
            line.type_id.into(),
            line.kind.code.as_str().into(),
            line.kind.name_ja.as_str().into(),
            line.kind.name_en.as_str().into(),
            line.lang.code().into(),
            i32::try_from(line.copies).unwrap_or(i32::MAX).into(),
            line.kind.fee.get().into(),
            line.amount.get().into(),
        ]);
    }
    values
}

pub(super) async fn run(
    db: &impl ConnectionTrait,
    actor: &Actor,
    accepting: Accepting<'_>,
) -> Result<Ran, StorageError> {
    let lines = accepting.quote.lines.len();
    let sql = STATEMENTS.get(lines.wrapping_sub(1)).ok_or(StorageError)?;
    let statement =
        Statement::from_sql_and_values(DbBackend::Postgres, sql, values(actor, accepting));
    let row = match db.query_one(statement).await {
        Ok(row) => row.ok_or(StorageError)?,
        Err(err) if is_unique_violation(&err) => return Ok(Ran::KeyTaken),
        Err(err) => return Err(storage("accepting an application in one statement")(err)),
    };
    let columns: Result<(bool, bool, Option<i32>, Option<i64>), _> = (|| {
        Ok((
            row.try_get("", "fresh")?,
            row.try_get("", "opened")?,
            row.try_get("", "application_id")?,
            row.try_get("", "balance")?,
        ))
    })();
    Ok(
        match columns.map_err(storage("reading an application's answer"))? {
            (false, _, _, _) => Ran::Stale,
            (true, false, _, _) => Ran::NotOpened,
            (true, true, Some(id), Some(balance)) => Ran::Accepted {
                id,
                balance: Yen::new(balance).ok_or(StorageError)?,
            },
            (true, true, _, _) => Ran::Refused,
        },
    )
}
