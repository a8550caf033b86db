//! The staff console's server functions: sign-in, the set-up link, the authenticator and its
//! recovery codes, the console's home, sign-out. Each reads the staff session cookie, never
//! the students'.

use super::views::TenantView;
use crate::error::AppError;
use domain::i18n::StaffMsg;
use domain::{LinkState, StaffRole};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The signed-in member, as the console shows them, and a page of the student search.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffView {
    pub tenant: TenantView,
    pub login_id: String,
    pub name: String,
    pub role: StaffRole,
    pub search: StudentSearchView,
}

/// A page of students found, and what was searched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudentSearchView {
    pub query: String,
    pub sort: domain::StudentSort,
    pub students: Vec<FoundStudentView>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    pub page_size: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoundStudentView {
    /// The registry's id: the student's page is `staff/student?id=…`.
    pub id: i32,
    pub user_id: String,
    pub name: String,
    pub name_kana: Option<String>,
    pub student_number: Option<String>,
    pub affiliation: String,
    pub status: domain::StudentStatus,
}

/// A student's page in the console: the registry's record, the account, the card and the
/// student's audit events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudentPageView {
    pub tenant: TenantView,
    /// The acting member's role: which actions the page offers (the services check again).
    pub role: StaffRole,
    pub record: StudentRecordView,
    pub account: AccountStateView,
    pub card: CardStatementView,
    pub events: Vec<AuditEventView>,
    /// For admins: the idempotency key of this load's correction form.
    pub correction_key: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudentRecordView {
    pub id: i32,
    pub user_id: String,
    pub name: String,
    pub name_kana: Option<String>,
    pub name_en: Option<String>,
    pub student_number: Option<String>,
    pub affiliation: String,
    pub status: domain::StudentStatus,
    pub birth_date: Option<String>,
    pub admission_date: Option<String>,
    pub graduation_date: Option<String>,
    /// The degree in Japanese and, after a slash, in English.
    pub degree: Option<String>,
    /// The fiscal year of the last cleared health check-up.
    pub health_check_year: Option<i32>,
    pub card_number: Option<String>,
}

/// Times are Japan time, `2026-11-30 10:15`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountStateView {
    /// `None` until the first login.
    pub opened_at: Option<String>,
    pub email: Option<String>,
    /// The address waiting for registration, until when its link works, and whether that
    /// time has passed.
    pub pending_email: Option<(String, String, bool)>,
    pub second_password_set: bool,
    pub login_failures: i32,
    /// While a delay runs: until when.
    pub delayed_until: Option<String>,
    pub live_sessions: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardStatementView {
    pub balance: domain::Yen,
    pub movements: Vec<super::views::MovementView>,
    pub page: u64,
    pub pages: u64,
}

/// One event of the audit log, as the console lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEventView {
    pub at: String,
    /// The event's name, if the console knows the code.
    pub name: Option<domain::i18n::AuditMsg>,
    pub code: String,
    /// The staff member who acted or was acted on (login ID), if any.
    pub staff: Option<String>,
    pub client_address: String,
    /// The user ID typed or acted on (its key), if any.
    pub student: Option<String>,
    pub user_agent: String,
    /// What the event changed, as JSON.
    pub detail: Option<String>,
}

/// The audit log's filter, as the page's address carries it: JST dates, an event's code, a
/// student's user ID and a staff member's login ID; empty parts do not filter.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub until: String,
    #[serde(default)]
    pub event: String,
    #[serde(default)]
    pub student: String,
    #[serde(default)]
    pub staff: String,
}

/// A page of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditView {
    pub tenant: TenantView,
    /// Every event's code and name, for the filter's choice.
    pub kinds: Vec<(String, Option<domain::i18n::AuditMsg>)>,
    pub query: AuditQuery,
    /// A date that could not be read (left out of the filter).
    pub problem: Option<domain::i18n::FieldMsg>,
    pub events: Vec<AuditEventView>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
}

/// The staff accounts page (admins only).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembersView {
    pub tenant: TenantView,
    /// The acting admin: no action is offered on their own row.
    pub own_id: i32,
    pub members: Vec<MemberView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub id: i32,
    pub login_id: String,
    pub name: String,
    pub email: String,
    /// `None` for a role code this version does not know.
    pub role: Option<StaffRole>,
    pub state: MemberState,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MemberState {
    /// Has not yet chosen a password and set up an authenticator.
    AwaitingSetUp,
    Active,
    Disabled,
}

/// The university's settings as the form shows them: every value as text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsForm {
    pub name: String,
    pub name_en: String,
    pub notes_ja: String,
    pub notes_en: String,
    pub helpdesk_ja: String,
    pub helpdesk_en: String,
    pub card_name: String,
    pub top_up_min: String,
    pub top_up_max: String,
    pub balance_max: String,
    pub link_minutes: String,
    /// `manual` or `long`.
    pub password_policy: String,
    pub portal_origins: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsView {
    pub tenant: TenantView,
    /// Admins may save; other roles read.
    pub editable: bool,
    pub form: SettingsForm,
    /// The seal image certificates print; none when they print the seal in type.
    pub seal: Option<SealView>,
}

/// The university's seal image as the settings page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealView {
    /// The image's address, which changes with the image.
    pub href: String,
    pub width: u32,
    pub height: u32,
    /// The day it was uploaded (JST, `2026-12-02`).
    pub uploaded_on: String,
}

/// What the settings page says after a seal was uploaded or removed (`?seal=…`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SealNotice {
    Uploaded,
    Removed,
    TooLarge,
    NotPng,
    BadSize,
    NoFile,
}

impl SealNotice {
    const ALL: [SealNotice; 6] = [
        SealNotice::Uploaded,
        SealNotice::Removed,
        SealNotice::TooLarge,
        SealNotice::NotPng,
        SealNotice::BadSize,
        SealNotice::NoFile,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SealNotice::Uploaded => "uploaded",
            SealNotice::Removed => "removed",
            SealNotice::TooLarge => "too-large",
            SealNotice::NotPng => "not-png",
            SealNotice::BadSize => "bad-size",
            SealNotice::NoFile => "no-file",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|notice| notice.code() == code)
    }

    pub fn message(self) -> StaffMsg {
        match self {
            SealNotice::Uploaded => StaffMsg::SealUploaded,
            SealNotice::Removed => StaffMsg::SealRemoved,
            SealNotice::TooLarge => StaffMsg::SealTooLarge,
            SealNotice::NotPng => StaffMsg::SealNotPng,
            SealNotice::BadSize => StaffMsg::SealBadSize,
            SealNotice::NoFile => StaffMsg::ImportNoFile,
        }
    }

    /// Whether nothing was changed: said as an error.
    pub fn is_refusal(self) -> bool {
        !matches!(self, SealNotice::Uploaded | SealNotice::Removed)
    }
}

/// The import page: the preview of an upload, if one is named (a registry file's or a grade
/// file's).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportView {
    pub tenant: TenantView,
    pub preview: Option<ImportPreviewView>,
    pub grades: Option<GradesPreviewView>,
}

/// What a grade file would replace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradesPreviewView {
    pub upload: i32,
    pub file_name: String,
    pub unreadable: Option<String>,
    pub students: usize,
    pub results: usize,
    /// A student's user ID, their results now and in the file.
    pub replaced: Vec<(String, usize, usize)>,
    /// Line, column, and what is wrong.
    pub faults: Vec<(u64, String, StaffMsgKey)>,
    pub outdated: bool,
    pub applicable: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPreviewView {
    pub upload: i32,
    pub file_name: String,
    /// Why the file cannot be read at all, if so (the parser's words).
    pub unreadable: Option<String>,
    pub new: Vec<String>,
    pub new_count: usize,
    pub updated: Vec<(String, Vec<String>)>,
    pub updated_count: usize,
    pub unchanged_count: usize,
    /// Line, column, and what is wrong.
    pub faults: Vec<(u64, String, StaffMsgKey)>,
    pub outdated: bool,
    pub applicable: bool,
}

/// A staff catalogue key, as it crosses the wire.
pub type StaffMsgKey = domain::i18n::StaffMsg;

/// The authenticator to set up: its QR code (an SVG drawn on the server) and its key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactorView {
    pub tenant: TenantView,
    pub qr_svg: String,
    pub secret: String,
}

/// The recovery codes, on the one load that shows them (`None` on any later one).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryView {
    pub tenant: TenantView,
    pub codes: Option<Vec<String>>,
}

/// Sign-in with login ID, password and the authenticator's code (empty at the first one).
/// Leads to the authenticator's set-up, or to the console.
#[server(endpoint = "staff/sign_in")]
pub async fn staff_sign_in(
    tenant: String,
    login_id: String,
    password: String,
    code: String,
) -> Result<(), AppError> {
    use crate::routes::Page;
    use crate::web::{request, respond, staff};
    use backend::staff::{SignIn, StaffStage};
    let state = request::state()?;
    let found = respond(backend::tenancy::require(&state.db, &tenant).await)?;
    let old = staff::session_cookie(&state);
    let attempt = SignIn {
        tenant_id: found.id,
        login_id: &login_id,
        password: password.into(),
        code: &code,
        old_session: old.as_deref(),
    };
    let signed_in = respond(state.staff.sign_in(&request::actor(), attempt).await)?;
    {
        use secrecy::ExposeSecret;
        staff::set_session_cookie(&state, signed_in.session.expose_secret());
    }
    let next = match signed_in.stage {
        StaffStage::SecondFactorSetup => Page::StaffFactor,
        StaffStage::RecoveryCodes => Page::StaffRecoveryCodes,
        StaffStage::SignedIn => Page::StaffHome,
    };
    leptos_axum::redirect(&next.href(&tenant));
    Ok(())
}

/// What the set-up link this page was opened with is worth.
#[server(endpoint = "staff/set_up_link")]
pub async fn staff_set_up_link(tenant: String, token: String) -> Result<LinkState, AppError> {
    use crate::web::request;
    let state = request::state()?;
    let found = backend::tenancy::require(&state.db, &tenant).await?;
    Ok(state.staff.set_up_link_state(found.id, &token).await?)
}

/// Sets the member's password through the set-up link; then to the sign-in page.
#[server(endpoint = "staff/set_password")]
pub async fn staff_set_password(
    tenant: String,
    token: String,
    new_password: String,
    new_password_confirm: String,
) -> Result<(), AppError> {
    use crate::error::Field;
    use crate::routes::Page;
    use crate::web::{request, respond};
    use domain::i18n::FieldMsg;
    let state = request::state()?;
    let found = respond(backend::tenancy::require(&state.db, &tenant).await)?;
    if new_password != new_password_confirm {
        return Err(AppError::invalid(
            Field::NewPasswordConfirm,
            FieldMsg::NewPasswordMismatch,
        ));
    }
    let actor = request::actor();
    let set = state.staff.set_password(&actor, found.id, &token, new_password.into()).await;
    respond(set)?;
    request::set_cookie(&crate::web::cookies::link(
        &state.settings,
        &Page::StaffSetUp.href(&tenant),
        "",
        0,
    ));
    leptos_axum::redirect(&format!("{}?set-up=done", Page::StaffSignIn.href(&tenant)));
    Ok(())
}

/// The authenticator to set up, for a session that has only passed the password.
#[server(endpoint = "staff/factor")]
pub async fn staff_factor(tenant: String) -> Result<FactorView, AppError> {
    use crate::web::{request, staff};
    use backend::staff::StaffStage;
    use secrecy::ExposeSecret;
    let state = request::state()?;
    let (found, _, raw) = staff::member_at(&state, &tenant, StaffStage::SecondFactorSetup).await?;
    let pending = state.staff.pending_factor(&found, &raw).await?;
    let qr = qrcode::QrCode::new(pending.uri.expose_secret().as_bytes()).map_err(|err| {
        tracing::error!(error = %err, "could not draw a QR code");
        AppError::Internal
    })?;
    let qr_svg = qr
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    Ok(FactorView {
        tenant: found.into(),
        qr_svg,
        secret: pending.secret.expose_secret().to_owned(),
    })
}

/// Confirms the authenticator with its first code; then to the recovery codes.
#[server(endpoint = "staff/confirm_factor")]
pub async fn staff_confirm_factor(tenant: String, code: String) -> Result<(), AppError> {
    use crate::error::Field;
    use crate::routes::Page;
    use crate::web::{request, respond, staff};
    use backend::staff::{StaffError, StaffStage};
    use domain::i18n::{FieldMsg, StaffMsg};
    use secrecy::ExposeSecret;
    let state = request::state()?;
    let (found, _, raw) = staff::member_at(&state, &tenant, StaffStage::SecondFactorSetup).await?;
    if code.trim().is_empty() {
        return Err(AppError::invalid(Field::Code, FieldMsg::Required));
    }
    let confirmed = state.staff.confirm_factor(&request::actor(), found.id, &raw, &code).await;
    let signed_in = match confirmed {
        Err(StaffError::WrongCredentials) => {
            return Err(AppError::Refused(StaffMsg::FactorWrongCode.into()))
        }
        other => respond(other)?,
    };
    staff::set_session_cookie(&state, signed_in.session.expose_secret());
    leptos_axum::redirect(&Page::StaffRecoveryCodes.href(&tenant));
    Ok(())
}

/// The recovery codes, shown on the first load after the authenticator was set up.
#[server(endpoint = "staff/recovery_codes")]
pub async fn staff_recovery_codes(tenant: String) -> Result<RecoveryView, AppError> {
    use crate::web::{request, staff};
    use backend::staff::StaffStage;
    use secrecy::ExposeSecret;
    let state = request::state()?;
    let (found, _, raw, stage) = staff::session_at(&state, &tenant).await?;
    let codes = match stage {
        StaffStage::RecoveryCodes => state.staff.take_recovery_codes(found.id, &raw).await?,
        StaffStage::SignedIn => None,
        StaffStage::SecondFactorSetup => return Err(AppError::NotSignedIn),
    };
    Ok(RecoveryView {
        tenant: found.into(),
        codes: codes.map(|codes| codes.iter().map(|c| c.expose_secret().to_owned()).collect()),
    })
}

/// The signed-in member and a page of the student search (`q` empty: every student; `sort` as
/// in the address, see [`domain::StudentSort`]).
#[server(endpoint = "staff/home")]
pub async fn staff_home(
    tenant: String,
    q: String,
    sort: String,
    page: u64,
) -> Result<StaffView, AppError> {
    use crate::web::{request, respond, staff};
    use backend::registry;
    use backend::staff::StaffStage;
    let state = request::state()?;
    let (found, member, _) = staff::member_at(&state, &tenant, StaffStage::SignedIn).await?;
    let name = state.staff.name_of(&member).await?;
    let actor = request::actor();
    let sort = domain::StudentSort::from_param(&sort);
    let results =
        respond(registry::search(&state.db, (&member, &actor), found.id, (&q, sort), page).await)?;
    let students = results
        .students
        .into_iter()
        .map(|s| FoundStudentView {
            id: s.id.0,
            affiliation: staff::affiliation(s.faculty, s.department),
            user_id: s.user_id,
            name: s.name,
            name_kana: s.name_kana,
            student_number: s.student_number,
            status: s.status,
        })
        .collect();
    Ok(StaffView {
        tenant: found.into(),
        login_id: member.login_id,
        name,
        role: member.role,
        search: StudentSearchView {
            query: q.trim().to_owned(),
            sort,
            students,
            total: results.total,
            page: results.page,
            pages: results.pages,
            page_size: registry::PAGE_SIZE,
        },
    })
}

/// A student's page (`id` is the registry's id; `page` is of the card's history).
#[server(endpoint = "staff/student")]
pub async fn staff_student(
    tenant: String,
    id: i32,
    page: u64,
) -> Result<StudentPageView, AppError> {
    use crate::web::{request, respond, staff};
    use backend::staff::StaffStage;
    let state = request::state()?;
    let (found, member, _) = staff::member_at(&state, &tenant, StaffStage::SignedIn).await?;
    respond(staff::student_page(&state, (found, &member), id, page).await)
}

/// The help desk's three actions on a student (`action`: `clear-delays`, `end-sessions`,
/// `resend-link`); back to the student's page, which says what was done.
#[server(endpoint = "staff/student_action")]
pub async fn staff_student_action(tenant: String, id: i32, action: String) -> Result<(), AppError> {
    use crate::routes::Page;
    use crate::web::{request, respond, staff};
    use backend::staff::StaffStage;
    let state = request::state()?;
    let (found, member, _) = staff::member_at(&state, &tenant, StaffStage::SignedIn).await?;
    let done = respond(staff::act_on_student(&state, (found, &member), id, &action).await)?;
    let page = Page::StaffStudent.href(&tenant);
    leptos_axum::redirect(&format!("{page}?id={id}&done={done}"));
    Ok(())
}

/// The staff accounts of the university (admins only).
#[server(endpoint = "staff/members")]
pub async fn staff_members(tenant: String) -> Result<MembersView, AppError> {
    use crate::web::{request, respond, staff};
    use backend::staff::StaffStage;
    let state = request::state()?;
    let (found, member, _) = staff::member_at(&state, &tenant, StaffStage::SignedIn).await?;
    let rows = respond(state.staff.list(&member, &request::actor(), found.id).await)?;
    let members = rows
        .into_iter()
        .map(|row| MemberView {
            state: match (row.disabled_at, row.totp_enabled_at) {
                (Some(_), _) => MemberState::Disabled,
                (None, Some(_)) => MemberState::Active,
                (None, None) => MemberState::AwaitingSetUp,
            },
            id: row.id,
            role: StaffRole::from_code(&row.role),
            login_id: row.login_id,
            name: row.name,
            email: row.email,
        })
        .collect();
    Ok(MembersView {
        tenant: found.into(),
        own_id: member.id,
        members,
    })
}

/// Adds a staff member and mails their set-up link; back to the accounts page.
#[server(endpoint = "staff/add_member")]
pub async fn staff_add_member(
    tenant: String,
    login_id: String,
    name: String,
    email: String,
    role: String,
) -> Result<(), AppError> {
    use crate::routes::Page;
    use crate::web::{request, respond, staff};
    use backend::staff::{NewStaff, StaffStage};
    let state = request::state()?;
    let (found, member, _) = staff::member_at(&state, &tenant, StaffStage::SignedIn).await?;
    let role = StaffRole::from_code(&role).ok_or(AppError::NotFound)?;
    let new = NewStaff {
        tenant_id: found.id,
        login_id: &login_id,
        name: &name,
        email: &email,
        role,
    };
    respond(state.staff.add(Some(&member), &request::actor(), new).await)?;
    leptos_axum::redirect(&format!("{}?done=added", Page::StaffMembers.href(&tenant)));
    Ok(())
}

/// An admin's action on a member (`action`: `role` with `role`, `reset-factor`, `disable`);
/// back to the accounts page, which says what was done.
#[server(endpoint = "staff/member_action")]
pub async fn staff_member_action(
    tenant: String,
    staff_id: i32,
    action: String,
    role: Option<String>,
) -> Result<(), AppError> {
    use crate::routes::Page;
    use crate::web::{request, respond, staff};
    use backend::staff::StaffStage;
    let state = request::state()?;
    let (found, member, _) = staff::member_at(&state, &tenant, StaffStage::SignedIn).await?;
    let actor = request::actor();
    let done = match action.as_str() {
        "role" => {
            let role = role.as_deref().and_then(StaffRole::from_code).ok_or(AppError::NotFound)?;
            let changed = state.staff.change_role(&member, &actor, found.id, staff_id, role);
            respond(changed.await)?;
            "role-changed"
        }
        "reset-factor" => {
            let reset = state.staff.reset_second_factor(Some(&member), &actor, found.id, staff_id);
            respond(reset.await)?;
            "factor-reset"
        }
        "disable" => {
            respond(state.staff.disable(Some(&member), &actor, found.id, staff_id).await)?;
            "disabled"
        }
        _ => return Err(AppError::NotFound),
    };
    leptos_axum::redirect(&format!("{}?done={done}", Page::StaffMembers.href(&tenant)));
    Ok(())
}

/// The university's settings (any member reads them).
#[server(endpoint = "staff/settings")]
pub async fn staff_settings(tenant: String) -> Result<SettingsView, AppError> {
    use crate::web::{request, respond, staff};
    use backend::staff::StaffStage;
    use backend::tenancy::settings;
    let state = request::state()?;
    let (found, member, _) = staff::member_at(&state, &tenant, StaffStage::SignedIn).await?;
    let actor = request::actor();
    let current = respond(settings::read(&state.db, (&member, &actor), found.id).await)?;
    let seal = crate::web::seal::seal_view(&state, (&member, &actor), &found).await?;
    Ok(SettingsView {
        tenant: found.into(),
        editable: member.may(domain::Permission::ChangeSettings, member.tenant_id),
        form: staff::settings_form(current),
        seal,
    })
}

/// Saves the university's settings (admins); back to the page, which says whether anything
/// changed. The form's fields are named `form[name]`, `form[notes_ja]`, ….
#[server(endpoint = "staff/save_settings")]
pub async fn staff_save_settings(tenant: String, form: SettingsForm) -> Result<(), AppError> {
    use crate::routes::Page;
    use crate::web::{request, respond, staff};
    use backend::staff::StaffStage;
    use backend::tenancy::settings;
    let state = request::state()?;
    let (found, member, _) = staff::member_at(&state, &tenant, StaffStage::SignedIn).await?;
    let actor = request::actor();
    let new = staff::parse_settings(form)?;
    let changed = respond(settings::save(&state.db, (&member, &actor), found.id, new).await)?;
    let done = if changed.is_empty() {
        "unchanged"
    } else {
        "saved"
    };
    leptos_axum::redirect(&format!(
        "{}?done={done}",
        Page::StaffSettings.href(&tenant)
    ));
    Ok(())
}

/// Books a balance correction (admins) once per form; back to the student's page.
#[server(endpoint = "staff/correct_balance")]
pub async fn staff_correct_balance(
    tenant: String,
    id: i32,
    amount: String,
    reason: String,
    key: String,
) -> Result<(), AppError> {
    use crate::routes::Page;
    use crate::web::{request, respond, staff};
    use backend::staff::StaffStage;
    let state = request::state()?;
    let (found, member, _) = staff::member_at(&state, &tenant, StaffStage::SignedIn).await?;
    let asked = (amount.as_str(), reason.as_str(), key.as_str());
    respond(staff::correct_balance(&state, (found, &member), id, asked).await)?;
    let page = Page::StaffStudent.href(&tenant);
    leptos_axum::redirect(&format!("{page}?id={id}&done=corrected"));
    Ok(())
}

/// A page of the university's audit log, filtered.
#[server(endpoint = "staff/audit")]
pub async fn staff_audit(
    tenant: String,
    query: AuditQuery,
    page: u64,
) -> Result<AuditView, AppError> {
    use crate::web::{request, respond, staff};
    use backend::staff::StaffStage;
    let state = request::state()?;
    let (found, member, _) = staff::member_at(&state, &tenant, StaffStage::SignedIn).await?;
    respond(staff::audit_page(&state, (found, &member), query, page).await)
}

/// The import page, with the preview of the member's upload `upload` (0: none) of `kind`
/// (`registry`, the default, or `grades`).
#[server(endpoint = "staff/import_preview")]
pub async fn staff_import_preview(
    tenant: String,
    upload: i32,
    #[server(default)] kind: String,
) -> Result<ImportView, AppError> {
    use crate::web::{request, respond, staff};
    use backend::staff::StaffStage;
    let state = request::state()?;
    let (found, member, _) = staff::member_at(&state, &tenant, StaffStage::SignedIn).await?;
    respond(staff::import_page(&state, (found, &member), (upload, &kind)).await)
}

/// Applies the member's upload whole; back to the import page, which says how it went.
#[server(endpoint = "staff/import_apply")]
pub async fn staff_import_apply(
    tenant: String,
    upload: i32,
    #[server(default)] kind: String,
) -> Result<(), AppError> {
    use crate::routes::Page;
    use crate::web::{request, respond, staff};
    use backend::staff::StaffStage;
    let state = request::state()?;
    let (found, member, _) = staff::member_at(&state, &tenant, StaffStage::SignedIn).await?;
    let done = respond(staff::import_apply(&state, (found, &member), (upload, &kind)).await)?;
    let page = Page::StaffImport.href(&tenant);
    leptos_axum::redirect(&match done {
        staff::Imported::Registry(summary) => format!(
            "{page}?done=applied&added={}&updated={}",
            summary.added, summary.updated
        ),
        staff::Imported::Grades(summary) => format!(
            "{page}?done=grades&students={}&results={}",
            summary.students, summary.results
        ),
    });
    Ok(())
}

#[server(endpoint = "staff/sign_out")]
pub async fn staff_sign_out(tenant: String) -> Result<(), AppError> {
    use crate::routes::Page;
    use crate::web::{request, respond, staff};
    let state = request::state()?;
    if let Some(raw) = staff::session_cookie(&state) {
        respond(state.staff.sign_out(&raw).await)?;
    }
    staff::clear_session_cookie(&state);
    leptos_axum::redirect(&format!("{}?signed-out=1", Page::StaffSignIn.href(&tenant)));
    Ok(())
}
