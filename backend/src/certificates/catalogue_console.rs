//! The catalogue in the staff console (`/{slug}/staff/catalogue`): every member who may read
//! the settings sees it as it stands; an admin edits it as the TOML file of `shomei catalogue
//! import`, sees what saving would change (or the first fault, with where it is), and saves it
//! whole in one transaction, with the same checks as the operator's import. The edited text
//! waits in `catalogue_drafts` with the version of the catalogue the editor was opened on: if
//! the catalogue changed since, saving is refused rather than overwriting that change unseen.
//! The closure calendar has its own page; an edit that lists closures replaces it, and the
//! preview says so.

use super::catalogue::{self, audit_import, lock_for_import, write_in, Catalogue};
use super::{CatalogueError, CatalogueSummary};
use crate::entities::catalogue_draft;
use crate::platform::audit::Actor;
use crate::platform::permissions::{self, Forbidden};
use crate::platform::secrets::sha256_hex;
use crate::platform::{begin, storage, StorageError};
use domain::{Permission, StaffMember};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait,
};

/// The longest catalogue the editor takes; the demo's is about 5 KB.
pub const MAX_CATALOGUE_BYTES: usize = 256 * 1024;
/// How long an edit waits for its saving.
const DRAFT_KEPT_MS: i64 = 24 * 3600 * 1000;

#[derive(Debug, thiserror::Error)]
pub enum CatalogueConsoleError {
    #[error("not allowed")]
    Forbidden,
    #[error("no such edit of this member")]
    UnknownDraft,
    #[error("the catalogue is longer than {MAX_CATALOGUE_BYTES} bytes")]
    TooLarge,
    /// The catalogue changed after the editor was opened: look at it again.
    #[error("the catalogue changed since the editor was opened")]
    Outdated,
    /// The edit has a fault (the preview shows it); nothing is saved.
    #[error("the catalogue has a fault")]
    Faulty,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<Forbidden> for CatalogueConsoleError {
    fn from(Forbidden: Forbidden) -> Self {
        CatalogueConsoleError::Forbidden
    }
}

/// The catalogue as the console shows it: what is offered now, and the same as the editor's
/// text (without the closure calendar, which has its own page).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogueSheet {
    pub catalogue: Catalogue,
    pub text: String,
    /// Sent back with an edit, so that saving it cannot overwrite a change made meanwhile.
    pub version: String,
}

/// A type or delivery method a change names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub code: String,
    pub name_ja: String,
    pub name_en: String,
}

/// What saving an edit would change in one list of the catalogue.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListChanges {
    pub added: Vec<Entry>,
    pub changed: Vec<Entry>,
    pub withdrawn: Vec<Entry>,
}

impl ListChanges {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.withdrawn.is_empty()
    }
}

/// What saving an edit would change.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CatalogueChanges {
    pub types: ListChanges,
    pub deliveries: ListChanges,
    pub gpa_changed: bool,
    /// The edit lists closures: the calendar would be replaced by these many days.
    pub closures_replaced: Option<usize>,
    /// Only the order of entries changes.
    pub reordered: bool,
}

impl CatalogueChanges {
    pub fn is_empty(&self) -> bool {
        self.types.is_empty()
            && self.deliveries.is_empty()
            && !self.gpa_changed
            && self.closures_replaced.is_none()
            && !self.reordered
    }
}

/// An edit, with what saving it would do.
#[derive(Debug)]
pub struct DraftPreview {
    pub id: i32,
    pub text: String,
    pub version: String,
    /// The changes, or why the text cannot be saved.
    pub outcome: Result<CatalogueChanges, CatalogueError>,
    /// The catalogue changed since the editor was opened.
    pub outdated: bool,
}

impl DraftPreview {
    pub fn savable(&self) -> bool {
        self.outcome.is_ok() && !self.outdated
    }
}

/// The catalogue now, without the calendar: what the editor starts from. Its version is the
/// hash of its text, so it changes whenever anything the editor shows changes.
async fn editable(
    db: &impl ConnectionTrait,
    tenant_id: i32,
) -> Result<CatalogueSheet, StorageError> {
    let catalogue = catalogue::offered(db, tenant_id).await?;
    let text = catalogue::to_toml(&catalogue);
    Ok(CatalogueSheet {
        catalogue,
        version: sha256_hex(&text),
        text,
    })
}

/// The catalogue of university `tenant_id`, for a member who may read its settings.
pub async fn sheet(
    db: &impl ConnectionTrait,
    by: (&StaffMember, &Actor),
    tenant_id: i32,
) -> Result<CatalogueSheet, CatalogueConsoleError> {
    permissions::require(db, by, Permission::ReadSettings, tenant_id).await?;
    Ok(editable(db, tenant_id).await?)
}

/// Keeps an admin's edit for its preview; returns its id. Edits older than a day are
/// forgotten on the way.
pub async fn save_draft(
    db: &impl ConnectionTrait,
    by: (&StaffMember, &Actor),
    tenant_id: i32,
    (text, version): (&str, &str),
    now: i64,
) -> Result<i32, CatalogueConsoleError> {
    permissions::require(db, by, Permission::ChangeSettings, tenant_id).await?;
    if text.len() > MAX_CATALOGUE_BYTES {
        return Err(CatalogueConsoleError::TooLarge);
    }
    catalogue_draft::Entity::delete_many()
        .filter(catalogue_draft::Column::CreatedAt.lt(now - DRAFT_KEPT_MS))
        .exec(db)
        .await
        .map_err(storage("forgetting old catalogue edits"))?;
    let row = catalogue_draft::ActiveModel {
        tenant_id: Set(tenant_id),
        staff_id: Set(by.0.id),
        text: Set(text.to_owned()),
        catalogue_version: Set(version.chars().take(64).collect()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(storage("keeping a catalogue edit"))?;
    Ok(row.id)
}

/// The member's own edit at this university.
async fn own_draft(
    db: &impl ConnectionTrait,
    by: &StaffMember,
    tenant_id: i32,
    draft_id: i32,
) -> Result<catalogue_draft::Model, CatalogueConsoleError> {
    catalogue_draft::Entity::find_by_id(draft_id)
        .filter(catalogue_draft::Column::TenantId.eq(tenant_id))
        .filter(catalogue_draft::Column::StaffId.eq(by.id))
        .one(db)
        .await
        .map_err(storage("reading a catalogue edit"))?
        .ok_or(CatalogueConsoleError::UnknownDraft)
}

/// What saving the member's edit would do.
pub async fn preview(
    db: &impl ConnectionTrait,
    by: (&StaffMember, &Actor),
    tenant_id: i32,
    draft_id: i32,
) -> Result<DraftPreview, CatalogueConsoleError> {
    permissions::require(db, by, Permission::ChangeSettings, tenant_id).await?;
    let draft = own_draft(db, by.0, tenant_id, draft_id).await?;
    let now = editable(db, tenant_id).await?;
    let outcome = catalogue::parse(&draft.text).map(|next| changes(&now.catalogue, &next));
    Ok(DraftPreview {
        id: draft.id,
        outdated: now.version != draft.catalogue_version,
        text: draft.text,
        version: draft.catalogue_version,
        outcome,
    })
}

/// Saves the member's edit whole, in one transaction, if it has no fault and the catalogue is
/// as it was when the editor was opened; the edit is then gone. Imports of one university run
/// one at a time (its row is locked), so two saved at once cannot both pass the check.
pub async fn apply(
    db: &(impl ConnectionTrait + TransactionTrait),
    by: (&StaffMember, &Actor),
    tenant_id: i32,
    draft_id: i32,
    now: i64,
) -> Result<CatalogueSummary, CatalogueConsoleError> {
    permissions::require(db, by, Permission::ChangeSettings, tenant_id).await?;
    let draft = own_draft(db, by.0, tenant_id, draft_id).await?;
    let next = catalogue::parse(&draft.text).map_err(|_| CatalogueConsoleError::Faulty)?;
    let txn = begin(db).await?;
    lock_for_import(&txn, tenant_id).await?;
    if editable(&txn, tenant_id).await?.version != draft.catalogue_version {
        return Err(CatalogueConsoleError::Outdated);
    }
    // Taken out in the transaction that saves it: a second save sent at once finds it gone.
    let claimed = catalogue_draft::Entity::delete_by_id(draft.id)
        .exec(&txn)
        .await
        .map_err(storage("claiming a catalogue edit"))?;
    if claimed.rows_affected != 1 {
        return Err(CatalogueConsoleError::UnknownDraft);
    }
    let summary = write_in(&txn, tenant_id, &next, now).await?;
    audit_import(&txn, (by.1, Some(by.0.id)), tenant_id, summary).await;
    txn.commit().await.map_err(storage("committing a catalogue edit"))?;
    Ok(summary)
}

/// What replacing catalogue `now` by `next` changes.
pub fn changes(now: &Catalogue, next: &Catalogue) -> CatalogueChanges {
    let types = compare(&now.types, &next.types, |kind| {
        (kind.code.as_str(), &kind.name_ja, &kind.name_en)
    });
    let deliveries = compare(&now.deliveries, &next.deliveries, |method| {
        (method.code.as_str(), &method.name_ja, &method.name_en)
    });
    let codes = |catalogue: &Catalogue| {
        let types = catalogue.types.iter().map(|kind| kind.code.clone());
        let deliveries = catalogue.deliveries.iter().map(|method| method.code.clone());
        (types.collect::<Vec<_>>(), deliveries.collect::<Vec<_>>())
    };
    let gpa_changed = next.gpa.is_some() && next.gpa != now.gpa;
    let closures_replaced = next.closures.as_ref().map(Vec::len);
    CatalogueChanges {
        reordered: types.is_empty() && deliveries.is_empty() && codes(now) != codes(next),
        types,
        deliveries,
        gpa_changed,
        closures_replaced,
    }
}

/// Entries of `next` not in `now`, in both but different, and in `now` only; `key` gives an
/// entry's code and names.
fn compare<T: PartialEq>(
    now: &[T],
    next: &[T],
    key: impl Fn(&T) -> (&str, &String, &String),
) -> ListChanges {
    let entry = |item: &T| {
        let (code, name_ja, name_en) = key(item);
        Entry {
            code: code.to_owned(),
            name_ja: name_ja.clone(),
            name_en: name_en.clone(),
        }
    };
    let find = |list: &'_ [T], code: &str| list.iter().position(|item| key(item).0 == code);
    let mut changes = ListChanges::default();
    for item in next {
        match find(now, key(item).0) {
            None => changes.added.push(entry(item)),
            Some(at) if now[at] != *item => changes.changed.push(entry(item)),
            Some(_) => {}
        }
    }
    for item in now {
        if find(next, key(item).0).is_none() {
            changes.withdrawn.push(entry(item));
        }
    }
    changes
}
