//! The one error type that crosses the wire. It carries message keys, never text and never
//! a cause: the cause is logged on the server, the key is rendered in the reader's language.

use crate::i18n::{AccountMsg, CommonMsg, FieldMsg, Lang, Msg};
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// Which form field a refusal belongs to, so the message appears under that field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Field {
    UserId,
    Password,
    CurrentSecondPassword,
    SecondPassword,
    SecondPasswordConfirm,
    Email,
    EmailConfirm,
    Amount,
    LoginId,
    Name,
    Code,
    UniversityName,
    UniversityNameEn,
    NotesJa,
    NotesEn,
    HelpdeskJa,
    HelpdeskEn,
    CardName,
    TopUpMin,
    TopUpMax,
    BalanceMax,
    LinkMinutes,
    PortalOrigins,
    Reason,
    NewPassword,
    NewPasswordConfirm,
    PostalCode,
    Prefecture,
    City,
    Street,
    Building,
    Recipient,
    Country,
    Purpose,
    Copies,
    Tracking,
    VerificationCode,
    ShareRecipient,
    ShareDays,
    ShareConsent,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Input broke a rule; the message goes under `field`.
    #[error("invalid {field:?}: {msg:?}")]
    Invalid { field: Field, msg: FieldMsg },
    /// A refusal the student can act on, shown above the form.
    #[error("refused: {0:?}")]
    Refused(Msg),
    /// A refusal that names what it is about (the character a certificate cannot print, the
    /// fact the registry lacks): `{detail}` in the message's text, in Japanese and English.
    #[error("refused: {msg:?} ({detail:?})")]
    RefusedNaming { msg: Msg, detail: [String; 2] },
    #[error("not found")]
    NotFound,
    #[error("not signed in")]
    NotSignedIn,
    /// The acting staff member's role or university does not allow it; answered 403.
    #[error("forbidden")]
    Forbidden,
    /// Logins for this user ID wait after repeated failures; answered 429. How long is not
    /// said: an exact time would let an attacker keep a delay running with one guess per
    /// delay.
    #[error("throttled")]
    Throttled,
    /// Too much work is queued (password hashing); answered 503 with `Retry-After`.
    #[error("busy")]
    Busy,
    /// Something failed on our side; the cause is in the server log only.
    #[error("internal error")]
    Internal,
    /// The request did not reach the server function or its answer could not be read.
    #[error("transport: {0}")]
    Transport(String),
}

impl AppError {
    pub fn invalid(field: Field, msg: FieldMsg) -> Self {
        AppError::Invalid { field, msg }
    }

    /// The message to show above the form, if this error is not tied to a field.
    pub fn form_message(&self) -> Option<Msg> {
        match self {
            AppError::Invalid { .. } => None,
            AppError::Refused(msg) | AppError::RefusedNaming { msg, .. } => Some(*msg),
            AppError::NotFound => Some(CommonMsg::NotFoundTitle.into()),
            AppError::NotSignedIn => Some(CommonMsg::SessionRequired.into()),
            AppError::Forbidden => Some(CommonMsg::Forbidden.into()),
            AppError::Busy => Some(CommonMsg::ServiceBusy.into()),
            AppError::Throttled => Some(AccountMsg::LoginThrottled.into()),
            AppError::Internal => Some(CommonMsg::InternalError.into()),
            AppError::Transport(_) => Some(CommonMsg::NetworkError.into()),
        }
    }

    /// The text to show above the form, in `lang`.
    pub fn form_text(&self, lang: Lang) -> Option<String> {
        let text = self.form_message()?.text(lang);
        Some(match self {
            AppError::RefusedNaming {
                detail: [ja, en], ..
            } => match lang {
                Lang::Ja => text.replace("{detail}", ja),
                Lang::En => text.replace("{detail}", en),
            },
            _ => text.to_owned(),
        })
    }

    pub fn field_message(&self, wanted: Field) -> Option<FieldMsg> {
        match self {
            AppError::Invalid { field, msg } if *field == wanted => Some(*msg),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}
