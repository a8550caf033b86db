//! `利用履歴` as CSV: `GET /{tenant}/card/history.csv`, for the signed-in student only, in the
//! page's language, never stored by a cache.

use app::routes::Page;
use app::web::request::{lang_of_headers, session_cookies_of};
use app::web::state::AppState;
use app::web::wallet::history_csv;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use backend::account::AccountError;
use domain::Stage;

pub async fn download(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let cookies = session_cookies_of(&state.settings, &headers);
    let at = match state
        .accounts
        .require(&tenant, cookies.current.as_deref(), Stage::SignedIn)
        .await
    {
        Ok(at) => at,
        Err(AccountError::UnknownUniversity) => return StatusCode::NOT_FOUND.into_response(),
        Err(_) => return Redirect::to(&Page::Login.href(&tenant)).into_response(),
    };
    let lang = lang_of_headers(&uri, &headers);
    let Ok(csv) = history_csv(&state, &at, lang).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    super::csv_attachment(csv, "card-history.csv")
}
