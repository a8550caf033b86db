//! The one place where what a service says becomes what the student sees: the message, the
//! form field it belongs under, and the HTTP status.

use super::request::accepts_html_request;
use crate::error::{AppError, Field};
use backend::account::AccountError;
use backend::platform::StorageError;
use backend::registry::SearchError;
use backend::staff::{StaffError, StaffField};
use backend::tenancy::settings::{SettingsError, SettingsField};
use backend::tenancy::TenantError;
use domain::i18n::{AccountMsg, CommonMsg, FieldMsg, StaffMsg};
use http::HeaderValue;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

impl From<AccountError> for AppError {
    fn from(err: AccountError) -> Self {
        match err {
            AccountError::UnknownUniversity => AppError::NotFound,
            AccountError::NotSignedIn => AppError::NotSignedIn,
            AccountError::WrongCredentials => {
                AppError::Refused(AccountMsg::InvalidCredentials.into())
            }
            AccountError::LoginDelayed => AppError::Throttled,
            AccountError::Busy => AppError::Busy,
            AccountError::Link(state) => {
                AppError::Refused(state.refusal().unwrap_or(CommonMsg::LinkUnknown).into())
            }
            AccountError::TooManyLinkMails => {
                AppError::Refused(AccountMsg::TooManyLinkMails.into())
            }
            AccountError::EmailTaken => AppError::Refused(AccountMsg::EmailTaken.into()),
            AccountError::EmailUnchanged => {
                AppError::invalid(Field::Email, FieldMsg::EmailUnchanged)
            }
            AccountError::WrongCurrentSecondPassword => {
                AppError::invalid(Field::CurrentSecondPassword, FieldMsg::WrongSecondPassword)
            }
            AccountError::LoggedOutAfterReauthentication => {
                AppError::Refused(AccountMsg::ReauthenticationLoggedOut.into())
            }
            AccountError::NewSecondPassword(msg) => AppError::invalid(Field::SecondPassword, msg),
            AccountError::Confirmation(msg) => AppError::invalid(Field::SecondPasswordConfirm, msg),
            AccountError::Forbidden => AppError::Forbidden,
            AccountError::NothingToResend => AppError::Refused(StaffMsg::NothingToResend.into()),
            AccountError::Internal => AppError::Internal,
        }
    }
}

impl From<SearchError> for AppError {
    fn from(err: SearchError) -> Self {
        match err {
            SearchError::Forbidden => AppError::Forbidden,
            SearchError::Storage(_) => AppError::Internal,
        }
    }
}

impl From<SettingsError> for AppError {
    fn from(err: SettingsError) -> Self {
        match err {
            SettingsError::Forbidden => AppError::Forbidden,
            SettingsError::Unknown => AppError::NotFound,
            SettingsError::Invalid { field, msg } => {
                let field = match field {
                    SettingsField::Name => Field::UniversityName,
                    SettingsField::NameEn => Field::UniversityNameEn,
                    SettingsField::NotesJa => Field::NotesJa,
                    SettingsField::NotesEn => Field::NotesEn,
                    SettingsField::HelpdeskJa => Field::HelpdeskJa,
                    SettingsField::HelpdeskEn => Field::HelpdeskEn,
                    SettingsField::CardName => Field::CardName,
                    SettingsField::TopUpMin => Field::TopUpMin,
                    SettingsField::TopUpMax => Field::TopUpMax,
                    SettingsField::BalanceMax => Field::BalanceMax,
                    SettingsField::LinkMinutes => Field::LinkMinutes,
                    SettingsField::PortalOrigins => Field::PortalOrigins,
                };
                AppError::invalid(field, msg)
            }
            SettingsError::Storage(_) => AppError::Internal,
        }
    }
}

impl From<StaffError> for AppError {
    fn from(err: StaffError) -> Self {
        match err {
            StaffError::WrongCredentials => AppError::Refused(StaffMsg::WrongCredentials.into()),
            StaffError::SignInDelayed => AppError::Throttled,
            StaffError::Forbidden => AppError::Forbidden,
            StaffError::LoginIdTaken => AppError::invalid(Field::LoginId, FieldMsg::LoginIdTaken),
            StaffError::UnknownMember => AppError::NotFound,
            StaffError::OwnAccount => AppError::Refused(StaffMsg::NotOnYourself.into()),
            StaffError::LinkUnusable(state) => {
                AppError::Refused(state.refusal().unwrap_or(CommonMsg::LinkUnknown).into())
            }
            StaffError::Invalid { field, msg } => {
                let field = match field {
                    StaffField::LoginId => Field::LoginId,
                    StaffField::Name => Field::Name,
                    StaffField::Email => Field::Email,
                    StaffField::Password => Field::NewPassword,
                    StaffField::PasswordConfirm => Field::NewPasswordConfirm,
                };
                AppError::invalid(field, msg)
            }
            StaffError::NotSignedIn => AppError::NotSignedIn,
            StaffError::Busy => AppError::Busy,
            StaffError::Storage => AppError::Internal,
        }
    }
}

impl From<TenantError> for AppError {
    fn from(err: TenantError) -> Self {
        match err {
            TenantError::Unknown(_) => AppError::NotFound,
            _ => AppError::Internal,
        }
    }
}

impl From<StorageError> for AppError {
    fn from(StorageError: StorageError) -> Self {
        AppError::Internal
    }
}

/// A service's answer as the server function's: errors become `AppError`, and refusals that
/// ask the client to come back later get their HTTP status: 429 for a delayed login (without
/// `Retry-After`: the remaining time of a delay is not published), 503 with `Retry-After`
/// when hashing is saturated.
///
/// A form posted without JavaScript is answered with a redirect back to its page, which shows
/// the refusal; a status set here would replace that redirect and leave the student looking
/// at the raw answer, so such requests keep it.
pub fn respond<T, E: Into<AppError>>(result: Result<T, E>) -> Result<T, AppError> {
    let result = result.map_err(Into::into);
    let Some(response) = use_context::<ResponseOptions>() else {
        return result;
    };
    if accepts_html_request() {
        return result;
    }
    match &result {
        Err(AppError::Throttled) => response.set_status(http::StatusCode::TOO_MANY_REQUESTS),
        Err(AppError::Forbidden) => response.set_status(http::StatusCode::FORBIDDEN),
        Err(AppError::Busy) => {
            response.set_status(http::StatusCode::SERVICE_UNAVAILABLE);
            response.insert_header(http::header::RETRY_AFTER, HeaderValue::from(1));
        }
        _ => {}
    }
    result
}
