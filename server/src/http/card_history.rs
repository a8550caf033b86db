//! `利用履歴` as CSV: `GET /{tenant}/card/history.csv`, for the signed-in student only, in the
//! page's language, never stored by a cache.

use app::web::request::lang_of_headers;
use app::web::state::AppState;
use app::web::wallet::history_csv;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

pub async fn download(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let at = match super::signed_in_student(&state, &tenant, &headers).await {
        Ok(at) => at,
        Err(answer) => return answer,
    };
    let lang = lang_of_headers(&uri, &headers);
    let Ok(csv) = history_csv(&state, &at, lang).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    super::csv_attachment(csv, "card-history.csv")
}
