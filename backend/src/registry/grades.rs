//! Course results, what a transcript lists: `shomei grades import`. A CSV carries, for each
//! student it names, all of that student's results; importing it replaces their results and
//! leaves every other student's alone. The file is checked whole before anything is written
//! (a fault is reported with its line and column) and written in one transaction.
//!
//! Columns: `user_id`, `year` (年度), `term` (学期), `term_en`, `course`, `course_en`,
//! `credits`, `grade` (評価), `category` (科目区分), `category_en`. Terms, grades and
//! categories are kept as the university writes them: certificates print them as they are
//! (an English transcript the English names where the file gives them).
//!
//! The staff console's import page takes the same files (`console_import`, kind `grades`):
//! a preview names each student whose results would be replaced and the first faulty rows
//! with line and column; applying it writes it whole, or nothing if the results changed since.

use super::console_import::{
    claim, own_upload, version_of, ConsoleImportError, UploadKind, MAX_FAULTS, MAX_LISTED,
};
use super::import::YEARS;
use crate::entities::{course_result, student, tenant};
use crate::platform::audit::{self, Actor, Event, Subject};
use crate::platform::permissions;
use crate::platform::secrets::sha256_hex;
use crate::platform::{begin, storage, StorageError};
use domain::{Permission, StaffMember, UserId};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};
use std::collections::{BTreeMap, HashMap};

const REQUIRED: [&str; 6] = ["user_id", "year", "term", "course", "credits", "grade"];
const OPTIONAL: [&str; 4] = ["course_en", "category", "term_en", "category_en"];
/// The most credits one course may carry.
pub const MAX_CREDITS: i32 = 30;
/// Rows written per statement.
const BATCH: usize = 500;

/// One course a student took.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CourseResult {
    pub fiscal_year: i32,
    pub term: String,
    pub course_ja: String,
    pub course_en: Option<String>,
    pub credits: i32,
    pub grade: String,
    pub category: String,
    pub term_en: Option<String>,
    pub category_en: Option<String>,
}

/// What is wrong with a cell of a grade file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GradeFault {
    #[error("no student of this university has this user ID")]
    UnknownStudent,
    #[error("missing")]
    Missing,
    #[error("must be a fiscal year written YYYY")]
    NotAYear,
    #[error("must be whole credits from 0 to 30")]
    BadCredits,
    #[error("too long or holds control characters")]
    BadText,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GradesError {
    #[error("line {line}, column {column}: {fault}")]
    Row {
        line: u64,
        column: &'static str,
        fault: GradeFault,
    },
    #[error("the header lacks the column {0:?}")]
    MissingColumn(&'static str),
    #[error("the header has a column no grade file has: {0:?}")]
    UnknownColumn(String),
    #[error("not a CSV file in UTF-8: {0}")]
    Unreadable(String),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// What an import wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GradesSummary {
    pub students: u32,
    pub results: u32,
}

/// A result as read, with the student it belongs to and where it stood.
#[derive(Clone, Debug)]
struct Row {
    line: u64,
    user_id: UserId,
    result: CourseResult,
}

/// How long each text may be, in characters.
fn limit(column: &str) -> usize {
    match column {
        "term" | "term_en" => 16,
        "grade" => 8,
        "category" | "category_en" => 32,
        _ => 150,
    }
}

fn parse(csv: &[u8]) -> Result<Vec<Row>, GradesError> {
    let (rows, mut faults) = parse_collecting(csv, 1)?;
    match faults.pop() {
        Some(fault) => Err(fault),
        None => Ok(rows),
    }
}

/// The rows of a grade file and its faulty rows (the first `max_faults` of them); `Err` for a
/// file that cannot be read at all (not CSV, a header not a grade file's).
fn parse_collecting(
    csv: &[u8],
    max_faults: usize,
) -> Result<(Vec<Row>, Vec<GradesError>), GradesError> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(csv);
    let headers = reader.headers().map_err(|err| GradesError::Unreadable(err.to_string()))?;
    let index: HashMap<String, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, name)| (name.trim().to_owned(), i))
        .collect();
    if let Some(missing) = REQUIRED.into_iter().find(|column| !index.contains_key(*column)) {
        return Err(GradesError::MissingColumn(missing));
    }
    // A misspelt optional column would otherwise be dropped without a word.
    if let Some(unknown) = index
        .keys()
        .find(|name| !REQUIRED.contains(&name.as_str()) && !OPTIONAL.contains(&name.as_str()))
    {
        return Err(GradesError::UnknownColumn(unknown.clone()));
    }
    let mut rows = Vec::new();
    let mut faults = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|err| GradesError::Unreadable(err.to_string()))?;
        match parse_row(&record, &index) {
            Ok(row) => rows.push(row),
            Err(fault) => {
                faults.push(fault);
                if faults.len() >= max_faults {
                    break;
                }
            }
        }
    }
    Ok((rows, faults))
}

fn parse_row(
    record: &csv::StringRecord,
    index: &HashMap<String, usize>,
) -> Result<Row, GradesError> {
    let line = record.position().map_or(0, |p| p.line());
    let bad = |column: &'static str, fault| GradesError::Row {
        line,
        column,
        fault,
    };
    let cell = |column: &'static str| -> Result<Option<String>, GradesError> {
        let value = index.get(column).and_then(|i| record.get(*i)).unwrap_or("").trim();
        if value.is_empty() {
            return Ok(None);
        }
        if value.chars().count() > limit(column) || value.chars().any(char::is_control) {
            return Err(bad(column, GradeFault::BadText));
        }
        Ok(Some(value.to_owned()))
    };
    let required = |column: &'static str| cell(column)?.ok_or(bad(column, GradeFault::Missing));
    let user_id = UserId::parse(&required("user_id")?)
        .map_err(|_| bad("user_id", GradeFault::UnknownStudent))?;
    let fiscal_year = required("year")?
        .parse::<i32>()
        .ok()
        .filter(|year| YEARS.contains(year))
        .ok_or(bad("year", GradeFault::NotAYear))?;
    let credits = required("credits")?
        .parse::<i32>()
        .ok()
        .filter(|credits| (0..=MAX_CREDITS).contains(credits))
        .ok_or(bad("credits", GradeFault::BadCredits))?;
    Ok(Row {
        line,
        user_id,
        result: CourseResult {
            fiscal_year,
            term: required("term")?,
            course_ja: required("course")?,
            course_en: cell("course_en")?,
            credits,
            grade: required("grade")?,
            category: cell("category")?.unwrap_or_default(),
            term_en: cell("term_en")?,
            category_en: cell("category_en")?,
        },
    })
}

/// Checks a grade file without writing (for `--check`): how many results it holds.
pub fn check_grades(csv: &[u8]) -> Result<usize, GradesError> {
    Ok(parse(csv)?.len())
}

/// Imports a grade file for university `tenant_id`: each student it names gets exactly the
/// file's results, in the file's order. Every user ID must be a student of this university.
pub async fn import_grades(
    db: &impl TransactionTrait,
    tenant_id: i32,
    csv: &[u8],
) -> Result<GradesSummary, GradesError> {
    let rows = parse(csv)?;
    let txn = begin(db).await?;
    lock_university(&txn, tenant_id).await?;
    let summary = write_in(&txn, tenant_id, rows).await?;
    txn.commit().await.map_err(storage("committing a grade import"))?;
    Ok(summary)
}

/// Imports of one university run one at a time, as the registry's do.
async fn lock_university(txn: &impl ConnectionTrait, tenant_id: i32) -> Result<(), StorageError> {
    tenant::Entity::find_by_id(tenant_id)
        .lock_exclusive()
        .one(txn)
        .await
        .map_err(storage("locking a university for a grade import"))?;
    Ok(())
}

/// Replaces the results of every student `rows` name, in `txn`.
async fn write_in(
    txn: &impl ConnectionTrait,
    tenant_id: i32,
    rows: Vec<Row>,
) -> Result<GradesSummary, GradesError> {
    let mut students: HashMap<String, i32> = HashMap::new();
    for row in &rows {
        let key = row.user_id.key();
        if students.contains_key(&key) {
            continue;
        }
        let found = student::Entity::find()
            .select_only()
            .column(student::Column::Id)
            .filter(student::Column::TenantId.eq(tenant_id))
            .filter(student::Column::UserIdKey.eq(key.clone()))
            .into_tuple::<i32>()
            .one(txn)
            .await
            .map_err(storage("finding a student for a grade import"))?;
        let Some(id) = found else {
            return Err(GradesError::Row {
                line: row.line,
                column: "user_id",
                fault: GradeFault::UnknownStudent,
            });
        };
        students.insert(key, id);
    }
    course_result::Entity::delete_many()
        .filter(course_result::Column::TenantId.eq(tenant_id))
        .filter(course_result::Column::StudentId.is_in(students.values().copied()))
        .exec(txn)
        .await
        .map_err(storage("replacing course results"))?;
    let mut positions: BTreeMap<i32, i32> = BTreeMap::new();
    let models: Vec<course_result::ActiveModel> = rows
        .into_iter()
        .map(|row| {
            let student_id = students[&row.user_id.key()];
            let position = positions.entry(student_id).or_insert(0);
            *position += 1;
            let result = row.result;
            course_result::ActiveModel {
                tenant_id: Set(tenant_id),
                student_id: Set(student_id),
                fiscal_year: Set(result.fiscal_year),
                term: Set(result.term),
                course_ja: Set(result.course_ja),
                course_en: Set(result.course_en),
                credits: Set(result.credits),
                grade: Set(result.grade),
                category: Set(result.category),
                term_en: Set(result.term_en),
                category_en: Set(result.category_en),
                position: Set(*position),
                ..Default::default()
            }
        })
        .collect();
    let written = models.len() as u32;
    for batch in models.chunks(BATCH) {
        course_result::Entity::insert_many(batch.to_vec())
            .exec(txn)
            .await
            .map_err(storage("writing course results"))?;
    }
    Ok(GradesSummary {
        students: students.len() as u32,
        results: written,
    })
}

/// The course results of student `student_id` of university `tenant_id`, in the file's order.
pub async fn results_of(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    student_id: i32,
) -> Result<Vec<CourseResult>, StorageError> {
    Ok(course_result::Entity::find()
        .filter(course_result::Column::TenantId.eq(tenant_id))
        .filter(course_result::Column::StudentId.eq(student_id))
        .order_by_asc(course_result::Column::Position)
        .all(db)
        .await
        .map_err(storage("reading course results"))?
        .into_iter()
        .map(|row| CourseResult {
            fiscal_year: row.fiscal_year,
            term: row.term,
            course_ja: row.course_ja,
            course_en: row.course_en,
            credits: row.credits,
            grade: row.grade,
            category: row.category,
            term_en: row.term_en,
            category_en: row.category_en,
        })
        .collect())
}

/// The course results' version: changes whenever an import replaces any of them.
pub(super) async fn version(
    db: &impl ConnectionTrait,
    tenant_id: i32,
) -> Result<String, StorageError> {
    let ids: Vec<i32> = course_result::Entity::find()
        .select_only()
        .column(course_result::Column::Id)
        .filter(course_result::Column::TenantId.eq(tenant_id))
        .order_by_asc(course_result::Column::Id)
        .into_tuple()
        .all(db)
        .await
        .map_err(storage("reading the course results' version"))?;
    let listed: String = ids.iter().map(|id| format!("{id}\n")).collect();
    Ok(sha256_hex(&listed))
}

/// What applying an uploaded grade file would do.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GradesPreview {
    pub file_name: String,
    /// The file cannot be read at all (not CSV, a header not a grade file's): why.
    pub unreadable: Option<String>,
    /// Students whose results it replaces, and results it holds, in all.
    pub students: usize,
    pub results: usize,
    /// The first students, each with how many results they have now and would have.
    pub replaced: Vec<(String, usize, usize)>,
    /// The first faulty rows (a user ID of no student here among them).
    pub faults: Vec<GradesError>,
    /// The course results changed since the upload: upload again.
    pub outdated: bool,
}

impl GradesPreview {
    /// Whether applying it would be accepted.
    pub fn applicable(&self) -> bool {
        self.unreadable.is_none() && self.faults.is_empty() && !self.outdated
    }
}

/// The university's students by user ID key: id.
async fn student_ids(
    db: &impl ConnectionTrait,
    tenant_id: i32,
) -> Result<HashMap<String, i32>, StorageError> {
    let rows: Vec<(String, i32)> = student::Entity::find()
        .select_only()
        .column(student::Column::UserIdKey)
        .column(student::Column::Id)
        .filter(student::Column::TenantId.eq(tenant_id))
        .into_tuple()
        .all(db)
        .await
        .map_err(storage("reading the registry"))?;
    Ok(rows.into_iter().collect())
}

/// What applying the member's uploaded grade file would do, against the results as they are.
pub async fn preview_grades(
    db: &impl ConnectionTrait,
    by: (&StaffMember, &Actor),
    tenant_id: i32,
    upload_id: i32,
) -> Result<GradesPreview, ConsoleImportError> {
    permissions::require(db, by, Permission::ImportRegistry, tenant_id).await?;
    let upload = own_upload(db, by.0, (tenant_id, UploadKind::Grades), upload_id).await?;
    let mut preview = GradesPreview {
        file_name: upload.file_name.clone(),
        outdated: version_of(db, tenant_id, UploadKind::Grades).await? != upload.registry_version,
        ..Default::default()
    };
    let (rows, mut faults) = match parse_collecting(upload.csv.as_bytes(), MAX_FAULTS) {
        Ok(parsed) => parsed,
        Err(fatal) => {
            preview.unreadable = Some(fatal.to_string());
            return Ok(preview);
        }
    };
    let students = student_ids(db, tenant_id).await?;
    // Per student, in the file's order: their id and how many results the file gives them.
    let mut named: Vec<(String, i32, usize)> = Vec::new();
    let mut position: HashMap<i32, usize> = HashMap::new();
    for row in &rows {
        let Some(&id) = students.get(&row.user_id.key()) else {
            faults.push(GradesError::Row {
                line: row.line,
                column: "user_id",
                fault: GradeFault::UnknownStudent,
            });
            continue;
        };
        match position.get(&id) {
            Some(&at) => named[at].2 += 1,
            None => {
                position.insert(id, named.len());
                named.push((row.user_id.as_str().to_owned(), id, 1));
            }
        }
    }
    // The first faulty rows of the file, whichever check found them.
    faults.sort_by_key(|fault| match fault {
        GradesError::Row { line, .. } => *line,
        _ => 0,
    });
    faults.truncate(MAX_FAULTS);
    preview.faults = faults;
    preview.students = named.len();
    preview.results = named.iter().map(|(_, _, count)| count).sum();
    let listed: Vec<i32> = named.iter().take(MAX_LISTED).map(|(_, id, _)| *id).collect();
    let now: Vec<i32> = course_result::Entity::find()
        .select_only()
        .column(course_result::Column::StudentId)
        .filter(course_result::Column::TenantId.eq(tenant_id))
        .filter(course_result::Column::StudentId.is_in(listed))
        .into_tuple()
        .all(db)
        .await
        .map_err(storage("counting course results"))?;
    preview.replaced = named
        .into_iter()
        .take(MAX_LISTED)
        .map(|(user_id, id, after)| {
            let before = now.iter().filter(|student| **student == id).count();
            (user_id, before, after)
        })
        .collect();
    Ok(preview)
}

/// Applies the member's uploaded grade file whole, in one transaction, if it has no fault and
/// the results are as they were at the upload; the upload is then gone.
pub async fn apply_grades(
    db: &(impl ConnectionTrait + TransactionTrait),
    by: (&StaffMember, &Actor),
    tenant_id: i32,
    upload_id: i32,
) -> Result<GradesSummary, ConsoleImportError> {
    permissions::require(db, by, Permission::ImportRegistry, tenant_id).await?;
    let upload = own_upload(db, by.0, (tenant_id, UploadKind::Grades), upload_id).await?;
    let rows = parse(upload.csv.as_bytes()).map_err(|_| ConsoleImportError::Faulty)?;
    let txn = begin(db).await?;
    lock_university(&txn, tenant_id).await?;
    if version_of(&txn, tenant_id, UploadKind::Grades).await? != upload.registry_version {
        return Err(ConsoleImportError::Outdated);
    }
    claim(&txn, upload.id).await?;
    let summary = match write_in(&txn, tenant_id, rows).await {
        Ok(summary) => summary,
        // A student named in the file has left the registry since the preview.
        Err(GradesError::Row { .. }) => return Err(ConsoleImportError::Outdated),
        Err(err) => {
            tracing::error!(error = %err, "applying a grade upload");
            return Err(ConsoleImportError::Storage);
        }
    };
    let detail =
        serde_json::json!({ "students": summary.students, "results": summary.results }).to_string();
    let about = Subject {
        tenant_id: Some(tenant_id),
        staff_id: Some(by.0.id),
        detail: Some(&detail),
        ..Default::default()
    };
    audit::record(&txn, by.1, Event::GradesImported, about).await;
    txn.commit().await.map_err(storage("committing a grade upload"))?;
    Ok(summary)
}
