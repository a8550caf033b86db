//! What the staff console's server functions need of a request (the staff session cookie,
//! never the students', and the acting member at a stage), and the pages that gather several
//! contexts' parts: a student's page and the help desk's actions.

use super::cookies;
use super::request::{self, cookie, set_cookie};
use super::state::AppState;
use super::wallet::movement;
use crate::api::staff::{
    AccountStateView, AuditEventView, AuditQuery, AuditView, CardStatementView, GradesPreviewView,
    ImportPreviewView, ImportView, SettingsForm, StudentPageView, StudentRecordView,
};
use crate::api::wallet::HISTORY_PAGE_SIZE;
use crate::error::{AppError, Field};
use backend::entities::tenant;
use backend::platform::audit;
use backend::platform::clock::jst_minute as jst;
use backend::platform::login_delays::UserKey;
use backend::registry::console_import::{self, ConsoleImportError, UploadKind};
use backend::registry::{self, StudentRecord};
use backend::registry::{GradeFault, GradesError, ImportError, RowFault};
use backend::staff::StaffStage;
use backend::tenancy::settings::UniversitySettings;
use backend::wallet::corrections::Correction;
use backend::wallet::IdempotencyKey;
use backend::wallet::WalletError;
use domain::i18n::{AuditMsg, FieldMsg, StaffMsg, WalletMsg};
use domain::{PasswordPolicy, Permission, StaffMember, StudentId, Yen};
use std::collections::HashMap;

/// The staff session cookie this request carries.
pub fn session_cookie(state: &AppState) -> Option<String> {
    cookie(cookies::staff_session_cookie_name(&state.settings)).filter(|raw| !raw.is_empty())
}

/// The staff session cookie of a request's headers (for the handlers outside Leptos).
pub fn session_cookie_of(state: &AppState, headers: &http::HeaderMap) -> Option<String> {
    let name = cookies::staff_session_cookie_name(&state.settings);
    request::cookies(headers)
        .find(|(key, value)| *key == name && !value.is_empty())
        .map(|(_, value)| value.to_owned())
}

pub fn set_session_cookie(state: &AppState, raw: &str) {
    set_cookie(&cookies::staff_session(&state.settings, raw, false));
}

pub fn clear_session_cookie(state: &AppState) {
    set_cookie(&cookies::staff_session(&state.settings, "", true));
}

/// The university of `slug` and the member whose session this request carries there, at
/// `stage`; anything else is `NotSignedIn`.
pub async fn member_at(
    state: &AppState,
    slug: &str,
    stage: StaffStage,
) -> Result<(tenant::Model, StaffMember, String), AppError> {
    member_with(state, slug, session_cookie(state), stage).await
}

/// Like [`member_at`], with the session cookie's value given.
pub async fn member_with(
    state: &AppState,
    slug: &str,
    raw: Option<String>,
    stage: StaffStage,
) -> Result<(tenant::Model, StaffMember, String), AppError> {
    match session_with(state, slug, raw).await? {
        (tenant, member, raw, found) if found == stage => Ok((tenant, member, raw)),
        _ => Err(AppError::NotSignedIn),
    }
}

/// The university of `slug`, and the member and stage of the staff session this request
/// carries there, at whatever stage; no session there is `NotSignedIn`.
pub async fn session_at(
    state: &AppState,
    slug: &str,
) -> Result<(tenant::Model, StaffMember, String, StaffStage), AppError> {
    session_with(state, slug, session_cookie(state)).await
}

async fn session_with(
    state: &AppState,
    slug: &str,
    raw: Option<String>,
) -> Result<(tenant::Model, StaffMember, String, StaffStage), AppError> {
    let tenant = backend::tenancy::require(&state.db, slug).await?;
    let raw = raw.ok_or(AppError::NotSignedIn)?;
    match state.staff.session(tenant.id, &raw).await? {
        Some((member, stage)) => Ok((tenant, member, raw, stage)),
        None => Err(AppError::NotSignedIn),
    }
}

/// Faculty and department, as one line.
pub fn affiliation(faculty: Option<String>, department: Option<String>) -> String {
    [faculty, department].into_iter().flatten().collect::<Vec<_>>().join(" ")
}

/// Students' audit events a student's page lists, newest first.
const STUDENT_EVENTS: u64 = 50;

/// The student `id` of the member's university, for a member who may read students there;
/// `NotFound` for an id of no student of this university (another's included).
async fn record(
    state: &AppState,
    (tenant, member): (&tenant::Model, &StaffMember),
    id: i32,
) -> Result<StudentRecord, AppError> {
    let actor = request::actor();
    registry::record(&state.db, (member, &actor), tenant.id, StudentId(id))
        .await?
        .ok_or(AppError::NotFound)
}

/// What a student's page shows: each part read through its own context, which checks the
/// member's permission itself.
pub async fn student_page(
    state: &AppState,
    (tenant, member): (tenant::Model, &StaffMember),
    id: i32,
    page: u64,
) -> Result<StudentPageView, AppError> {
    let actor = request::actor();
    let by = (member, &actor);
    let record = record(state, (&tenant, member), id).await?;
    let key = UserKey {
        tenant_id: tenant.id,
        user_id_key: &record.user_id_key,
    };
    let account = state.accounts.account_state((by, key)).await?;
    let card = state
        .wallet
        .card_for_staff(by, tenant.id, record.id, (page, HISTORY_PAGE_SIZE))
        .await
        .map_err(|err| match err {
            WalletError::Forbidden => AppError::Forbidden,
            _ => AppError::Internal,
        })?;
    let whose = (
        account.account_id.map(|id| id.0),
        record.user_id_key.as_str(),
    );
    let events = audit::about_student(&state.db, by, tenant.id, whose, STUDENT_EVENTS)
        .await
        .map_err(|err| match err {
            audit::ReadError::Forbidden => AppError::Forbidden,
            audit::ReadError::Storage(_) => AppError::Internal,
        })?;
    let staff_names = staff_names(state, tenant.id).await?;
    let now = state.accounts.clock.now_ms();
    let streak = account.login_failures;
    Ok(StudentPageView {
        role: member.role,
        record: StudentRecordView {
            id: record.id.0,
            affiliation: affiliation(record.faculty, record.department),
            user_id: record.user_id,
            name: record.name,
            name_kana: record.name_kana,
            name_en: record.name_en,
            student_number: record.student_number,
            status: record.status,
            birth_date: record.birth_date,
            admission_date: record.admission_date,
            graduation_date: record.graduation_date,
            degree: match (record.degree_name, record.degree_name_en) {
                (Some(ja), Some(en)) => Some(format!("{ja} / {en}")),
                (ja, en) => ja.or(en),
            },
            health_check_year: record.health_check_year,
            card_number: record.card_number,
        },
        account: AccountStateView {
            opened_at: account.opened_at.map(jst),
            email: account.email,
            pending_email: account
                .pending_email
                .map(|(address, until)| (address, jst(until), until <= now)),
            second_password_set: account.second_password_set,
            login_failures: streak.map_or(0, |s| s.failures),
            delayed_until: streak
                .and_then(|s| s.delayed_until)
                .filter(|until| *until > now)
                .map(jst),
            live_sessions: account.live_sessions,
        },
        card: CardStatementView {
            balance: card.balance,
            movements: card.movements.into_iter().map(movement).collect(),
            page: page.max(1),
            pages: card.count.div_ceil(HISTORY_PAGE_SIZE).max(1),
        },
        events: events.into_iter().map(|event| event_view(event, &staff_names)).collect(),
        correction_key: member
            .may(Permission::CorrectBalances, tenant.id)
            .then(super::wallet::new_key),
        tenant: tenant.into(),
    })
}

/// One of the help desk's actions on student `id`; returns what the page should say was
/// done (`delays-cleared`, `sessions-ended`, `link-sent`).
pub async fn act_on_student(
    state: &AppState,
    (tenant, member): (tenant::Model, &StaffMember),
    id: i32,
    action: &str,
) -> Result<&'static str, AppError> {
    let actor = request::actor();
    let by = (member, &actor);
    // The permission comes first: a viewer learns nothing of the id from a refusal.
    let record = record(state, (&tenant, member), id).await?;
    let key = UserKey {
        tenant_id: tenant.id,
        user_id_key: &record.user_id_key,
    };
    Ok(match action {
        "clear-delays" => {
            state.accounts.clear_login_delays((by, key)).await?;
            "delays-cleared"
        }
        "end-sessions" => {
            state.accounts.end_student_sessions((by, key)).await?;
            "sessions-ended"
        }
        "resend-link" => {
            state.accounts.resend_email_registration((by, key)).await?;
            "link-sent"
        }
        _ => return Err(AppError::NotFound),
    })
}

/// The settings as the form shows them.
pub fn settings_form(current: UniversitySettings) -> SettingsForm {
    SettingsForm {
        name: current.name,
        name_en: current.name_en,
        notes_ja: current.notes_ja,
        notes_en: current.notes_en,
        helpdesk_ja: current.helpdesk_ja,
        helpdesk_en: current.helpdesk_en,
        card_name: current.card_name,
        top_up_min: current.top_up_min.to_string(),
        top_up_max: current.top_up_max.to_string(),
        balance_max: current.balance_max.to_string(),
        link_minutes: current.link_minutes.map(|m| m.to_string()).unwrap_or_default(),
        password_policy: current.password_policy.code().to_owned(),
        portal_origins: current.portal_origins,
    }
}

/// The form's texts as settings: amounts as whole yen, the lifetime as whole minutes (empty:
/// the default), the rule by its code. The service checks everything else.
pub fn parse_settings(form: SettingsForm) -> Result<UniversitySettings, AppError> {
    let amount = |text: &str, field| {
        Yen::parse(text)
            .map(Yen::get)
            .map_err(|_| AppError::invalid(field, FieldMsg::AmountNotWhole))
    };
    let link_minutes = match form.link_minutes.trim() {
        "" => None,
        text => Some(
            text.parse::<i64>()
                .map_err(|_| AppError::invalid(Field::LinkMinutes, FieldMsg::LinkMinutesRange))?,
        ),
    };
    Ok(UniversitySettings {
        top_up_min: amount(&form.top_up_min, Field::TopUpMin)?,
        top_up_max: amount(&form.top_up_max, Field::TopUpMax)?,
        balance_max: amount(&form.balance_max, Field::BalanceMax)?,
        link_minutes,
        password_policy: PasswordPolicy::from_code(&form.password_policy)
            .ok_or(AppError::NotFound)?,
        name: form.name,
        name_en: form.name_en,
        notes_ja: form.notes_ja,
        notes_en: form.notes_en,
        helpdesk_ja: form.helpdesk_ja,
        helpdesk_en: form.helpdesk_en,
        card_name: form.card_name,
        portal_origins: form.portal_origins,
    })
}

/// A signed amount of yen as typed: `-300`, `−300`, `+1,200`, `1200`.
fn signed_yen(text: &str) -> Result<i64, AppError> {
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix(['-', '−', '－']) {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix(['+', '＋']).unwrap_or(text)),
    };
    let amount = Yen::parse(digits.trim())
        .map_err(|_| AppError::invalid(Field::Amount, FieldMsg::AmountNotWhole))?
        .get();
    Ok(if negative { -amount } else { amount })
}

/// An admin's correction of student `id`'s balance: `(amount, reason, key)` as the form sent
/// them.
pub async fn correct_balance(
    state: &AppState,
    (tenant, member): (tenant::Model, &StaffMember),
    id: i32,
    (amount, reason, key): (&str, &str, &str),
) -> Result<(), AppError> {
    let actor = request::actor();
    let by = (member, &actor);
    let record = record(state, (&tenant, member), id).await?;
    let amount = signed_yen(amount)?;
    let key = IdempotencyKey::parse(key).ok_or(AppError::Refused(WalletMsg::KeyReused.into()))?;
    let correction = Correction {
        tenant_id: tenant.id,
        student: record.id,
        amount,
        reason,
        key: &key,
    };
    state.wallet.correct(by, correction).await.map_err(|err| match err {
        WalletError::Forbidden => AppError::Forbidden,
        WalletError::ZeroAmount => AppError::invalid(Field::Amount, FieldMsg::CorrectionZero),
        WalletError::CorrectionTooLarge => {
            AppError::invalid(Field::Amount, FieldMsg::CorrectionTooLarge)
        }
        WalletError::BadReason => AppError::invalid(Field::Reason, FieldMsg::BadReason),
        WalletError::InsufficientBalance { .. } => {
            AppError::Refused(StaffMsg::CorrectionBelowZero.into())
        }
        WalletError::KeyReusedForAnotherRequest => AppError::Refused(WalletMsg::KeyReused.into()),
        _ => AppError::Internal,
    })?;
    Ok(())
}

fn fault_msg(fault: RowFault) -> StaffMsg {
    match fault {
        RowFault::UserIdInvalid => StaffMsg::FaultUserId,
        RowFault::Twice => StaffMsg::FaultTwice,
        RowFault::CardNumberInvalid => StaffMsg::FaultCardNumber,
        RowFault::Missing => StaffMsg::FaultMissing,
        RowFault::PasswordAndHash => StaffMsg::FaultPasswordAndHash,
        RowFault::NotAHash => StaffMsg::FaultNotAHash,
        RowFault::UnknownStatus => StaffMsg::FaultStatus,
        RowFault::NotADate => StaffMsg::FaultDate,
        RowFault::NotAYear => StaffMsg::FaultYear,
    }
}

fn grade_fault_msg(fault: GradeFault) -> StaffMsg {
    match fault {
        GradeFault::UnknownStudent => StaffMsg::FaultUnknownStudent,
        GradeFault::Missing => StaffMsg::FaultMissing,
        GradeFault::NotAYear => StaffMsg::FaultYear,
        GradeFault::BadCredits => StaffMsg::FaultCredits,
        GradeFault::BadText => StaffMsg::FaultText,
    }
}

/// The kind of upload a page or a form names (empty: the registry).
fn upload_kind(code: &str) -> Result<UploadKind, AppError> {
    match code.trim() {
        "" => Ok(UploadKind::Registry),
        code => UploadKind::from_code(code).ok_or(AppError::NotFound),
    }
}

/// What an applied upload wrote.
pub enum Imported {
    Registry(backend::registry::ImportSummary),
    Grades(backend::registry::GradesSummary),
}

impl From<ConsoleImportError> for AppError {
    fn from(err: ConsoleImportError) -> Self {
        match err {
            ConsoleImportError::Forbidden => AppError::Forbidden,
            ConsoleImportError::UnknownUpload => AppError::Refused(StaffMsg::ImportGone.into()),
            ConsoleImportError::TooLarge => AppError::Refused(StaffMsg::ImportTooLarge.into()),
            ConsoleImportError::NotText => AppError::Refused(StaffMsg::ImportNotText.into()),
            ConsoleImportError::Outdated => AppError::Refused(StaffMsg::ImportOutdated.into()),
            ConsoleImportError::Faulty => AppError::Refused(StaffMsg::ImportFaulty.into()),
            ConsoleImportError::Storage => AppError::Internal,
        }
    }
}

/// The import page: the preview of the member's upload `upload` of `kind`, if it names one
/// (0: none).
pub async fn import_page(
    state: &AppState,
    (tenant, member): (tenant::Model, &StaffMember),
    (upload, kind): (i32, &str),
) -> Result<ImportView, AppError> {
    let actor = request::actor();
    let by = (member, &actor);
    let kind = upload_kind(kind)?;
    let (mut preview, mut grades) = (None, None);
    match (upload, kind) {
        (0, _) => {
            // The page itself is the importers': say so before a file is chosen.
            backend::platform::permissions::require(
                &state.db,
                by,
                Permission::ImportRegistry,
                tenant.id,
            )
            .await
            .map_err(|_| AppError::Forbidden)?;
        }
        (id, UploadKind::Registry) => {
            let found = console_import::preview(&state.db, by, tenant.id, id).await?;
            preview = Some(ImportPreviewView {
                upload: id,
                applicable: found.applicable(),
                file_name: found.file_name,
                unreadable: found.unreadable,
                new: found.new,
                new_count: found.new_count,
                updated: found
                    .updated
                    .into_iter()
                    .map(|(user_id, columns)| {
                        (user_id, columns.iter().map(|c| c.to_string()).collect())
                    })
                    .collect(),
                updated_count: found.updated_count,
                unchanged_count: found.unchanged_count,
                faults: found
                    .faults
                    .into_iter()
                    .filter_map(|fault| match fault {
                        ImportError::Row {
                            line,
                            column,
                            reason,
                        } => Some((line, column, fault_msg(reason))),
                        _ => None,
                    })
                    .collect(),
                outdated: found.outdated,
            });
        }
        (id, UploadKind::Grades) => {
            let found = registry::preview_grades(&state.db, by, tenant.id, id).await?;
            grades = Some(GradesPreviewView {
                upload: id,
                applicable: found.applicable(),
                file_name: found.file_name,
                unreadable: found.unreadable,
                students: found.students,
                results: found.results,
                replaced: found.replaced,
                faults: found
                    .faults
                    .into_iter()
                    .filter_map(|fault| match fault {
                        GradesError::Row {
                            line,
                            column,
                            fault,
                        } => Some((line, column.to_owned(), grade_fault_msg(fault))),
                        _ => None,
                    })
                    .collect(),
                outdated: found.outdated,
            });
        }
    }
    Ok(ImportView {
        tenant: tenant.into(),
        preview,
        grades,
    })
}

/// Applies the member's upload of `kind`.
pub async fn import_apply(
    state: &AppState,
    (tenant, member): (tenant::Model, &StaffMember),
    (upload, kind): (i32, &str),
) -> Result<Imported, AppError> {
    let actor = request::actor();
    let by = (member, &actor);
    Ok(match upload_kind(kind)? {
        UploadKind::Registry => {
            Imported::Registry(console_import::apply(&state.db, by, tenant.id, upload).await?)
        }
        UploadKind::Grades => {
            Imported::Grades(registry::apply_grades(&state.db, by, tenant.id, upload).await?)
        }
    })
}

/// Keeps an uploaded file of `kind` (a registry file, or a grade file) for the member whose
/// staff session `raw` is; returns the upload's id.
pub async fn upload_registry(
    state: &AppState,
    (slug, raw): (&str, Option<String>),
    actor: &backend::platform::audit::Actor,
    (kind, file_name, bytes): (UploadKind, &str, Vec<u8>),
) -> Result<i32, AppError> {
    let (tenant, member, _) = member_with(state, slug, raw, StaffStage::SignedIn).await?;
    let now = state.accounts.clock.now_ms();
    let file = (file_name, bytes);
    let at = (tenant.id, kind);
    Ok(console_import::upload(&state.db, (&member, actor), at, file, now).await?)
}

/// Events a page of the audit log lists.
pub const AUDIT_PAGE_SIZE: u64 = 50;
/// The most events a CSV download holds.
const AUDIT_CSV_ROWS: u64 = 100_000;

/// A JST date (`2026-11-30`) as the epoch ms of its start; `None` for an empty field.
fn day_start(text: &str) -> Result<Option<i64>, FieldMsg> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    backend::platform::clock::jst_day_start(text)
        .map(Some)
        .ok_or(FieldMsg::DateInvalid)
}

/// What the filter names, found: the time range, the event, the student (account and user ID
/// key) and the staff member. A bad date is said and left out, not refused whole.
struct Found {
    range: (Option<i64>, Option<i64>),
    event: Option<String>,
    student: Option<(Option<i32>, String)>,
    staff_id: Option<i32>,
    problem: Option<FieldMsg>,
}

async fn resolve(
    state: &AppState,
    tenant: &tenant::Model,
    query: &AuditQuery,
) -> Result<Found, AppError> {
    let (from, problem_from) = match day_start(&query.from) {
        Ok(from) => (from, None),
        Err(msg) => (None, Some(msg)),
    };
    let (until, problem_until) = match day_start(&query.until) {
        // The whole last day.
        Ok(until) => (until.map(|start| start + 24 * 3_600_000), None),
        Err(msg) => (None, Some(msg)),
    };
    let event = Some(query.event.trim().to_owned()).filter(|e| !e.is_empty());
    let student = match query.student.trim() {
        "" => None,
        typed => {
            let key = typed.to_lowercase();
            let account = backend::account::account_id_of(&state.db, tenant.id, &key).await?;
            Some((account.map(|id| id.0), key))
        }
    };
    let staff_id = match query.staff.trim() {
        "" => None,
        // A login ID of no member here matches nothing (no id is negative).
        typed => Some(state.staff.by_login_id(tenant.id, typed).await?.map_or(-1, |m| m.id)),
    };
    Ok(Found {
        range: (from, until),
        event,
        student,
        staff_id,
        problem: problem_from.or(problem_until),
    })
}

async fn events(
    state: &AppState,
    (tenant, member): (&tenant::Model, &StaffMember),
    actor: &backend::platform::audit::Actor,
    query: &AuditQuery,
    pages: (u64, u64),
) -> Result<(Vec<AuditEventView>, u64, Option<FieldMsg>), AppError> {
    let found = resolve(state, tenant, query).await?;
    let filter = audit::Filter {
        from: found.range.0,
        until: found.range.1,
        event: found.event.as_deref(),
        student: found.student.as_ref().map(|(id, key)| (*id, key.as_str())),
        staff_id: found.staff_id,
    };
    let (events, total) = audit::search(&state.db, (member, actor), tenant.id, &filter, pages)
        .await
        .map_err(|err| match err {
            audit::ReadError::Forbidden => AppError::Forbidden,
            audit::ReadError::Storage(_) => AppError::Internal,
        })?;
    let names = staff_names(state, tenant.id).await?;
    let views = events.into_iter().map(|event| event_view(event, &names)).collect();
    Ok((views, total, found.problem))
}

/// The login ID of each staff member of the university (disabled ones too), by id.
async fn staff_names(state: &AppState, tenant_id: i32) -> Result<HashMap<i32, String>, AppError> {
    let rows = state.staff.rows(tenant_id).await?;
    Ok(rows.into_iter().map(|row| (row.id, row.login_id)).collect())
}

fn event_view(
    event: backend::entities::audit_event::Model,
    staff: &HashMap<i32, String>,
) -> AuditEventView {
    AuditEventView {
        at: jst(event.at),
        name: AuditMsg::of_event(&event.event),
        code: event.event,
        staff: event
            .staff_id
            .map(|id| staff.get(&id).cloned().unwrap_or_else(|| format!("#{id}"))),
        client_address: event.client_address,
        student: event.user_id_key,
        user_agent: event.user_agent,
        detail: event.detail,
    }
}

/// A page of the university's audit log.
pub async fn audit_page(
    state: &AppState,
    (tenant, member): (tenant::Model, &StaffMember),
    query: AuditQuery,
    page: u64,
) -> Result<AuditView, AppError> {
    let actor = request::actor();
    let page = page.max(1);
    let (events, total, problem) = events(
        state,
        (&tenant, member),
        &actor,
        &query,
        (page, AUDIT_PAGE_SIZE),
    )
    .await?;
    Ok(AuditView {
        tenant: tenant.into(),
        kinds: backend::platform::audit::Event::ALL
            .iter()
            .map(|event| (event.code().to_owned(), AuditMsg::of_event(event.code())))
            .collect(),
        query,
        problem,
        events,
        total,
        page,
        pages: total.div_ceil(AUDIT_PAGE_SIZE).max(1),
    })
}

/// A CSV field: quoted, quotes doubled, and a leading `=`, `+`, `-`, `@` or tab made inert for
/// spreadsheet programs by a `'` in front.
pub fn csv_field(text: &str) -> String {
    let inert = match text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        true => format!("'{text}"),
        false => text.to_owned(),
    };
    format!("\"{}\"", inert.replace('"', "\"\""))
}

/// The audit log as CSV (the filter of the page), for a signed-in member of the university
/// who may read it; with a byte-order mark so spreadsheet programs read UTF-8.
pub async fn audit_csv(
    state: &AppState,
    (slug, raw): (&str, Option<String>),
    actor: &backend::platform::audit::Actor,
    query: &AuditQuery,
    lang: domain::i18n::Lang,
) -> Result<String, AppError> {
    let (tenant, member, _) = member_with(state, slug, raw, StaffStage::SignedIn).await?;
    let (events, _, _) =
        events(state, (&tenant, &member), actor, query, (1, AUDIT_CSV_ROWS)).await?;
    let header = [
        StaffMsg::EventWhen,
        StaffMsg::EventName,
        StaffMsg::EventCode,
        StaffMsg::EventStudent,
        StaffMsg::EventStaff,
        StaffMsg::EventAddress,
        StaffMsg::EventBrowser,
        StaffMsg::EventDetail,
    ]
    .map(|msg| csv_field(msg.text(lang)));
    let mut out = format!("\u{feff}{}\r\n", header.join(","));
    for event in events {
        let name = event.name.map_or(event.code.as_str(), |n| n.text(lang));
        let fields = [
            event.at.as_str(),
            name,
            &event.code,
            event.student.as_deref().unwrap_or_default(),
            event.staff.as_deref().unwrap_or_default(),
            &event.client_address,
            &event.user_agent,
            event.detail.as_deref().unwrap_or_default(),
        ]
        .map(csv_field);
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_field_is_quoted_and_never_a_formula() {
        assert_eq!(csv_field("a\"b"), "\"a\"\"b\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("-1"), "\"'-1\"");
    }

    #[test]
    fn a_day_starts_at_midnight_in_japan() {
        assert_eq!(day_start("2026-11-30"), Ok(Some(1_795_964_400_000)));
        assert_eq!(day_start(""), Ok(None));
        assert_eq!(day_start("30/11/2026"), Err(FieldMsg::DateInvalid));
    }
}
