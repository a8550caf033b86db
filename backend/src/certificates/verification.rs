//! The public verification of an issued certificate (`/v/{document id}`, the QR code's
//! target). The id alone tells the university, the type, the issue date and the status, and
//! nothing personal; with the verification code it shows exactly what was printed, so a
//! verifier compares it with the paper. The record's signature is checked on every view with
//! the key it names (retired keys too): a record that does not verify is shown as such, never
//! as valid.
//!
//! Guessing codes is slowed per document and per client address, with growing delays kept in
//! the database (the login delays' table, under keys no user ID can have), so they hold
//! across restarts and instances; the right code still works once a delay has passed.

use super::applications::jst_date;
use super::records::{code_matches, grant, grant_holds, signature_holds, CertificateRecord};
use super::signing::SigningKeys;
use crate::entities::{issued_document, tenant};
use crate::platform::clock::Clock;
use crate::platform::login_delays::{self, Gate, UserKey};
use crate::platform::settings::LoginThrottle;
use crate::platform::{storage, Db, StorageError};
use crate::tenancy;
use domain::{DocumentId, RevocationReason, VerificationCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// What a certificate is now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Standing {
    Valid,
    /// Past its last valid day (`YYYY-MM-DD`).
    Expired {
        on: String,
    },
    /// Revoked by the university: when (epoch ms) and the reason's category.
    Revoked {
        at: i64,
        reason: RevocationReason,
    },
    /// Its record does not verify with the key it names: never to be trusted.
    SignatureInvalid,
}

/// What the id alone shows: nothing personal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub university: tenant::Model,
    /// The certificate's type code and its title as printed, and the language printed in.
    pub certificate: String,
    pub title: String,
    pub lang: String,
    /// `YYYY-MM-DD`.
    pub issued_on: String,
    pub valid_until: Option<String>,
    pub standing: Standing,
}

/// What a verifier's code opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Opened {
    /// The right code: the summary and exactly what was printed.
    Shown(Box<(Summary, CertificateRecord)>),
    Wrong,
    /// A delay runs for this document or this client address: try again after it.
    Wait,
}

/// What the verification page shows of a document: the summary, and the record once a right
/// code has granted it. A record whose signature does not hold is never shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Viewed {
    pub summary: Summary,
    pub record: Option<CertificateRecord>,
}

/// How long a right code keeps a document's record shown (its grant's life).
pub const GRANT_SECONDS: i64 = 10 * 60;

/// Delays of code guesses: five free, then 2 s doubling to 10 minutes; forgotten after a day.
pub fn guess_throttle() -> LoginThrottle {
    LoginThrottle {
        free_failures: 5,
        base_delay_seconds: 2,
        max_delay_seconds: 600,
        forget_after_seconds: 24 * 3600,
        device_failures: 0,
    }
}

/// The public verification.
#[derive(Clone)]
pub struct Verifications {
    pub db: Db,
    pub clock: Clock,
    pub keys: SigningKeys,
    /// The service's public URL: the credentials' and status lists' addresses.
    pub public_url: url::Url,
}

impl Verifications {
    /// The summary of document `id`; `None` when there is none.
    pub async fn summary(&self, id: &DocumentId) -> Result<Option<Summary>, StorageError> {
        Ok(self.found(id).await?.map(|(summary, _, _)| summary))
    }

    /// Document `id` as the verification page shows it, with the record when `granted` is a
    /// running grant for it (see [`Verifications::grant`]); `None` when there is no such document.
    pub async fn view(
        &self,
        id: &DocumentId,
        granted: Option<&str>,
    ) -> Result<Option<Viewed>, StorageError> {
        let Some(mut viewed) = self.shared(id).await? else {
            return Ok(None);
        };
        let holds = match (&self.keys.secret, granted) {
            (Some(secret), Some(granted)) => grant_holds(secret, id, granted, self.clock.now_ms()),
            _ => false,
        };
        if !holds {
            viewed.record = None;
        }
        Ok(Some(viewed))
    }

    /// Document `id` with its record (unless its signature fails), for a share's recipient,
    /// whose share stands for the code; `view` keeps the record for a running grant.
    pub(super) async fn shared(&self, id: &DocumentId) -> Result<Option<Viewed>, StorageError> {
        Ok(self.found(id).await?.map(|(summary, record, _)| {
            let shown = summary.standing != Standing::SignatureInvalid;
            Viewed {
                summary,
                record: shown.then_some(record),
            }
        }))
    }

    /// A grant to see document `id`'s record for [`GRANT_SECONDS`], for a client whose code
    /// was right (`open` gave `Shown`); `None` without a key secret.
    pub fn grant(&self, id: &DocumentId) -> Option<String> {
        let until = self.clock.now_ms() + GRANT_SECONDS * 1000;
        self.keys.secret.as_ref().map(|secret| grant(secret, id, until))
    }

    /// Document `id` opened with `code`, from client `client` (its rate-limit key).
    pub async fn open(
        &self,
        id: &DocumentId,
        code: &VerificationCode,
        client: &str,
    ) -> Result<Option<Opened>, StorageError> {
        let Some((summary, record, row)) = self.found(id).await? else {
            return Ok(None);
        };
        let Some(secret) = self.keys.secret.as_ref() else {
            tracing::error!("a verification code was sent, and no key secret is configured");
            return Err(StorageError);
        };
        let now = self.clock.now_ms();
        let throttle = guess_throttle();
        let document_key = format!(" verify document {id}");
        let client_key = format!(" verify client {client}");
        let keys = [
            UserKey {
                tenant_id: row.tenant_id,
                user_id_key: &document_key,
            },
            UserKey {
                tenant_id: row.tenant_id,
                user_id_key: &client_key,
            },
        ];
        for key in keys {
            if login_delays::reserve(&self.db, &throttle, key, now).await? == Gate::Closed {
                return Ok(Some(Opened::Wait));
            }
        }
        let stored = row.code_hash.as_deref().unwrap_or_default();
        if !code_matches(secret, id, code, stored) {
            return Ok(Some(Opened::Wrong));
        }
        for key in keys {
            login_delays::clear(&self.db, key).await?;
        }
        Ok(Some(Opened::Shown(Box::new((summary, record)))))
    }

    pub(super) async fn found(
        &self,
        id: &DocumentId,
    ) -> Result<Option<(Summary, CertificateRecord, issued_document::Model)>, StorageError> {
        let Some(row) = issued_document::Entity::find()
            .filter(issued_document::Column::DocumentId.eq(id.as_str()))
            .one(&self.db)
            .await
            .map_err(storage("reading an issued document"))?
        else {
            return Ok(None);
        };
        let (Some(text), Some(signature), Some(kid)) = (&row.record, &row.signature, &row.kid)
        else {
            return Ok(None);
        };
        let Some(university) = tenancy::find_by_id(&self.db, row.tenant_id).await? else {
            return Ok(None);
        };
        let Ok(record) = serde_json::from_str::<CertificateRecord>(text) else {
            tracing::error!(document = %id, "a stored record does not read");
            return Err(StorageError);
        };
        let key = self.keys.public_key(row.tenant_id, kid).await?;
        let holds = key.as_ref().is_some_and(|key| {
            signature_holds(text.as_bytes(), signature, key)
                && record.document == id.as_str()
                && record.kid == *kid
                && record.university == university.slug
        });
        let today = jst_date(self.clock.now_ms()).format("%Y-%m-%d").to_string();
        let standing = if !holds {
            Standing::SignatureInvalid
        } else if let Some(at) = row.revoked_at {
            Standing::Revoked {
                at,
                reason: row
                    .revoked_reason
                    .as_deref()
                    .and_then(RevocationReason::from_code)
                    .unwrap_or(RevocationReason::Other),
            }
        } else if let Some(on) = record.valid_until.clone().filter(|last| *last < today) {
            Standing::Expired { on }
        } else {
            Standing::Valid
        };
        let summary = Summary {
            university,
            certificate: record.certificate.clone(),
            title: record.title.clone(),
            lang: record.lang.clone(),
            issued_on: record.issued_on.clone(),
            valid_until: record.valid_until.clone(),
            standing,
        };
        Ok(Some((summary, record, row)))
    }
}
