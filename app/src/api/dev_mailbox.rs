use super::views::MailboxEntry;
use crate::error::AppError;
use leptos::prelude::*;

/// The outgoing mails, newest first, when the operator turned the development mailbox on and
/// the request comes from this machine itself; `NotFound` otherwise, so that the page does not
/// even say it exists.
#[server(endpoint = "dev_mailbox")]
pub async fn dev_mailbox() -> Result<Vec<MailboxEntry>, AppError> {
    use crate::web::{request, views};
    let state = request::state()?;
    if !state.settings.dev_mailbox_enabled() || !request::from_this_machine() {
        return Err(AppError::NotFound);
    }
    views::mailbox(&state.db, request::lang()).await
}
