//! Issued certificates' Verifiable Credentials and the universities' revocation lists:
//! `GET /{tenant}/certificates/credential?no=…&line=N` for the certificate's student while the
//! application stands issued, `GET /s/{token}/credential` for a share's recipient (in the
//! share's access log), and `GET /{tenant}/credentials/status/{list}`, the public Bitstring
//! Status List credential that a verifier fetches whole, so it learns nothing of which entry is
//! checked. A revoked certificate has no credential to download (404); its entry says so.

use super::certificate_pdf::Which;
use app::routes::Page;
use app::web::certificates::student_credential;
use app::web::request::actor_of;
use app::web::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use backend::certificates::{IssuedCredential, CREDENTIAL_MEDIA_TYPE};

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
    let made = student_credential(&state, &at, (&which.no, &which.line)).await;
    super::download(made, &tenant, Page::Login, attachment)
}

pub async fn for_share(
    State(state): State<AppState>,
    Path(token): Path<String>,
    parts: Parts,
) -> Response {
    let Some(token) = domain::ShareToken::parse(&token) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    super::found_or_404(
        state.shares.credential(&token, &actor_of(&parts)).await,
        attachment,
    )
}

/// Status list `list` of university `tenant`; 404 for an unknown university or list. Public and
/// cacheable for a minute: a revocation shows in it within that.
pub async fn status_list(
    State(state): State<AppState>,
    Path((tenant, list)): Path<(String, String)>,
) -> Response {
    let Ok(list) = list.parse::<i32>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    super::found_or_404(
        state.verifications.status_list(&tenant, list).await,
        |credential| {
            super::public_keys::public_json(credential, CREDENTIAL_MEDIA_TYPE, "public, max-age=60")
        },
    )
}

fn attachment(credential: IssuedCredential) -> Response {
    super::attachment(
        credential.json,
        CREDENTIAL_MEDIA_TYPE,
        &credential.file_name,
    )
}
