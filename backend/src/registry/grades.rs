//! Course results, what a transcript lists: `shomei grades import`. A CSV carries, for each
//! student it names, all of that student's results; importing it replaces their results and
//! leaves every other student's alone. The file is checked whole before anything is written
//! (a fault is reported with its line and column) and written in one transaction.
//!
//! Columns: `user_id`, `year` (年度), `term` (学期), `course`, `course_en`, `credits`, `grade`
//! (評価), `category` (科目区分). Terms, grades and categories are kept as the university
//! writes them: certificates print them as they are.

use super::import::YEARS;
use crate::entities::{course_result, student, tenant};
use crate::platform::{begin, storage, StorageError};
use domain::UserId;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};
use std::collections::{BTreeMap, HashMap};

const REQUIRED: [&str; 6] = ["user_id", "year", "term", "course", "credits", "grade"];
const OPTIONAL: [&str; 2] = ["course_en", "category"];
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
        "term" => 16,
        "grade" => 8,
        "category" => 32,
        _ => 150,
    }
}

fn parse(csv: &[u8]) -> Result<Vec<Row>, GradesError> {
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
    for record in reader.records() {
        let record = record.map_err(|err| GradesError::Unreadable(err.to_string()))?;
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
        rows.push(Row {
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
            },
        });
    }
    Ok(rows)
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
    // Imports of one university run one at a time, as the registry's do.
    tenant::Entity::find_by_id(tenant_id)
        .lock_exclusive()
        .one(&txn)
        .await
        .map_err(storage("locking a university for a grade import"))?;
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
            .one(&txn)
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
        .exec(&txn)
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
                position: Set(*position),
                ..Default::default()
            }
        })
        .collect();
    let written = models.len() as u32;
    for batch in models.chunks(BATCH) {
        course_result::Entity::insert_many(batch.to_vec())
            .exec(&txn)
            .await
            .map_err(storage("writing course results"))?;
    }
    txn.commit().await.map_err(storage("committing a grade import"))?;
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
        })
        .collect())
}
