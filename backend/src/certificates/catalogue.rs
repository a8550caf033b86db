//! A university's certificate catalogue: its delivery methods with their fees, its certificate
//! types, and the days its office is closed. An operator imports it from a TOML file
//! (`shomei catalogue import`, format in the README); the file is checked whole before
//! anything is written, and written in one transaction.
//!
//! A type or method the new file no longer lists is withdrawn, never deleted, so applications
//! that named it keep their meaning.

use crate::entities::{certificate_type, closure_day, delivery_method, grade_point, tenant};
use crate::platform::audit::{self, Actor, Event, Subject};
use crate::platform::{begin, storage, StorageError};
use chrono::NaiveDate;
use domain::i18n::Lang;
use domain::{CatalogueCode, CertificateContent, DeliveryKind, OrderRule, StudentStatus, Yen};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// The highest fee a type or a delivery may carry, in yen: a typo of a few zeros is refused.
pub const MAX_FEE: i64 = 100_000;
pub const MAX_COPIES: u32 = 100;
pub const MAX_WORKING_DAYS: u32 = 60;
/// The longest validity a type may give its certificates: ten years.
pub const MAX_VALID_DAYS: u32 = 3650;
pub const MAX_NAME_CHARS: usize = 100;

/// A delivery method of the catalogue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeliveryMethod {
    pub code: CatalogueCode,
    pub kind: DeliveryKind,
    pub name_ja: String,
    pub name_en: String,
    pub fee: Yen,
}

/// A certificate type of the catalogue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateType {
    pub code: CatalogueCode,
    pub name_ja: String,
    pub name_en: String,
    pub languages: Vec<Lang>,
    /// Per copy.
    pub fee: Yen,
    pub max_copies: u32,
    pub statuses: Vec<StudentStatus>,
    pub rule: Option<OrderRule>,
    /// Codes of this catalogue's delivery methods.
    pub deliveries: Vec<CatalogueCode>,
    pub working_days: u32,
    /// Days its certificates are valid after their issue date (a certificate of enrollment's
    /// 3 months); `None`: no end.
    pub valid_days: Option<u32>,
    /// What it states; a type delivered as PDF must say (the office issues it as a document).
    pub content: Option<CertificateContent>,
}

/// A day the office is closed, with why (年末年始, 創立記念日, …).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClosureDay {
    pub day: NaiveDate,
    pub note: String,
}

/// A catalogue as a file gives it, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Catalogue {
    pub deliveries: Vec<DeliveryMethod>,
    pub types: Vec<CertificateType>,
    /// `None`: the file says nothing of closures and the calendar stays as it is.
    pub closures: Option<Vec<ClosureDay>>,
    /// The GPA rule; `None`: the file says nothing of it and the rule stays as it is.
    pub gpa: Option<Vec<GradePoints>>,
}

/// The points a grade counts in the GPA, in hundredths (4.00 is 400).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GradePoints {
    pub grade: String,
    pub hundredths: u32,
}

/// The most points a grade may carry, in hundredths.
pub const MAX_GRADE_HUNDREDTHS: u32 = 1000;

/// What is wrong with one entry of a catalogue file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CatalogueFault {
    #[error("the code must be 1 to 32 of a-z, 0-9, '_' and '-'")]
    BadCode,
    #[error("the code appears twice")]
    Twice,
    #[error("the kind must be pdf, post, ems, pickup or campus_print")]
    UnknownKind,
    #[error("a name is empty, longer than 100 characters or holds control characters")]
    BadName,
    #[error("the fee must be whole yen from 0 to 100000")]
    BadFee,
    #[error("the languages must be one or both of \"ja\" and \"en\", each once")]
    BadLanguages,
    #[error("max_copies must be from 1 to 100")]
    BadCopies,
    #[error("the statuses must be one or more of enrolled, graduated, on_leave, withdrawn")]
    BadStatuses,
    #[error("the rule must be final_year or health_check_cleared")]
    UnknownRule,
    #[error("the deliveries must name one or more delivery methods of this file, each once")]
    BadDeliveries,
    #[error("working_days must be from 0 to 60")]
    BadWorkingDays,
    #[error("valid_days must be from 1 to 3650")]
    BadValidDays,
    #[error("the day must be a date (2026-12-29) and appear once")]
    BadDay,
    #[error("the note is longer than 100 characters or holds control characters")]
    BadNote,
    #[error("a catalogue needs at least one delivery method and one certificate type")]
    Empty,
    #[error(
        "content must be enrollment, transcript, expected_graduation, graduation, degree or \
         health_check"
    )]
    UnknownContent,
    #[error("a type delivered as pdf must say its content")]
    PdfNeedsContent,
    #[error("a grade is 1 to 8 characters, its points from 0 to 10 with at most two decimals")]
    BadGradePoints,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CatalogueError {
    #[error("not a catalogue file: {0}")]
    Unreadable(String),
    #[error("{place}: {fault}")]
    Invalid {
        place: CataloguePlace,
        fault: CatalogueFault,
    },
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Where in a catalogue file a fault is, as the file says it: the entry's position in its
/// list and its code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CataloguePlace {
    File,
    Delivery { n: usize, code: String },
    Certificate { n: usize, code: String },
    Closure { n: usize, day: String },
    Gpa { grade: String },
}

impl std::fmt::Display for CataloguePlace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CataloguePlace::File => write!(f, "the file"),
            CataloguePlace::Delivery { n, code } => write!(f, "delivery {n} ({code:?})"),
            CataloguePlace::Certificate { n, code } => write!(f, "certificate {n} ({code:?})"),
            CataloguePlace::Closure { n, day } => write!(f, "closure {n} ({day})"),
            CataloguePlace::Gpa { grade } => write!(f, "gpa {grade:?}"),
        }
    }
}

/// What an import changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CatalogueSummary {
    pub types_added: u32,
    pub types_updated: u32,
    pub types_withdrawn: u32,
    pub deliveries_added: u32,
    pub deliveries_updated: u32,
    pub deliveries_withdrawn: u32,
    /// `None` when the file left the calendar alone.
    pub closures: Option<u32>,
    /// `None` when the file left the GPA rule alone.
    pub grades: Option<u32>,
}

// The file's shape. Unknown keys are refused, so a misspelt `max_copy` is an error, not a
// silently ignored line. Written back by `to_toml` for the console's editor.
#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct FileCatalogue {
    #[serde(default)]
    delivery: Vec<FileDelivery>,
    #[serde(default)]
    certificate: Vec<FileType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    closure: Option<Vec<FileClosure>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gpa: Option<std::collections::BTreeMap<String, f64>>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct FileDelivery {
    code: String,
    kind: String,
    name_ja: String,
    name_en: String,
    fee: i64,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct FileType {
    code: String,
    name_ja: String,
    name_en: String,
    languages: Vec<String>,
    fee: i64,
    max_copies: i64,
    statuses: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule: Option<String>,
    deliveries: Vec<String>,
    working_days: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    valid_days: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content: Option<String>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct FileClosure {
    day: toml::value::Datetime,
    #[serde(default)]
    note: String,
}

fn fits_as_text(text: &str, max_chars: usize) -> bool {
    text.chars().count() <= max_chars && !text.chars().any(char::is_control)
}

fn name(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty() && fits_as_text(text, MAX_NAME_CHARS)).then(|| text.to_owned())
}

fn fee(yen: i64) -> Option<Yen> {
    (0..=MAX_FEE).contains(&yen).then(|| Yen::new(yen)).flatten()
}

/// Each of `codes` read by `read`, none twice and at least one; `None` otherwise.
fn each_once<T: PartialEq>(codes: &[String], read: impl Fn(&str) -> Option<T>) -> Option<Vec<T>> {
    let mut read_all: Vec<T> = Vec::new();
    for code in codes {
        let value = read(code)?;
        if read_all.contains(&value) {
            return None;
        }
        read_all.push(value);
    }
    (!read_all.is_empty()).then_some(read_all)
}

/// Reads and checks a catalogue file. The first fault found is the answer.
pub fn parse(text: &str) -> Result<Catalogue, CatalogueError> {
    let file: FileCatalogue =
        toml::from_str(text).map_err(|err| CatalogueError::Unreadable(err.to_string()))?;
    let invalid = |place: CataloguePlace| {
        move |fault| CatalogueError::Invalid {
            place: place.clone(),
            fault,
        }
    };

    let mut deliveries = Vec::new();
    let mut delivery_codes = HashSet::new();
    for (n, entry) in file.delivery.iter().enumerate() {
        let fail = invalid(CataloguePlace::Delivery {
            n: n + 1,
            code: entry.code.clone(),
        });
        let code =
            CatalogueCode::parse(&entry.code).ok_or_else(|| fail(CatalogueFault::BadCode))?;
        if !delivery_codes.insert(code.clone()) {
            return Err(fail(CatalogueFault::Twice));
        }
        let kind = DeliveryKind::from_code(&entry.kind)
            .ok_or_else(|| fail(CatalogueFault::UnknownKind))?;
        let (Some(name_ja), Some(name_en)) = (name(&entry.name_ja), name(&entry.name_en)) else {
            return Err(fail(CatalogueFault::BadName));
        };
        let fee = fee(entry.fee).ok_or_else(|| fail(CatalogueFault::BadFee))?;
        deliveries.push(DeliveryMethod {
            code,
            kind,
            name_ja,
            name_en,
            fee,
        });
    }

    let mut types = Vec::new();
    let mut type_codes = HashSet::new();
    for (n, entry) in file.certificate.iter().enumerate() {
        let fail = invalid(CataloguePlace::Certificate {
            n: n + 1,
            code: entry.code.clone(),
        });
        let code =
            CatalogueCode::parse(&entry.code).ok_or_else(|| fail(CatalogueFault::BadCode))?;
        if !type_codes.insert(code.clone()) {
            return Err(fail(CatalogueFault::Twice));
        }
        let (Some(name_ja), Some(name_en)) = (name(&entry.name_ja), name(&entry.name_en)) else {
            return Err(fail(CatalogueFault::BadName));
        };
        let languages = each_once(&entry.languages, |code| match code {
            "ja" | "en" => Lang::from_code(code),
            _ => None,
        })
        .ok_or_else(|| fail(CatalogueFault::BadLanguages))?;
        let fee = fee(entry.fee).ok_or_else(|| fail(CatalogueFault::BadFee))?;
        let max_copies = u32::try_from(entry.max_copies)
            .ok()
            .filter(|copies| (1..=MAX_COPIES).contains(copies))
            .ok_or_else(|| fail(CatalogueFault::BadCopies))?;
        let statuses = each_once(&entry.statuses, StudentStatus::from_code)
            .ok_or_else(|| fail(CatalogueFault::BadStatuses))?;
        let rule = match &entry.rule {
            None => None,
            Some(code) => {
                Some(OrderRule::from_code(code).ok_or_else(|| fail(CatalogueFault::UnknownRule))?)
            }
        };
        let allowed = each_once(&entry.deliveries, |code| {
            CatalogueCode::parse(code).filter(|code| delivery_codes.contains(code))
        })
        .ok_or_else(|| fail(CatalogueFault::BadDeliveries))?;
        let working_days = u32::try_from(entry.working_days)
            .ok()
            .filter(|days| *days <= MAX_WORKING_DAYS)
            .ok_or_else(|| fail(CatalogueFault::BadWorkingDays))?;
        let valid_days = match entry.valid_days {
            None => None,
            Some(days) => Some(
                u32::try_from(days)
                    .ok()
                    .filter(|days| (1..=MAX_VALID_DAYS).contains(days))
                    .ok_or_else(|| fail(CatalogueFault::BadValidDays))?,
            ),
        };
        let content = match &entry.content {
            None => None,
            Some(code) => Some(
                CertificateContent::from_code(code)
                    .ok_or_else(|| fail(CatalogueFault::UnknownContent))?,
            ),
        };
        let as_pdf = deliveries
            .iter()
            .any(|d: &DeliveryMethod| d.kind == DeliveryKind::Pdf && allowed.contains(&d.code));
        if as_pdf && content.is_none() {
            return Err(fail(CatalogueFault::PdfNeedsContent));
        }
        types.push(CertificateType {
            code,
            name_ja,
            name_en,
            languages,
            fee,
            max_copies,
            statuses,
            rule,
            deliveries: allowed,
            working_days,
            valid_days,
            content,
        });
    }
    if deliveries.is_empty() || types.is_empty() {
        return Err(invalid(CataloguePlace::File)(CatalogueFault::Empty));
    }

    let closures = match file.closure {
        None => None,
        Some(entries) => {
            let mut seen = HashSet::new();
            let mut closures = Vec::new();
            for (n, entry) in entries.iter().enumerate() {
                let fail = invalid(CataloguePlace::Closure {
                    n: n + 1,
                    day: entry.day.to_string(),
                });
                let day = match (entry.day.date, entry.day.time) {
                    (Some(date), None) => NaiveDate::from_ymd_opt(
                        i32::from(date.year),
                        u32::from(date.month),
                        u32::from(date.day),
                    ),
                    _ => None,
                }
                .filter(|day| seen.insert(*day))
                .ok_or_else(|| fail(CatalogueFault::BadDay))?;
                let note = entry.note.trim();
                if !fits_as_text(note, MAX_NAME_CHARS) {
                    return Err(fail(CatalogueFault::BadNote));
                }
                closures.push(ClosureDay {
                    day,
                    note: note.to_owned(),
                });
            }
            closures.sort_by_key(|closure| closure.day);
            Some(closures)
        }
    };
    let gpa = match file.gpa {
        None => None,
        Some(points) => {
            let mut read = Vec::new();
            for (grade, value) in points {
                let fail = invalid(CataloguePlace::Gpa {
                    grade: grade.clone(),
                });
                let hundredths = (value * 100.0).round();
                let exact = (value * 100.0 - hundredths).abs() < 1e-6;
                let grade_fits = !grade.trim().is_empty() && fits_as_text(&grade, 8);
                let in_range = (0.0..=f64::from(MAX_GRADE_HUNDREDTHS)).contains(&hundredths);
                if !exact || !grade_fits || !in_range {
                    return Err(fail(CatalogueFault::BadGradePoints));
                }
                read.push(GradePoints {
                    grade,
                    hundredths: hundredths as u32,
                });
            }
            read.sort_by(|a, b| b.hundredths.cmp(&a.hundredths).then(a.grade.cmp(&b.grade)));
            Some(read)
        }
    };
    Ok(Catalogue {
        deliveries,
        types,
        closures,
        gpa,
    })
}

/// The catalogue as a file in the format `parse` reads, which reads it back as it was.
pub fn to_toml(catalogue: &Catalogue) -> String {
    let codes = |items: Vec<&str>| items.into_iter().map(str::to_owned).collect();
    let file = FileCatalogue {
        delivery: (catalogue.deliveries.iter())
            .map(|method| FileDelivery {
                code: method.code.as_str().to_owned(),
                kind: method.kind.code().to_owned(),
                name_ja: method.name_ja.clone(),
                name_en: method.name_en.clone(),
                fee: method.fee.get(),
            })
            .collect(),
        certificate: (catalogue.types.iter())
            .map(|kind| FileType {
                code: kind.code.as_str().to_owned(),
                name_ja: kind.name_ja.clone(),
                name_en: kind.name_en.clone(),
                languages: codes(kind.languages.iter().map(|lang| lang.code()).collect()),
                fee: kind.fee.get(),
                max_copies: i64::from(kind.max_copies),
                statuses: codes(kind.statuses.iter().map(|status| status.code()).collect()),
                rule: kind.rule.map(|rule| rule.code().to_owned()),
                deliveries: codes(kind.deliveries.iter().map(CatalogueCode::as_str).collect()),
                working_days: i64::from(kind.working_days),
                valid_days: kind.valid_days.map(i64::from),
                content: kind.content.map(|content| content.code().to_owned()),
            })
            .collect(),
        closure: catalogue.closures.as_ref().map(|closures| {
            (closures.iter())
                .map(|closure| FileClosure {
                    day: closure
                        .day
                        .format("%Y-%m-%d")
                        .to_string()
                        .parse()
                        .expect("a date is a TOML date"),
                    note: closure.note.clone(),
                })
                .collect()
        }),
        gpa: catalogue.gpa.as_ref().map(|points| {
            (points.iter())
                .map(|point| (point.grade.clone(), f64::from(point.hundredths) / 100.0))
                .collect()
        }),
    };
    toml::to_string(&file).expect("a catalogue is plain TOML")
}

fn joined<T>(values: &[T], code: impl Fn(&T) -> &str) -> String {
    values.iter().map(code).collect::<Vec<_>>().join(",")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Saved {
    Added,
    Updated,
}

/// Writes a catalogue entry: over the row `existing` names (its id column and id), or new.
async fn save<A>(
    db: &impl ConnectionTrait,
    mut row: A,
    existing: Option<(<A::Entity as EntityTrait>::Column, i32)>,
) -> Result<Saved, StorageError>
where
    A: ActiveModelTrait + ActiveModelBehavior + Send,
    <A::Entity as EntityTrait>::Model: IntoActiveModel<A>,
{
    match existing {
        Some((id_column, id)) => {
            row.set(id_column, id.into());
            row.update(db).await.map_err(storage("updating a catalogue entry"))?;
            Ok(Saved::Updated)
        }
        None => {
            row.insert(db).await.map_err(storage("adding a catalogue entry"))?;
            Ok(Saved::Added)
        }
    }
}

/// Marks withdrawn, at `now`, the university's entries of `E` whose code is not in `kept`;
/// `columns` are E's university, code, withdrawn-at and updated-at columns. How many.
async fn withdraw_missing<E: EntityTrait>(
    db: &impl ConnectionTrait,
    (tenant_id, kept, now): (i32, Vec<&str>, i64),
    [tenant, code, withdrawn_at, updated_at]: [E::Column; 4],
) -> Result<u32, StorageError> {
    let withdrawn = E::update_many()
        .col_expr(withdrawn_at, Expr::value(now))
        .col_expr(updated_at, Expr::value(now))
        .filter(tenant.eq(tenant_id))
        .filter(withdrawn_at.is_null())
        .filter(code.is_not_in(kept))
        .exec(db)
        .await
        .map_err(storage("withdrawing catalogue entries"))?;
    Ok(withdrawn.rows_affected as u32)
}

/// Writes `catalogue` as university `tenant_id`'s, whole or not at all, and audits it with
/// what changed.
pub async fn import(
    db: &impl TransactionTrait,
    actor: &Actor,
    tenant_id: i32,
    catalogue: &Catalogue,
    now: i64,
) -> Result<CatalogueSummary, CatalogueError> {
    let txn = begin(db).await?;
    lock_for_import(&txn, tenant_id).await?;
    let summary = write_in(&txn, tenant_id, catalogue, now).await?;
    audit_import(&txn, (actor, None), tenant_id, summary).await;
    txn.commit().await.map_err(storage("committing a catalogue"))?;
    Ok(summary)
}

/// One import at a time per university: the second waits and then sees the first's rows.
pub(super) async fn lock_for_import(
    txn: &impl ConnectionTrait,
    tenant_id: i32,
) -> Result<(), StorageError> {
    tenant::Entity::find_by_id(tenant_id)
        .lock_exclusive()
        .one(txn)
        .await
        .map_err(storage("locking a university for a catalogue import"))?;
    Ok(())
}

/// Writes `catalogue` in `txn`, which holds the university's import lock.
pub(super) async fn write_in(
    txn: &impl ConnectionTrait,
    tenant_id: i32,
    catalogue: &Catalogue,
    now: i64,
) -> Result<CatalogueSummary, StorageError> {
    let mut summary = CatalogueSummary::default();

    let existing = delivery_method::Entity::find()
        .filter(delivery_method::Column::TenantId.eq(tenant_id))
        .all(txn)
        .await
        .map_err(storage("reading delivery methods"))?;
    for (position, method) in catalogue.deliveries.iter().enumerate() {
        let found = existing.iter().find(|row| row.code == method.code.as_str());
        let row = delivery_method::ActiveModel {
            tenant_id: Set(tenant_id),
            code: Set(method.code.as_str().to_owned()),
            kind: Set(method.kind.code().to_owned()),
            name_ja: Set(method.name_ja.clone()),
            name_en: Set(method.name_en.clone()),
            fee_yen: Set(method.fee.get()),
            position: Set(position as i32),
            withdrawn_at: Set(None),
            updated_at: Set(now),
            ..Default::default()
        };
        let saved = save(txn, row, found.map(|f| (delivery_method::Column::Id, f.id))).await?;
        summary.deliveries_added += u32::from(saved == Saved::Added);
        summary.deliveries_updated += u32::from(saved == Saved::Updated);
    }
    let kept = catalogue.deliveries.iter().map(|d| d.code.as_str()).collect();
    summary.deliveries_withdrawn = withdraw_missing::<delivery_method::Entity>(
        txn,
        (tenant_id, kept, now),
        [
            delivery_method::Column::TenantId,
            delivery_method::Column::Code,
            delivery_method::Column::WithdrawnAt,
            delivery_method::Column::UpdatedAt,
        ],
    )
    .await?;

    let existing = certificate_type::Entity::find()
        .filter(certificate_type::Column::TenantId.eq(tenant_id))
        .all(txn)
        .await
        .map_err(storage("reading certificate types"))?;
    for (position, kind) in catalogue.types.iter().enumerate() {
        let found = existing.iter().find(|row| row.code == kind.code.as_str());
        let row = certificate_type::ActiveModel {
            tenant_id: Set(tenant_id),
            code: Set(kind.code.as_str().to_owned()),
            name_ja: Set(kind.name_ja.clone()),
            name_en: Set(kind.name_en.clone()),
            languages: Set(joined(&kind.languages, |lang| lang.code())),
            fee_yen: Set(kind.fee.get()),
            max_copies: Set(kind.max_copies as i32),
            statuses: Set(joined(&kind.statuses, |status| status.code())),
            rule: Set(kind.rule.map(|rule| rule.code().to_owned())),
            deliveries: Set(joined(&kind.deliveries, CatalogueCode::as_str)),
            working_days: Set(kind.working_days as i32),
            valid_days: Set(kind.valid_days.map(|days| days as i32)),
            content: Set(kind.content.map(|content| content.code().to_owned())),
            position: Set(position as i32),
            withdrawn_at: Set(None),
            updated_at: Set(now),
            ..Default::default()
        };
        let saved = save(
            txn,
            row,
            found.map(|f| (certificate_type::Column::Id, f.id)),
        )
        .await?;
        summary.types_added += u32::from(saved == Saved::Added);
        summary.types_updated += u32::from(saved == Saved::Updated);
    }
    let kept = catalogue.types.iter().map(|t| t.code.as_str()).collect();
    summary.types_withdrawn = withdraw_missing::<certificate_type::Entity>(
        txn,
        (tenant_id, kept, now),
        [
            certificate_type::Column::TenantId,
            certificate_type::Column::Code,
            certificate_type::Column::WithdrawnAt,
            certificate_type::Column::UpdatedAt,
        ],
    )
    .await?;

    if let Some(closures) = &catalogue.closures {
        closure_day::Entity::delete_many()
            .filter(closure_day::Column::TenantId.eq(tenant_id))
            .exec(txn)
            .await
            .map_err(storage("clearing the closure calendar"))?;
        for closure in closures {
            closure_day::ActiveModel {
                tenant_id: Set(tenant_id),
                day: Set(closure.day.format("%Y-%m-%d").to_string()),
                note: Set(closure.note.clone()),
            }
            .insert(txn)
            .await
            .map_err(storage("adding a closure day"))?;
        }
        summary.closures = Some(closures.len() as u32);
    }
    if let Some(points) = &catalogue.gpa {
        grade_point::Entity::delete_many()
            .filter(grade_point::Column::TenantId.eq(tenant_id))
            .exec(txn)
            .await
            .map_err(storage("clearing the GPA rule"))?;
        for point in points {
            grade_point::ActiveModel {
                tenant_id: Set(tenant_id),
                grade: Set(point.grade.clone()),
                hundredths: Set(point.hundredths as i32),
            }
            .insert(txn)
            .await
            .map_err(storage("adding a grade's points"))?;
        }
        summary.grades = Some(points.len() as u32);
    }
    super::catalogue_cache::stamp_changed(txn, tenant_id).await?;
    Ok(summary)
}

/// Audits an import in its transaction with what it changed, and the staff member who made it
/// in the console (`None` for the operator's command).
pub(super) async fn audit_import(
    txn: &impl ConnectionTrait,
    (actor, staff_id): (&Actor, Option<i32>),
    tenant_id: i32,
    summary: CatalogueSummary,
) {
    let detail = serde_json::json!({
        "types": [summary.types_added, summary.types_updated, summary.types_withdrawn],
        "deliveries": [
            summary.deliveries_added,
            summary.deliveries_updated,
            summary.deliveries_withdrawn,
        ],
        "closures": summary.closures,
        "grades": summary.grades,
    })
    .to_string();
    let about = Subject {
        tenant_id: Some(tenant_id),
        staff_id,
        detail: Some(&detail),
        ..Default::default()
    };
    audit::record(txn, actor, Event::CatalogueImported, about).await;
}

/// Stored codes joined by commas, read back; a code that no longer reads is left out (it
/// was checked when written).
fn split<T>(joined: &str, read: impl Fn(&str) -> Option<T>) -> Vec<T> {
    joined.split(',').filter_map(read).collect()
}

/// A delivery method as its row stores it (`None` for a row no import could have written).
pub(super) fn delivery_of(row: delivery_method::Model) -> Option<DeliveryMethod> {
    Some(DeliveryMethod {
        code: CatalogueCode::parse(&row.code)?,
        kind: DeliveryKind::from_code(&row.kind)?,
        name_ja: row.name_ja,
        name_en: row.name_en,
        fee: Yen::new(row.fee_yen)?,
    })
}

/// A certificate type as its row stores it.
pub(super) fn type_of(row: certificate_type::Model) -> Option<CertificateType> {
    Some(CertificateType {
        code: CatalogueCode::parse(&row.code)?,
        name_ja: row.name_ja,
        name_en: row.name_en,
        languages: split(&row.languages, Lang::from_code),
        fee: Yen::new(row.fee_yen)?,
        max_copies: u32::try_from(row.max_copies).ok()?,
        statuses: split(&row.statuses, StudentStatus::from_code),
        rule: row.rule.as_deref().and_then(OrderRule::from_code),
        deliveries: split(&row.deliveries, CatalogueCode::parse),
        working_days: u32::try_from(row.working_days).ok()?,
        valid_days: row.valid_days.and_then(|days| u32::try_from(days).ok()),
        content: row.content.as_deref().and_then(CertificateContent::from_code),
    })
}

/// University `tenant_id`'s catalogue as it stands: what is not withdrawn, in the file's
/// order. Closures are those from `from` on.
pub async fn current(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    from: NaiveDate,
) -> Result<Catalogue, StorageError> {
    Ok(current_with_ids(db, tenant_id, from).await?.0)
}

/// The rows of what a catalogue offers, by code: what an application records besides the
/// names and fees it copies.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CatalogueIds {
    pub types: HashMap<String, i32>,
    pub deliveries: HashMap<String, i32>,
}

/// [`current`], with the ids of its rows.
pub(super) async fn current_with_ids(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    from: NaiveDate,
) -> Result<(Catalogue, CatalogueIds), StorageError> {
    let (mut catalogue, ids) = offered_with_ids(db, tenant_id).await?;
    catalogue.closures = Some(closures_from(db, tenant_id, from).await?);
    Ok((catalogue, ids))
}

/// University `tenant_id`'s catalogue as it stands, without the closure calendar.
pub(super) async fn offered(
    db: &impl ConnectionTrait,
    tenant_id: i32,
) -> Result<Catalogue, StorageError> {
    Ok(offered_with_ids(db, tenant_id).await?.0)
}

async fn offered_with_ids(
    db: &impl ConnectionTrait,
    tenant_id: i32,
) -> Result<(Catalogue, CatalogueIds), StorageError> {
    let mut ids = CatalogueIds::default();
    let deliveries = delivery_method::Entity::find()
        .filter(delivery_method::Column::TenantId.eq(tenant_id))
        .filter(delivery_method::Column::WithdrawnAt.is_null())
        .order_by_asc(delivery_method::Column::Position)
        .all(db)
        .await
        .map_err(storage("reading delivery methods"))?
        .into_iter()
        .filter_map(|row| {
            ids.deliveries.insert(row.code.clone(), row.id);
            delivery_of(row)
        })
        .collect();
    let types = certificate_type::Entity::find()
        .filter(certificate_type::Column::TenantId.eq(tenant_id))
        .filter(certificate_type::Column::WithdrawnAt.is_null())
        .order_by_asc(certificate_type::Column::Position)
        .all(db)
        .await
        .map_err(storage("reading certificate types"))?
        .into_iter()
        .filter_map(|row| {
            ids.types.insert(row.code.clone(), row.id);
            type_of(row)
        })
        .collect();
    let gpa = grade_points(db, tenant_id).await?;
    let catalogue = Catalogue {
        deliveries,
        types,
        closures: None,
        gpa: Some(gpa),
    };
    Ok((catalogue, ids))
}

/// University `tenant_id`'s GPA rule, highest points first.
pub async fn grade_points(
    db: &impl ConnectionTrait,
    tenant_id: i32,
) -> Result<Vec<GradePoints>, StorageError> {
    Ok(grade_point::Entity::find()
        .filter(grade_point::Column::TenantId.eq(tenant_id))
        .order_by_desc(grade_point::Column::Hundredths)
        .order_by_asc(grade_point::Column::Grade)
        .all(db)
        .await
        .map_err(storage("reading the GPA rule"))?
        .into_iter()
        .map(|row| GradePoints {
            grade: row.grade,
            hundredths: row.hundredths.max(0) as u32,
        })
        .collect())
}

/// The closure days of university `tenant_id` from `from` on, in order.
pub async fn closures_from(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    from: NaiveDate,
) -> Result<Vec<ClosureDay>, StorageError> {
    Ok(closure_day::Entity::find()
        .filter(closure_day::Column::TenantId.eq(tenant_id))
        // `YYYY-MM-DD` sorts as the dates do.
        .filter(closure_day::Column::Day.gte(from.format("%Y-%m-%d").to_string()))
        .order_by_asc(closure_day::Column::Day)
        .limit(1000)
        .all(db)
        .await
        .map_err(storage("reading the closure calendar"))?
        .into_iter()
        .filter_map(|row| {
            Some(ClosureDay {
                day: NaiveDate::parse_from_str(&row.day, "%Y-%m-%d").ok()?,
                note: row.note,
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE_OF_EACH: &str = r#"
[[delivery]]
code = "pdf"
kind = "pdf"
name_ja = "電子証明書"
name_en = "PDF"
fee = 0

[[certificate]]
code = "enrollment"
name_ja = "在学証明書"
name_en = "Certificate of Enrollment"
languages = ["ja", "en"]
fee = 200
max_copies = 10
statuses = ["enrolled"]
deliveries = ["pdf"]
working_days = 1
content = "enrollment"
"#;

    fn fault_of(file: &str) -> CatalogueFault {
        match parse(file) {
            Err(CatalogueError::Invalid { fault, .. }) => fault,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_small_file_reads() {
        let catalogue = parse(ONE_OF_EACH).unwrap();
        assert_eq!(catalogue.types[0].languages, [Lang::Ja, Lang::En]);
        assert_eq!(catalogue.closures, None);
    }

    #[test]
    fn each_fault_of_an_entry_is_named() {
        let cases = [
            (
                r#"code = "enrollment""#,
                r#"code = "Enrollment""#,
                CatalogueFault::BadCode,
            ),
            (
                r#"kind = "pdf""#,
                r#"kind = "fax""#,
                CatalogueFault::UnknownKind,
            ),
            (
                r#"name_ja = "在学証明書""#,
                r#"name_ja = " ""#,
                CatalogueFault::BadName,
            ),
            (
                r#"name_en = "PDF""#,
                "name_en = \"P\\u0007DF\"",
                CatalogueFault::BadName,
            ),
            ("fee = 200", "fee = -1", CatalogueFault::BadFee),
            ("fee = 200", "fee = 1000000", CatalogueFault::BadFee),
            (
                r#"["ja", "en"]"#,
                r#"["ja", "ja"]"#,
                CatalogueFault::BadLanguages,
            ),
            (r#"["ja", "en"]"#, r#"["fr"]"#, CatalogueFault::BadLanguages),
            (
                "max_copies = 10",
                "max_copies = 0",
                CatalogueFault::BadCopies,
            ),
            (
                r#"statuses = ["enrolled"]"#,
                r#"statuses = []"#,
                CatalogueFault::BadStatuses,
            ),
            (
                r#"deliveries = ["pdf"]"#,
                r#"deliveries = ["post"]"#,
                CatalogueFault::BadDeliveries,
            ),
            (
                "working_days = 1",
                "working_days = 61",
                CatalogueFault::BadWorkingDays,
            ),
            (
                "working_days = 1",
                "working_days = 1\nrule = \"kind\"",
                CatalogueFault::UnknownRule,
            ),
            (
                "working_days = 1",
                "working_days = 1\nvalid_days = 0",
                CatalogueFault::BadValidDays,
            ),
            (
                "working_days = 1",
                "working_days = 1\nvalid_days = 3651",
                CatalogueFault::BadValidDays,
            ),
            (
                r#"content = "enrollment""#,
                r#"content = "diploma""#,
                CatalogueFault::UnknownContent,
            ),
            (
                r#"content = "enrollment""#,
                "",
                CatalogueFault::PdfNeedsContent,
            ),
        ];
        for (from, to, fault) in cases {
            assert!(ONE_OF_EACH.contains(from), "{from}");
            assert_eq!(fault_of(&ONE_OF_EACH.replacen(from, to, 1)), fault, "{to}");
        }
    }

    #[test]
    fn a_code_twice_an_empty_file_and_odd_closures_are_refused() {
        let twice =
            ONE_OF_EACH.to_owned() + &ONE_OF_EACH[ONE_OF_EACH.find("[[certificate]]").unwrap()..];
        assert_eq!(fault_of(&twice), CatalogueFault::Twice);
        assert_eq!(fault_of(""), CatalogueFault::Empty);
        let closure =
            |day: &str| format!("{ONE_OF_EACH}\n[[closure]]\nday = {day}\nnote = \"休業\"\n");
        assert_eq!(
            fault_of(&closure("2027-01-01T09:00:00")),
            CatalogueFault::BadDay
        );
        let twice_closed = closure("2027-01-01") + "[[closure]]\nday = 2027-01-01\n";
        assert_eq!(fault_of(&twice_closed), CatalogueFault::BadDay);
        assert_eq!(
            parse(&closure("2027-01-01")).unwrap().closures.unwrap().len(),
            1
        );
    }

    #[test]
    fn a_gpa_rule_reads_in_exact_hundredths_and_odd_points_are_refused() {
        let with = |gpa: &str| format!("{ONE_OF_EACH}\n[gpa]\n{gpa}\n");

        let rule = parse(&with("S = 4.0\nA = 3\nB = 2.5\nF = 0")).unwrap().gpa.unwrap();

        let read: Vec<(&str, u32)> =
            rule.iter().map(|p| (p.grade.as_str(), p.hundredths)).collect();
        assert_eq!(read, [("S", 400), ("A", 300), ("B", 250), ("F", 0)]);
        for odd in [
            "S = 4.005",
            "S = -1",
            "S = 10.5",
            "\"優秀な成績の評価点\" = 4",
        ] {
            assert_eq!(
                fault_of(&with(odd)),
                CatalogueFault::BadGradePoints,
                "{odd}"
            );
        }
    }

    #[test]
    fn an_unknown_key_or_broken_toml_is_unreadable_with_its_line() {
        let misspelt = ONE_OF_EACH.replace("max_copies", "max_copy");
        let Err(CatalogueError::Unreadable(why)) = parse(&misspelt) else {
            panic!("a misspelt key was accepted");
        };
        assert!(why.contains("max_copy"), "{why}");
        let Err(CatalogueError::Unreadable(why)) = parse("[[delivery]\ncode = 1") else {
            panic!("broken TOML was accepted");
        };
        assert!(why.contains("line 1"), "{why}");
    }
}
