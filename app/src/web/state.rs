use axum::extract::FromRef;
use backend::account::Accounts;
use backend::platform::settings::Settings;
use backend::platform::Db;
use backend::staff::Staff;
use backend::wallet::dev_gateway::DevGateway;
use backend::wallet::top_ups::TopUps;
use backend::wallet::Wallet;
use leptos::prelude::LeptosOptions;
use std::sync::Arc;

/// Everything a request needs, handed to server functions as context: the settings, the
/// database (for the universities and the development mailbox) and one handle per context.
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub settings: Arc<Settings>,
    pub accounts: Accounts,
    pub wallet: Wallet,
    pub top_ups: TopUps,
    pub applications: backend::certificates::Applications,
    /// The public verification of issued certificates.
    pub verifications: backend::certificates::Verifications,
    /// Students' shares of their certificates.
    pub shares: backend::certificates::Shares,
    pub staff: Staff,
    /// The built-in development gateway, when it is the configured one.
    pub dev_gateway: Option<DevGateway>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
