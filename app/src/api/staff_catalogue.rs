//! The certificate catalogue in the console: every member who may read the settings sees it;
//! an admin edits it as TOML, reviews what saving would change, and saves it. Thin adapters
//! over the certificates context, which checks each member's permission itself.

use super::certificates::{by_lang, DeliveryView};
use super::views::TenantView;
use crate::error::AppError;
use crate::i18n::{CertificateMsg, Lang};
use domain::{OrderRule, StudentStatus, Yen};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeRow {
    pub code: String,
    pub name_ja: String,
    pub name_en: String,
    pub languages: Vec<Lang>,
    pub fee: Yen,
    pub max_copies: u32,
    pub statuses: Vec<StudentStatus>,
    pub rule: Option<OrderRule>,
    /// Codes of the delivery methods.
    pub deliveries: Vec<String>,
    pub working_days: u32,
    /// Days its certificates are valid after issue; `None`: no end.
    pub valid_days: Option<u32>,
}

impl TypeRow {
    pub fn name(&self, lang: Lang) -> &str {
        by_lang(lang, &self.name_ja, &self.name_en)
    }
}

/// A type or delivery method a change names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryView {
    pub code: String,
    pub name_ja: String,
    pub name_en: String,
}

impl EntryView {
    pub fn label(&self, lang: Lang) -> String {
        let name = by_lang(lang, &self.name_ja, &self.name_en);
        format!("{name} ({})", self.code)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListChangesView {
    pub added: Vec<EntryView>,
    pub changed: Vec<EntryView>,
    pub withdrawn: Vec<EntryView>,
}

/// What saving an edit would do, or why it cannot be saved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PreviewOutcome {
    Changes {
        types: ListChangesView,
        deliveries: ListChangesView,
        gpa_changed: bool,
        closures_replaced: Option<usize>,
        reordered: bool,
        nothing: bool,
    },
    /// The first fault, where it is (in Japanese and English) and what it is.
    Fault {
        place: [String; 2],
        fault: CertificateMsg,
    },
    /// Not TOML at all: the reader's own words, with line and column.
    Unreadable(String),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewView {
    pub draft: i32,
    pub outcome: PreviewOutcome,
    pub outdated: bool,
    pub savable: bool,
}

/// The admin's editor: the text (the catalogue now, or the edit being reviewed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorView {
    pub text: String,
    pub version: String,
    pub preview: Option<PreviewView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueConsoleView {
    pub tenant: TenantView,
    pub deliveries: Vec<DeliveryView>,
    pub types: Vec<TypeRow>,
    /// Each grade and its points ("4.00"), highest first.
    pub gpa: Vec<(String, String)>,
    /// For a member who may change the settings.
    pub editor: Option<EditorView>,
}

/// `/{slug}/staff/catalogue`, with the member's edit `draft` under review (0: none).
#[server(endpoint = "staff/catalogue")]
pub async fn staff_catalogue(tenant: String, draft: i32) -> Result<CatalogueConsoleView, AppError> {
    use crate::web::{catalogue, request, respond, staff};
    use backend::staff::StaffStage;
    let state = request::state()?;
    let (found, member, _) = staff::member_at(&state, &tenant, StaffStage::SignedIn).await?;
    respond(catalogue::catalogue_console(&state, (found, &member), draft).await)
}

/// `変更を確認する`: keeps the edit and shows what saving it would change.
#[server(endpoint = "staff/catalogue_check")]
pub async fn check_catalogue(
    tenant: String,
    text: String,
    version: String,
) -> Result<(), AppError> {
    use crate::web::{catalogue, request, respond, staff};
    use backend::staff::StaffStage;
    let state = request::state()?;
    let (found, member, _) = staff::member_at(&state, &tenant, StaffStage::SignedIn).await?;
    let draft =
        respond(catalogue::check_catalogue(&state, (found, &member), &text, &version).await)?;
    let page = crate::routes::Page::StaffCatalogue.href(&tenant);
    leptos_axum::redirect(&format!("{page}?draft={draft}#preview-heading"));
    Ok(())
}

/// `この内容で保存する`: saves the reviewed edit.
#[server(endpoint = "staff/catalogue_save")]
pub async fn save_catalogue(tenant: String, draft: i32) -> Result<(), AppError> {
    use crate::web::{catalogue, request, respond, staff};
    use backend::staff::StaffStage;
    let state = request::state()?;
    let (found, member, _) = staff::member_at(&state, &tenant, StaffStage::SignedIn).await?;
    respond(catalogue::save_catalogue(&state, (found, &member), draft).await)?;
    let page = crate::routes::Page::StaffCatalogue.href(&tenant);
    leptos_axum::redirect(&format!("{page}?done=saved"));
    Ok(())
}
