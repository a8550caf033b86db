//! The registry import in the staff console: a clerk uploads a CSV, sees what it would change
//! (new, updated with the fields that change, unchanged, and the first faulty rows with line
//! and column), then applies it whole in one transaction, with the same checks as the
//! operator's `students import`. The upload waits in `registry_uploads` with the registry's
//! version it was previewed against: if the registry changed since, applying is refused.
//! Grade files go the same way (`UploadKind::Grades`; their preview and application are in
//! `grades`).

use super::import::{self, hash_rows, parse_collecting, write_in, ImportError, ParsedRow};
use super::ImportSummary;
use crate::entities::{registry_upload, student, tenant};
use crate::platform::audit::{self, Actor, Event, Subject};
use crate::platform::permissions::{self, Forbidden};
use crate::platform::secrets::sha256_hex;
use crate::platform::{begin, storage, StorageError};
use domain::{Permission, StaffMember};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
use std::collections::HashMap;

/// The largest file the console takes (about 20,000 students).
pub const MAX_UPLOAD_BYTES: usize = 4 * 1024 * 1024;
/// Faulty rows a preview lists.
pub const MAX_FAULTS: usize = 20;
/// Students a preview names per kind (the counts are whole).
pub const MAX_LISTED: usize = 50;
/// How long an upload waits for its application.
const UPLOAD_KEPT_MS: i64 = 24 * 3600 * 1000;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConsoleImportError {
    #[error("not allowed")]
    Forbidden,
    #[error("no such upload of this member")]
    UnknownUpload,
    #[error("the file is larger than {MAX_UPLOAD_BYTES} bytes")]
    TooLarge,
    #[error("the file is not UTF-8 text")]
    NotText,
    /// The registry changed after the preview: it must be made again.
    #[error("the registry changed since the preview")]
    Outdated,
    /// The file has faults (the preview lists them); nothing is applied.
    #[error("the file has faults")]
    Faulty,
    #[error("storage failed")]
    Storage,
}

impl From<Forbidden> for ConsoleImportError {
    fn from(Forbidden: Forbidden) -> Self {
        ConsoleImportError::Forbidden
    }
}

impl From<StorageError> for ConsoleImportError {
    fn from(StorageError: StorageError) -> Self {
        ConsoleImportError::Storage
    }
}

/// What an uploaded file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UploadKind {
    /// Students (`students import`).
    Registry,
    /// Course results (`grades import`).
    Grades,
}

impl UploadKind {
    pub fn code(self) -> &'static str {
        match self {
            UploadKind::Registry => "registry",
            UploadKind::Grades => "grades",
        }
    }

    pub fn from_code(code: &str) -> Option<UploadKind> {
        [UploadKind::Registry, UploadKind::Grades]
            .into_iter()
            .find(|kind| kind.code() == code)
    }
}

/// The version of what an upload of `kind` replaces, as it is now.
pub(super) async fn version_of(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    kind: UploadKind,
) -> Result<String, StorageError> {
    match kind {
        UploadKind::Registry => version(db, tenant_id).await,
        UploadKind::Grades => super::grades::version(db, tenant_id).await,
    }
}

/// What applying an upload would do.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Preview {
    pub file_name: String,
    /// The file cannot be read at all (a header not ours, not CSV): why.
    pub unreadable: Option<String>,
    pub new: Vec<String>,
    pub new_count: usize,
    /// A student and the columns that change.
    pub updated: Vec<(String, Vec<&'static str>)>,
    pub updated_count: usize,
    pub unchanged_count: usize,
    /// The first faulty rows.
    pub faults: Vec<ImportError>,
    /// The registry changed since the upload: upload again.
    pub outdated: bool,
}

impl Preview {
    /// Whether applying it would be accepted.
    pub fn applicable(&self) -> bool {
        self.unreadable.is_none() && self.faults.is_empty() && !self.outdated
    }
}

/// The registry's version: changes whenever a student is added, updated or removed.
async fn version(db: &impl ConnectionTrait, tenant_id: i32) -> Result<String, StorageError> {
    let rows: Vec<(i32, i64)> = student::Entity::find()
        .select_only()
        .column(student::Column::Id)
        .column(student::Column::UpdatedAt)
        .filter(student::Column::TenantId.eq(tenant_id))
        .order_by_asc(student::Column::Id)
        .into_tuple()
        .all(db)
        .await
        .map_err(storage("reading the registry's version"))?;
    let listed: String = rows.iter().map(|(id, at)| format!("{id}:{at}\n")).collect();
    Ok(sha256_hex(&listed))
}

/// Keeps an uploaded file of `kind` for its preview, for a member who may import the registry;
/// returns its id. Uploads older than a day are forgotten on the way.
pub async fn upload(
    db: &impl ConnectionTrait,
    by: (&StaffMember, &Actor),
    (tenant_id, kind): (i32, UploadKind),
    (file_name, bytes): (&str, Vec<u8>),
    now: i64,
) -> Result<i32, ConsoleImportError> {
    permissions::require(db, by, Permission::ImportRegistry, tenant_id).await?;
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(ConsoleImportError::TooLarge);
    }
    let csv = String::from_utf8(bytes).map_err(|_| ConsoleImportError::NotText)?;
    registry_upload::Entity::delete_many()
        .filter(registry_upload::Column::CreatedAt.lt(now - UPLOAD_KEPT_MS))
        .exec(db)
        .await
        .map_err(storage("forgetting old uploads"))?;
    let file_name: String = file_name.chars().filter(|c| !c.is_control()).take(200).collect();
    let row = registry_upload::ActiveModel {
        tenant_id: Set(tenant_id),
        staff_id: Set(by.0.id),
        kind: Set(kind.code().to_owned()),
        file_name: Set(file_name),
        csv: Set(csv),
        registry_version: Set(version_of(db, tenant_id, kind).await?),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(storage("keeping an upload"))?;
    Ok(row.id)
}

/// The member's own upload of `kind` at this university.
pub(super) async fn own_upload(
    db: &impl ConnectionTrait,
    by: &StaffMember,
    (tenant_id, kind): (i32, UploadKind),
    upload_id: i32,
) -> Result<registry_upload::Model, ConsoleImportError> {
    registry_upload::Entity::find_by_id(upload_id)
        .filter(registry_upload::Column::TenantId.eq(tenant_id))
        .filter(registry_upload::Column::StaffId.eq(by.id))
        .filter(registry_upload::Column::Kind.eq(kind.code()))
        .one(db)
        .await
        .map_err(storage("reading an upload"))?
        .ok_or(ConsoleImportError::UnknownUpload)
}

/// The columns of a registry row that a parsed row would change.
fn changes(row: &ParsedRow, found: &student::Model) -> Vec<&'static str> {
    let mut changed = Vec::new();
    let health_check_year = found.health_check_year.map(|year| year.to_string());
    let pairs: [(&'static str, Option<&str>, Option<&str>); 17] = [
        ("user_id", Some(row.user_id.as_str()), Some(&found.user_id)),
        ("name", Some(&row.name), Some(&found.name)),
        (
            "name_kana",
            row.optional("name_kana"),
            found.name_kana.as_deref(),
        ),
        ("name_en", row.optional("name_en"), found.name_en.as_deref()),
        (
            "student_number",
            row.optional("student_number"),
            found.student_number.as_deref(),
        ),
        ("faculty", row.optional("faculty"), found.faculty.as_deref()),
        (
            "department",
            row.optional("department"),
            found.department.as_deref(),
        ),
        (
            "faculty_en",
            row.optional("faculty_en"),
            found.faculty_en.as_deref(),
        ),
        (
            "department_en",
            row.optional("department_en"),
            found.department_en.as_deref(),
        ),
        ("status", Some(row.status.code()), Some(found.status.code())),
        (
            "birth_date",
            row.optional("birth_date"),
            found.birth_date.as_deref(),
        ),
        (
            "admission_date",
            row.optional("admission_date"),
            found.admission_date.as_deref(),
        ),
        (
            "graduation_date",
            row.optional("graduation_date"),
            found.graduation_date.as_deref(),
        ),
        (
            "card_number",
            row.optional("card_number"),
            found.card_number.as_deref(),
        ),
        (
            "degree_name",
            row.optional("degree_name"),
            found.degree_name.as_deref(),
        ),
        (
            "degree_name_en",
            row.optional("degree_name_en"),
            found.degree_name_en.as_deref(),
        ),
        (
            "health_check_year",
            row.optional("health_check_year"),
            health_check_year.as_deref(),
        ),
    ];
    for (column, new, old) in pairs {
        if new != old {
            changed.push(column);
        }
    }
    if let Some(hash) = row.given_hash() {
        if hash != found.password_hash.as_str() {
            changed.push("password_hash");
        }
    }
    changed
}

/// What applying the member's upload would do, against the registry as it is now.
pub async fn preview(
    db: &impl ConnectionTrait,
    by: (&StaffMember, &Actor),
    tenant_id: i32,
    upload_id: i32,
) -> Result<Preview, ConsoleImportError> {
    permissions::require(db, by, Permission::ImportRegistry, tenant_id).await?;
    let upload = own_upload(db, by.0, (tenant_id, UploadKind::Registry), upload_id).await?;
    let mut preview = Preview {
        file_name: upload.file_name.clone(),
        outdated: version(db, tenant_id).await? != upload.registry_version,
        ..Default::default()
    };
    let (rows, faults) = match parse_collecting(upload.csv.as_bytes(), MAX_FAULTS) {
        Ok(parsed) => parsed,
        Err(fatal) => {
            preview.unreadable = Some(fatal.to_string());
            return Ok(preview);
        }
    };
    preview.faults = faults;
    let existing: HashMap<String, student::Model> = student::Entity::find()
        .filter(student::Column::TenantId.eq(tenant_id))
        .all(db)
        .await
        .map_err(storage("reading the registry"))?
        .into_iter()
        .map(|row| (row.user_id_key.clone(), row))
        .collect();
    for row in &rows {
        match existing.get(&row.user_id.key()) {
            None => {
                preview.new_count += 1;
                if preview.new.len() < MAX_LISTED {
                    preview.new.push(row.user_id.as_str().to_owned());
                }
            }
            Some(found) => match changes(row, found) {
                changed if changed.is_empty() => preview.unchanged_count += 1,
                changed => {
                    preview.updated_count += 1;
                    if preview.updated.len() < MAX_LISTED {
                        preview.updated.push((row.user_id.as_str().to_owned(), changed));
                    }
                }
            },
        }
    }
    Ok(preview)
}

/// Applies the member's upload whole, in one transaction, if the registry is as it was at the
/// upload and the file has no fault; the upload is then gone. Imports of one university run
/// one at a time (its row is locked), so two applied at once cannot both pass the check.
pub async fn apply(
    db: &(impl ConnectionTrait + TransactionTrait),
    by: (&StaffMember, &Actor),
    tenant_id: i32,
    upload_id: i32,
) -> Result<ImportSummary, ConsoleImportError> {
    permissions::require(db, by, Permission::ImportRegistry, tenant_id).await?;
    let upload = own_upload(db, by.0, (tenant_id, UploadKind::Registry), upload_id).await?;
    let rows = match parse_collecting(upload.csv.as_bytes(), 1) {
        Ok((rows, faults)) if faults.is_empty() => rows,
        _ => return Err(ConsoleImportError::Faulty),
    };
    // argon2 is slow on purpose: hash before the transaction, not inside it.
    let rows = tokio::task::spawn_blocking(move || hash_rows(rows))
        .await
        .map_err(|_| ConsoleImportError::Storage)?
        .map_err(|_| ConsoleImportError::Storage)?;
    let txn = begin(db).await?;
    tenant::Entity::find_by_id(tenant_id)
        .lock_exclusive()
        .one(&txn)
        .await
        .map_err(storage("locking a university for an import"))?;
    if version(&txn, tenant_id).await? != upload.registry_version {
        return Err(ConsoleImportError::Outdated);
    }
    claim(&txn, upload.id).await?;
    let summary = write_in(&txn, tenant_id, rows).await.map_err(|err| {
        tracing::error!(error = %err, "applying a registry upload");
        ConsoleImportError::Storage
    })?;
    let detail =
        serde_json::json!({ "added": summary.added, "updated": summary.updated }).to_string();
    let about = Subject {
        tenant_id: Some(tenant_id),
        staff_id: Some(by.0.id),
        detail: Some(&detail),
        ..Default::default()
    };
    audit::record(&txn, by.1, Event::RegistryImported, about).await;
    txn.commit().await.map_err(storage("committing a registry import"))?;
    Ok(summary)
}

/// Takes the upload out in the transaction that applies it: a second application of it (sent
/// at the same moment) finds it gone.
pub(super) async fn claim(
    txn: &impl ConnectionTrait,
    upload_id: i32,
) -> Result<(), ConsoleImportError> {
    let claimed = registry_upload::Entity::delete_by_id(upload_id)
        .exec(txn)
        .await
        .map_err(storage("claiming an upload"))?;
    if claimed.rows_affected != 1 {
        return Err(ConsoleImportError::UnknownUpload);
    }
    Ok(())
}

impl import::ParsedRow {
    fn optional(&self, column: &str) -> Option<&str> {
        self.optional.get(column).and_then(|value| value.as_deref())
    }
}
