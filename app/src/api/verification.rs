//! The public verification page (`/v/{document id}`, the QR code's target): what the id alone
//! shows, and the code's form. Outside every university and every session; thin adapters over
//! the certificates context's `Verifications`.

use super::views::TenantView;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the page shows for the id in its address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum VerificationView {
    /// Not the shape of a document id at all.
    Malformed,
    /// No certificate has this id.
    NotFound,
    Found(Box<DocumentView>),
}

/// A certificate as anyone sees it: nothing personal, unless `record` was opened by its code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentView {
    pub document: String,
    pub tenant: TenantView,
    /// The title as printed, and the language printed in (`ja`, `en`).
    pub title: String,
    pub lang: String,
    /// `YYYY-MM-DD`.
    pub issued_on: String,
    pub valid_until: Option<String>,
    pub standing: StandingView,
    /// What the certificate printed, once its code was right (for a few minutes).
    pub record: Option<RecordView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StandingView {
    Valid,
    /// Past its last valid day (`YYYY-MM-DD`).
    Expired {
        on: String,
    },
    /// Revoked on `on` (`YYYY-MM-DD`, JST) for `reason`.
    Revoked {
        on: String,
        reason: domain::RevocationReason,
    },
    SignatureInvalid,
}

/// Exactly what the certificate printed, for the verifier to compare with the paper.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordView {
    pub number: String,
    pub facts: Vec<(String, String)>,
    pub statement: String,
    pub courses: Option<CoursesView>,
    /// SHA-256 of the PDF as issued, lower-case hex: what a dropped file is compared with.
    pub pdf_sha256: String,
}

/// A transcript's course results as printed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoursesView {
    pub headings: [String; 6],
    pub rows: Vec<[String; 6]>,
    pub totals: Vec<(String, String)>,
    pub empty: String,
}

/// The page's view of document `document`; the record shows while the grant of a right code
/// (its cookie, sent to this page only) runs.
#[server(endpoint = "verification")]
pub async fn verification(document: String) -> Result<VerificationView, AppError> {
    use crate::web::{cookies::VERIFIED_COOKIE, request, verification};
    let state = request::state()?;
    let Some(id) = domain::DocumentId::parse(&document) else {
        return Ok(VerificationView::Malformed);
    };
    let granted = request::cookie(VERIFIED_COOKIE);
    let viewed = crate::web::respond(state.verifications.view(&id, granted.as_deref()).await)?;
    Ok(viewed.map_or(VerificationView::NotFound, |viewed| {
        VerificationView::Found(Box::new(verification::document_view(&id, viewed)))
    }))
}

/// The code's form: a right code grants the record to this browser for a few minutes (a
/// cookie for this page only, so the code never stays in an address, a history or a log) and
/// comes back to the page; a wrong one is refused under its field.
#[server(endpoint = "verify_code")]
pub async fn verify_code(document: String, code: String) -> Result<(), AppError> {
    use crate::error::Field;
    use crate::routes::verification_href;
    use crate::web::{cookies, request, respond};
    use backend::certificates::{Opened, GRANT_SECONDS};
    use domain::i18n::{CertificateMsg, FieldMsg};
    let state = request::state()?;
    let id = domain::DocumentId::parse(&document).ok_or(AppError::NotFound)?;
    let code = domain::VerificationCode::parse(&code).ok_or(AppError::invalid(
        Field::VerificationCode,
        FieldMsg::VerificationCodeInvalid,
    ))?;
    let client = request::client_limit_key();
    let verifications = &state.verifications;
    match respond(verifications.open(&id, &code, &client).await)? {
        None => Err(AppError::NotFound),
        Some(Opened::Wrong) => Err(AppError::invalid(
            Field::VerificationCode,
            FieldMsg::VerificationCodeWrong,
        )),
        Some(Opened::Wait) => Err(AppError::Refused(CertificateMsg::VerifyWait.into())),
        Some(Opened::Shown(_)) => {
            let grant = verifications.grant(&id).ok_or(AppError::Internal)?;
            let page = verification_href(id.as_str());
            request::set_cookie(&cookies::verified(
                &state.settings,
                &page,
                &grant,
                GRANT_SECONDS,
            ));
            leptos_axum::redirect(&page);
            Ok(())
        }
    }
}
