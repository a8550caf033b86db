//! Server-only code: state, settings, sessions, the directory, mail, and the services the
//! server functions call. Services take a database connection and domain types, so they can
//! be tested without HTTP.

pub mod audit;
pub mod clock;
pub mod devices;
pub mod directory;
pub mod email_change;
pub mod email_registration;
pub mod entities;
pub mod limits;
pub mod links;
pub mod login;
pub mod mail;
pub mod manual;
pub mod password_rules;
pub mod passwords;
pub mod reauth;
pub mod registry;
pub mod request;
pub mod second_password;
pub mod sessions;
pub mod settings;
pub mod state;
pub mod tenants;
pub mod throttle;
pub mod tokens;

use crate::error::AppError;

/// Logs a storage failure with its cause and turns it into the detail-free `Internal`.
pub(crate) fn internal(context: &'static str) -> impl FnOnce(sea_orm::DbErr) -> AppError {
    move |err| {
        tracing::error!(error = %err, "{context}");
        AppError::Internal
    }
}
