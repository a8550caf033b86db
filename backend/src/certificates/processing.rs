//! The office's side of an application, and the student's cancellation: every change of
//! status is one conditional update (from the statuses it may come from), so two changes at
//! the same moment (a student's cancel and a clerk's start) cannot both happen; the one that
//! wins writes its event, its refund if it cancels, its mail and its audit event in the same
//! transaction.

use super::applications::{
    gateway_method_of, pay_by_name, record_status, ApplicationRecord, Applications,
};
use super::issuance::{self, Issued};
use super::revocation;
use crate::entities::{application, application_line, tenant};
use crate::platform::audit::{self, Actor, Event, Subject};
use crate::platform::mail_messages::MailMsg;
use crate::platform::outbox::{enqueue, statement_mail};
use crate::platform::permissions;
use crate::platform::{begin, storage, StorageError};
use crate::registry::{self, RegistryStudent};
use crate::tenancy;
use crate::wallet::{owe_refund, PaymentMethod, Refund};
use domain::i18n::{DocumentMsg, Lang};
use domain::{
    application_number, ApplicationStatus, DeliveryKind, Permission, StaffMember, StudentId,
    UserId, Yen,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait,
};

/// Most characters of a cancellation's reason and of a tracking number.
pub const MAX_REASON_CHARS: usize = 200;
pub const MAX_TRACKING_CHARS: usize = 40;

/// What a staff member does to an application.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StaffAction {
    /// 受付済 → 処理中
    Start,
    /// 処理中 → 発行済 (a PDF)
    Issue,
    /// 処理中 → 発送済, with the post's tracking number
    Send { tracking: String },
    /// 処理中 → 受取可 (the counter, a campus machine)
    MakeReady,
    /// 受取可 → 受取済
    Collect,
    /// → 取消 with a reason, the whole amount back to the card
    Cancel { reason: String },
}

impl StaffAction {
    fn target(&self) -> ApplicationStatus {
        match self {
            StaffAction::Start => ApplicationStatus::Processing,
            StaffAction::Issue => ApplicationStatus::Issued,
            StaffAction::Send { .. } => ApplicationStatus::Sent,
            StaffAction::MakeReady => ApplicationStatus::Ready,
            StaffAction::Collect => ApplicationStatus::Collected,
            StaffAction::Cancel { .. } => ApplicationStatus::Cancelled,
        }
    }

    /// The statuses it may come from, for an application delivered by `kind`.
    fn from(
        &self,
        kind: Option<DeliveryKind>,
    ) -> Result<&'static [ApplicationStatus], ActionError> {
        use ApplicationStatus::*;
        let fits = match self {
            StaffAction::Issue => kind == Some(DeliveryKind::Pdf),
            StaffAction::Send { .. } => {
                matches!(kind, Some(DeliveryKind::Post | DeliveryKind::Ems))
            }
            StaffAction::MakeReady => {
                matches!(kind, Some(DeliveryKind::Pickup | DeliveryKind::CampusPrint))
            }
            _ => true,
        };
        if !fits {
            return Err(ActionError::WrongDelivery);
        }
        Ok(match self {
            StaffAction::Start => &[Accepted],
            StaffAction::Issue | StaffAction::Send { .. } | StaffAction::MakeReady => &[Processing],
            StaffAction::Collect => &[Ready],
            StaffAction::Cancel { .. } => &[Accepted, Processing, Issued, Sent, Ready],
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ActionError {
    #[error("not allowed")]
    Forbidden,
    #[error("no such application at this university")]
    NotFound,
    /// Its status does not allow it (any more): another change came first.
    #[error("the application is {0:?} now")]
    NotNow(ApplicationStatus),
    #[error("this delivery does not end that way")]
    WrongDelivery,
    #[error("a tracking number is 4 to 40 letters, digits and hyphens")]
    BadTracking,
    #[error("a reason of 1 to 200 characters, on one line")]
    BadReason,
    /// The registry lacks a fact the certificate states (an English name, a graduation date).
    #[error("the registry lacks the student's {0:?}")]
    MissingFact(DocumentMsg),
    /// The catalogue does not say what the type states, so no document can be made.
    #[error("the certificate type does not say its content")]
    NoContent,
    /// No font of the service has this character (a name's 𠮷): nothing is issued.
    #[error("no font of the service can print {0:?}")]
    Unprintable(char),
    /// No signing key can be used (no key secret configured, or one that does not open the
    /// university's key): nothing is issued unsigned.
    #[error("the certificate cannot be signed")]
    NotSigned,
    /// Another revocation of this certificate came first.
    #[error("the certificate is revoked already")]
    AlreadyRevoked,
    #[error("storage failed")]
    Storage,
}

impl From<StorageError> for ActionError {
    fn from(StorageError: StorageError) -> Self {
        ActionError::Storage
    }
}

impl From<permissions::Forbidden> for ActionError {
    fn from(_: permissions::Forbidden) -> Self {
        ActionError::Forbidden
    }
}

fn checked_tracking(text: &str) -> Result<String, ActionError> {
    let text = text.trim();
    let fits = (4..=MAX_TRACKING_CHARS).contains(&text.len())
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    fits.then(|| text.to_owned()).ok_or(ActionError::BadTracking)
}

fn checked_reason(text: &str) -> Result<String, ActionError> {
    let text = text.trim();
    let fits = !text.is_empty()
        && text.chars().count() <= MAX_REASON_CHARS
        && !text.chars().any(char::is_control);
    fits.then(|| text.to_owned()).ok_or(ActionError::BadReason)
}

/// Which applications the queue shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueueFilter {
    pub status: Option<ApplicationStatus>,
    pub type_code: Option<String>,
    pub delivery_code: Option<String>,
    /// Applied on or after, and before: instants (ms) of JST day starts.
    pub from_ms: Option<i64>,
    pub until_ms: Option<i64>,
    pub user_id: Option<UserId>,
}

/// Most rows the queue shows at once (the oldest first: the order they are worked in).
pub const QUEUE_LIMIT: u64 = 200;

/// One application in the queue, with its student.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueRow {
    pub record: ApplicationRecord,
    pub student: RegistryStudent,
}

/// A change about to be made: to what, from what, by whom, with what note.
struct Change<'a> {
    to: ApplicationStatus,
    from: &'a [ApplicationStatus],
    actor_label: String,
    tracking: Option<String>,
    reason: Option<String>,
    /// The certificates an issue makes, written with it.
    documents: Vec<Issued>,
}

impl Applications {
    /// The university's applications that `filter` picks, oldest first, for a staff member who
    /// may read its students.
    pub async fn queue(
        &self,
        by: (&StaffMember, &Actor),
        tenant_id: i32,
        filter: &QueueFilter,
    ) -> Result<Vec<QueueRow>, ActionError> {
        permissions::require(&self.db, by, Permission::ReadStudents, tenant_id).await?;
        let mut query =
            application::Entity::find().filter(application::Column::TenantId.eq(tenant_id));
        if let Some(status) = filter.status {
            query = query.filter(application::Column::Status.eq(status.code()));
        }
        if let Some(code) = &filter.delivery_code {
            query = query.filter(application::Column::DeliveryCode.eq(code.as_str()));
        }
        if let Some(from) = filter.from_ms {
            query = query.filter(application::Column::CreatedAt.gte(from));
        }
        if let Some(until) = filter.until_ms {
            query = query.filter(application::Column::CreatedAt.lt(until));
        }
        if let Some(user_id) = &filter.user_id {
            let student = registry::by_user_id(&self.db, tenant_id, user_id).await?;
            query = query.filter(application::Column::StudentId.eq(student.map_or(0, |s| s.id.0)));
        }
        if let Some(code) = &filter.type_code {
            let with_type = application_line::Entity::find()
                .select_only()
                .column(application_line::Column::ApplicationId)
                .filter(application_line::Column::TypeCode.eq(code.as_str()))
                .into_query();
            query = query.filter(
                Condition::all().add(Expr::col(application::Column::Id).in_subquery(with_type)),
            );
        }
        let rows = query
            .order_by_asc(application::Column::Id)
            .limit(QUEUE_LIMIT)
            .all(&self.db)
            .await
            .map_err(storage("reading the queue"))?;
        let student_ids: Vec<StudentId> =
            rows.iter().map(|row| StudentId(row.student_id)).collect();
        let students = registry::by_ids(&self.db, tenant_id, &student_ids).await?;
        let records = self.records_of(rows).await?;
        let mut queue = Vec::with_capacity(records.len());
        for (record, student_id) in records.into_iter().zip(student_ids) {
            let student = students.get(&student_id).cloned().ok_or(ActionError::Storage)?;
            queue.push(QueueRow { record, student });
        }
        Ok(queue)
    }

    /// One application of the university with its student, for a staff member who may read
    /// its students; `None` for a number of no application here.
    pub async fn for_staff(
        &self,
        by: (&StaffMember, &Actor),
        tenant_id: i32,
        id: i32,
    ) -> Result<Option<QueueRow>, ActionError> {
        permissions::require(&self.db, by, Permission::ReadStudents, tenant_id).await?;
        let Some(row) = self.row(tenant_id, id).await? else {
            return Ok(None);
        };
        let student = registry::by_id(&self.db, tenant_id, StudentId(row.student_id))
            .await?
            .ok_or(ActionError::Storage)?;
        Ok(Some(QueueRow {
            record: self.record_of(row).await?,
            student,
        }))
    }

    /// Moves application `id` on as `action` says; its new status.
    pub async fn act(
        &self,
        (by, actor): (&StaffMember, &Actor),
        tenant: &tenant::Model,
        id: i32,
        action: StaffAction,
    ) -> Result<ApplicationStatus, ActionError> {
        permissions::require(
            &self.db,
            (by, actor),
            Permission::ProcessApplications,
            tenant.id,
        )
        .await?;
        let row = self.row(tenant.id, id).await?.ok_or(ActionError::NotFound)?;
        let from = action.from(DeliveryKind::from_code(&row.delivery_kind))?;
        let (tracking, reason) = match &action {
            StaffAction::Send { tracking } => (Some(checked_tracking(tracking)?), None),
            StaffAction::Cancel { reason } => (None, Some(checked_reason(reason)?)),
            _ => (None, None),
        };
        let current =
            ApplicationStatus::from_code(&row.status).unwrap_or(ApplicationStatus::Accepted);
        let issued = matches!(
            current,
            ApplicationStatus::Issued | ApplicationStatus::Sent | ApplicationStatus::Ready
        );
        let from: &[ApplicationStatus] = if matches!(action, StaffAction::Cancel { .. }) && issued {
            // Taking back what the student already has is an admin's decision.
            permissions::require(
                &self.db,
                (by, actor),
                Permission::CancelIssuedApplications,
                tenant.id,
            )
            .await?;
            from
        } else if matches!(action, StaffAction::Cancel { .. }) {
            &[ApplicationStatus::Accepted, ApplicationStatus::Processing]
        } else {
            from
        };
        // Made before the transaction: a missing fact or an unprintable character refuses the
        // action with nothing changed.
        let documents = if from.contains(&current)
            && makes_documents(&action, DeliveryKind::from_code(&row.delivery_kind))
        {
            self.make_documents(tenant, &row).await?
        } else {
            Vec::new()
        };
        let change = Change {
            to: action.target(),
            from,
            actor_label: format!("staff:{}", by.id),
            tracking,
            reason,
            documents,
        };
        self.change(actor, tenant, row, change).await
    }

    /// Application `row`, ready for campus print, is `受取済`: a machine of the university
    /// printed every certificate of it.
    pub(super) async fn collected_at_machine(
        &self,
        actor: &Actor,
        tenant: &tenant::Model,
        row: application::Model,
        machine_id: i32,
    ) -> Result<ApplicationStatus, ActionError> {
        let change = Change {
            to: ApplicationStatus::Collected,
            from: &[ApplicationStatus::Ready],
            actor_label: format!("machine:{machine_id}"),
            tracking: None,
            reason: None,
            documents: Vec::new(),
        };
        self.change(actor, tenant, row, change).await
    }

    /// The student cancels application `id` while it is 受付済: the whole amount goes back
    /// to the card. `NotFound` for another student's.
    pub async fn cancel_by_student(
        &self,
        actor: &Actor,
        tenant: &tenant::Model,
        student: StudentId,
        id: i32,
    ) -> Result<ApplicationStatus, ActionError> {
        let row = self
            .row(tenant.id, id)
            .await?
            .filter(|row| row.student_id == student.0)
            .ok_or(ActionError::NotFound)?;
        let change = Change {
            to: ApplicationStatus::Cancelled,
            from: &[ApplicationStatus::Accepted],
            actor_label: "student".to_owned(),
            tracking: None,
            reason: None,
            documents: Vec::new(),
        };
        self.change(actor, tenant, row, change).await
    }

    async fn row(
        &self,
        tenant_id: i32,
        id: i32,
    ) -> Result<Option<application::Model>, StorageError> {
        application::Entity::find_by_id(id)
            .filter(application::Column::TenantId.eq(tenant_id))
            .one(&self.db)
            .await
            .map_err(storage("reading an application"))
    }

    /// One change, whole or not at all.
    async fn change(
        &self,
        actor: &Actor,
        tenant: &tenant::Model,
        row: application::Model,
        change: Change<'_>,
    ) -> Result<ApplicationStatus, ActionError> {
        let now = self.clock.now_ms();
        let txn = begin(&self.db).await?;
        let codes: Vec<&str> = change.from.iter().map(|status| status.code()).collect();
        let mut update = application::Entity::update_many()
            .col_expr(application::Column::Status, Expr::value(change.to.code()))
            .col_expr(application::Column::UpdatedAt, Expr::value(now));
        if let Some(tracking) = &change.tracking {
            update = update.col_expr(
                application::Column::TrackingNumber,
                Expr::value(tracking.clone()),
            );
        }
        if let Some(reason) = &change.reason {
            update = update.col_expr(
                application::Column::CancelReason,
                Expr::value(reason.clone()),
            );
        }
        let moved = update
            .filter(application::Column::Id.eq(row.id))
            .filter(application::Column::Status.is_in(codes))
            .exec(&txn)
            .await
            .map_err(storage("changing an application's status"))?;
        if moved.rows_affected != 1 {
            txn.rollback().await.map_err(storage("rolling back a refused change"))?;
            let now_is = self
                .row(tenant.id, row.id)
                .await?
                .and_then(|row| ApplicationStatus::from_code(&row.status))
                .unwrap_or(ApplicationStatus::Cancelled);
            return Err(ActionError::NotNow(now_is));
        }
        let note = change.tracking.clone().or(change.reason.clone());
        record_status(&txn, row.id, change.to, (&change.actor_label, note), now).await?;
        issuance::store(&txn, (tenant.id, row.id, now), change.documents).await?;
        if change.to == ApplicationStatus::Cancelled {
            // What the student was given is void with its application.
            revocation::revoke_cancelled(&txn, row.id, now).await?;
        }
        let refunded = if change.to == ApplicationStatus::Cancelled {
            self.refund(&txn, &row, &change.actor_label, now).await?
        } else {
            None
        };
        let notice = StatusNotice {
            tracking: change.tracking.clone(),
            reason: change.reason.clone(),
            refunded,
            ..StatusNotice::of(&row, change.to)
        };
        queue_status_mail(&txn, tenant, StudentId(row.student_id), &notice, now).await?;
        let detail = serde_json::json!({
            "application": notice.number,
            "status": change.to.code(),
            "by": change.actor_label,
        })
        .to_string();
        let about = Subject {
            tenant_id: Some(tenant.id),
            detail: Some(&detail),
            ..Default::default()
        };
        audit::record(&txn, actor, Event::ApplicationStatusChanged, about).await;
        txn.commit().await.map_err(storage("committing a change of status"))?;
        if change.to == ApplicationStatus::Cancelled {
            revocation::revoked_now();
        }
        Ok(change.to)
    }

    /// The whole amount back where it came from, in the cancellation's transaction: onto the
    /// card, or owed back through the gateway that took it (sent by the refund worker).
    async fn refund(
        &self,
        txn: &DatabaseTransaction,
        row: &application::Model,
        actor_label: &str,
        now: i64,
    ) -> Result<Option<Refunded>, ActionError> {
        let amount = Yen::new(row.total_yen).ok_or(ActionError::Storage)?;
        if amount == Yen::ZERO || row.paid_transaction_id.is_none() {
            return Ok(None);
        }
        let method = gateway_method_of(row);
        let description = format!("No. {}", application_number(row.id));
        let refund = Refund {
            tenant_id: row.tenant_id,
            student: StudentId(row.student_id),
            amount,
            description: &description,
            actor: actor_label,
            corrects: row.paid_transaction_id,
            at: now,
            through_gateway: method.is_some(),
        };
        self.wallet.refund_within(txn, refund).await.map_err(|_| ActionError::Storage)?;
        if method.is_some() && !owe_refund(txn, row.id, now).await? {
            // Booked as paid through the gateway, yet no paid payment of it: never written so.
            tracing::error!(application = row.id, "a gateway refund without its payment");
            return Err(ActionError::Storage);
        }
        Ok(Some(Refunded { amount, method }))
    }
}

/// Money given back by a cancellation: onto the card (`method` none) or through the gateway.
#[derive(Clone, Copy)]
pub(super) struct Refunded {
    amount: Yen,
    method: Option<PaymentMethod>,
}

/// What a status mail tells.
pub(super) struct StatusNotice {
    number: String,
    status: ApplicationStatus,
    tracking: Option<String>,
    reason: Option<String>,
    refunded: Option<Refunded>,
    lang: Lang,
}

impl StatusNotice {
    /// The mail of application `row` now being `status`, with nothing more to tell.
    pub(super) fn of(row: &application::Model, status: ApplicationStatus) -> Self {
        StatusNotice {
            number: application_number(row.id),
            status,
            tracking: None,
            reason: None,
            refunded: None,
            lang: Lang::from_code(&row.lang).unwrap_or_default(),
        }
    }
}

/// The mail of a change of status, in the language the student applied in (no registered
/// address: none).
pub(super) async fn queue_status_mail(
    db: &impl ConnectionTrait,
    tenant: &tenant::Model,
    student: StudentId,
    notice: &StatusNotice,
    at: i64,
) -> Result<(), StorageError> {
    let Some(to) = crate::account::registered_email_of(db, tenant.id, student).await? else {
        return Ok(());
    };
    let lang = notice.lang;
    let mut more = String::new();
    if let Some(tracking) = &notice.tracking {
        more.push_str(&MailMsg::MailApplicationTracking.text(lang).replace("{tracking}", tracking));
    }
    if let Some(reason) = &notice.reason {
        more.push_str(&MailMsg::MailApplicationReason.text(lang).replace("{reason}", reason));
    }
    match notice.refunded {
        Some(Refunded {
            amount,
            method: None,
        }) => more.push_str(
            &MailMsg::MailApplicationRefund
                .text(lang)
                .replace("{total}", &amount.to_string())
                .replace("{card}", tenancy::card_name(tenant, lang)),
        ),
        Some(Refunded {
            amount,
            method: Some(method),
        }) => more.push_str(
            &MailMsg::MailApplicationRefundGateway
                .text(lang)
                .replace("{total}", &amount.to_string())
                .replace("{method}", pay_by_name(method, lang)),
        ),
        None => {}
    }
    if notice.status == ApplicationStatus::Unpaid {
        more.push_str(MailMsg::MailApplicationUnpaid.text(lang));
    }
    let lead = MailMsg::MailApplicationStatusBody
        .text(lang)
        .replace("{number}", &notice.number)
        .replace("{status}", notice.status.msg().text(lang))
        .replace("{more}", &more);
    let subject = MailMsg::MailApplicationStatusSubject;
    let university = tenancy::display_name(tenant, lang);
    enqueue(
        db,
        statement_mail(lang, university, &to, subject, &lead, at),
        at,
    )
    .await
}

/// Whether `action` makes and signs the certificates of an application delivered by `kind`:
/// when they leave the office as documents. A PDF at 発行済; a campus machine's at 受取可; paper
/// (post, EMS, the counter) when the office starts on it, so that what it prints and sends
/// carries the QR code and the verification code like a PDF.
fn makes_documents(action: &StaffAction, kind: Option<DeliveryKind>) -> bool {
    use DeliveryKind::{CampusPrint, Ems, Pdf, Pickup, Post};
    matches!(
        (action, kind),
        (StaffAction::Issue, Some(Pdf))
            | (StaffAction::MakeReady, Some(CampusPrint))
            | (StaffAction::Start, Some(Post | Ems | Pickup))
    )
}
