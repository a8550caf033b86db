//! The seal certificates print, in the console's settings: `POST /{tenant}/staff/seal`, a
//! native multipart form with `action` (`upload` with the PNG as `file`, or `remove`), for a
//! signed-in admin, answered by the settings page saying what happened (`?seal=…`); and
//! `GET /{tenant}/staff/seal.png`, the image in use, for any signed-in member.

use app::routes::Page;
use app::web::request::actor_of;
use app::web::seal::{change_seal, seal_png, settings_with, SealChange};
use app::web::staff::session_cookie_of;
use app::web::state::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use backend::certificates::MAX_SEAL_BYTES;

/// The body limit of the upload route: the largest seal and its form around it. A larger
/// file ends the body early and is said to be too large.
pub const BODY_LIMIT: usize = MAX_SEAL_BYTES + 64 * 1024;

pub async fn change(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    parts: Parts,
    mut form: Multipart,
) -> Response {
    // The slug goes into the answer's `Location`: only a slug's characters may.
    if !domain::TenantSlug::is_valid(&tenant) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let too_large = || {
        let notice = app::api::staff::SealNotice::TooLarge;
        Redirect::to(&settings_with(&tenant, notice)).into_response()
    };
    let mut remove = false;
    let mut file = Vec::new();
    loop {
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("action") => {
                remove = field.text().await.unwrap_or_default().trim() == "remove";
            }
            Ok(Some(field)) if field.name() == Some("file") => match field.bytes().await {
                Ok(bytes) => file = bytes.to_vec(),
                Err(_) => return too_large(),
            },
            Ok(Some(_)) => continue,
            Ok(None) => break,
            Err(_) => return too_large(),
        }
    }
    let change = if remove {
        SealChange::Remove
    } else {
        SealChange::Upload(file)
    };
    let raw = session_cookie_of(&state, &parts.headers);
    let made = change_seal(&state, (&tenant, raw), &actor_of(&parts), change).await;
    super::download(made, &tenant, Page::StaffSignIn, |notice| {
        Redirect::to(&settings_with(&tenant, notice)).into_response()
    })
}

pub async fn image(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    parts: Parts,
) -> Response {
    let raw = session_cookie_of(&state, &parts.headers);
    let found = seal_png(&state, (&tenant, raw), &actor_of(&parts)).await;
    super::download(found, &tenant, Page::StaffSignIn, |png| match png {
        Some(png) => {
            let mut response = png.into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            );
            response
        }
        None => StatusCode::NOT_FOUND.into_response(),
    })
}
