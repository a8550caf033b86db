//! Shares of issued certificates: the student's page (`証明書の共有`: make a link for a named
//! recipient with their consent, see each link's access log, revoke it) and the recipient's
//! page (`/s/{token}`). Thin adapters over the certificates context's `Shares`.

use super::verification::DocumentView;
use super::views::TenantView;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The student's shares page, with the form for one certificate when the address names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharesView {
    pub tenant: TenantView,
    /// The certificate the form shares (`?no=…&line=…`): its application number, line
    /// (1-based) and name in each language.
    pub sharing: Option<SharingView>,
    pub shares: Vec<ShareView>,
    /// The share just made, whose link the page points at.
    pub created: Option<i32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharingView {
    pub number: String,
    pub line: usize,
    pub name_ja: String,
    pub name_en: String,
    pub default_days: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareView {
    pub id: i32,
    /// The whole address to send (`https://…/s/{token}`).
    pub link: Option<String>,
    pub recipient: String,
    pub number: String,
    pub line: usize,
    pub made: String,
    pub until: String,
    pub state: ShareState,
    pub visits: Vec<VisitView>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ShareState {
    Open,
    Expired,
    Revoked,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitView {
    pub at: String,
    pub outcome: String,
    pub address: String,
    pub browser: String,
}

/// What a share's link shows its recipient.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SharedView {
    NotFound,
    Expired,
    Revoked,
    Open(Box<SharedDocument>),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedDocument {
    pub document: DocumentView,
    pub recipient: String,
    /// `YYYY-MM-DD HH:MM` in JST.
    pub until: String,
    pub pdf_href: String,
    pub credential_href: String,
}

/// The signed-in student's shares, and the form for certificate `number`/`line` if named.
#[server(endpoint = "certificate_shares")]
pub async fn certificate_shares(
    tenant: String,
    number: String,
    line: String,
    created: String,
) -> Result<SharesView, AppError> {
    use crate::web::{request, shares};
    let state = request::state()?;
    let at = request::student_at(&state, &tenant, domain::Stage::SignedIn).await?;
    let lang = request::lang();
    shares::page(&state, &at, (&number, &line), &created, lang).await
}

/// `同意して共有リンクを作る`: a share of line `line` of application `number` for `recipient`,
/// for `days`, with the student's consent; then the shares page, pointing at it.
#[server(endpoint = "create_share")]
pub async fn create_share(
    tenant: String,
    number: String,
    line: String,
    recipient: String,
    days: String,
    #[server(default)] consent: String,
) -> Result<(), AppError> {
    use crate::routes::Page;
    use crate::web::{request, shares};
    let state = request::state()?;
    let at = request::student_at(&state, &tenant, domain::Stage::SignedIn).await?;
    let form = (recipient, days, !consent.is_empty());
    let id = shares::create(&state, &at, (&number, &line), form).await?;
    leptos_axum::redirect(&format!(
        "{}?created={id}",
        Page::CertificatesShares.href(&tenant)
    ));
    Ok(())
}

/// `共有を取り消す`; then the shares page.
#[server(endpoint = "revoke_share")]
pub async fn revoke_share(tenant: String, share: String) -> Result<(), AppError> {
    use crate::routes::Page;
    use crate::web::{request, shares};
    let state = request::state()?;
    let at = request::student_at(&state, &tenant, domain::Stage::SignedIn).await?;
    shares::revoke(&state, &at, &share).await?;
    leptos_axum::redirect(&format!(
        "{}?revoked=1",
        Page::CertificatesShares.href(&tenant)
    ));
    Ok(())
}

/// What share `token`'s link shows, each opening written to its access log.
#[server(endpoint = "shared_certificate")]
pub async fn shared_certificate(token: String) -> Result<SharedView, AppError> {
    use crate::web::{request, shares};
    let state = request::state()?;
    shares::shared(&state, &token, &request::actor()).await
}
