//! What the staff console's server functions need of a request: the staff session cookie
//! (never the students'), and the acting member at a stage.

use super::cookies;
use super::request::{cookie, set_cookie};
use super::state::AppState;
use crate::error::AppError;
use backend::entities::tenant;
use backend::staff::StaffStage;
use domain::StaffMember;

/// The staff session cookie this request carries.
pub fn session_cookie(state: &AppState) -> Option<String> {
    cookie(cookies::staff_session_cookie_name(&state.settings)).filter(|raw| !raw.is_empty())
}

pub fn set_session_cookie(state: &AppState, raw: &str) {
    set_cookie(&cookies::staff_session(&state.settings, raw, false));
}

pub fn clear_session_cookie(state: &AppState) {
    set_cookie(&cookies::staff_session(&state.settings, "", true));
}

/// The university of `slug` and the member whose session this request carries there, at
/// `stage`; anything else is `NotSignedIn`.
pub async fn member_at(
    state: &AppState,
    slug: &str,
    stage: StaffStage,
) -> Result<(tenant::Model, StaffMember, String), AppError> {
    let tenant = backend::tenancy::require(&state.db, slug).await?;
    let raw = session_cookie(state).ok_or(AppError::NotSignedIn)?;
    match state.staff.session(tenant.id, &raw).await? {
        Some((member, found)) if found == stage => Ok((tenant, member, raw)),
        _ => Err(AppError::NotSignedIn),
    }
}
