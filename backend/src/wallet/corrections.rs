//! Balance corrections by a university's admin in the staff console: a new ledger transaction
//! against the adjustments account with the amount, the reason and the member who made it,
//! never an edit of an old one. Once per idempotency key (minted with the form), so a double
//! click or a resent form corrects once.

use super::idempotency::{self, Request, Scope, Stored};
use super::ledger;
use super::{Wallet, WalletError};
use crate::platform::audit::{self, Actor, Event, Subject};
use crate::platform::permissions::{self, Forbidden};
use crate::platform::{begin, storage};
use domain::{Permission, StaffMember, StudentId};
use serde::{Deserialize, Serialize};

/// The largest correction, either way (a typo's extra zeros are refused, not booked).
pub const MAX_CORRECTION: i64 = 1_000_000;
/// The longest reason.
pub const MAX_REASON_CHARS: usize = 200;

/// A correction an admin asks for.
pub struct Correction<'a> {
    pub tenant_id: i32,
    pub student: StudentId,
    /// Onto the card (positive) or off it (negative), in yen.
    pub amount: i64,
    pub reason: &'a str,
    pub key: &'a idempotency::IdempotencyKey,
}

/// A booked correction: its transaction and the card's balance after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Corrected {
    pub transaction_id: i32,
    pub balance: i64,
}

impl Wallet {
    /// Books a correction for an admin of the university. A correction that would take the
    /// card below zero is refused with the balance; nothing is kept under the key then, so the
    /// admin may send a smaller one with the same form.
    pub async fn correct(
        &self,
        (by, actor): (&StaffMember, &Actor),
        correction: Correction<'_>,
    ) -> Result<Corrected, WalletError> {
        let Correction {
            tenant_id,
            student,
            amount,
            reason,
            key,
        } = correction;
        permissions::require(
            &self.db,
            (by, actor),
            Permission::CorrectBalances,
            tenant_id,
        )
        .await
        .map_err(|Forbidden| WalletError::Forbidden)?;
        if amount == 0 {
            return Err(WalletError::ZeroAmount);
        }
        if amount.abs() > MAX_CORRECTION {
            return Err(WalletError::CorrectionTooLarge);
        }
        let reason = reason.trim();
        let bad_reason = reason.is_empty()
            || reason.chars().count() > MAX_REASON_CHARS
            || reason.chars().any(char::is_control);
        if bad_reason {
            return Err(WalletError::BadReason);
        }
        let request = Request {
            tenant_id,
            scope: Scope::Staff(by.id),
            key,
            fingerprint: format!("correction\n{}\n{amount}\n{reason}", student.0),
        };
        if let Some(stored) = idempotency::replay(&self.db, &request).await? {
            return corrected_from_json(&stored);
        }
        let now = self.clock.now_ms();
        let txn = begin(&self.db).await?;
        let booked_by = format!("staff:{}", by.id);
        let entry = super::adjustment((tenant_id, student, amount), (reason, &booked_by), now);
        let posted = ledger::post(&txn, entry).await?;
        let corrected = Corrected {
            transaction_id: posted.transaction_id,
            balance: posted.card_balances.first().map_or(0, |(_, balance)| balance.get()),
        };
        let json = serde_json::to_string(&corrected).map_err(|_| WalletError::Storage)?;
        match idempotency::store(&txn, &request, &json, now).await? {
            Stored::Stored => {
                let about = Subject {
                    tenant_id: Some(tenant_id),
                    staff_id: Some(by.id),
                    detail: Some(&json),
                    ..Default::default()
                };
                audit::record(&txn, actor, Event::CardAdjusted, about).await;
                txn.commit().await.map_err(storage("committing a correction"))?;
                Ok(corrected)
            }
            Stored::Taken => {
                // The same form was sent twice at once and the other was stored first.
                txn.rollback().await.map_err(storage("rolling back a duplicate correction"))?;
                let stored = idempotency::replay(&self.db, &request).await?;
                corrected_from_json(&stored.ok_or(WalletError::Storage)?)
            }
        }
    }
}

fn corrected_from_json(json: &str) -> Result<Corrected, WalletError> {
    serde_json::from_str(json).map_err(|err| {
        tracing::error!(error = %err, "a stored correction is unreadable");
        WalletError::Storage
    })
}
