//! Who may order what: a type of the catalogue is open to a student when the registry status
//! is one the type lists and the type's rule (if any) holds on the day, in JST. A type the
//! student may not order is still shown, with the reason (`OrderRefusal`).

use super::calendar::expected_on;
use super::catalogue::{current, Catalogue, CertificateType};
use crate::platform::StorageError;
use crate::registry::{self, RegistryStudent};
use chrono::{Datelike, NaiveDate};
use domain::{fiscal_year, OrderRefusal, OrderRule, StudentId};
use sea_orm::ConnectionTrait;
use std::collections::BTreeSet;

/// A type of the catalogue as one student sees it on one day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Offer {
    pub kind: CertificateType,
    /// Why this student may not order it, if they may not.
    pub refusal: Option<OrderRefusal>,
    /// The day it would be ready if ordered today.
    pub expected_on: NaiveDate,
}

/// Why `student` may not order `kind` on `today`, or `None` when they may.
pub fn refusal(
    kind: &CertificateType,
    student: &RegistryStudent,
    today: NaiveDate,
) -> Option<OrderRefusal> {
    if !kind.statuses.contains(&student.status) {
        return Some(OrderRefusal::Status(student.status));
    }
    let this_year = fiscal_year(today.year(), today.month());
    match kind.rule {
        None => None,
        Some(OrderRule::FinalYear) => {
            let graduates_this_year = student
                .graduation_date
                .as_deref()
                .and_then(|date| NaiveDate::parse_from_str(date, "%Y-%m-%d").ok())
                .is_some_and(|date| fiscal_year(date.year(), date.month()) == this_year);
            (!graduates_this_year).then_some(OrderRefusal::NotFinalYear)
        }
        Some(OrderRule::HealthCheckCleared) => {
            (student.health_check_year != Some(this_year)).then_some(OrderRefusal::NoHealthCheck)
        }
    }
}

/// The catalogue of university `tenant_id` as student `student_id` sees it on `today`:
/// every type, in the catalogue's order, with whether they may order it and when it would be
/// ready. `None` for an id of no student of this university.
pub async fn offers(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    student_id: StudentId,
    today: NaiveDate,
) -> Result<Option<Vec<Offer>>, StorageError> {
    let Some(student) = registry::by_id(db, tenant_id, student_id).await? else {
        return Ok(None);
    };
    let catalogue = current(db, tenant_id, today).await?;
    Ok(Some(offers_from(&catalogue, &student, today)))
}

/// The types of `catalogue` (as `current` read it from `today`) as `student` sees them.
pub fn offers_from(
    catalogue: &Catalogue,
    student: &RegistryStudent,
    today: NaiveDate,
) -> Vec<Offer> {
    let closed: BTreeSet<NaiveDate> = catalogue.closures.iter().flatten().map(|c| c.day).collect();
    catalogue
        .types
        .iter()
        .map(|kind| Offer {
            refusal: refusal(kind, student, today),
            expected_on: expected_on(today, kind.working_days, &closed),
            kind: kind.clone(),
        })
        .collect()
}
