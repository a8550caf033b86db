//! The student registry: CSV import by the operator. A file is checked whole before anything
//! is written, and written in one transaction, so a bad row leaves the registry as it was.

use crate::entities::student;
use crate::platform::clock::now_ms;
use crate::platform::passwords::{hash_blocking, is_supported_hash, PasswordHash};
use domain::StudentStatus;
use domain::UserId;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set, TransactionTrait,
};
use secrecy::SecretString;
use std::collections::{HashMap, HashSet};
use std::io::Read;

const KNOWN_COLUMNS: [&str; 19] = [
    "user_id",
    "name",
    "password",
    "password_hash",
    "name_kana",
    "name_en",
    "student_number",
    "faculty",
    "department",
    "faculty_en",
    "department_en",
    "status",
    "birth_date",
    "admission_date",
    "graduation_date",
    "card_number",
    "degree_name",
    "degree_name_en",
    "health_check_year",
];

/// The earliest and latest fiscal year a registry or grade file may name.
pub const YEARS: std::ops::RangeInclusive<i32> = 1950..=2100;

/// What is wrong with a cell of a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RowFault {
    #[error("missing, longer than 64 characters or contains spaces")]
    UserIdInvalid,
    #[error("appears twice in this file")]
    Twice,
    #[error("must be 1 to 32 letters and digits")]
    CardNumberInvalid,
    #[error("missing")]
    Missing,
    #[error("give password or password_hash, not both")]
    PasswordAndHash,
    #[error("not an argon2 PHC string")]
    NotAHash,
    #[error("must be enrolled, graduated, on_leave or withdrawn")]
    UnknownStatus,
    #[error("must be a date written YYYY-MM-DD")]
    NotADate,
    #[error("must be a fiscal year written YYYY")]
    NotAYear,
}

#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum ImportError {
    #[error("line {line}, column {column}: {reason}")]
    Row {
        line: u64,
        column: String,
        reason: RowFault,
    },
    #[error("header: {0}")]
    Header(String),
    #[error("the file could not be read as CSV: {0}")]
    Unreadable(String),
    #[error("storage failed: {0}")]
    Storage(String),
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub added: usize,
    pub updated: usize,
}

/// Where a row's university password comes from.
enum PasswordSource {
    Plain(SecretString),
    Hash(PasswordHash),
}

pub(super) struct ParsedRow {
    pub(super) user_id: UserId,
    pub(super) name: String,
    password: PasswordSource,
    pub(super) optional: HashMap<&'static str, Option<String>>,
    pub(super) status: StudentStatus,
}

pub async fn import_csv(
    db: &DatabaseConnection,
    tenant_id: i32,
    input: impl Read,
) -> Result<ImportSummary, ImportError> {
    let rows = parse(input)?;
    // argon2 is slow on purpose; spread the hashing of a large file over the cores.
    let rows = tokio::task::spawn_blocking(move || hash_rows(rows))
        .await
        .map_err(|err| ImportError::Storage(err.to_string()))??;
    write(db, tenant_id, rows).await
}

/// Checks a file as an import would, without hashing or writing anything; returns how many
/// students it holds. The operator's `students import --check`, and the fuzzing target.
pub fn check_csv(input: impl Read) -> Result<usize, ImportError> {
    parse(input).map(|rows| rows.len())
}

impl ParsedRow {
    /// The password hash the file gives, if it gives one (not a password to hash).
    pub(super) fn given_hash(&self) -> Option<&str> {
        match &self.password {
            PasswordSource::Hash(hash) => Some(hash.as_str()),
            PasswordSource::Plain(_) => None,
        }
    }
}

fn parse(input: impl Read) -> Result<Vec<ParsedRow>, ImportError> {
    let (rows, mut faults) = parse_collecting(input, 1)?;
    match faults.pop() {
        Some(fault) => Err(fault),
        None => Ok(rows),
    }
}

/// Every row of a file that parses, and the faults of the others (the first `max_faults` of
/// them). A header that is not ours, or a file that is not CSV, stops it at once.
pub(super) fn parse_collecting(
    input: impl Read,
    max_faults: usize,
) -> Result<(Vec<ParsedRow>, Vec<ImportError>), ImportError> {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(input);
    let headers = reader
        .headers()
        .map_err(|err| ImportError::Unreadable(err.to_string()))?
        .clone();
    let header_names: Vec<String> = headers
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    for name in &header_names {
        if name.is_empty() || !KNOWN_COLUMNS.contains(&name.as_str()) {
            return Err(ImportError::Header(format!("unknown column {name:?}")));
        }
    }
    let position = |name: &str| header_names.iter().position(|h| h == name);
    for required in ["user_id", "name"] {
        if position(required).is_none() {
            return Err(ImportError::Header(format!(
                "the column {required:?} is required"
            )));
        }
    }
    if position("password").is_none() && position("password_hash").is_none() {
        return Err(ImportError::Header(
            "one of the columns \"password\" or \"password_hash\" is required".to_owned(),
        ));
    }

    let mut rows = Vec::new();
    let mut faults = Vec::new();
    let mut seen = Seen::default();
    for record in reader.records() {
        let record = record.map_err(|err| ImportError::Unreadable(err.to_string()))?;
        match parse_row(&record, &position, &mut seen) {
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

/// The user IDs and card numbers of a file so far: each may appear once.
#[derive(Default)]
struct Seen {
    user_ids: HashSet<String>,
    cards: HashSet<String>,
}

fn parse_row(
    record: &csv::StringRecord,
    position: &impl Fn(&str) -> Option<usize>,
    seen: &mut Seen,
) -> Result<ParsedRow, ImportError> {
    let line = record.position().map(|p| p.line()).unwrap_or(0);
    let cell = |name: &str| {
        position(name)
            .and_then(|i| record.get(i))
            .map(str::to_owned)
            .filter(|v| !v.is_empty())
    };
    let bad = |column: &str, reason: RowFault| ImportError::Row {
        line,
        column: column.to_owned(),
        reason,
    };

    let user_id = UserId::parse(&cell("user_id").unwrap_or_default())
        .map_err(|_| bad("user_id", RowFault::UserIdInvalid))?;
    if !seen.user_ids.insert(user_id.key()) {
        return Err(bad("user_id", RowFault::Twice));
    }
    let card_number = cell("card_number");
    if let Some(card) = &card_number {
        if card.len() > 32 || !card.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(bad("card_number", RowFault::CardNumberInvalid));
        }
        if !seen.cards.insert(card.clone()) {
            return Err(bad("card_number", RowFault::Twice));
        }
    }
    let name = cell("name").ok_or_else(|| bad("name", RowFault::Missing))?;
    let password = match (cell("password"), cell("password_hash")) {
        (Some(_), Some(_)) => return Err(bad("password", RowFault::PasswordAndHash)),
        (Some(plain), None) => PasswordSource::Plain(SecretString::from(plain)),
        (None, Some(hash)) if is_supported_hash(&hash) => {
            PasswordSource::Hash(PasswordHash::from_phc(hash))
        }
        (None, Some(_)) => return Err(bad("password_hash", RowFault::NotAHash)),
        (None, None) => return Err(bad("password", RowFault::Missing)),
    };
    let status = cell("status").unwrap_or_else(|| "enrolled".to_owned());
    let Some(status) = StudentStatus::from_code(&status) else {
        return Err(bad("status", RowFault::UnknownStatus));
    };
    let mut optional = HashMap::new();
    for column in [
        "name_kana",
        "name_en",
        "student_number",
        "faculty",
        "department",
        "faculty_en",
        "department_en",
        "degree_name",
        "degree_name_en",
    ] {
        optional.insert(column, cell(column));
    }
    // Kept as the number's own text, so `02026` and `2026` are the same year to the preview.
    let health_check_year = match cell("health_check_year") {
        None => None,
        Some(year) => match year.parse::<i32>() {
            Ok(year) if YEARS.contains(&year) => Some(year.to_string()),
            _ => return Err(bad("health_check_year", RowFault::NotAYear)),
        },
    };
    optional.insert("health_check_year", health_check_year);
    for column in ["birth_date", "admission_date", "graduation_date"] {
        let value = cell(column);
        if let Some(date) = &value {
            chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
                .map_err(|_| bad(column, RowFault::NotADate))?;
        }
        optional.insert(column, value);
    }
    optional.insert("card_number", card_number);
    Ok(ParsedRow {
        user_id,
        name,
        password,
        optional,
        status,
    })
}

pub(super) fn hash_rows(
    rows: Vec<ParsedRow>,
) -> Result<Vec<(ParsedRow, PasswordHash)>, ImportError> {
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let chunk_size = rows.len().div_ceil(threads).max(1);
    let mut chunks: Vec<Vec<ParsedRow>> = Vec::new();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        chunks.push(rows.by_ref().take(chunk_size).collect());
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .into_iter()
                        .map(|row| {
                            let hash = match &row.password {
                                PasswordSource::Plain(plain) => hash_blocking(plain)
                                    .map_err(|_| ImportError::Storage("hashing failed".into()))?,
                                PasswordSource::Hash(hash) => hash.clone(),
                            };
                            Ok((row, hash))
                        })
                        .collect::<Result<Vec<_>, ImportError>>()
                })
            })
            .collect();
        let mut all = Vec::new();
        for handle in handles {
            all.extend(handle.join().expect("hashing thread panicked")?);
        }
        Ok(all)
    })
}

async fn write(
    db: &DatabaseConnection,
    tenant_id: i32,
    rows: Vec<(ParsedRow, PasswordHash)>,
) -> Result<ImportSummary, ImportError> {
    let storage = |err: sea_orm::DbErr| ImportError::Storage(err.to_string());
    let txn = db.begin().await.map_err(storage)?;
    let summary = write_in(&txn, tenant_id, rows).await?;
    txn.commit().await.map_err(storage)?;
    Ok(summary)
}

/// Writes checked and hashed rows in the caller's transaction.
pub(super) async fn write_in(
    txn: &impl ConnectionTrait,
    tenant_id: i32,
    rows: Vec<(ParsedRow, PasswordHash)>,
) -> Result<ImportSummary, ImportError> {
    let storage = |err: sea_orm::DbErr| ImportError::Storage(err.to_string());
    let mut summary = ImportSummary::default();
    let now = now_ms();
    for (mut row, hash) in rows {
        let existing = student::Entity::find()
            .filter(student::Column::TenantId.eq(tenant_id))
            .filter(student::Column::UserIdKey.eq(row.user_id.key()))
            .one(txn)
            .await
            .map_err(storage)?;
        let mut take = |column: &str| row.optional.remove(column).flatten();
        let mut model = student::ActiveModel {
            tenant_id: Set(tenant_id),
            user_id: Set(row.user_id.as_str().to_owned()),
            user_id_key: Set(row.user_id.key()),
            name: Set(row.name.clone()),
            name_kana: Set(take("name_kana")),
            name_en: Set(take("name_en")),
            student_number: Set(take("student_number")),
            faculty: Set(take("faculty")),
            department: Set(take("department")),
            faculty_en: Set(take("faculty_en")),
            department_en: Set(take("department_en")),
            status: Set(row.status),
            birth_date: Set(take("birth_date")),
            admission_date: Set(take("admission_date")),
            graduation_date: Set(take("graduation_date")),
            card_number: Set(take("card_number")),
            degree_name: Set(take("degree_name")),
            degree_name_en: Set(take("degree_name_en")),
            // Checked when parsed.
            health_check_year: Set(take("health_check_year").and_then(|year| year.parse().ok())),
            password_hash: Set(hash),
            updated_at: Set(now),
            ..Default::default()
        };
        match existing {
            Some(found) => {
                model.id = Set(found.id);
                model.update(txn).await.map_err(storage)?;
                summary.updated += 1;
            }
            None => {
                model.insert(txn).await.map_err(storage)?;
                summary.added += 1;
            }
        }
    }
    Ok(summary)
}
