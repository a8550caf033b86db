//! An issued certificate's PDF: `GET /{tenant}/certificates/pdf?no=…&line=N` for its student
//! while the application stands issued, `GET /{tenant}/staff/application.pdf?no=…&line=N` for
//! the university's staff, `GET /s/{token}/pdf` for a share's recipient. Another student's,
//! another university's, one not issued or an ended share is 404; never stored by a cache.

use app::routes::Page;
use app::web::certificates::{staff_pdf, student_pdf};
use app::web::request::actor_of;
use app::web::staff::session_cookie_of;
use app::web::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use backend::certificates::IssuedPdf;
use serde::Deserialize;

/// Which certificate a download names: the application's number and the line (1-based).
#[derive(Deserialize)]
pub struct Which {
    #[serde(default)]
    pub(super) no: String,
    #[serde(default)]
    pub(super) line: String,
}

pub async fn for_student(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    Query(which): Query<Which>,
    parts: Parts,
) -> Response {
    let at = match super::signed_in_student(&state, &tenant, &parts.headers).await {
        Ok(at) => at,
        Err(answer) => return answer,
    };
    let made = student_pdf(&state, &at, (&which.no, &which.line)).await;
    super::download(made, &tenant, Page::Login, attachment)
}

pub async fn for_staff(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    Query(which): Query<Which>,
    parts: Parts,
) -> Response {
    let raw = session_cookie_of(&state, &parts.headers);
    let made = staff_pdf(
        &state,
        (&tenant, raw),
        &actor_of(&parts),
        (&which.no, &which.line),
    )
    .await;
    super::download(made, &tenant, Page::StaffSignIn, attachment)
}

/// A shared certificate's PDF: `GET /s/{token}/pdf` while the share stands (each download
/// in its access log); 404 otherwise.
pub async fn for_share(
    State(state): State<AppState>,
    Path(token): Path<String>,
    parts: Parts,
) -> Response {
    let Some(token) = domain::ShareToken::parse(&token) else {
        return axum::http::StatusCode::NOT_FOUND.into_response();
    };
    super::found_or_404(
        state.shares.pdf(&token, &actor_of(&parts)).await,
        attachment,
    )
}

fn attachment(document: IssuedPdf) -> Response {
    super::attachment(document.pdf, "application/pdf", &document.file_name)
}
