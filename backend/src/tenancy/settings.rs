//! A university's settings as its admins keep them in the staff console: names, the notes
//! (注意事項) and help desk in both languages, the card's name and top-up limits, the one-time
//! URL lifetime, the second-password rule and the portal origins. Every field is checked
//! before anything is written; a change is one update and one audit event with each changed
//! field's value before and after.

use super::parse_portal_origins;
use crate::entities::tenant;
use crate::platform::audit::{self, Actor, Event, Subject};
use crate::platform::permissions::{self, Forbidden};
use crate::platform::{begin, storage, StorageError};
use domain::i18n::FieldMsg;
use domain::{PasswordPolicy, Permission, StaffMember};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set, TransactionTrait};

/// Everything the settings page edits. Empty optional texts mean "none" (the default).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UniversitySettings {
    pub name: String,
    pub name_en: String,
    pub notes_ja: String,
    pub notes_en: String,
    pub helpdesk_ja: String,
    pub helpdesk_en: String,
    pub card_name: String,
    pub top_up_min: i64,
    pub top_up_max: i64,
    pub balance_max: i64,
    /// The one-time URLs' lifetime, in minutes; `None`: the deployment's default.
    pub link_minutes: Option<i64>,
    pub password_policy: PasswordPolicy,
    /// One origin per line (or separated by spaces).
    pub portal_origins: String,
}

/// The fields of the settings form, for a refusal to name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettingsField {
    Name,
    NameEn,
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
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error("not allowed")]
    Forbidden,
    #[error("no such university")]
    Unknown,
    #[error("{field:?}: {msg:?}")]
    Invalid { field: SettingsField, msg: FieldMsg },
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<Forbidden> for SettingsError {
    fn from(Forbidden: Forbidden) -> Self {
        SettingsError::Forbidden
    }
}

/// The most a card may ever hold, whatever a university sets (a prepaid instrument's limit is
/// a business decision; this keeps a typo from setting a million-yen card).
const BALANCE_CEILING: i64 = 10_000_000;
/// The one-time URL lifetime's bounds, in minutes (1 minute to 7 days).
const LINK_MINUTES: std::ops::RangeInclusive<i64> = 1..=7 * 24 * 60;

impl UniversitySettings {
    fn of(row: &tenant::Model) -> Self {
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        Self {
            name: row.name.clone(),
            name_en: text(&row.name_en),
            notes_ja: text(&row.notes_ja),
            notes_en: text(&row.notes_en),
            helpdesk_ja: text(&row.helpdesk_ja),
            helpdesk_en: text(&row.helpdesk_en),
            card_name: text(&row.card_name),
            top_up_min: row.top_up_min,
            top_up_max: row.top_up_max,
            balance_max: row.balance_max,
            link_minutes: row.token_ttl_seconds.map(|seconds| seconds / 60),
            password_policy: row.password_policy.unwrap_or_default(),
            portal_origins: row.portal_origins.clone().unwrap_or_default().replace(' ', "\n"),
        }
    }

    /// The settings checked and normalised (texts trimmed, origins in the form browsers
    /// compare), or the first field that breaks a rule.
    fn checked(self) -> Result<Self, SettingsError> {
        use SettingsField as F;
        let invalid = |field, msg| SettingsError::Invalid { field, msg };
        // Notes and help desk keep their line breaks; other control characters are refused.
        let text = |field, text: String, max: usize, multiline: bool| {
            let text = text.replace("\r\n", "\n").trim().to_owned();
            if text.chars().any(|c| c.is_control() && !(multiline && c == '\n')) {
                return Err(invalid(field, FieldMsg::ControlCharacters));
            }
            if text.chars().count() > max {
                return Err(invalid(field, FieldMsg::TooLong));
            }
            Ok(text)
        };
        let line = |field, value, max| text(field, value, max, false);
        let lines = |field, value, max| text(field, value, max, true);
        let name = line(F::Name, self.name, 100)?;
        if name.is_empty() {
            return Err(invalid(F::Name, FieldMsg::Required));
        }
        let (min, max, most) = (self.top_up_min, self.top_up_max, self.balance_max);
        if min <= 0 {
            return Err(invalid(F::TopUpMin, FieldMsg::LimitsOrder));
        }
        if max < min {
            return Err(invalid(F::TopUpMax, FieldMsg::LimitsOrder));
        }
        if !(max..=BALANCE_CEILING).contains(&most) {
            return Err(invalid(F::BalanceMax, FieldMsg::LimitsOrder));
        }
        if self.link_minutes.is_some_and(|minutes| !LINK_MINUTES.contains(&minutes)) {
            return Err(invalid(F::LinkMinutes, FieldMsg::LinkMinutesRange));
        }
        let origins: Vec<String> =
            self.portal_origins.split_whitespace().map(str::to_owned).collect();
        let origins = parse_portal_origins(&origins)
            .map_err(|_| invalid(F::PortalOrigins, FieldMsg::OriginInvalid))?;
        Ok(Self {
            name,
            name_en: line(F::NameEn, self.name_en, 100)?,
            notes_ja: lines(F::NotesJa, self.notes_ja, 4000)?,
            notes_en: lines(F::NotesEn, self.notes_en, 4000)?,
            helpdesk_ja: lines(F::HelpdeskJa, self.helpdesk_ja, 1000)?,
            helpdesk_en: lines(F::HelpdeskEn, self.helpdesk_en, 1000)?,
            card_name: line(F::CardName, self.card_name, 32)?,
            top_up_min: min,
            top_up_max: max,
            balance_max: most,
            link_minutes: self.link_minutes,
            password_policy: self.password_policy,
            portal_origins: origins.join("\n"),
        })
    }

    /// Each field whose value differs in `after`: its name, before and after.
    fn changes(&self, after: &Self) -> Vec<(&'static str, String, String)> {
        let mut changed = Vec::new();
        let mut compare = |name: &'static str, before: String, now: String| {
            if before != now {
                changed.push((name, before, now));
            }
        };
        compare("name", self.name.clone(), after.name.clone());
        compare("name_en", self.name_en.clone(), after.name_en.clone());
        compare("notes_ja", self.notes_ja.clone(), after.notes_ja.clone());
        compare("notes_en", self.notes_en.clone(), after.notes_en.clone());
        compare(
            "helpdesk_ja",
            self.helpdesk_ja.clone(),
            after.helpdesk_ja.clone(),
        );
        compare(
            "helpdesk_en",
            self.helpdesk_en.clone(),
            after.helpdesk_en.clone(),
        );
        compare("card_name", self.card_name.clone(), after.card_name.clone());
        compare(
            "top_up_min",
            self.top_up_min.to_string(),
            after.top_up_min.to_string(),
        );
        compare(
            "top_up_max",
            self.top_up_max.to_string(),
            after.top_up_max.to_string(),
        );
        compare(
            "balance_max",
            self.balance_max.to_string(),
            after.balance_max.to_string(),
        );
        let minutes = |m: Option<i64>| m.map(|m| m.to_string()).unwrap_or_default();
        compare(
            "link_minutes",
            minutes(self.link_minutes),
            minutes(after.link_minutes),
        );
        compare(
            "password_policy",
            self.password_policy.code().to_owned(),
            after.password_policy.code().to_owned(),
        );
        compare(
            "portal_origins",
            self.portal_origins.clone(),
            after.portal_origins.clone(),
        );
        changed
    }
}

/// The university's settings, for a member who may read them.
pub async fn read(
    db: &impl ConnectionTrait,
    by: (&StaffMember, &Actor),
    tenant_id: i32,
) -> Result<UniversitySettings, SettingsError> {
    permissions::require(db, by, Permission::ReadSettings, tenant_id).await?;
    let row = super::find_by_id(db, tenant_id).await?.ok_or(SettingsError::Unknown)?;
    Ok(UniversitySettings::of(&row))
}

/// Saves the settings, for an admin: every field is checked first, then one update and one
/// audit event with what changed (before and after). Returns the names of the changed fields
/// (none: nothing written, nothing audited).
pub async fn save(
    db: &(impl ConnectionTrait + TransactionTrait),
    by: (&StaffMember, &Actor),
    tenant_id: i32,
    new: UniversitySettings,
) -> Result<Vec<&'static str>, SettingsError> {
    permissions::require(db, by, Permission::ChangeSettings, tenant_id).await?;
    let new = new.checked()?;
    let txn = begin(db).await?;
    let row = tenant::Entity::find_by_id(tenant_id)
        .one(&txn)
        .await
        .map_err(storage("reading a university's settings"))?
        .ok_or(SettingsError::Unknown)?;
    let changes = UniversitySettings::of(&row).changes(&new);
    if changes.is_empty() {
        return Ok(Vec::new());
    }
    let some = |text: &str| Some(text.to_owned()).filter(|t| !t.is_empty());
    let mut update: tenant::ActiveModel = row.into();
    update.name = Set(new.name.clone());
    update.name_en = Set(some(&new.name_en));
    update.notes_ja = Set(some(&new.notes_ja));
    update.notes_en = Set(some(&new.notes_en));
    update.helpdesk_ja = Set(some(&new.helpdesk_ja));
    update.helpdesk_en = Set(some(&new.helpdesk_en));
    update.card_name = Set(some(&new.card_name));
    update.top_up_min = Set(new.top_up_min);
    update.top_up_max = Set(new.top_up_max);
    update.balance_max = Set(new.balance_max);
    // Written only when changed: an operator's lifetime in seconds (`tenant add`) need not be
    // whole minutes, and saving other fields must not round it.
    if changes.iter().any(|(field, _, _)| *field == "link_minutes") {
        update.token_ttl_seconds = Set(new.link_minutes.map(|minutes| minutes * 60));
    }
    update.password_policy = Set(Some(new.password_policy));
    update.portal_origins = Set(some(&new.portal_origins.replace('\n', " ")));
    update.update(&txn).await.map_err(storage("saving a university's settings"))?;
    let detail = serde_json::json!({
        "changed": changes
            .iter()
            .map(|(field, before, after)| (field.to_string(), serde_json::json!([before, after])))
            .collect::<serde_json::Map<_, _>>()
    })
    .to_string();
    let about = Subject {
        tenant_id: Some(tenant_id),
        staff_id: Some(by.0.id),
        detail: Some(&detail),
        ..Default::default()
    };
    audit::record(&txn, by.1, Event::UniversitySettingsChanged, about).await;
    txn.commit().await.map_err(storage("committing a university's settings"))?;
    Ok(changes.into_iter().map(|(field, _, _)| field).collect())
}
