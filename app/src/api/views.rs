//! What server functions return to pages: plain data, the same on both sides of the wire.

use crate::i18n::{AccountMsg, Lang};
use domain::{PasswordPolicy, StudentStatus};
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
        own.cloned().unwrap_or_else(|| AccountMsg::DefaultNotes.text(lang).to_owned())
    }

    pub fn helpdesk(&self, lang: Lang) -> String {
        let own = match lang {
            Lang::Ja => self.helpdesk_ja.as_ref(),
            Lang::En => self.helpdesk_en.as_ref().or(self.helpdesk_ja.as_ref()),
        };
        own.cloned()
            .unwrap_or_else(|| AccountMsg::DefaultHelpdesk.text(lang).to_owned())
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
    pub status: StudentStatus,
    pub email: Option<String>,
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
