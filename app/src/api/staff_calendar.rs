//! The office's closure calendar in the console: every member reads the days ahead the office
//! is closed; admins close a day (with why) or open it again. Thin adapters over the
//! certificates context, which checks each member's permission itself.

use super::views::TenantView;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosureView {
    /// `YYYY-MM-DD`, as the form sends it back.
    pub day: String,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarView {
    pub tenant: TenantView,
    /// From today (JST) on, in order.
    pub days: Vec<ClosureView>,
    /// Whether this member may change it.
    pub editable: bool,
    pub today: String,
}

#[server(endpoint = "staff/calendar")]
pub async fn staff_calendar(tenant: String) -> Result<CalendarView, AppError> {
    use crate::web::{certificates, request, respond, staff};
    use backend::staff::StaffStage;
    let state = request::state()?;
    let (found, member, _) = staff::member_at(&state, &tenant, StaffStage::SignedIn).await?;
    respond(certificates::calendar(&state, (found, &member)).await)
}

/// `休業日を追加する`: closes the office on `day` with `note`.
#[server(endpoint = "staff/close_day")]
pub async fn close_day(
    tenant: String,
    day: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    use crate::web::{certificates, request, respond, staff};
    use backend::staff::StaffStage;
    let state = request::state()?;
    let (found, member, _) = staff::member_at(&state, &tenant, StaffStage::SignedIn).await?;
    respond(certificates::close_day(&state, (found, &member), &day, &note).await)?;
    let page = crate::routes::Page::StaffCalendar.href(&tenant);
    leptos_axum::redirect(&format!("{page}?done=closed"));
    Ok(())
}

/// `削除する` beside a day: the office works that day after all.
#[server(endpoint = "staff/reopen_day")]
pub async fn reopen_day(tenant: String, day: String) -> Result<(), AppError> {
    use crate::web::{certificates, request, respond, staff};
    use backend::staff::StaffStage;
    let state = request::state()?;
    let (found, member, _) = staff::member_at(&state, &tenant, StaffStage::SignedIn).await?;
    respond(certificates::reopen_day(&state, (found, &member), &day).await)?;
    let page = crate::routes::Page::StaffCalendar.href(&tenant);
    leptos_axum::redirect(&format!("{page}?done=reopened"));
    Ok(())
}
