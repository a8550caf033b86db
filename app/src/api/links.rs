use crate::error::AppError;
use leptos::prelude::*;

/// The token of the one-time URL this page was opened with. The server moved it out of the
/// address into a cookie scoped to the page, so it is read while the page renders; the
/// browser's own calls to this endpoint do not carry that cookie and get nothing.
#[server(endpoint = "link_token")]
pub async fn link_token() -> Result<String, AppError> {
    use crate::web::{cookies::LINK_COOKIE, request};
    Ok(request::cookie(LINK_COOKIE).unwrap_or_default())
}
