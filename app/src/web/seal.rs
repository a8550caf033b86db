//! The university's seal in the console's settings: what the page shows of it, its image for
//! a member's browser, and an admin's upload or removal (the upload is a native multipart form
//! the server's route reads; the outcome comes back to the settings page as `?seal=…`).

use super::staff::member_with;
use super::state::AppState;
use crate::api::staff::{SealNotice, SealView};
use crate::error::AppError;
use crate::routes::{Page, STAFF_SEAL_IMAGE};
use backend::certificates::{self, SealError};
use backend::entities::tenant;
use backend::platform::audit::Actor;
use backend::staff::StaffStage;
use domain::StaffMember;

impl From<SealError> for AppError {
    fn from(err: SealError) -> Self {
        match err {
            SealError::Forbidden => AppError::Forbidden,
            // A refused file is said on the page (`change_seal`), never raised.
            SealError::TooLarge
            | SealError::NotPng
            | SealError::BadSize
            | SealError::Storage(_) => AppError::Internal,
        }
    }
}

/// The seal image of `tenant` as the settings page shows it.
pub async fn seal_view(
    state: &AppState,
    by: (&StaffMember, &Actor),
    tenant: &tenant::Model,
) -> Result<Option<SealView>, AppError> {
    let seal = certificates::seal_in_use(&state.db, by, tenant.id).await?;
    Ok(seal.map(|seal| SealView {
        href: format!(
            "/{}/{STAFF_SEAL_IMAGE}?v={}",
            tenant.slug,
            &seal.sha256[..16]
        ),
        width: seal.width,
        height: seal.height,
        uploaded_on: backend::certificates::jst_date(seal.uploaded_at).to_string(),
    }))
}

/// The seal image's PNG for a signed-in member; `None` when the university has none.
pub async fn seal_png(
    state: &AppState,
    (slug, raw): (&str, Option<String>),
    actor: &Actor,
) -> Result<Option<Vec<u8>>, AppError> {
    let (tenant, member, _) = member_with(state, slug, raw, StaffStage::SignedIn).await?;
    Ok(certificates::seal_image(&state.db, (&member, actor), tenant.id).await?)
}

/// What an admin asks of the seal.
pub enum SealChange {
    /// The uploaded file's bytes (empty when no file was chosen).
    Upload(Vec<u8>),
    Remove,
}

/// The seal uploaded or removed by a signed-in admin: what the settings page then says. A file
/// that is refused changes nothing.
pub async fn change_seal(
    state: &AppState,
    (slug, raw): (&str, Option<String>),
    actor: &Actor,
    change: SealChange,
) -> Result<SealNotice, AppError> {
    let (tenant, member, _) = member_with(state, slug, raw, StaffStage::SignedIn).await?;
    let by = (&member, actor);
    let png = match change {
        SealChange::Remove => {
            certificates::remove_seal(&state.db, by, tenant.id).await?;
            return Ok(SealNotice::Removed);
        }
        SealChange::Upload(png) if png.is_empty() => return Ok(SealNotice::NoFile),
        SealChange::Upload(png) => png,
    };
    let now = state.accounts.clock.now_ms();
    match certificates::upload_seal(&state.db, by, tenant.id, png, now).await {
        Ok(()) => {}
        Err(SealError::TooLarge) => return Ok(SealNotice::TooLarge),
        Err(SealError::BadSize) => return Ok(SealNotice::BadSize),
        Err(SealError::NotPng) => return Ok(SealNotice::NotPng),
        Err(err) => return Err(err.into()),
    }
    Ok(SealNotice::Uploaded)
}

/// The settings page with `notice` said on it.
pub fn settings_with(slug: &str, notice: SealNotice) -> String {
    format!("{}?seal={}", Page::StaffSettings.href(slug), notice.code())
}
