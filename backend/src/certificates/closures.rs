//! The office's closure calendar kept in the console: an admin adds a day the office is closed
//! (with why) or takes one back; every member reads it. Each change is audited with the day and
//! its note. A catalogue file with `[[closure]]` entries still replaces the calendar whole.

use super::catalogue::{closures_from, ClosureDay, MAX_NAME_CHARS};
use crate::entities::closure_day;
use crate::platform::audit::{self, Actor, Event, Subject};
use crate::platform::permissions::{self, Forbidden};
use crate::platform::{begin, is_unique_violation, storage, StorageError};
use chrono::NaiveDate;
use domain::{Permission, StaffMember};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ClosureError {
    #[error("not allowed")]
    Forbidden,
    /// Before today (JST): the past is not rescheduled.
    #[error("the day has passed")]
    Past,
    #[error("the office is already closed that day")]
    AlreadyClosed,
    #[error("that day is not a closure day")]
    NotClosed,
    #[error("the note is longer than 100 characters or holds control characters")]
    BadNote,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<Forbidden> for ClosureError {
    fn from(_: Forbidden) -> Self {
        ClosureError::Forbidden
    }
}

/// A day as a form sends it (`2026-12-29`).
pub fn parse_day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

/// The closure days of university `tenant_id` from `today` on, for a member who may read its
/// settings.
pub async fn calendar(
    db: &crate::platform::Db,
    by: (&StaffMember, &Actor),
    tenant_id: i32,
    today: NaiveDate,
) -> Result<Vec<ClosureDay>, ClosureError> {
    permissions::require(db, by, Permission::ReadSettings, tenant_id).await?;
    Ok(closures_from(db, tenant_id, today).await?)
}

/// Audits a change of the calendar, in its transaction: what changed, the day, the reason.
async fn audit_change(
    txn: &impl sea_orm::ConnectionTrait,
    (by, actor): (&StaffMember, &Actor),
    tenant_id: i32,
    (change, day, note): (&str, NaiveDate, Option<&str>),
) {
    let day = day.format("%Y-%m-%d").to_string();
    let detail = serde_json::json!({ "change": change, "day": day, "note": note }).to_string();
    let about = Subject {
        tenant_id: Some(tenant_id),
        staff_id: Some(by.id),
        detail: Some(&detail),
        ..Default::default()
    };
    audit::record(txn, actor, Event::ClosureCalendarChanged, about).await;
}

/// Closes the office on `day` (today or later), with `note` (年末年始休業, may be empty).
pub async fn close_day(
    db: &crate::platform::Db,
    (by, actor): (&StaffMember, &Actor),
    tenant_id: i32,
    (day, note): (NaiveDate, &str),
    today: NaiveDate,
) -> Result<(), ClosureError> {
    permissions::require(db, (by, actor), Permission::ChangeSettings, tenant_id).await?;
    let note = note.trim();
    if note.chars().count() > MAX_NAME_CHARS || note.chars().any(char::is_control) {
        return Err(ClosureError::BadNote);
    }
    if day < today {
        return Err(ClosureError::Past);
    }
    let txn = begin(db).await?;
    let added = closure_day::ActiveModel {
        tenant_id: Set(tenant_id),
        day: Set(day.format("%Y-%m-%d").to_string()),
        note: Set(note.to_owned()),
    }
    .insert(&txn)
    .await;
    match added {
        Ok(_) => {}
        // The day's row is the key: a second add, at once or later, finds it.
        Err(err) if is_unique_violation(&err) => return Err(ClosureError::AlreadyClosed),
        Err(err) => return Err(storage("adding a closure day")(err).into()),
    }
    super::catalogue_cache::stamp_changed(&txn, tenant_id).await?;
    audit_change(&txn, (by, actor), tenant_id, ("closed", day, Some(note))).await;
    txn.commit().await.map_err(storage("committing a closure day"))?;
    Ok(())
}

/// Opens the office again on `day` (today or later).
pub async fn reopen_day(
    db: &crate::platform::Db,
    (by, actor): (&StaffMember, &Actor),
    tenant_id: i32,
    day: NaiveDate,
    today: NaiveDate,
) -> Result<(), ClosureError> {
    permissions::require(db, (by, actor), Permission::ChangeSettings, tenant_id).await?;
    if day < today {
        return Err(ClosureError::Past);
    }
    let txn = begin(db).await?;
    let removed = closure_day::Entity::delete_many()
        .filter(closure_day::Column::TenantId.eq(tenant_id))
        .filter(closure_day::Column::Day.eq(day.format("%Y-%m-%d").to_string()))
        .exec(&txn)
        .await
        .map_err(storage("removing a closure day"))?;
    if removed.rows_affected != 1 {
        return Err(ClosureError::NotClosed);
    }
    super::catalogue_cache::stamp_changed(&txn, tenant_id).await?;
    audit_change(&txn, (by, actor), tenant_id, ("reopened", day, None)).await;
    txn.commit().await.map_err(storage("committing a reopened day"))?;
    Ok(())
}
