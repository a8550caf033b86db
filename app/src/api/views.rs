//! What server functions return to pages: plain data, the same on both sides of the wire.

use crate::domain::PasswordPolicy;
use crate::i18n::{Lang, Msg};
use serde::{Deserialize, Serialize};

/// What the pages show of a university, in both languages; the page picks one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantView {
    pub slug: String,
    pub name: String,
    pub name_en: Option<String>,
    pub notes_ja: Option<String>,
    pub notes_en: Option<String>,
    pub helpdesk_ja: Option<String>,
    pub helpdesk_en: Option<String>,
    pub password_policy: PasswordPolicy,
}

impl TenantView {
    pub fn display_name(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => self.name_en.as_deref().unwrap_or(&self.name),
            Lang::Ja => &self.name,
        }
    }

    /// The university's notes, or the service's default notes.
    pub fn notes(&self, lang: Lang) -> String {
        let own = match lang {
            Lang::Ja => self.notes_ja.as_ref(),
            Lang::En => self.notes_en.as_ref().or(self.notes_ja.as_ref()),
        };
        own.cloned()
            .unwrap_or_else(|| Msg::DefaultNotes.text(lang).to_owned())
    }

    pub fn helpdesk(&self, lang: Lang) -> String {
        let own = match lang {
            Lang::Ja => self.helpdesk_ja.as_ref(),
            Lang::En => self.helpdesk_en.as_ref().or(self.helpdesk_ja.as_ref()),
        };
        own.cloned()
            .unwrap_or_else(|| Msg::DefaultHelpdesk.text(lang).to_owned())
    }
}

/// How far a student has got: the first-login steps hold a session of their own that opens
/// only the page of that step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage {
    NeedsEmail,
    NeedsSecondPassword,
    SignedIn,
}

/// What a one-time link's page says before anything is consumed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkState {
    Valid,
    Expired,
    Used,
    Voided,
    Unknown,
}

impl LinkState {
    pub fn refusal(self) -> Option<Msg> {
        match self {
            LinkState::Valid => None,
            LinkState::Expired => Some(Msg::LinkExpired),
            LinkState::Used => Some(Msg::LinkUsed),
            LinkState::Voided => Some(Msg::LinkVoided),
            LinkState::Unknown => Some(Msg::LinkUnknown),
        }
    }
}

/// The signed-in student's home page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeView {
    pub tenant: TenantView,
    pub user_id: String,
    pub name: String,
    pub name_en: Option<String>,
    pub student_number: Option<String>,
    pub faculty: Option<String>,
    pub department: Option<String>,
    pub status: String,
    pub email: Option<String>,
}

impl HomeView {
    pub fn status_msg(&self) -> Option<Msg> {
        match self.status.as_str() {
            "enrolled" => Some(Msg::StatusEnrolled),
            "graduated" => Some(Msg::StatusGraduated),
            "on_leave" => Some(Msg::StatusOnLeave),
            "withdrawn" => Some(Msg::StatusWithdrawn),
            _ => None,
        }
    }
}

/// A mail as the development mailbox shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailboxEntry {
    pub id: i32,
    pub to: String,
    pub subject: String,
    pub body_text: String,
    pub created_at: String,
}
