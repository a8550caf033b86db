//! What server functions return to pages: plain data, the same on both sides of the wire.

use crate::i18n::{AccountMsg, Lang, WalletMsg};
use domain::{PasswordPolicy, StudentStatus, Yen};
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
    /// What the university calls its student card, in each language (`M.I.C`).
    pub card_name_ja: String,
    pub card_name_en: String,
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

    pub fn card_name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja => &self.card_name_ja,
            Lang::En => &self.card_name_en,
        }
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

/// The top-up page: the balance, the limits, and whether online top-up is offered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardView {
    pub tenant: TenantView,
    pub balance: Yen,
    pub min: Yen,
    pub max: Yen,
    pub balance_max: Yen,
    /// How much more may be topped up now.
    pub room: Yen,
    /// A gateway is configured.
    pub available: bool,
    /// It is the development gateway.
    pub development: bool,
    /// Konbini top-ups waiting to be paid.
    pub waiting: Vec<TopUpView>,
}

/// The confirmation of a top-up, with the idempotency key its form carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewView {
    pub tenant: TenantView,
    pub amount: Yen,
    /// `card` or `konbini`.
    pub method: String,
    pub balance: Yen,
    pub balance_after: Yen,
    pub key: String,
    pub development: bool,
}

/// A top-up as its progress page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopUpView {
    pub tenant: TenantView,
    pub reference: String,
    pub amount: Yen,
    /// `card` or `konbini`.
    pub method: String,
    /// `creating`, `awaiting_payment`, `paid`, `declined`, `expired`.
    pub state: String,
    pub decline_reason: Option<String>,
    pub konbini_number: Option<String>,
    /// The deadline in Japan time, written for the page's language.
    pub konbini_deadline: Option<String>,
    /// The gateway's payment page, while it is waiting for the card.
    pub payment_page: Option<String>,
    pub balance: Yen,
    pub development: bool,
}

/// A page of the card's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryView {
    pub tenant: TenantView,
    pub balance: Yen,
    pub movements: Vec<MovementView>,
    /// From 1.
    pub page: u64,
    pub pages: u64,
}

/// One line of the history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MovementView {
    /// Japan time, `2026-11-30 10:15`.
    pub at: String,
    /// `top_up`, `machine_debit`, `adjustment`.
    pub kind: String,
    pub description: String,
    /// Positive in, negative out.
    pub amount: i64,
    pub balance_after: i64,
}

impl MovementView {
    pub fn kind_msg(&self) -> WalletMsg {
        match self.kind.as_str() {
            "top_up" => WalletMsg::KindTopUp,
            "machine_debit" => WalletMsg::KindMachineDebit,
            "certificate_fee" => WalletMsg::KindCertificateFee,
            "certificate_refund" => WalletMsg::KindCertificateRefund,
            _ => WalletMsg::KindAdjustment,
        }
    }
}
