//! The shares' views, built from the certificates context's `Shares` for the signed-in student
//! and for a share's recipient, and what their refusals say.

use super::state::AppState;
use crate::api::shares::{
    ShareState, ShareView, SharedDocument, SharedView, SharesView, SharingView, VisitView,
};
use crate::error::{AppError, Field};
use crate::routes::{share_credential_href, share_href, share_pdf_href};
use backend::account::StudentSession;
use backend::certificates::{
    ShareError, ShareOutcome, ShareRequest, Shared, StudentShare, DEFAULT_SHARE_DAYS,
};
use backend::platform::audit::Actor;
use backend::platform::clock::jst_minute;
use domain::i18n::{CertificateMsg, FieldMsg, Lang};
use domain::{application_number, parse_application_number, ShareToken};

impl From<ShareError> for AppError {
    fn from(err: ShareError) -> Self {
        match err {
            ShareError::NotFound => AppError::NotFound,
            ShareError::BadRecipient => {
                AppError::invalid(Field::ShareRecipient, FieldMsg::ShareRecipientInvalid)
            }
            ShareError::BadDays => AppError::invalid(Field::ShareDays, FieldMsg::ShareDaysInvalid),
            ShareError::NoConsent => {
                AppError::invalid(Field::ShareConsent, FieldMsg::ShareConsentRequired)
            }
            ShareError::Storage => AppError::Internal,
        }
    }
}

/// Application `number`'s line `line` (1-based) as the address gives them.
fn certificate_at(number: &str, line: &str) -> Result<(i32, i32), AppError> {
    let id = parse_application_number(number).ok_or(AppError::NotFound)?;
    Ok((id, super::certificates::line_position(line)?))
}

/// The shares page of the signed-in student; a named certificate that is not theirs (or not
/// issued) is not found.
pub async fn page(
    state: &AppState,
    at: &StudentSession,
    (number, line): (&str, &str),
    created: &str,
    lang: Lang,
) -> Result<SharesView, AppError> {
    let student = state.accounts.registry_student(at).await?;
    let tenant_id = at.tenant.id;
    let sharing = match number.trim().is_empty() {
        true => None,
        false => {
            let (id, position) = certificate_at(number, line)?;
            let application = state.applications.one_of_student(tenant_id, student.id, id);
            let application = application.await?.ok_or(AppError::NotFound)?;
            let line = application.lines.get(position as usize).ok_or(AppError::NotFound)?;
            Some(SharingView {
                number: application.number.clone(),
                line: position as usize + 1,
                name_ja: line.name_ja.clone(),
                name_en: line.name_en.clone(),
                default_days: DEFAULT_SHARE_DAYS,
            })
        }
    };
    let now = backend::platform::clock::now_ms();
    let shares = state.shares.of_student(tenant_id, student.id).await?;
    Ok(SharesView {
        tenant: at.tenant.clone().into(),
        sharing,
        shares: shares.into_iter().map(|share| share_view(state, share, now, lang)).collect(),
        created: created.trim().parse().ok(),
    })
}

fn share_view(state: &AppState, share: StudentShare, now: i64, lang: Lang) -> ShareView {
    let state_now = if share.revoked_at.is_some() {
        ShareState::Revoked
    } else if now >= share.expires_at {
        ShareState::Expired
    } else {
        ShareState::Open
    };
    let base = state.settings.public_url.as_str().trim_end_matches('/');
    ShareView {
        id: share.id,
        link: share.token.map(|token| format!("{base}{}", share_href(token.as_str()))),
        recipient: share.recipient,
        number: application_number(share.application_id),
        line: share.position as usize + 1,
        made: jst_minute(share.created_at),
        until: jst_minute(share.expires_at),
        state: state_now,
        visits: share
            .visits
            .into_iter()
            .map(|visit| VisitView {
                at: jst_minute(visit.at),
                outcome: outcome_msg(visit.outcome).text(lang).to_owned(),
                address: visit.address,
                browser: visit.browser,
            })
            .collect(),
    }
}

fn outcome_msg(outcome: ShareOutcome) -> CertificateMsg {
    match outcome {
        ShareOutcome::Shown => CertificateMsg::OutcomeShown,
        ShareOutcome::Downloaded => CertificateMsg::OutcomeDownloaded,
        ShareOutcome::CredentialDownloaded => CertificateMsg::OutcomeCredential,
        ShareOutcome::Expired => CertificateMsg::OutcomeExpired,
        ShareOutcome::Revoked => CertificateMsg::OutcomeRevoked,
    }
}

/// A share of the signed-in student's certificate, as the form asks; its id.
pub async fn create(
    state: &AppState,
    at: &StudentSession,
    (number, line): (&str, &str),
    (recipient, days, consented): (String, String, bool),
) -> Result<i32, AppError> {
    let student = state.accounts.registry_student(at).await?;
    let certificate = certificate_at(number, line)?;
    let days = days
        .trim()
        .parse::<u32>()
        .map_err(|_| AppError::invalid(Field::ShareDays, FieldMsg::ShareDaysInvalid))?;
    let request = ShareRequest {
        recipient,
        days,
        consented,
    };
    let owner = (at.tenant.id, student.id);
    Ok(state.shares.create(owner, certificate, &request).await?.1)
}

/// Revokes the signed-in student's share `share`; another student's is not found.
pub async fn revoke(state: &AppState, at: &StudentSession, share: &str) -> Result<(), AppError> {
    let student = state.accounts.registry_student(at).await?;
    let id = share.trim().parse::<i32>().map_err(|_| AppError::NotFound)?;
    Ok(state.shares.revoke(at.tenant.id, student.id, id).await?)
}

/// What share `token`'s link shows `client`.
pub async fn shared(state: &AppState, token: &str, client: &Actor) -> Result<SharedView, AppError> {
    let Some(token) = ShareToken::parse(token) else {
        return Ok(SharedView::NotFound);
    };
    let found = state.shares.open(&token, client).await?;
    Ok(match found {
        None => SharedView::NotFound,
        Some(Shared::Expired) => SharedView::Expired,
        Some(Shared::Revoked) => SharedView::Revoked,
        Some(Shared::Open {
            document,
            viewed,
            recipient,
            expires_at,
        }) => {
            let document = super::verification::document_view(&document, *viewed);
            SharedView::Open(Box::new(SharedDocument {
                document,
                recipient,
                until: jst_minute(expires_at),
                pdf_href: share_pdf_href(token.as_str()),
                credential_href: share_credential_href(token.as_str()),
            }))
        }
    })
}
