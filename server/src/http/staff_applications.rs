//! The queue of certificate applications as CSV: `GET /{tenant}/staff/applications.csv?status=…
//! &certificate=…&delivery=…&from=…&until=…&student=…`, the page's filter (the day's post with
//! its addresses), for a signed-in member who may read the queue; never stored by a cache.

use app::api::staff_applications::QueueQuery;
use app::web::certificates::queue_csv;
use app::web::request::{actor_of, lang_of_headers};
use app::web::staff::session_cookie_of;
use app::web::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::request::Parts;
use axum::response::Response;

pub async fn download(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    Query(query): Query<QueueQuery>,
    parts: Parts,
) -> Response {
    let raw = session_cookie_of(&state, &parts.headers);
    let lang = lang_of_headers(&parts.uri, &parts.headers);
    let made = queue_csv(&state, (&tenant, raw), &actor_of(&parts), query, lang).await;
    super::staff_csv(made, &tenant, "applications.csv")
}
