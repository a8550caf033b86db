//! Certificates printed at a campus machine (`学内の証明書発行機で印刷`). When the office makes
//! such an application ready (`受取可`), its certificates are made and signed as a PDF
//! delivery's are. The student's card at any machine of the university then lists them. Each
//! one is handed to one machine, once: the machine is recorded with the time and its
//! idempotency key, so that machine may ask again after a lost answer, and no other machine
//! or key gets it. Once every certificate of the application is printed, the application is
//! `受取済`.

use super::applications::Applications;
use super::issuance::{delivered, IssuedPdf};
use super::processing::ActionError;
use crate::entities::{application, application_line, issued_document};
use crate::platform::audit::{self, Actor, Event, Subject};
use crate::platform::{storage, StorageError};
use crate::tenancy;
use domain::{application_number, ApplicationStatus, DeliveryKind, StudentId};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use std::collections::HashSet;
use ApplicationStatus::{Collected, Ready};

/// A certificate waiting at the machines for its student.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaitingPrint {
    /// The application's number (`00000123`) and the line's (1-based).
    pub number: String,
    pub line: i32,
    pub name_ja: String,
    pub name_en: String,
    /// The language it is printed in (`ja`, `en`).
    pub lang: String,
    pub copies: i32,
}

/// A certificate handed to a machine to print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Printed {
    pub pdf: IssuedPdf,
    pub copies: i32,
    /// True when this machine had it before under the same key: given again, nothing recorded.
    pub replayed: bool,
}

/// Why a certificate is not handed over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PrintError {
    /// No such certificate of this student waits at the machines (another student's, another
    /// university's, not ready, cancelled, not for campus print, or no such line).
    #[error("no certificate of this student waits to be printed under this number")]
    NotFound,
    /// It was handed to a machine already (another machine, or another key).
    #[error("the certificate was printed already")]
    AlreadyPrinted,
    #[error("storage failed")]
    Storage,
}

impl From<StorageError> for PrintError {
    fn from(StorageError: StorageError) -> Self {
        PrintError::Storage
    }
}

/// Which machine asks, under which idempotency key.
#[derive(Clone, Copy, Debug)]
pub struct PrintingMachine<'a> {
    pub id: i32,
    pub key: &'a str,
}

impl Applications {
    /// Student `student`'s certificates waiting at the machines, oldest application first.
    pub async fn waiting_prints(
        &self,
        tenant_id: i32,
        student: StudentId,
    ) -> Result<Vec<WaitingPrint>, StorageError> {
        let ready = self.for_machines(tenant_id, student, None, &[Ready]).await?;
        let ids: Vec<i32> = ready.iter().map(|row| row.id).collect();
        // Two reads for all the applications, not two for each.
        let printed: HashSet<(i32, i32)> = issued_document::Entity::find()
            .filter(issued_document::Column::ApplicationId.is_in(ids.clone()))
            .filter(issued_document::Column::PrintedAt.is_not_null())
            .all(&self.db)
            .await
            .map_err(storage("reading printed certificates"))?
            .into_iter()
            .map(|doc| (doc.application_id, doc.position))
            .collect();
        let lines = application_line::Entity::find()
            .filter(application_line::Column::ApplicationId.is_in(ids))
            .order_by_asc(application_line::Column::ApplicationId)
            .order_by_asc(application_line::Column::Position)
            .all(&self.db)
            .await
            .map_err(storage("reading application lines"))?;
        let waiting = lines
            .into_iter()
            .filter(|line| !printed.contains(&(line.application_id, line.position)))
            .map(|line| WaitingPrint {
                number: application_number(line.application_id),
                line: line.position + 1,
                name_ja: line.name_ja,
                name_en: line.name_en,
                lang: line.lang,
                copies: line.copies,
            })
            .collect();
        Ok(waiting)
    }

    /// Line `position` of student `student`'s application `id`, handed to `machine` to print.
    pub async fn print_at_machine(
        &self,
        actor: &Actor,
        (tenant_id, student): (i32, StudentId),
        (id, position): (i32, i32),
        machine: PrintingMachine<'_>,
    ) -> Result<Printed, PrintError> {
        // Collected too: the machine that printed the last one may ask again after a lost answer.
        let row = self
            .for_machines(tenant_id, student, Some(id), &[Ready, Collected])
            .await?
            .into_iter()
            .next()
            .ok_or(PrintError::NotFound)?;
        let ready = row.status == Ready.code();
        let doc = issued_document::Entity::find()
            .filter(issued_document::Column::TenantId.eq(tenant_id))
            .filter(issued_document::Column::ApplicationId.eq(row.id))
            .filter(issued_document::Column::Position.eq(position))
            .filter(issued_document::Column::RevokedAt.is_null())
            .one(&self.db)
            .await
            .map_err(storage("reading an issued certificate"))?
            .ok_or(PrintError::NotFound)?;
        let copies = application_line::Entity::find()
            .filter(application_line::Column::ApplicationId.eq(row.id))
            .filter(application_line::Column::Position.eq(position))
            .one(&self.db)
            .await
            .map_err(storage("reading an application line"))?
            .map_or(1, |line| line.copies);
        // One conditional update: of two machines asking at once, one takes it.
        let taken = ready
            && issued_document::Entity::update_many()
                .col_expr(
                    issued_document::Column::PrintedAt,
                    Expr::value(self.clock.now_ms()),
                )
                .col_expr(
                    issued_document::Column::PrintedByMachine,
                    Expr::value(machine.id),
                )
                .col_expr(
                    issued_document::Column::PrintKey,
                    Expr::value(machine.key.to_owned()),
                )
                .filter(issued_document::Column::Id.eq(doc.id))
                .filter(issued_document::Column::PrintedAt.is_null())
                .exec(&self.db)
                .await
                .map_err(storage("recording a print"))?
                .rows_affected
                == 1;
        let replayed = !taken && self.taken_by(doc.id, machine).await?;
        if !taken && !replayed {
            return Err(match doc.printed_at {
                Some(_) => PrintError::AlreadyPrinted,
                // Collected at the counter instead, say: nothing for a machine.
                None if !ready => PrintError::NotFound,
                None => PrintError::AlreadyPrinted,
            });
        }
        if taken {
            let detail = serde_json::json!({
                "application": application_number(row.id),
                "line": position + 1,
                "machine": machine.id,
            })
            .to_string();
            let about = Subject {
                tenant_id: Some(tenant_id),
                detail: Some(&detail),
                ..Default::default()
            };
            audit::record(&self.db, actor, Event::CertificatePrinted, about).await;
        }
        self.collect_when_all_printed(actor, tenant_id, row, machine.id).await?;
        let pdf = delivered(self.issuing.keys.secret.as_ref(), doc)?;
        Ok(Printed {
            pdf,
            copies,
            replayed,
        })
    }

    /// Whether document `id` was taken by `machine` under its key (read after a refused update:
    /// a take by the same machine's earlier try may be later than the first read).
    async fn taken_by(&self, id: i32, machine: PrintingMachine<'_>) -> Result<bool, StorageError> {
        let now = issued_document::Entity::find_by_id(id)
            .one(&self.db)
            .await
            .map_err(storage("reading a printed certificate"))?;
        Ok(now.is_some_and(|doc| {
            doc.printed_by_machine == Some(machine.id)
                && doc.print_key.as_deref() == Some(machine.key)
        }))
    }

    /// Application `row` moves to `受取済` once every certificate of it is printed (again on
    /// each later ask, so an interrupted move is finished by the next).
    async fn collect_when_all_printed(
        &self,
        actor: &Actor,
        tenant_id: i32,
        row: application::Model,
        machine_id: i32,
    ) -> Result<(), PrintError> {
        let waiting = issued_document::Entity::find()
            .filter(issued_document::Column::ApplicationId.eq(row.id))
            .filter(issued_document::Column::PrintedAt.is_null())
            .count(&self.db)
            .await
            .map_err(storage("counting certificates to print"))?;
        if waiting > 0 {
            return Ok(());
        }
        let tenant = tenancy::find_by_id(&self.db, tenant_id).await?.ok_or(PrintError::Storage)?;
        match self.collected_at_machine(actor, &tenant, row, machine_id).await {
            // Another ask moved it first, or the office did.
            Ok(_) | Err(ActionError::NotNow(_)) => Ok(()),
            Err(_) => Err(PrintError::Storage),
        }
    }

    /// Student `student`'s applications for campus print that stand in one of `statuses`
    /// (`id`'s alone, if given).
    async fn for_machines(
        &self,
        tenant_id: i32,
        student: StudentId,
        id: Option<i32>,
        statuses: &[ApplicationStatus],
    ) -> Result<Vec<application::Model>, StorageError> {
        let codes: Vec<&str> = statuses.iter().map(|status| status.code()).collect();
        let mut query = application::Entity::find()
            .filter(application::Column::TenantId.eq(tenant_id))
            .filter(application::Column::StudentId.eq(student.0))
            .filter(application::Column::Status.is_in(codes))
            .filter(application::Column::DeliveryKind.eq(DeliveryKind::CampusPrint.code()));
        if let Some(id) = id {
            query = query.filter(application::Column::Id.eq(id));
        }
        query
            .order_by_asc(application::Column::Id)
            .all(&self.db)
            .await
            .map_err(storage("reading applications ready to print"))
    }
}
