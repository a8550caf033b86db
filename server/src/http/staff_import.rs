//! The console import's upload: `POST /{tenant}/staff/import`, a native multipart form with
//! what the file holds as `kind` (`registry` or `grades`) and the CSV as `file`, for a
//! signed-in member who may import the registry. The file is kept for its preview and the
//! browser is sent to it (`?upload=…&kind=…`); what went wrong comes back as `?error=…` on the
//! same page.

use app::error::AppError;
use app::routes::Page;
use app::web::request::actor_of;
use app::web::staff::{session_cookie_of, upload_registry};
use app::web::state::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use backend::registry::console_import::{UploadKind, MAX_UPLOAD_BYTES};

/// The body limit of the upload route: the largest file and its form around it.
pub const BODY_LIMIT: usize = MAX_UPLOAD_BYTES + 64 * 1024;

pub async fn upload(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    parts: Parts,
    mut form: Multipart,
) -> Response {
    // The slug goes into the answer's `Location`: only a slug's characters may (a decoded
    // `%2F%2Fevil.example` would make it another site's address).
    if !domain::TenantSlug::is_valid(&tenant) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let page = Page::StaffImport.href(&tenant);
    let back = |error: &str| Redirect::to(&format!("{page}?error={error}")).into_response();
    let mut file = None;
    let mut kind = UploadKind::Registry;
    loop {
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("kind") => {
                let text = field.text().await.unwrap_or_default();
                match UploadKind::from_code(text.trim()) {
                    Some(chosen) => kind = chosen,
                    None => return StatusCode::BAD_REQUEST.into_response(),
                }
            }
            Ok(Some(field)) if field.name() == Some("file") => {
                let name = field.file_name().unwrap_or("registry.csv").to_owned();
                match field.bytes().await {
                    Ok(bytes) => file = Some((name, bytes.to_vec())),
                    Err(_) => return back("too-large"),
                }
            }
            Ok(Some(_)) => continue,
            Ok(None) => break,
            // A body past the limit ends the stream early.
            Err(_) => return back("too-large"),
        }
    }
    let Some((name, bytes)) = file.filter(|(_, bytes)| !bytes.is_empty()) else {
        return back("no-file");
    };
    let raw = session_cookie_of(&state, &parts.headers);
    let actor = actor_of(&parts);
    match upload_registry(&state, (&tenant, raw), &actor, (kind, &name, bytes)).await {
        Ok(id) => Redirect::to(&format!("{page}?upload={id}&kind={}", kind.code())).into_response(),
        Err(AppError::NotSignedIn) => {
            Redirect::to(&Page::StaffSignIn.href(&tenant)).into_response()
        }
        Err(AppError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(AppError::Forbidden) => StatusCode::FORBIDDEN.into_response(),
        Err(AppError::Refused(msg)) if msg == domain::i18n::StaffMsg::ImportTooLarge.into() => {
            back("too-large")
        }
        Err(AppError::Refused(_)) => back("not-text"),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
