//! Plain axum handlers for what is not a page or a server function: the campus machines' API
//! (JSON, problem documents, its own authentication), the payment gateway's notices, the
//! development gateway's own pages, and the downloads (CSV, issued certificates' PDFs and
//! credentials, the status lists).

pub mod card_history;
pub mod certificate_pdf;
pub mod credentials;
pub mod dev_gateway;
pub mod machine_api;
pub mod public_keys;
pub mod staff_applications;
pub mod staff_audit;
pub mod staff_import;
pub mod staff_seal;
pub mod webhooks;

/// The signed-in student of a download's request, or the answer for one without: 404 for a
/// university that does not exist, the login page otherwise.
pub async fn signed_in_student(
    state: &app::web::state::AppState,
    tenant: &str,
    headers: &axum::http::HeaderMap,
) -> Result<backend::account::StudentSession, axum::response::Response> {
    use axum::response::{IntoResponse, Redirect};
    let cookies = app::web::request::session_cookies_of(&state.settings, headers);
    match state
        .accounts
        .require(tenant, cookies.current.as_deref(), domain::Stage::SignedIn)
        .await
    {
        Ok(at) => Ok(at),
        Err(backend::account::AccountError::UnknownUniversity) => {
            Err(axum::http::StatusCode::NOT_FOUND.into_response())
        }
        Err(_) => Err(Redirect::to(&app::routes::Page::Login.href(tenant)).into_response()),
    }
}

/// A CSV download: UTF-8, saved under `filename`, never stored by a cache (it holds personal
/// data).
pub fn csv_attachment(csv: String, filename: &'static str) -> axum::response::Response {
    attachment(csv.into_bytes(), "text/csv; charset=utf-8", filename)
}

/// A download of `body` saved under `filename` (ours: never something a user typed), never
/// stored by a cache.
pub fn attachment(
    body: Vec<u8>,
    content_type: &'static str,
    filename: &str,
) -> axum::response::Response {
    use axum::http::{header, HeaderValue};
    use axum::response::IntoResponse;
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(disposition) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\""))
    {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A staff CSV download, or what its refusal means for a browser: no staff session goes to
/// the sign-in page; 404, 403 or 500 otherwise.
pub fn staff_csv(
    made: Result<String, app::error::AppError>,
    tenant: &str,
    filename: &'static str,
) -> axum::response::Response {
    download(made, tenant, app::routes::Page::StaffSignIn, |csv| {
        csv_attachment(csv, filename)
    })
}

/// A download, or what its refusal means for a browser: no session goes to `sign_in`; 404, 403
/// or 500 otherwise.
pub fn download<T>(
    made: Result<T, app::error::AppError>,
    tenant: &str,
    sign_in: app::routes::Page,
    send: impl FnOnce(T) -> axum::response::Response,
) -> axum::response::Response {
    use app::error::AppError;
    use axum::http::StatusCode;
    use axum::response::{IntoResponse, Redirect};
    match made {
        Ok(file) => send(file),
        Err(AppError::NotSignedIn) => Redirect::to(&sign_in.href(tenant)).into_response(),
        Err(AppError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(AppError::Forbidden) => StatusCode::FORBIDDEN.into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// What a public address finds: sent by `send`, 404 when nothing, 500 when storage failed.
pub fn found_or_404<T, E>(
    found: Result<Option<T>, E>,
    send: impl FnOnce(T) -> axum::response::Response,
) -> axum::response::Response {
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    match found {
        Ok(Some(file)) => send(file),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
