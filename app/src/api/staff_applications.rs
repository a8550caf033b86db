//! The staff console's queue of certificate applications: the list with its filter, one
//! application with its student, and the actions on it. Thin adapters over the certificates
//! context, which checks each member's permission itself.

use super::certificates::ApplicationView;
use super::views::TenantView;
use crate::error::AppError;
use domain::i18n::CertificateMsg;
use domain::StudentStatus;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The queue's filter as the address carries it (each empty: any).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QueueQuery {
    pub status: String,
    pub certificate: String,
    pub delivery: String,
    pub from: String,
    pub until: String,
    pub student: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueRowView {
    pub application: ApplicationView,
    pub user_id: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueView {
    pub tenant: TenantView,
    pub query: QueueQuery,
    pub rows: Vec<QueueRowView>,
    /// The catalogue's types and delivery methods, for the filter: code and names.
    pub types: Vec<(String, String, String)>,
    pub deliveries: Vec<(String, String, String)>,
    /// A date of the filter that could not be read (and was left out).
    pub problem: Option<CertificateMsg>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffApplicationView {
    pub tenant: TenantView,
    pub application: ApplicationView,
    pub cancel_reason: Option<String>,
    pub user_id: String,
    pub name: String,
    pub student_number: Option<String>,
    pub registry_status: StudentStatus,
    /// The actions this member may take on it now, as the form's `action` values.
    pub actions: Vec<String>,
    /// Its certificates issued as PDF, and whether this member may revoke them.
    pub certificates: Vec<IssuedCertificateView>,
    pub may_revoke: bool,
}

/// A certificate issued for one line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedCertificateView {
    /// The line's index, as listed (0-based).
    pub index: usize,
    /// Its verification page; `None` for one issued before certificates were signed.
    pub page: Option<String>,
    /// The day (`YYYY-MM-DD`, JST) and the reason it was revoked.
    pub revoked: Option<(String, domain::RevocationReason)>,
}

/// The queue, filtered.
#[server(endpoint = "staff/applications")]
pub async fn staff_applications(tenant: String, query: QueueQuery) -> Result<QueueView, AppError> {
    use crate::web::{certificates, request, respond, staff};
    use backend::staff::StaffStage;
    let state = request::state()?;
    let (found, member, _) = staff::member_at(&state, &tenant, StaffStage::SignedIn).await?;
    respond(certificates::queue(&state, (found, &member), query).await)
}

/// One application with its student and the actions open to this member.
#[server(endpoint = "staff/application")]
pub async fn staff_application(
    tenant: String,
    number: String,
) -> Result<StaffApplicationView, AppError> {
    use crate::web::{certificates, request, respond, staff};
    use backend::staff::StaffStage;
    let state = request::state()?;
    let (found, member, _) = staff::member_at(&state, &tenant, StaffStage::SignedIn).await?;
    respond(certificates::for_staff(&state, (found, &member), &number).await)
}

/// Revokes the certificate of line `line` (1-based, as listed) of application `number`, with
/// a reason's category (`RevocationReason` code); then the application's page again.
#[server(endpoint = "staff/revoke_certificate")]
pub async fn revoke_certificate(
    tenant: String,
    number: String,
    line: String,
    reason: String,
) -> Result<(), AppError> {
    use crate::routes::Page;
    use crate::web::{certificates, request, respond, staff};
    use backend::staff::StaffStage;
    let state = request::state()?;
    let (found, member, _) = staff::member_at(&state, &tenant, StaffStage::SignedIn).await?;
    let revoked = certificates::revoke(&state, (found, &member), &number, (&line, &reason));
    respond(revoked.await)?;
    let page = Page::StaffApplication.href(&tenant);
    leptos_axum::redirect(&format!("{page}?no={number}&done=revoked"));
    Ok(())
}

/// An action on an application (`start`, `issue`, `send` with a tracking number, `ready`,
/// `collect`, `cancel` with a reason); then its page again.
#[server(endpoint = "staff/application_action")]
pub async fn staff_application_action(
    tenant: String,
    number: String,
    action: String,
    #[server(default)] tracking: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use crate::routes::Page;
    use crate::web::{certificates, request, respond, staff};
    use backend::staff::StaffStage;
    let state = request::state()?;
    let (found, member, _) = staff::member_at(&state, &tenant, StaffStage::SignedIn).await?;
    let acted = certificates::staff_act(
        &state,
        (found, &member),
        &number,
        &action,
        (tracking, reason),
    )
    .await;
    let status = respond(acted)?;
    let page = Page::StaffApplication.href(&tenant);
    leptos_axum::redirect(&format!("{page}?no={number}&done={}", status.code()));
    Ok(())
}
