//! Revoking an issued certificate: an admin's decision, with a reason's category, shown on its
//! verification page at once (the page reads the row on every view). A certificate whose
//! application is cancelled after issue is revoked in the cancellation's transaction.
//! Revocation is for ever: there is no way back, as for a paper certificate declared void.

use super::processing::ActionError;
use super::Applications;
use crate::entities::{issued_document, tenant};
use crate::platform::audit::{self, Actor, Event, Subject};
use crate::platform::permissions;
use crate::platform::{begin, storage, StorageError};
use domain::{application_number, Permission, RevocationReason, StaffMember};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::sync::atomic::{AtomicU64, Ordering};

/// One issued certificate of an application, as the console lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuedCertificate {
    /// The line's position (0-based, as listed).
    pub position: i32,
    /// Its public id; `None` for one issued before certificates were signed.
    pub document_id: Option<String>,
    /// When (epoch ms) and why it was revoked.
    pub revoked: Option<(i64, RevocationReason)>,
}

impl Applications {
    /// The certificates issued for application `id`, for a staff member who may read the
    /// university's students.
    pub async fn issued_certificates(
        &self,
        by: (&StaffMember, &Actor),
        tenant_id: i32,
        id: i32,
    ) -> Result<Vec<IssuedCertificate>, ActionError> {
        permissions::require(&self.db, by, Permission::ReadStudents, tenant_id).await?;
        let rows = issued_document::Entity::find()
            .filter(issued_document::Column::TenantId.eq(tenant_id))
            .filter(issued_document::Column::ApplicationId.eq(id))
            .order_by_asc(issued_document::Column::Position)
            .all(&self.db)
            .await
            .map_err(storage("reading an application's certificates"))?;
        Ok(rows
            .into_iter()
            .map(|row| IssuedCertificate {
                position: row.position,
                document_id: row.document_id,
                revoked: row.revoked_at.map(|at| {
                    let reason =
                        row.revoked_reason.as_deref().and_then(RevocationReason::from_code);
                    (at, reason.unwrap_or(RevocationReason::Other))
                }),
            })
            .collect())
    }

    /// Revokes the certificate of line `position` of application `id`, for an admin, with an
    /// audit event. `NotFound` for a line with no signed certificate at this university;
    /// `AlreadyRevoked` when another revocation came first.
    pub async fn revoke(
        &self,
        (by, actor): (&StaffMember, &Actor),
        tenant: &tenant::Model,
        id: i32,
        position: i32,
        reason: RevocationReason,
    ) -> Result<(), ActionError> {
        let permission = Permission::CancelIssuedApplications;
        permissions::require(&self.db, (by, actor), permission, tenant.id).await?;
        let now = self.clock.now_ms();
        let txn = begin(&self.db).await?;
        let line = Condition::all()
            .add(issued_document::Column::TenantId.eq(tenant.id))
            .add(issued_document::Column::ApplicationId.eq(id))
            .add(issued_document::Column::Position.eq(position));
        if revoke_standing(&txn, line.clone(), reason, now).await? != 1 {
            txn.rollback().await.map_err(storage("rolling back a refused revocation"))?;
            let signed = issued_document::Entity::find()
                .filter(line)
                .filter(issued_document::Column::DocumentId.is_not_null())
                .one(&self.db)
                .await
                .map_err(storage("reading a certificate"))?;
            return Err(match signed {
                Some(_) => ActionError::AlreadyRevoked,
                None => ActionError::NotFound,
            });
        }
        let detail = serde_json::json!({
            "application": application_number(id),
            "line": position + 1,
            "reason": reason.code(),
        })
        .to_string();
        let about = Subject {
            tenant_id: Some(tenant.id),
            staff_id: Some(by.id),
            detail: Some(&detail),
            ..Default::default()
        };
        audit::record(&txn, actor, Event::CertificateRevoked, about).await;
        txn.commit().await.map_err(storage("committing a revocation"))?;
        revoked_now();
        Ok(())
    }
}

/// How many revocations this process has committed. A verification page kept in memory
/// (the server's shared pages) is stale once this has moved since it was rendered, so a
/// revocation shows at once. One process's count: several instances behind one address keep
/// their copies for the few seconds they are kept at most.
static REVOCATIONS: AtomicU64 = AtomicU64::new(0);

/// See [`REVOCATIONS`].
pub fn revocations_committed() -> u64 {
    REVOCATIONS.load(Ordering::Acquire)
}

/// Called after a transaction that revoked certificates has committed.
pub(super) fn revoked_now() {
    REVOCATIONS.fetch_add(1, Ordering::AcqRel);
}

/// Revokes every certificate of application `id` still standing, as cancelled: in the
/// transaction that cancels it after issue.
pub(super) async fn revoke_cancelled(
    txn: &impl ConnectionTrait,
    id: i32,
    now: i64,
) -> Result<(), StorageError> {
    let lines = Condition::all().add(issued_document::Column::ApplicationId.eq(id));
    revoke_standing(txn, lines, RevocationReason::Cancelled, now).await?;
    Ok(())
}

/// Revokes, as of `now` for `reason`, the signed certificates `which` picks that still stand
/// (one conditional update: of two revocations at once, one finds it standing); how many.
async fn revoke_standing(
    db: &impl ConnectionTrait,
    which: Condition,
    reason: RevocationReason,
    now: i64,
) -> Result<u64, StorageError> {
    let revoked = issued_document::Entity::update_many()
        .col_expr(issued_document::Column::RevokedAt, Expr::value(now))
        .col_expr(
            issued_document::Column::RevokedReason,
            Expr::value(reason.code()),
        )
        .filter(which)
        .filter(issued_document::Column::DocumentId.is_not_null())
        .filter(issued_document::Column::RevokedAt.is_null())
        .exec(db)
        .await
        .map_err(storage("revoking certificates"))?;
    Ok(revoked.rows_affected)
}
