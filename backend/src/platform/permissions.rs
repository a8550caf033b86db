//! The check every service makes before it acts for a staff member: the member's role allows
//! the permission, at this university. A refusal is audited and nothing else happens. Here in
//! the platform so that every context makes the same check without importing `staff`.

use super::audit::{self, Actor, Event, Subject};
use domain::{Permission, StaffMember};
use sea_orm::ConnectionTrait;

/// The member's role or university does not allow it (and the refusal is in the audit log).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not allowed")]
pub struct Forbidden;

/// Refuses, and audits the refusal, unless `by` may do `permission` at `tenant_id`: a member
/// of another university may nothing here, whatever the role.
pub async fn require(
    db: &impl ConnectionTrait,
    (by, actor): (&StaffMember, &Actor),
    permission: Permission,
    tenant_id: i32,
) -> Result<(), Forbidden> {
    if by.may(permission, tenant_id) {
        return Ok(());
    }
    tracing::warn!(
        staff_id = by.id,
        ?permission,
        tenant_id,
        "staff action refused"
    );
    let about = Subject {
        tenant_id: Some(tenant_id),
        staff_id: Some(by.id),
        ..Default::default()
    };
    audit::record(db, actor, Event::StaffForbidden, about).await;
    Err(Forbidden)
}
