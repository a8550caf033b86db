use super::{
    directory::Directory, limits::WindowLimiter, passwords::Passwords, settings::Settings,
};
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use sea_orm::DatabaseConnection;
use std::sync::Arc;
use tokio::sync::Notify;

/// Everything a request needs, handed to server functions as context.
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub passwords: Passwords,
    pub directory: Arc<dyn Directory>,
    /// Wakes the outbox worker when a mail has been queued.
    pub mail_queued: Arc<Notify>,
    /// Reset mails a client address may cause (in memory, per instance).
    pub reset_requests: WindowLimiter,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
