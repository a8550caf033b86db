//! The staff console's audit log as CSV: `GET /{tenant}/staff/audit.csv?from=…&until=…&event=…
//! &student=…&staff=…`, the page's filter, for a signed-in member who may read the log; never
//! stored by a cache.

use app::api::staff::AuditQuery;
use app::web::request::{actor_of, lang_of_headers};
use app::web::staff::{audit_csv, session_cookie_of};
use app::web::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::request::Parts;
use axum::response::Response;

pub async fn download(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    Query(query): Query<AuditQuery>,
    parts: Parts,
) -> Response {
    let raw = session_cookie_of(&state, &parts.headers);
    let lang = lang_of_headers(&parts.uri, &parts.headers);
    let made = audit_csv(&state, (&tenant, raw), &actor_of(&parts), &query, lang).await;
    super::staff_csv(made, &tenant, "audit-log.csv")
}
