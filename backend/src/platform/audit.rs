//! The audit log: security-relevant events with time, university, account, client address
//! and user agent, in the database (for the operator's `shomei audit`) and in the server log
//! (target `audit`). Nothing secret is ever passed in: events carry no password, token, link
//! or mail address.

use super::clock::now_ms;
use super::permissions::{self, Forbidden};
use super::{storage, StorageError};
use crate::entities::audit_event;
use domain::{Permission, StaffMember};
use sea_orm::Condition;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use sea_orm::{QueryOrder, QuerySelect, Set};

/// Who sent the request, as far as the server can tell.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Actor {
    pub client_address: String,
    pub user_agent: String,
}

impl Actor {
    pub const MAX_USER_AGENT: usize = 256;

    pub fn new(client_address: String, user_agent: &str) -> Self {
        // Control characters would let a client forge lines in a text log.
        let user_agent = user_agent
            .chars()
            .filter(|c| !c.is_control())
            .take(Self::MAX_USER_AGENT)
            .collect();
        Self {
            client_address,
            user_agent,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    LoginSucceeded,
    LoginFailed,
    LoginThrottled,
    Logout,
    EmailRegistrationRequested,
    EmailRegistered,
    EmailChangeRequested,
    EmailChanged,
    SecondPasswordSet,
    SecondPasswordChanged,
    SecondPasswordResetRequested,
    SecondPasswordReset,
    ReauthenticationFailed,
    SessionEndedByReauthentication,
    CardDebited,
    CardAdjusted,
    MachineAdded,
    MachineRevoked,
    LedgerVerified,
    TopUpCredited,
    DevGatewayPaid,
    StaffAdded,
    StaffPasswordSet,
    StaffSignedIn,
    StaffSignInFailed,
    StaffSignInThrottled,
    StaffSecondFactorEnabled,
    StaffSecondFactorReset,
    StaffRoleChanged,
    StaffDisabled,
    StaffForbidden,
    StaffViewedStudent,
    /// A staff member downloaded an issued certificate's PDF.
    StaffDownloadedCertificate,
    StaffClearedLoginDelays,
    StaffEndedStudentSessions,
    StaffResentEmailLink,
    UniversitySettingsChanged,
    RegistryImported,
    GradesImported,
    CatalogueImported,
    ApplicationSubmitted,
    ApplicationStatusChanged,
    ClosureCalendarChanged,
    CertificateRevoked,
    CertificatePrinted,
    /// An admin uploaded or removed the seal certificates print.
    SealChanged,
    /// A university's signing key was made: by a rotation, or at its first issue.
    SigningKeyMade,
}

impl Event {
    pub const ALL: [Event; 47] = [
        Event::LoginSucceeded,
        Event::LoginFailed,
        Event::LoginThrottled,
        Event::Logout,
        Event::EmailRegistrationRequested,
        Event::EmailRegistered,
        Event::EmailChangeRequested,
        Event::EmailChanged,
        Event::SecondPasswordSet,
        Event::SecondPasswordChanged,
        Event::SecondPasswordResetRequested,
        Event::SecondPasswordReset,
        Event::ReauthenticationFailed,
        Event::SessionEndedByReauthentication,
        Event::CardDebited,
        Event::CardAdjusted,
        Event::MachineAdded,
        Event::MachineRevoked,
        Event::LedgerVerified,
        Event::TopUpCredited,
        Event::DevGatewayPaid,
        Event::StaffAdded,
        Event::StaffPasswordSet,
        Event::StaffSignedIn,
        Event::StaffSignInFailed,
        Event::StaffSignInThrottled,
        Event::StaffSecondFactorEnabled,
        Event::StaffSecondFactorReset,
        Event::StaffRoleChanged,
        Event::StaffDisabled,
        Event::StaffForbidden,
        Event::StaffViewedStudent,
        Event::StaffDownloadedCertificate,
        Event::StaffClearedLoginDelays,
        Event::StaffEndedStudentSessions,
        Event::StaffResentEmailLink,
        Event::UniversitySettingsChanged,
        Event::RegistryImported,
        Event::GradesImported,
        Event::CatalogueImported,
        Event::ApplicationSubmitted,
        Event::ApplicationStatusChanged,
        Event::ClosureCalendarChanged,
        Event::CertificateRevoked,
        Event::CertificatePrinted,
        Event::SealChanged,
        Event::SigningKeyMade,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Event::LoginSucceeded => "login_succeeded",
            Event::LoginFailed => "login_failed",
            Event::LoginThrottled => "login_throttled",
            Event::Logout => "logout",
            Event::EmailRegistrationRequested => "email_registration_requested",
            Event::EmailRegistered => "email_registered",
            Event::EmailChangeRequested => "email_change_requested",
            Event::EmailChanged => "email_changed",
            Event::SecondPasswordSet => "second_password_set",
            Event::SecondPasswordChanged => "second_password_changed",
            Event::SecondPasswordResetRequested => "second_password_reset_requested",
            Event::SecondPasswordReset => "second_password_reset",
            Event::ReauthenticationFailed => "reauthentication_failed",
            Event::SessionEndedByReauthentication => "session_ended_by_reauthentication",
            Event::CardDebited => "card_debited",
            Event::CardAdjusted => "card_adjusted",
            Event::MachineAdded => "machine_added",
            Event::MachineRevoked => "machine_revoked",
            Event::LedgerVerified => "ledger_verified",
            Event::TopUpCredited => "top_up_credited",
            Event::DevGatewayPaid => "dev_gateway_paid",
            Event::StaffAdded => "staff_added",
            Event::StaffPasswordSet => "staff_password_set",
            Event::StaffSignedIn => "staff_signed_in",
            Event::StaffSignInFailed => "staff_sign_in_failed",
            Event::StaffSignInThrottled => "staff_sign_in_throttled",
            Event::StaffSecondFactorEnabled => "staff_second_factor_enabled",
            Event::StaffSecondFactorReset => "staff_second_factor_reset",
            Event::StaffRoleChanged => "staff_role_changed",
            Event::StaffDisabled => "staff_disabled",
            Event::StaffForbidden => "staff_forbidden",
            Event::StaffViewedStudent => "staff_viewed_student",
            Event::StaffDownloadedCertificate => "staff_downloaded_certificate",
            Event::StaffClearedLoginDelays => "staff_cleared_login_delays",
            Event::StaffEndedStudentSessions => "staff_ended_student_sessions",
            Event::StaffResentEmailLink => "staff_resent_email_link",
            Event::UniversitySettingsChanged => "university_settings_changed",
            Event::RegistryImported => "registry_imported",
            Event::GradesImported => "grades_imported",
            Event::CatalogueImported => "catalogue_imported",
            Event::ApplicationSubmitted => "application_submitted",
            Event::ApplicationStatusChanged => "application_status_changed",
            Event::ClosureCalendarChanged => "closure_calendar_changed",
            Event::CertificateRevoked => "certificate_revoked",
            Event::CertificatePrinted => "certificate_printed",
            Event::SealChanged => "seal_changed",
            Event::SigningKeyMade => "signing_key_made",
        }
    }
}

/// What an event is about: the university, and the account or the user ID typed, or the
/// staff member who acted or was acted on.
#[derive(Clone, Copy, Debug, Default)]
pub struct Subject<'a> {
    pub tenant_id: Option<i32>,
    pub account_id: Option<i32>,
    pub user_id_key: Option<&'a str>,
    pub staff_id: Option<i32>,
    /// What the event changed, as JSON; never a secret.
    pub detail: Option<&'a str>,
}

/// Records an event. A failed write is logged and does not fail the student's request: the
/// server log holds the event either way.
pub async fn record(db: &impl ConnectionTrait, actor: &Actor, event: Event, subject: Subject<'_>) {
    trace(actor, event, subject);
    let written = audit_event::ActiveModel {
        at: Set(now_ms()),
        tenant_id: Set(subject.tenant_id),
        account_id: Set(subject.account_id),
        user_id_key: Set(subject.user_id_key.map(str::to_owned)),
        staff_id: Set(subject.staff_id),
        detail: Set(subject.detail.map(str::to_owned)),
        event: Set(event.code().to_owned()),
        client_address: Set(actor.client_address.clone()),
        user_agent: Set(actor.user_agent.clone()),
        ..Default::default()
    }
    .insert(db)
    .await;
    if let Err(err) = written {
        tracing::error!(error = %err, event = event.code(), "could not write the audit log");
    }
}

/// An event of a university written by a part of one larger PostgreSQL statement (a `WITH`
/// part), one row for each row of `source` (a `FROM` list), for paths that write everything in
/// one round trip. Its five parameters, from `$first` on, are [`statement_values`]'s; `detail`
/// is an SQL expression (`NULL` for none).
pub fn postgres_insert_for_each(source: &str, first: usize, detail: &str) -> String {
    let [at, tenant, event, address, agent] = std::array::from_fn(|i| first + i);
    format!(
        "INSERT INTO audit_events (at, tenant_id, account_id, user_id_key, event, \
         client_address, user_agent, detail) \
         SELECT ${at}, ${tenant}, NULL, NULL, ${event}, ${address}, ${agent}, {detail} \
         FROM {source}"
    )
}

/// The parameters of [`postgres_insert_for_each`].
pub fn statement_values(actor: &Actor, event: Event, tenant_id: i32) -> [sea_orm::Value; 5] {
    [
        now_ms().into(),
        tenant_id.into(),
        event.code().into(),
        actor.client_address.as_str().into(),
        actor.user_agent.as_str().into(),
    ]
}

/// The event in the server log only (target `audit`); [`record`] also stores it.
pub fn trace(actor: &Actor, event: Event, subject: Subject<'_>) {
    tracing::info!(
        target: "audit",
        event = event.code(),
        tenant_id = subject.tenant_id,
        account_id = subject.account_id,
        user_id = subject.user_id_key,
        staff_id = subject.staff_id,
        client_address = %actor.client_address,
        user_agent = %actor.user_agent,
    );
}

/// Why events could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("not allowed")]
    Forbidden,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Which events of a university to list; each part left `None` does not filter.
#[derive(Clone, Debug, Default)]
pub struct Filter<'a> {
    /// From this time on (epoch ms).
    pub from: Option<i64>,
    /// Before this time (epoch ms).
    pub until: Option<i64>,
    /// An event's code.
    pub event: Option<&'a str>,
    /// A student: their account's events, and those of the user ID typed at logins (failures
    /// happen before anyone knows the account).
    pub student: Option<(Option<i32>, &'a str)>,
    /// A staff member who acted or was acted on.
    pub staff_id: Option<i32>,
}

/// A page (from 1) of a university's events matching `filter`, newest first, and how many
/// match in all, for a staff member who may read the audit log there.
pub async fn search(
    db: &impl ConnectionTrait,
    by: (&StaffMember, &Actor),
    tenant_id: i32,
    filter: &Filter<'_>,
    (page, per_page): (u64, u64),
) -> Result<(Vec<audit_event::Model>, u64), ReadError> {
    use sea_orm::PaginatorTrait;
    permissions::require(db, by, Permission::ReadAuditLog, tenant_id)
        .await
        .map_err(|Forbidden| ReadError::Forbidden)?;
    let mut select =
        audit_event::Entity::find().filter(audit_event::Column::TenantId.eq(tenant_id));
    if let Some(from) = filter.from {
        select = select.filter(audit_event::Column::At.gte(from));
    }
    if let Some(until) = filter.until {
        select = select.filter(audit_event::Column::At.lt(until));
    }
    if let Some(event) = filter.event {
        select = select.filter(audit_event::Column::Event.eq(event));
    }
    if let Some((account_id, user_id_key)) = filter.student {
        let mut whose = Condition::any().add(audit_event::Column::UserIdKey.eq(user_id_key));
        if let Some(account_id) = account_id {
            whose = whose.add(audit_event::Column::AccountId.eq(account_id));
        }
        select = select.filter(whose);
    }
    if let Some(staff_id) = filter.staff_id {
        select = select.filter(audit_event::Column::StaffId.eq(staff_id));
    }
    let paginator = select.order_by_desc(audit_event::Column::Id).paginate(db, per_page.max(1));
    let total = paginator.num_items().await.map_err(storage("counting audit events"))?;
    let events = paginator
        .fetch_page(page.max(1) - 1)
        .await
        .map_err(storage("reading audit events"))?;
    Ok((events, total))
}

/// The newest events about one student of a university, newest first, for a staff member who
/// may read the audit log there.
pub async fn about_student(
    db: &impl ConnectionTrait,
    by: (&StaffMember, &Actor),
    tenant_id: i32,
    student: (Option<i32>, &str),
    limit: u64,
) -> Result<Vec<audit_event::Model>, ReadError> {
    let filter = Filter {
        student: Some(student),
        ..Default::default()
    };
    Ok(search(db, by, tenant_id, &filter, (1, limit)).await?.0)
}

/// The newest events of a university, newest first (for the operator).
pub async fn recent(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    limit: u64,
) -> Result<Vec<audit_event::Model>, sea_orm::DbErr> {
    audit_event::Entity::find()
        .filter(audit_event::Column::TenantId.eq(tenant_id))
        .order_by_desc(audit_event::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

#[cfg(test)]
mod tests {
    use super::Event;
    use domain::i18n::AuditMsg;
    use std::collections::HashSet;

    #[test]
    fn every_event_has_a_name_of_its_own_in_the_console() {
        let names: HashSet<AuditMsg> = Event::ALL
            .iter()
            .map(|event| AuditMsg::of_event(event.code()).unwrap_or_else(|| panic!("{event:?}")))
            .collect();

        assert_eq!(names.len(), Event::ALL.len());
        assert_eq!(names.len(), AuditMsg::ALL.len());
    }
}
