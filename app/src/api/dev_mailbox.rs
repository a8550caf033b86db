use super::views::MailboxEntry;
use crate::error::AppError;
use leptos::prelude::*;

/// The outgoing mails, newest first, while no SMTP server is configured; `NotFound` otherwise.
#[server(endpoint = "dev_mailbox")]
pub async fn dev_mailbox() -> Result<Vec<MailboxEntry>, AppError> {
    use crate::backend::{mail, request};
    let state = request::state()?;
    if !state.settings.dev_mailbox_enabled() {
        return Err(AppError::NotFound);
    }
    mail::mailbox(&state.db, request::lang()).await
}
