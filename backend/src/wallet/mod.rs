//! The card balance: prepaid value a student tops up and spends (前払式支払手段 under the
//! Payment Services Act: spent, never paid back in cash). Kept as a double-entry ledger
//! ([`ledger`]); every request that moves money carries an idempotency key
//! ([`idempotency`]). Everything runs through one handle, [`Wallet`].

mod card_statement;
pub mod corrections;
mod debit_statement;
pub mod dev_gateway;
pub mod gateway;
pub mod idempotency;
pub mod ledger;
mod mails;
pub mod top_ups;
pub mod webhook_signature;

pub use dev_gateway::DevGateway;
pub use gateway::PaymentMethod;
pub use idempotency::{IdempotencyKey, Scope};
pub use ledger::{Account, Discrepancy, Kind, Movement};
pub use top_ups::{
    owe_refund, ApplicationPayment, PaidApplications, TopUp, TopUpError, TopUpState, TopUps,
};

use crate::platform::audit::{self, Actor, Event, Subject};
use crate::platform::clock::Clock;
use crate::platform::permissions::{self, Forbidden};
use crate::platform::{begin, storage, Db, StorageError};
use domain::{Permission, StaffMember, StudentId, Yen};
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};

/// What the wallet needs, built once at start-up.
#[derive(Clone)]
pub struct Wallet {
    pub db: Db,
    pub clock: Clock,
}

/// What went wrong, in the wallet's words.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WalletError {
    #[error("the balance ({balance} yen) is less than the amount")]
    InsufficientBalance { balance: Yen },
    #[error("an amount must be more than zero")]
    ZeroAmount,
    #[error("this idempotency key was used for another request")]
    KeyReusedForAnotherRequest,
    #[error("no such transaction at this university")]
    UnknownTransaction,
    #[error("the postings of a transaction do not balance")]
    Unbalanced,
    /// The acting staff member's role or university does not allow it (audited).
    #[error("not allowed")]
    Forbidden,
    #[error(
        "a correction is at most {} yen either way",
        corrections::MAX_CORRECTION
    )]
    CorrectionTooLarge,
    #[error("a correction needs a reason of at most 200 characters, on one line")]
    BadReason,
    #[error("storage failed")]
    Storage,
}

/// How long to wait before trying a call to the gateway again after `attempts` tries: 2, 4,
/// 8 … seconds, at most an hour.
pub(crate) fn retry_after_ms(attempts: i32) -> i64 {
    (1000_i64 << attempts.clamp(1, 12)).min(3_600_000)
}

impl From<StorageError> for WalletError {
    fn from(StorageError: StorageError) -> Self {
        WalletError::Storage
    }
}

/// Money taken from a card.
pub struct Debit<'a> {
    pub tenant_id: i32,
    pub student: StudentId,
    pub amount: Yen,
    pub kind: Kind,
    pub description: &'a str,
    /// Who takes it (`machine:3`), for the ledger.
    pub actor: &'a str,
    /// Where the money goes (campus machine sales, …).
    pub to: Account,
    pub key: &'a IdempotencyKey,
    pub scope: Scope,
}

/// The parts of one PostgreSQL statement that take a certificate application's fee from a
/// student's card (`card_statement`), named `card`, `counter`, `moved` (its `balance`: the
/// card's after) and `posted` (its `id`: the ledger transaction), written only when the SQL
/// condition `guard` holds. `description` is an SQL expression. Their parameters are
/// [`card_fee_values`], `$1` to `$CARD_FEE_PARAMS`, of which a caller may use `$1` (the
/// university), `$4` (the amount) and `$5` (the time) too. [`CARD_FEE_OPENED`] is false when
/// an account is not opened yet (then nothing is written: [`Wallet::open_for_card_fee`], and
/// again).
pub fn card_fee_statement(description: &str, guard: &str) -> String {
    card_statement::parts(description, guard)
}

/// The parameters of [`card_fee_statement`].
pub fn card_fee_values(
    tenant_id: i32,
    student: StudentId,
    amount: Yen,
    at: i64,
) -> Vec<sea_orm::Value> {
    card_statement::values(&card_statement::CardMove {
        tenant_id,
        student,
        to: Account::CertificateFees,
        amount,
        at,
        kind: Kind::CertificateFee,
        actor: "student",
    })
}

/// How many parameters [`card_fee_statement`] takes.
pub const CARD_FEE_PARAMS: usize = card_statement::PARAMS;

/// An SQL condition, after [`card_fee_statement`]'s parts: both accounts were there.
pub const CARD_FEE_OPENED: &str = card_statement::OPENED;

/// An application's fee taken from a card inside the caller's transaction: the caller's own
/// row (the application, unique per idempotency key) is what makes it happen once.
pub struct Payment<'a> {
    pub tenant_id: i32,
    pub student: StudentId,
    pub amount: Yen,
    pub description: &'a str,
    pub at: i64,
    /// Paid through the gateway (the money it took for the application), not from the card.
    pub through_gateway: bool,
}

/// Where an application's money comes from or goes back to: the student's card, or the
/// gateway that took it.
fn fees_account(student: StudentId, through_gateway: bool) -> Account {
    if through_gateway {
        Account::GatewayClearing
    } else {
        Account::Card(student)
    }
}

/// An application's fee given back to the card inside the caller's transaction, as a new
/// transaction that names the payment it reverses.
pub struct Refund<'a> {
    pub tenant_id: i32,
    pub student: StudentId,
    pub amount: Yen,
    pub description: &'a str,
    /// Who gave it back (`student`, `staff:3`).
    pub actor: &'a str,
    pub corrects: Option<i32>,
    pub at: i64,
    /// Owed back through the gateway that took it (sent by the refund worker), not to the card.
    pub through_gateway: bool,
}

/// A debit that went through (now, or before under the same key).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Debited {
    pub transaction_id: i32,
    pub balance: Yen,
    /// The key was seen before: this is the stored answer, and no money moved now.
    pub replayed: bool,
}

/// The stored answer of a debit, for the same key again.
#[derive(Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
enum DebitOutcome {
    Debited { transaction_id: i32, balance: i64 },
    Insufficient { balance: i64 },
}

impl DebitOutcome {
    fn into_result(self, replayed: bool) -> Result<Debited, WalletError> {
        let yen = |balance| Yen::new(balance).ok_or(WalletError::Storage);
        match self {
            DebitOutcome::Debited {
                transaction_id,
                balance,
            } => Ok(Debited {
                transaction_id,
                balance: yen(balance)?,
                replayed,
            }),
            DebitOutcome::Insufficient { balance } => Err(WalletError::InsufficientBalance {
                balance: yen(balance)?,
            }),
        }
    }
}

/// Money onto a card (positive `amount`) or off it, against the adjustments account: what the
/// operator's `ledger adjust` and an admin's correction book.
fn adjustment<'a>(
    (tenant_id, student, amount): (i32, StudentId, i64),
    (reason, actor): (&'a str, &'a str),
    at: i64,
) -> ledger::Entry<'a> {
    ledger::Entry {
        tenant_id,
        kind: Kind::Adjustment,
        description: reason,
        actor,
        corrects: None,
        postings: vec![
            (Account::Card(student), amount),
            (Account::Adjustments, -amount),
        ],
        at,
    }
}

/// A card's balance and one page of its history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardStatement {
    pub balance: Yen,
    pub movements: Vec<Movement>,
    /// Movements in all.
    pub count: u64,
}

/// What storing an outcome under its key came to.
enum Kept {
    Answer(Result<Debited, WalletError>),
    /// Another request with the key was stored first.
    Taken,
}

/// What a debit's audit event is about: the university (the ledger names the card).
fn about(tenant_id: i32) -> Subject<'static> {
    Subject {
        tenant_id: Some(tenant_id),
        ..Default::default()
    }
}

fn outcome_from_json(json: &str) -> Result<DebitOutcome, WalletError> {
    serde_json::from_str(json).map_err(|err| {
        tracing::error!(error = %err, "a stored debit outcome is unreadable");
        WalletError::Storage
    })
}

impl Wallet {
    pub fn new(db: Db) -> Self {
        Self {
            db,
            clock: Clock::system(),
        }
    }

    pub async fn balance(&self, tenant_id: i32, student: StudentId) -> Result<Yen, WalletError> {
        Ok(ledger::balance(&self.db, tenant_id, student).await?)
    }

    /// Takes `amount` from a card, once per idempotency key: the same key again answers as the
    /// first time did (a refusal too) and moves nothing; with another amount, card or
    /// description it is refused.
    pub async fn debit(&self, actor: &Actor, debit: Debit<'_>) -> Result<Debited, WalletError> {
        if debit.amount == Yen::ZERO {
            return Err(WalletError::ZeroAmount);
        }
        let request = idempotency::Request {
            tenant_id: debit.tenant_id,
            scope: debit.scope,
            key: debit.key,
            fingerprint: format!(
                "debit\n{}\n{}\n{}\n{}",
                debit.student.0,
                debit.amount.get(),
                debit.kind.code(),
                debit.description
            ),
        };
        // No look for the key first: it is stored in the same transaction as the money, whose
        // unique index makes a second request with it wait for the first and then roll back
        // to the first one's answer. Replays are rare; every debit saves a query.
        if debit_statement::available(&self.db) {
            self.debit_in_one_statement(actor, &debit, &request).await
        } else {
            self.debit_in_steps(actor, &debit, &request).await
        }
    }

    /// PostgreSQL: one round trip (see `debit_statement`); the accounts are opened first when
    /// a card or a counter account is used for the first time.
    async fn debit_in_one_statement(
        &self,
        actor: &Actor,
        debit: &Debit<'_>,
        request: &idempotency::Request<'_>,
    ) -> Result<Debited, WalletError> {
        let mut outcome =
            debit_statement::run(&self.db, actor, debit, request, self.clock.now_ms()).await?;
        if matches!(outcome, debit_statement::Ran::NotOpened) {
            let accounts = [Account::Card(debit.student), debit.to];
            let now = self.clock.now_ms();
            ledger::open_in_own_transaction(&self.db, debit.tenant_id, &accounts, now).await?;
            outcome = debit_statement::run(&self.db, actor, debit, request, now).await?;
        }
        match outcome {
            debit_statement::Ran::Debited {
                transaction_id,
                balance,
            } => {
                audit::trace(actor, Event::CardDebited, about(debit.tenant_id));
                DebitOutcome::Debited {
                    transaction_id,
                    balance,
                }
                .into_result(false)
            }
            debit_statement::Ran::Refused => {
                let balance = ledger::balance(&self.db, debit.tenant_id, debit.student).await?;
                self.refuse(request, balance).await
            }
            debit_statement::Ran::KeyTaken => self.stored_answer(request).await,
            debit_statement::Ran::NotOpened => {
                tracing::error!("the accounts of a debit are not there after opening them");
                Err(WalletError::Storage)
            }
        }
    }

    /// SQLite (one writer at a time): one transaction of several statements.
    async fn debit_in_steps(
        &self,
        actor: &Actor,
        debit: &Debit<'_>,
        request: &idempotency::Request<'_>,
    ) -> Result<Debited, WalletError> {
        let now = self.clock.now_ms();
        let txn = begin(&self.db).await?;
        let posted = ledger::post(
            &txn,
            ledger::Entry {
                tenant_id: debit.tenant_id,
                kind: debit.kind,
                description: debit.description,
                actor: debit.actor,
                corrects: None,
                postings: vec![
                    (Account::Card(debit.student), -debit.amount.get()),
                    (debit.to, debit.amount.get()),
                ],
                at: now,
            },
        )
        .await;
        let outcome = match posted {
            Ok(posted) => DebitOutcome::Debited {
                transaction_id: posted.transaction_id,
                balance: posted
                    .card_balances
                    .iter()
                    .find(|(student, _)| *student == debit.student)
                    .map_or(0, |(_, balance)| balance.get()),
            },
            Err(WalletError::InsufficientBalance { balance }) => {
                txn.rollback().await.map_err(storage("rolling back a refused debit"))?;
                return self.refuse(request, balance).await;
            }
            Err(other) => return Err(other),
        };
        match self.keep(&txn, request, outcome).await? {
            Kept::Answer(answer) => {
                // In the same transaction: one commit (one write to disk) per debit.
                audit::record(&txn, actor, Event::CardDebited, about(debit.tenant_id)).await;
                txn.commit().await.map_err(storage("committing a debit"))?;
                answer
            }
            Kept::Taken => {
                // The same key ran at the same moment and was stored first: undo ours, give
                // its answer.
                txn.rollback().await.map_err(storage("rolling back a duplicate debit"))?;
                self.stored_answer(request).await
            }
        }
    }

    /// Opens the card of `student` and the certificate fees' account where they are not open
    /// yet, for [`card_fee_statement`].
    pub async fn open_for_card_fee(
        &self,
        tenant_id: i32,
        student: StudentId,
    ) -> Result<(), StorageError> {
        let accounts = [Account::Card(student), Account::CertificateFees];
        ledger::open_in_own_transaction(&self.db, tenant_id, &accounts, self.clock.now_ms()).await
    }

    /// Takes an application's fee from the card (or books what the gateway took for it) in
    /// `txn`, the caller's transaction: refused
    /// with the balance when it is too low, and then nothing is written. Returns the ledger
    /// transaction and the balance after it. The caller audits what was bought.
    pub async fn pay_within(
        &self,
        txn: &impl ConnectionTrait,
        payment: Payment<'_>,
    ) -> Result<Debited, WalletError> {
        if payment.amount == Yen::ZERO {
            return Err(WalletError::ZeroAmount);
        }
        let posted = ledger::post(
            txn,
            ledger::Entry {
                tenant_id: payment.tenant_id,
                kind: Kind::CertificateFee,
                description: payment.description,
                actor: if payment.through_gateway {
                    "gateway"
                } else {
                    "student"
                },
                corrects: None,
                postings: vec![
                    (
                        fees_account(payment.student, payment.through_gateway),
                        -payment.amount.get(),
                    ),
                    (Account::CertificateFees, payment.amount.get()),
                ],
                at: payment.at,
            },
        )
        .await?;
        let balance = posted
            .card_balances
            .iter()
            .find(|(student, _)| *student == payment.student)
            .map_or(Yen::ZERO, |(_, balance)| *balance);
        Ok(Debited {
            transaction_id: posted.transaction_id,
            balance,
            replayed: false,
        })
    }

    /// Gives an application's fee back to the card (or owes it back to the gateway) in `txn`,
    /// the caller's transaction (which is what makes it happen once: the status change it
    /// belongs to).
    pub async fn refund_within(
        &self,
        txn: &impl ConnectionTrait,
        refund: Refund<'_>,
    ) -> Result<i32, WalletError> {
        let posted = ledger::post(
            txn,
            ledger::Entry {
                tenant_id: refund.tenant_id,
                kind: Kind::CertificateRefund,
                description: refund.description,
                actor: refund.actor,
                corrects: refund.corrects,
                postings: vec![
                    (Account::CertificateFees, -refund.amount.get()),
                    (
                        fees_account(refund.student, refund.through_gateway),
                        refund.amount.get(),
                    ),
                ],
                at: refund.at,
            },
        )
        .await?;
        Ok(posted.transaction_id)
    }

    /// Nothing moved: the refusal, with the balance as it is, is the answer the key keeps.
    async fn refuse(
        &self,
        request: &idempotency::Request<'_>,
        balance: Yen,
    ) -> Result<Debited, WalletError> {
        let outcome = DebitOutcome::Insufficient {
            balance: balance.get(),
        };
        match self.keep(&self.db, request, outcome).await? {
            Kept::Answer(answer) => answer,
            Kept::Taken => self.stored_answer(request).await,
        }
    }

    /// Stores `outcome` under the request's key (in `db`, the caller's transaction or not).
    async fn keep(
        &self,
        db: &impl ConnectionTrait,
        request: &idempotency::Request<'_>,
        outcome: DebitOutcome,
    ) -> Result<Kept, WalletError> {
        let json = serde_json::to_string(&outcome).map_err(|_| WalletError::Storage)?;
        Ok(
            match idempotency::store(db, request, &json, self.clock.now_ms()).await? {
                idempotency::Stored::Stored => Kept::Answer(outcome.into_result(false)),
                idempotency::Stored::Taken => Kept::Taken,
            },
        )
    }

    /// The answer stored under a request's key by another request.
    async fn stored_answer(
        &self,
        request: &idempotency::Request<'_>,
    ) -> Result<Debited, WalletError> {
        let stored = idempotency::replay(&self.db, request).await?.ok_or(WalletError::Storage)?;
        outcome_from_json(&stored)?.into_result(true)
    }

    /// A card's balance and a page (from 1, newest first) of its history, for a staff member
    /// who may read the university's students.
    pub async fn card_for_staff(
        &self,
        by: (&StaffMember, &Actor),
        tenant_id: i32,
        student: StudentId,
        (page, per_page): (u64, u64),
    ) -> Result<CardStatement, WalletError> {
        permissions::require(&self.db, by, Permission::ReadStudents, tenant_id)
            .await
            .map_err(|Forbidden| WalletError::Forbidden)?;
        let balance = ledger::balance(&self.db, tenant_id, student).await?;
        let (movements, count) =
            ledger::history(&self.db, tenant_id, student, page.max(1) - 1, per_page).await?;
        Ok(CardStatement {
            balance,
            movements,
            count,
        })
    }

    /// Forgets idempotency keys older than their keeping time (7 days: a sender may retry a
    /// request for 24 hours at least); returns how many.
    pub async fn forget_old_keys(&self) -> Result<u64, WalletError> {
        Ok(idempotency::forget_old(&self.db, self.clock.now_ms()).await?)
    }

    /// A correction by the operator or staff: money onto a card (positive) or off it
    /// (negative), against the adjustments account, with the reason and, if it undoes an
    /// earlier transaction, which one.
    pub async fn adjust(
        &self,
        tenant_id: i32,
        student: StudentId,
        amount: i64,
        reason: &str,
        actor: &str,
        corrects: Option<i32>,
    ) -> Result<i32, WalletError> {
        if amount == 0 {
            return Err(WalletError::ZeroAmount);
        }
        let txn = begin(&self.db).await?;
        let entry = adjustment(
            (tenant_id, student, amount),
            (reason, actor),
            self.clock.now_ms(),
        );
        let posted = ledger::post(&txn, ledger::Entry { corrects, ..entry }).await?;
        txn.commit().await.map_err(storage("committing an adjustment"))?;
        Ok(posted.transaction_id)
    }
}
