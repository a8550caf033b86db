//! The staff console: sign-in with an authenticator's code, the set-up link's password page,
//! the authenticator's set-up, the recovery codes, the console's home with the student search,
//! a student's page, and the staff accounts. Native forms, like the students' pages: they work
//! before (and without) the WASM.

use crate::api::staff::{
    staff_audit, staff_factor, staff_home, staff_import_preview, staff_members,
    staff_recovery_codes, staff_set_up_link, staff_settings, staff_student, AuditEventView,
    AuditQuery, AuditView, FactorView, GradesPreviewView, ImportView, MemberState, MembersView,
    RecoveryView, SealNotice, SealView, SettingsView, StaffAddMember, StaffConfirmFactor,
    StaffCorrectBalance, StaffImportApply, StaffMemberAction, StaffSaveSettings, StaffSetPassword,
    StaffSignIn, StaffSignOut, StaffStudentAction, StaffView, StudentPageView, StudentSearchView,
};
use crate::api::views::TenantView;
use crate::components::{
    movements_table, pager, query_encoded, refusal, scroll_table, server_messages, sortable_table,
    staff_page, use_tenant_slug, yen, Check, CheckedField, Column, FieldSpec, FormAlert, Frame,
    LinkGate, PagerTexts, RegionName, SortLink, TenantGate,
};
use crate::error::{AppError, Field as F};
use crate::i18n::{t, use_lang, AccountMsg, CertificateMsg, FieldMsg, Lang, StaffMsg, WalletMsg};
use crate::routes::{Page, STAFF_AUDIT_CSV, STAFF_SEAL};
use domain::{PasswordPolicy, StaffRole, StudentSort, StudentSortKey};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

fn staff_pager() -> PagerTexts {
    PagerTexts {
        previous: StaffMsg::Previous.into(),
        next: StaffMsg::Next.into(),
        page_of: StaffMsg::PageOf.into(),
    }
}

fn role_msg(role: StaffRole) -> StaffMsg {
    match role {
        StaffRole::Viewer => StaffMsg::RoleViewer,
        StaffRole::Clerk => StaffMsg::RoleClerk,
        StaffRole::Admin => StaffMsg::RoleAdmin,
    }
}

/// `/{tenant}/staff/login`: login ID, password and the authenticator's code.
#[component]
pub fn StaffSignInPage() -> impl IntoView {
    view! { <TenantGate let:tenant><SignInForm tenant/></TenantGate> }
}

#[component]
fn SignInForm(tenant: TenantView) -> impl IntoView {
    let error = refusal(ServerAction::<StaffSignIn>::new().value());
    let [login_id, password, code] = server_messages(&error, [F::LoginId, F::Password, F::Code]);
    let query = use_query_map();
    let notice = query.with_untracked(|q| {
        if q.get("set-up").is_some() {
            Some(StaffMsg::PasswordSet)
        } else if q.get("signed-out").is_some() {
            Some(StaffMsg::SignedOut)
        } else {
            None
        }
    });
    view! {
        <Frame title=StaffMsg::SignInTitle tenant=tenant.clone()>
            <h1>{t(StaffMsg::SignInTitle)}</h1>
            {notice.map(|msg| view! { <p class="notice" role="status">{t(msg)}</p> })}
            <p class="lead">{t(StaffMsg::SignInLead)}</p>
            <FormAlert error=error.clone()/>
            <form method="post" action=StaffSignIn::PATH>
                <input type="hidden" name="tenant" value=tenant.slug.clone()/>
                <CheckedField
                    spec=FieldSpec::new(FieldMsg::LoginId, "login_id", "text", "username")
                    check=Check::Required
                    server_message=login_id
                />
                <CheckedField
                    spec=FieldSpec::new(FieldMsg::Password, "password", "password", "current-password")
                    check=Check::Required
                    server_message=password
                />
                <CheckedField
                    spec=FieldSpec::new(FieldMsg::OneTimeCode, "code", "text", "one-time-code")
                    check=Check::ServerOnly
                    server_message=code
                />
                <p class="hint">{t(StaffMsg::CodeHint)}</p>
                <div class="actions">
                    <button type="submit" class="primary">{t(StaffMsg::SignInButton)}</button>
                </div>
            </form>
        </Frame>
    }
}

/// `/{tenant}/staff/setup`: the page of the set-up link, where a new member chooses a
/// password.
#[component]
pub fn StaffSetUpPage() -> impl IntoView {
    view! { <TenantGate let:tenant><SetUpForm tenant/></TenantGate> }
}

#[component]
fn SetUpForm(tenant: TenantView) -> impl IntoView {
    let error = refusal(ServerAction::<StaffSetPassword>::new().value());
    let slug = tenant.slug.clone();
    view! {
        <Frame title=StaffMsg::SetUpTitle tenant=tenant.clone()>
            <h1>{t(StaffMsg::SetUpTitle)}</h1>
            <LinkGate tenant=tenant.clone() inspect=staff_set_up_link start_again=StaffMsg::SetUpStartAgain let:token>
                <p class="lead">{t(StaffMsg::SetUpLead)}</p>
                <FormAlert error=error.clone()/>
                {
                    let [password, confirm] =
                        server_messages(&error, [F::NewPassword, F::NewPasswordConfirm]);
                    view! {
                        <form method="post" action=StaffSetPassword::PATH>
                            <input type="hidden" name="tenant" value=slug.clone()/>
                            <input type="hidden" name="token" value=token/>
                            <CheckedField
                                spec=FieldSpec::new(FieldMsg::NewPassword, "new_password", "password", "new-password")
                                check=Check::Required
                                server_message=password
                            />
                            <CheckedField
                                spec=FieldSpec::new(FieldMsg::NewPasswordConfirm, "new_password_confirm", "password", "new-password")
                                check=Check::Required
                                server_message=confirm
                            />
                            <div class="actions">
                                <button type="submit" class="primary">{t(StaffMsg::SetUpButton)}</button>
                            </div>
                        </form>
                    }
                }
            </LinkGate>
        </Frame>
    }
}

/// `/{tenant}/staff/factor`: the authenticator's QR code and key, and its first code.
#[component]
pub fn StaffFactorPage() -> impl IntoView {
    let slug = use_tenant_slug();
    let loaded = Resource::new(move || slug.get(), staff_factor);
    staff_page(slug, loaded, |view| view! { <FactorContent view/> })
}

#[component]
fn FactorContent(view: FactorView) -> impl IntoView {
    let error = refusal(ServerAction::<StaffConfirmFactor>::new().value());
    let [code] = server_messages(&error, [F::Code]);
    // The SVG as drawn, without its XML declaration: it is markup of our own making.
    let svg = view
        .qr_svg
        .find("<svg")
        .map(|at| view.qr_svg[at..].to_owned())
        .unwrap_or_default();
    view! {
        <Frame title=StaffMsg::FactorTitle tenant=view.tenant.clone()>
            <h1>{t(StaffMsg::FactorTitle)}</h1>
            <p class="lead">{t(StaffMsg::FactorLead)}</p>
            <div class="qr" role="img" aria-label=t(StaffMsg::FactorTitle) inner_html=svg></div>
            <p>{t(StaffMsg::FactorSecret)}</p>
            <p><code class="secret">{view.secret.clone()}</code></p>
            <FormAlert error=error.clone()/>
            <form method="post" action=StaffConfirmFactor::PATH>
                <input type="hidden" name="tenant" value=view.tenant.slug.clone()/>
                <CheckedField
                    spec=FieldSpec::new(FieldMsg::OneTimeCode, "code", "text", "one-time-code")
                    check=Check::Required
                    server_message=code
                />
                <div class="actions">
                    <button type="submit" class="primary">{t(StaffMsg::FactorButton)}</button>
                </div>
            </form>
        </Frame>
    }
}

/// `/{tenant}/staff/recovery-codes`: the ten recovery codes, on the one load that shows them.
#[component]
pub fn StaffRecoveryCodesPage() -> impl IntoView {
    let slug = use_tenant_slug();
    let loaded = Resource::new(move || slug.get(), staff_recovery_codes);
    staff_page(slug, loaded, |view| view! { <RecoveryContent view/> })
}

#[component]
fn RecoveryContent(view: RecoveryView) -> impl IntoView {
    let home = Page::StaffHome.href(&view.tenant.slug);
    let body = match view.codes {
        Some(codes) => view! {
            <p class="lead">{t(StaffMsg::RecoveryLead)}</p>
            <ol class="recovery-codes">
                {codes.into_iter().map(|code| view! { <li><code>{code}</code></li> }).collect_view()}
            </ol>
        }
        .into_any(),
        None => view! { <p class="notice">{t(StaffMsg::RecoveryShown)}</p> }.into_any(),
    };
    view! {
        <Frame title=StaffMsg::RecoveryTitle tenant=view.tenant.clone()>
            <h1>{t(StaffMsg::RecoveryTitle)}</h1>
            {body}
            <div class="actions">
                <a class="button primary" href=home>{t(StaffMsg::Continue)}</a>
            </div>
        </Frame>
    }
}

/// `/{tenant}/staff`: the console's home, with the student search (`?q=…&page=…`).
#[component]
pub fn StaffHomePage() -> impl IntoView {
    let slug = use_tenant_slug();
    let query = use_query_map();
    let loaded = Resource::new(
        move || {
            let (q, sort, page) = query.with(|q| {
                let page = q.get("page").and_then(|p| p.parse::<u64>().ok()).unwrap_or(1);
                (
                    q.get("q").unwrap_or_default(),
                    q.get("sort").unwrap_or_default(),
                    page,
                )
            });
            (slug.get(), q, sort, page)
        },
        |(slug, q, sort, page)| staff_home(slug, q, sort, page),
    );
    staff_page(slug, loaded, |view| view! { <HomeContent view/> })
}

#[component]
fn StudentSearch(slug: String, search: StudentSearchView) -> impl IntoView {
    let lang = use_lang();
    let home = Page::StaffHome.href(&slug);
    let student_page = Page::StaffStudent.href(&slug);
    let address = |sort: StudentSort, page: u64| {
        let q = query_encoded(&search.query);
        format!("{home}?q={q}&sort={}&page={page}", sort.to_param())
    };
    let from = (search.page - 1) * search.page_size + 1;
    let to = from + search.students.len() as u64 - 1;
    let count = StaffMsg::ResultsCount
        .text(lang)
        .replace("{total}", &search.total.to_string())
        .replace("{from}", &from.to_string())
        .replace("{to}", &to.to_string());
    let search_pager = pager(
        (search.page, search.pages),
        |page| address(search.sort, page),
        staff_pager(),
    );
    let results = if search.students.is_empty() {
        view! { <p>{t(StaffMsg::NoStudents)}</p> }.into_any()
    } else {
        // A heading's link starts again at the first page: the old page number means nothing
        // in another order.
        let sorted_by = |key: StudentSortKey| {
            Some(SortLink {
                href: address(search.sort.toggled_to(key), 1),
                current: (search.sort.key == key).then_some(search.sort.descending),
            })
        };
        let columns: Vec<(Column, Option<SortLink>)> = vec![
            (
                (FieldMsg::UserId.into(), false),
                sorted_by(StudentSortKey::UserId),
            ),
            ((AccountMsg::ProfileName.into(), false), None),
            (
                (StaffMsg::NameKana.into(), false),
                sorted_by(StudentSortKey::Kana),
            ),
            (
                (AccountMsg::ProfileStudentNumber.into(), false),
                sorted_by(StudentSortKey::StudentNumber),
            ),
            ((AccountMsg::ProfileAffiliation.into(), false), None),
            ((AccountMsg::ProfileStatus.into(), false), None),
        ];
        let rows = search
            .students
            .iter()
            .map(|s| {
                view! {
                    <tr>
                        <td><a href=format!("{student_page}?id={}", s.id)>{s.user_id.clone()}</a></td>
                        <td>{s.name.clone()}</td>
                        <td>{s.name_kana.clone().unwrap_or_default()}</td>
                        <td>{s.student_number.clone().unwrap_or_default()}</td>
                        <td>{s.affiliation.clone()}</td>
                        <td>{s.status.msg().text(lang)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <p>{count.clone()}</p>
            {sortable_table(RegionName::Text(count.clone()), columns, rows)}
            {search_pager}
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="students-heading">
            <h2 id="students-heading">{t(StaffMsg::StudentsHeading)}</h2>
            <form method="get" action=home.clone() role="search" class="search">
                <label for="student-search">{t(StaffMsg::SearchLabel)}</label>
                <input id="student-search" type="search" name="q" value=search.query.clone() maxlength="64" autocomplete="off"/>
                <input type="hidden" name="sort" value=search.sort.to_param()/>
                <button type="submit" class="primary">{t(StaffMsg::SearchButton)}</button>
            </form>
            {results}
        </section>
    }
}

#[component]
fn HomeContent(view: StaffView) -> impl IntoView {
    let lang = use_lang();
    view! {
            <Frame title=StaffMsg::HomeTitle tenant=view.tenant.clone()>
                <h1>{t(StaffMsg::HomeTitle)}</h1>
                <dl class="profile">
                    <div class="profile-row">
                        <dt>{t(StaffMsg::SignedInAs)}</dt>
                        <dd>{format!("{} ({})", view.name, view.login_id)}</dd>
                    </div>
                    <div class="profile-row">
                        <dt>{t(StaffMsg::Role)}</dt>
                        <dd>{role_msg(view.role).text(lang)}</dd>
                    </div>
                </dl>
                <p class="secondary-links">
                    <a href=Page::StaffSettings.href(&view.tenant.slug)>{t(StaffMsg::SettingsTitle)}</a>
    <a href=Page::StaffApplications.href(&view.tenant.slug)>{t(CertificateMsg::QueueTitle)}</a>
                    <a href=Page::StaffCatalogue.href(&view.tenant.slug)>{t(CertificateMsg::CatalogueTitle)}</a>
                    <a href=Page::StaffCalendar.href(&view.tenant.slug)>{t(CertificateMsg::CalendarTitle)}</a>
                    <a href=Page::StaffAudit.href(&view.tenant.slug)>{t(StaffMsg::AuditTitle)}</a>
                    {(view.role >= StaffRole::Clerk).then(|| view! {
                        <a href=Page::StaffImport.href(&view.tenant.slug)>{t(StaffMsg::ImportTitle)}</a>
                    })}
                    {(view.role == StaffRole::Admin).then(|| view! {
                        <a href=Page::StaffMembers.href(&view.tenant.slug)>{t(StaffMsg::MembersLink)}</a>
                    })}
                </p>
                <StudentSearch slug=view.tenant.slug.clone() search=view.search.clone()/>
                <form method="post" action=StaffSignOut::PATH>
                    <input type="hidden" name="tenant" value=view.tenant.slug.clone()/>
                    <div class="actions">
                        <button type="submit">{t(StaffMsg::SignOut)}</button>
                    </div>
                </form>
            </Frame>
        }
}

/// `/{tenant}/staff/student?id=…&page=…`: a student's record, account, card and audit events,
/// and (for clerks and admins) the help desk's actions.
#[component]
pub fn StaffStudentPage() -> impl IntoView {
    let slug = use_tenant_slug();
    let query = use_query_map();
    let loaded = Resource::new(
        move || {
            let (id, page) = query.with(|q| {
                let number = |name| q.get(name).and_then(|v| v.parse::<i64>().ok());
                (
                    number("id").unwrap_or(0),
                    number("page").unwrap_or(1).max(1),
                )
            });
            (slug.get(), id, page)
        },
        // An id out of range is no student's: the server answers NotFound.
        |(slug, id, page)| staff_student(slug, i32::try_from(id).unwrap_or(0), page as u64),
    );
    staff_page(slug, loaded, |view| view! { <StudentContent view/> })
}

/// A row of a definition list; an empty value shows as `—`.
fn row(label: StaffMsg, value: Option<String>) -> impl IntoView {
    view! {
        <div class="profile-row">
            <dt>{t(label)}</dt>
            <dd>{value.filter(|v| !v.is_empty()).unwrap_or_else(|| "—".to_owned())}</dd>
        </div>
    }
}

#[component]
fn StudentContent(view: StudentPageView) -> impl IntoView {
    let lang = use_lang();
    let slug = view.tenant.slug.clone();
    let record = view.record.clone();
    let account = view.account.clone();
    let query = use_query_map();
    let done = query.with_untracked(|q| match q.get("done").as_deref() {
        Some("delays-cleared") => Some(StaffMsg::DelaysCleared),
        Some("sessions-ended") => Some(StaffMsg::SessionsEnded),
        Some("link-sent") => Some(StaffMsg::LinkResent),
        Some("corrected") => Some(StaffMsg::Corrected),
        _ => None,
    });
    let error = refusal(ServerAction::<StaffStudentAction>::new().value());
    let with_until = |msg: StaffMsg, until: &str| msg.text(lang).replace("{until}", until);
    let pending = account.pending_email.clone().map(|(address, until, expired)| {
        let msg = if expired {
            StaffMsg::LinkExpiredAt
        } else {
            StaffMsg::LinkValidUntil
        };
        format!("{address}（{}）", with_until(msg, &until))
    });
    let delay = match &account.delayed_until {
        Some(until) => with_until(StaffMsg::DelayedUntil, until),
        None => StaffMsg::NoDelay.text(lang).to_owned(),
    };
    let set_or_not = |set: bool| {
        t(if set {
            StaffMsg::IsSet
        } else {
            StaffMsg::IsNotSet
        })
        .to_owned()
    };
    let desk = (view.role >= StaffRole::Clerk).then(|| {
        let can_resend = account.pending_email.is_some();
        view! {
            <section aria-labelledby="desk-heading">
                <h2 id="desk-heading">{t(StaffMsg::DeskHeading)}</h2>
                <p>{t(StaffMsg::DeskLead)}</p>
                <FormAlert error=error.clone()/>
                <form method="post" action=StaffStudentAction::PATH class="desk-actions">
                    <input type="hidden" name="tenant" value=slug.clone()/>
                    <input type="hidden" name="id" value=record.id.to_string()/>
                    <button type="submit" name="action" value="clear-delays">{t(StaffMsg::ClearDelays)}</button>
                    {can_resend.then(|| view! {
                        <button type="submit" name="action" value="resend-link">{t(StaffMsg::ResendLink)}</button>
                    })}
                    <button type="submit" name="action" value="end-sessions">{t(StaffMsg::EndSessions)}</button>
                </form>
            </section>
        }
    });
    let corrected = refusal(ServerAction::<StaffCorrectBalance>::new().value());
    let [amount, reason] = server_messages(&corrected, [F::Amount, F::Reason]);
    let correction = view.correction_key.clone().map(|key| {
        view! {
            <h3 id="correction-heading">{t(StaffMsg::CorrectionHeading)}</h3>
            <p>{t(StaffMsg::CorrectionLead)}</p>
            <FormAlert error=corrected.clone()/>
            <form method="post" action=StaffCorrectBalance::PATH>
                <input type="hidden" name="tenant" value=slug.clone()/>
                <input type="hidden" name="id" value=record.id.to_string()/>
                <input type="hidden" name="key" value=key/>
                <CheckedField
                    spec=FieldSpec::new(FieldMsg::CorrectionAmount, "amount", "text", "off")
                    check=Check::Required
                    server_message=amount
                />
                <CheckedField
                    spec=FieldSpec::new(FieldMsg::CorrectionReason, "reason", "text", "off")
                    check=Check::Required
                    server_message=reason
                />
                <div class="actions">
                    <button type="submit">{t(StaffMsg::CorrectionButton)}</button>
                </div>
            </form>
        }
    });
    let card = view.card.clone();
    let here = Page::StaffStudent.href(&slug);
    let card_page = |page: u64| format!("{here}?id={}&page={page}", record.id);
    let card_pager = pager((card.page, card.pages), card_page, staff_pager());
    let events = events_table(&view.events, "events-heading", false);
    view! {
        <Frame title=StaffMsg::StudentTitle tenant=view.tenant.clone()>
            <h1>{format!("{} {}", record.name, record.user_id)}</h1>
            {done.map(|msg| view! { <p class="notice" role="status">{t(msg)}</p> })}
            <section aria-labelledby="record-heading">
                <h2 id="record-heading">{t(StaffMsg::RecordHeading)}</h2>
                <dl class="profile">
                    <div class="profile-row">
                        <dt>{t(FieldMsg::UserId)}</dt>
                        <dd>{record.user_id.clone()}</dd>
                    </div>
                    <div class="profile-row">
                        <dt>{t(AccountMsg::ProfileName)}</dt>
                        <dd>{record.name.clone()}</dd>
                    </div>
                    {row(StaffMsg::NameKana, record.name_kana.clone())}
                    {row(StaffMsg::NameEn, record.name_en.clone())}
                    <div class="profile-row">
                        <dt>{t(AccountMsg::ProfileStudentNumber)}</dt>
                        <dd>{record.student_number.clone().unwrap_or_else(|| "—".to_owned())}</dd>
                    </div>
                    <div class="profile-row">
                        <dt>{t(AccountMsg::ProfileAffiliation)}</dt>
                        <dd>{record.affiliation.clone()}</dd>
                    </div>
                    <div class="profile-row">
                        <dt>{t(AccountMsg::ProfileStatus)}</dt>
                        <dd>{record.status.msg().text(lang)}</dd>
                    </div>
                    {row(StaffMsg::BirthDate, record.birth_date.clone())}
                    {row(StaffMsg::AdmissionDate, record.admission_date.clone())}
                    {row(StaffMsg::GraduationDate, record.graduation_date.clone())}
                    {row(StaffMsg::Degree, record.degree.clone())}
                    {row(StaffMsg::HealthCheckYear, record.health_check_year.map(|year| StaffMsg::FiscalYear.text(lang).replace("{year}", &year.to_string())))}
                    {row(StaffMsg::CardNumber, record.card_number.clone())}
                </dl>
            </section>
            <section aria-labelledby="account-heading">
                <h2 id="account-heading">{t(StaffMsg::AccountHeading)}</h2>
                <dl class="profile">
                    {row(StaffMsg::FirstLogin, Some(account.opened_at.clone().unwrap_or_else(|| t(StaffMsg::NotLoggedInYet).to_owned())))}
                    {row(StaffMsg::RegisteredEmail, Some(account.email.clone().unwrap_or_else(|| t(StaffMsg::NotRegistered).to_owned())))}
                    {row(StaffMsg::PendingEmail, pending)}
                    {row(StaffMsg::SecondPassword, Some(set_or_not(account.second_password_set)))}
                    {row(StaffMsg::LoginFailures, Some(format!("{} ({delay})", account.login_failures)))}
                    {row(StaffMsg::LiveSessions, Some(account.live_sessions.to_string()))}
                </dl>
            </section>
            {desk}
            // Not a landmark of its own: the history's scrolling region is named by the heading.
            <section>
                <h2 id="card-heading">{t(StaffMsg::CardHeading)}</h2>
                <dl class="balance">
                    <dt>{t(WalletMsg::Balance)}</dt>
                    <dd>{yen(card.balance, lang)}</dd>
                </dl>
                {movements_table(&card.movements, "card-heading")}
                {card_pager}
                {correction}
            </section>
            <section>
                <h2 id="events-heading">{t(StaffMsg::EventsHeading)}</h2>
                {events}
            </section>
            <p class="secondary-links">
                <a href=Page::StaffHome.href(&slug)>{t(StaffMsg::BackToSearch)}</a>
            </p>
        </Frame>
    }
}

/// `/{tenant}/staff/members`: the university's staff accounts, for admins: add a member, change
/// a role, reset a second factor, disable.
#[component]
pub fn StaffMembersPage() -> impl IntoView {
    let slug = use_tenant_slug();
    let loaded = Resource::new(move || slug.get(), staff_members);
    staff_page(slug, loaded, |view| view! { <MembersContent view/> })
}

fn state_msg(state: MemberState) -> StaffMsg {
    match state {
        MemberState::AwaitingSetUp => StaffMsg::StateAwaitingSetUp,
        MemberState::Active => StaffMsg::StateActive,
        MemberState::Disabled => StaffMsg::StateDisabled,
    }
}

/// A `<select name="role">` with `chosen` selected.
fn role_select(id: String, chosen: Option<StaffRole>) -> impl IntoView {
    let options = StaffRole::ALL
        .into_iter()
        .map(|role| {
            view! { <option value=role.code() selected=chosen == Some(role)>{t(role_msg(role))}</option> }
        })
        .collect_view();
    view! { <select id=id name="role">{options}</select> }
}

#[component]
fn MembersContent(view: MembersView) -> impl IntoView {
    let lang = use_lang();
    let slug = view.tenant.slug.clone();
    let done = use_query_map().with_untracked(|q| match q.get("done").as_deref() {
        Some("added") => Some(StaffMsg::MemberAdded),
        Some("role-changed") => Some(StaffMsg::RoleChanged),
        Some("factor-reset") => Some(StaffMsg::FactorWasReset),
        Some("disabled") => Some(StaffMsg::MemberDisabled),
        _ => None,
    });
    let acted = refusal(ServerAction::<StaffMemberAction>::new().value());
    let added = refusal(ServerAction::<StaffAddMember>::new().value());
    let [login_id, name, email] = server_messages(&added, [F::LoginId, F::Name, F::Email]);
    let columns: [Column; 6] = [
        (FieldMsg::LoginId.into(), false),
        (FieldMsg::StaffName.into(), false),
        (FieldMsg::Email.into(), false),
        (StaffMsg::Role.into(), false),
        (StaffMsg::MemberState.into(), false),
        (StaffMsg::Actions.into(), false),
    ];
    let rows = view
        .members
        .iter()
        .map(|member| {
            let own = member.id == view.own_id;
            let who = match own {
                true => format!("{} {}", member.name, t(StaffMsg::You)),
                false => member.name.clone(),
            };
            let actions = (!own && member.state != MemberState::Disabled).then(|| {
                let select_id = format!("role-{}", member.id);
                view! {
                    <form method="post" action=StaffMemberAction::PATH class="row-actions">
                        <input type="hidden" name="tenant" value=slug.clone()/>
                        <input type="hidden" name="staff_id" value=member.id.to_string()/>
                        <label class="visually-hidden" for=select_id.clone()>
                            {format!("{} {}", t(StaffMsg::Role), member.login_id)}
                        </label>
                        {role_select(select_id, member.role)}
                        <button type="submit" name="action" value="role">{t(StaffMsg::ChangeRole)}</button>
                        <button type="submit" name="action" value="reset-factor">{t(StaffMsg::ResetFactor)}</button>
                        <button type="submit" name="action" value="disable">{t(StaffMsg::Disable)}</button>
                    </form>
                }
            });
            view! {
                <tr>
                    <td>{member.login_id.clone()}</td>
                    <td>{who}</td>
                    <td>{member.email.clone()}</td>
                    <td>{member.role.map(|role| role_msg(role).text(lang)).unwrap_or("—")}</td>
                    <td>{t(state_msg(member.state))}</td>
                    <td>{actions}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <Frame title=StaffMsg::MembersTitle tenant=view.tenant.clone()>
            <h1 id="members-heading">{t(StaffMsg::MembersTitle)}</h1>
            {done.map(|msg| view! { <p class="notice" role="status">{t(msg)}</p> })}
            <FormAlert error=acted/>
            {scroll_table(RegionName::Heading("members-heading"), &columns, rows)}
            <section aria-labelledby="add-heading">
                <h2 id="add-heading">{t(StaffMsg::AddHeading)}</h2>
                <p>{t(StaffMsg::AddLead)}</p>
                <FormAlert error=added.clone()/>
                <form method="post" action=StaffAddMember::PATH>
                    <input type="hidden" name="tenant" value=slug.clone()/>
                    <CheckedField
                        spec=FieldSpec::new(FieldMsg::LoginId, "login_id", "text", "off")
                        check=Check::Required
                        server_message=login_id
                    />
                    <CheckedField
                        spec=FieldSpec::new(FieldMsg::StaffName, "name", "text", "off")
                        check=Check::Required
                        server_message=name
                    />
                    <CheckedField
                        spec=FieldSpec::new(FieldMsg::Email, "email", "email", "off")
                        check=Check::Required
                        server_message=email
                    />
                    <div class="field">
                        <label for="new-role">{t(StaffMsg::Role)}</label>
                        {role_select("new-role".to_owned(), Some(StaffRole::Clerk))}
                    </div>
                    <div class="actions">
                        <button type="submit" class="primary">{t(StaffMsg::AddButton)}</button>
                    </div>
                </form>
            </section>
            <p class="secondary-links">
                <a href=Page::StaffHome.href(&slug)>{t(StaffMsg::HomeTitle)}</a>
            </p>
        </Frame>
    }
}

/// `/{tenant}/staff/settings`: the university's settings; admins change them.
#[component]
pub fn StaffSettingsPage() -> impl IntoView {
    let slug = use_tenant_slug();
    let loaded = Resource::new(move || slug.get(), staff_settings);
    staff_page(slug, loaded, |view| view! { <SettingsContent view/> })
}

/// A settings field, filled with its current value, with the server's message under it. Not
/// an island: the console's forms need no checks in the browser.
#[component]
fn SettingField(
    label: FieldMsg,
    name: &'static str,
    value: String,
    #[prop(optional)] multiline: bool,
    #[prop(optional)] numeric: bool,
    message: Option<FieldMsg>,
    editable: bool,
) -> impl IntoView {
    let id = format!("setting-{name}");
    let message_id = format!("{id}-message");
    let form_name = format!("form[{name}]");
    let invalid = if message.is_some() { "true" } else { "false" };
    let control = if multiline {
        view! {
            <textarea id=id.clone() name=form_name rows="4" readonly=!editable
                aria-describedby=message_id.clone() aria-invalid=invalid>{value}</textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() name=form_name type="text" value=value readonly=!editable
                inputmode=numeric.then_some("numeric") autocomplete="off"
                aria-describedby=message_id.clone() aria-invalid=invalid/>
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id>{t(label)}</label>
            {control}
            <p class="field-message" id=message_id>{message.map(t)}</p>
        </div>
    }
}

#[component]
fn SettingsContent(view: SettingsView) -> impl IntoView {
    let slug = view.tenant.slug.clone();
    let form = view.form.clone();
    let editable = view.editable;
    let done = use_query_map().with_untracked(|q| match q.get("done").as_deref() {
        Some("saved") => Some(StaffMsg::SettingsSaved),
        Some("unchanged") => Some(StaffMsg::SettingsUnchanged),
        _ => None,
    });
    let error = refusal(ServerAction::<StaffSaveSettings>::new().value());
    let [name, name_en, notes_ja, notes_en, helpdesk_ja, helpdesk_en, card_name] = server_messages(
        &error,
        [
            F::UniversityName,
            F::UniversityNameEn,
            F::NotesJa,
            F::NotesEn,
            F::HelpdeskJa,
            F::HelpdeskEn,
            F::CardName,
        ],
    );
    let [top_up_min, top_up_max, balance_max, link_minutes, portal_origins] = server_messages(
        &error,
        [
            F::TopUpMin,
            F::TopUpMax,
            F::BalanceMax,
            F::LinkMinutes,
            F::PortalOrigins,
        ],
    );
    let policies = [
        (PasswordPolicy::Manual, FieldMsg::PasswordRuleManual),
        (PasswordPolicy::Long, FieldMsg::PasswordRuleLong),
    ]
    .into_iter()
    .map(|(policy, label)| {
        let chosen = form.password_policy == policy.code();
        view! { <option value=policy.code() selected=chosen>{t(label)}</option> }
    })
    .collect_view();
    view! {
        <Frame title=StaffMsg::SettingsTitle tenant=view.tenant.clone()>
            <h1>{t(StaffMsg::SettingsTitle)}</h1>
            {done.map(|msg| view! { <p class="notice" role="status">{t(msg)}</p> })}
            <p>{t(if editable { StaffMsg::SettingsLead } else { StaffMsg::SettingsReadOnly })}</p>
            <FormAlert error=error.clone()/>
            <form method="post" action=StaffSaveSettings::PATH>
                <input type="hidden" name="tenant" value=slug.clone()/>
                <SettingField label=FieldMsg::UniversityName name="name" value=form.name.clone() message=name editable/>
                <SettingField label=FieldMsg::UniversityNameEn name="name_en" value=form.name_en.clone() message=name_en editable/>
                <SettingField label=FieldMsg::NotesJa name="notes_ja" value=form.notes_ja.clone() multiline=true message=notes_ja editable/>
                <SettingField label=FieldMsg::NotesEn name="notes_en" value=form.notes_en.clone() multiline=true message=notes_en editable/>
                <SettingField label=FieldMsg::HelpdeskJa name="helpdesk_ja" value=form.helpdesk_ja.clone() multiline=true message=helpdesk_ja editable/>
                <SettingField label=FieldMsg::HelpdeskEn name="helpdesk_en" value=form.helpdesk_en.clone() multiline=true message=helpdesk_en editable/>
                <SettingField label=FieldMsg::CardName name="card_name" value=form.card_name.clone() message=card_name editable/>
                <SettingField label=FieldMsg::TopUpMin name="top_up_min" value=form.top_up_min.clone() numeric=true message=top_up_min editable/>
                <SettingField label=FieldMsg::TopUpMax name="top_up_max" value=form.top_up_max.clone() numeric=true message=top_up_max editable/>
                <SettingField label=FieldMsg::BalanceMax name="balance_max" value=form.balance_max.clone() numeric=true message=balance_max editable/>
                <SettingField label=FieldMsg::LinkMinutes name="link_minutes" value=form.link_minutes.clone() numeric=true message=link_minutes editable/>
                <div class="field">
                    <label for="setting-password_policy">{t(FieldMsg::PasswordRule)}</label>
                    <select id="setting-password_policy" name="form[password_policy]" disabled=!editable>{policies}</select>
                </div>
                <SettingField label=FieldMsg::PortalOrigins name="portal_origins" value=form.portal_origins.clone() multiline=true message=portal_origins editable/>
                {editable.then(|| view! {
                    <div class="actions">
                        <button type="submit" class="primary">{t(StaffMsg::SaveSettings)}</button>
                    </div>
                })}
            </form>
            <SealSection slug=slug.clone() seal=view.seal.clone() editable/>
            <p class="secondary-links">
                <a href=Page::StaffHome.href(&slug)>{t(StaffMsg::HomeTitle)}</a>
            </p>
        </Frame>
    }
}

/// The seal certificates print: the image in use or word that they print it in type, and for
/// admins the upload (a native multipart form) and the removal.
#[component]
fn SealSection(slug: String, seal: Option<SealView>, editable: bool) -> impl IntoView {
    let lang = use_lang();
    let notice = use_query_map()
        .with_untracked(|q| q.get("seal").as_deref().and_then(SealNotice::from_code));
    let said = notice.map(|notice| {
        if notice.is_refusal() {
            view! { <p class="form-alert" role="alert">{t(notice.message())}</p> }.into_any()
        } else {
            view! { <p class="notice" role="status">{t(notice.message())}</p> }.into_any()
        }
    });
    let action = format!("/{slug}/{STAFF_SEAL}");
    let has_image = seal.is_some();
    let current = match seal {
        Some(seal) => {
            let size = StaffMsg::SealSize
                .text(lang)
                .replace("{width}", &seal.width.to_string())
                .replace("{height}", &seal.height.to_string())
                .replace("{date}", &seal.uploaded_on);
            view! {
                <figure class="seal">
                    <img src=seal.href alt=t(StaffMsg::SealCurrent) width="120" height="120"/>
                    <figcaption>{t(StaffMsg::SealCurrent)}" "{size}</figcaption>
                </figure>
            }
            .into_any()
        }
        None => view! { <p>{t(StaffMsg::SealNone)}</p> }.into_any(),
    };
    let forms = editable.then(|| {
        let remove = has_image.then(|| {
            view! {
                <form method="post" action=action.clone() enctype="multipart/form-data">
                    <input type="hidden" name="action" value="remove"/>
                    <button type="submit">{t(StaffMsg::SealRemove)}</button>
                </form>
            }
        });
        view! {
            <form method="post" action=action.clone() enctype="multipart/form-data">
                <input type="hidden" name="action" value="upload"/>
                <div class="field">
                    <label for="seal-file">{t(StaffMsg::SealFile)}</label>
                    <input id="seal-file" name="file" type="file" accept="image/png,.png" required/>
                </div>
                <div class="actions">
                    <button type="submit" class="primary">{t(StaffMsg::SealUpload)}</button>
                </div>
            </form>
            {remove}
        }
    });
    view! {
        <section aria-labelledby="seal-heading">
            <h2 id="seal-heading">{t(StaffMsg::SealHeading)}</h2>
            {said}
            <p>{t(StaffMsg::SealLead)}</p>
            {current}
            {forms}
        </section>
    }
}

/// Audit events as a table under the heading whose id is `heading` (a notice when there are
/// none), with the student's column when `with_student`.
fn events_table(events: &[AuditEventView], heading: &'static str, with_student: bool) -> AnyView {
    if events.is_empty() {
        return view! { <p>{t(StaffMsg::NoEvents)}</p> }.into_any();
    }
    let lang = use_lang();
    let columns: Vec<Column> = [
        Some(StaffMsg::EventWhen),
        Some(StaffMsg::EventName),
        with_student.then_some(StaffMsg::EventStudent),
        Some(StaffMsg::EventStaff),
        Some(StaffMsg::EventAddress),
    ]
    .into_iter()
    .flatten()
    .map(|msg| (msg.into(), false))
    .collect();
    let rows = events
        .iter()
        .map(|event| {
            let name = event.name.map_or_else(|| event.code.clone(), |n| n.text(lang).to_owned());
            let student = with_student
                .then(|| view! { <td>{event.student.clone().unwrap_or_default()}</td> });
            view! {
                <tr>
                    <td>{event.at.clone()}</td>
                    <td>{name}</td>
                    {student}
                    <td>{event.staff.clone().unwrap_or_default()}</td>
                    <td>{event.client_address.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    scroll_table(RegionName::Heading(heading), &columns, rows).into_any()
}

/// `/{tenant}/staff/audit?from=…&until=…&event=…&student=…&staff=…&page=…`: the university's
/// audit log, filtered, a page at a time, and the same events as CSV.
#[component]
pub fn StaffAuditPage() -> impl IntoView {
    let slug = use_tenant_slug();
    let query = use_query_map();
    let loaded = Resource::new(
        move || {
            query.with(|q| {
                let text = |name| q.get(name).unwrap_or_default();
                let filter = AuditQuery {
                    from: text("from"),
                    until: text("until"),
                    event: text("event"),
                    student: text("student"),
                    staff: text("staff"),
                };
                let page = q.get("page").and_then(|p| p.parse::<u64>().ok()).unwrap_or(1);
                (slug.get(), filter, page)
            })
        },
        |(slug, filter, page)| staff_audit(slug, filter, page),
    );
    staff_page(slug, loaded, |view| view! { <AuditContent view/> })
}

/// The filter as a query string (without `page`).
fn audit_query(query: &AuditQuery) -> String {
    [
        ("from", &query.from),
        ("until", &query.until),
        ("event", &query.event),
        ("student", &query.student),
        ("staff", &query.staff),
    ]
    .iter()
    .map(|(name, value)| format!("{name}={}", query_encoded(value)))
    .collect::<Vec<_>>()
    .join("&")
}

#[component]
fn AuditContent(view: AuditView) -> impl IntoView {
    let lang = use_lang();
    let slug = view.tenant.slug.clone();
    let here = Page::StaffAudit.href(&slug);
    let filter = audit_query(&view.query);
    let csv = format!("/{slug}/{STAFF_AUDIT_CSV}?{filter}");
    let page_href = |page: u64| format!("{here}?{filter}&page={page}");
    let audit_pager = pager((view.page, view.pages), page_href, staff_pager());
    let count = StaffMsg::AuditCount.text(lang).replace("{total}", &view.total.to_string());
    let kinds = view
        .kinds
        .iter()
        .map(|(code, name)| {
            let label = name.map_or(code.clone(), |n| n.text(lang).to_owned());
            view! { <option value=code.clone() selected=view.query.event == *code>{label}</option> }
        })
        .collect_view();
    let date_field = |id: &'static str, label: StaffMsg, value: String| {
        view! {
            <div class="field">
                <label for=id>{t(label)}</label>
                <input id=id name=id type="date" value=value/>
            </div>
        }
    };
    view! {
        <Frame title=StaffMsg::AuditTitle tenant=view.tenant.clone()>
            <h1 id="audit-heading">{t(StaffMsg::AuditTitle)}</h1>
            {view.problem.map(|msg| view! { <p class="form-alert" role="alert">{t(msg)}</p> })}
            <form method="get" action=here.clone() class="audit-filter">
                {date_field("from", StaffMsg::AuditFrom, view.query.from.clone())}
                {date_field("until", StaffMsg::AuditUntil, view.query.until.clone())}
                <div class="field">
                    <label for="event">{t(StaffMsg::AuditEvent)}</label>
                    <select id="event" name="event">
                        <option value="">{t(StaffMsg::AuditAnyEvent)}</option>
                        {kinds}
                    </select>
                </div>
                <div class="field">
                    <label for="student">{t(StaffMsg::AuditStudent)}</label>
                    <input id="student" name="student" type="text" value=view.query.student.clone() autocomplete="off"/>
                </div>
                <div class="field">
                    <label for="staff">{t(StaffMsg::AuditStaff)}</label>
                    <input id="staff" name="staff" type="text" value=view.query.staff.clone() autocomplete="off"/>
                </div>
                <div class="actions">
                    <button type="submit" class="primary">{t(StaffMsg::AuditFilter)}</button>
                </div>
            </form>
            <p>{count}</p>
            {events_table(&view.events, "audit-heading", true)}
            {audit_pager}
            <p class="secondary-links">
                <a href=csv download="">{t(StaffMsg::AuditCsv)}</a>
                <a href=Page::StaffHome.href(&slug)>{t(StaffMsg::HomeTitle)}</a>
            </p>
        </Frame>
    }
}

/// `/{tenant}/staff/import?upload=…&kind=…`: choose a registry or grades CSV, see what it
/// would change, import it whole (clerks and admins).
#[component]
pub fn StaffImportPage() -> impl IntoView {
    let slug = use_tenant_slug();
    let query = use_query_map();
    let loaded = Resource::new(
        move || {
            let upload = query.with(|q| q.get("upload").and_then(|u| u.parse::<i32>().ok()));
            let kind = query.with(|q| q.get("kind").unwrap_or_default());
            (slug.get(), upload.unwrap_or(0), kind)
        },
        |(slug, upload, kind)| staff_import_preview(slug, upload, kind),
    );
    staff_page(slug, loaded, |view| view! { <ImportContent view/> })
}

#[component]
fn ImportContent(view: ImportView) -> impl IntoView {
    let lang = use_lang();
    let slug = view.tenant.slug.clone();
    let query = use_query_map();
    let notice = query.with_untracked(|q| {
        let number = |name| q.get(name).unwrap_or_default();
        match q.get("done").as_deref() {
            Some("applied") => Some(
                StaffMsg::ImportApplied
                    .text(lang)
                    .replace("{added}", &number("added"))
                    .replace("{updated}", &number("updated")),
            ),
            Some("grades") => Some(
                StaffMsg::GradesApplied
                    .text(lang)
                    .replace("{students}", &number("students"))
                    .replace("{results}", &number("results")),
            ),
            _ => None,
        }
    });
    let upload_error = query.with_untracked(|q| match q.get("error").as_deref() {
        Some("too-large") => Some(StaffMsg::ImportTooLarge),
        Some("not-text") => Some(StaffMsg::ImportNotText),
        Some("no-file") => Some(StaffMsg::ImportNoFile),
        _ => None,
    });
    let applied = refusal(ServerAction::<StaffImportApply>::new().value());
    let grades = view
        .grades
        .clone()
        .map(|preview| grades_preview(preview, &slug, applied.clone(), lang));
    let preview = view.preview.clone().map(|preview| {
        let counts = StaffMsg::ImportCounts
            .text(lang)
            .replace("{new}", &preview.new_count.to_string())
            .replace("{updated}", &preview.updated_count.to_string())
            .replace("{unchanged}", &preview.unchanged_count.to_string());
        let unreadable = preview.unreadable.clone().map(|reason| {
            let text = StaffMsg::ImportUnreadable.text(lang).replace("{reason}", &reason);
            view! { <p class="form-alert" role="alert">{text}</p> }
        });
        let outdated = preview
            .outdated
            .then(|| view! { <p class="form-alert" role="alert">{t(StaffMsg::ImportOutdated)}</p> });
        let faults = faults_table(&preview.faults);
        let new = (!preview.new.is_empty()).then(|| {
            view! {
                <h3>{t(StaffMsg::ImportNew)}</h3>
                <p>{preview.new.join("、")}</p>
            }
        });
        let updated = (!preview.updated.is_empty()).then(|| {
            let items = preview
                .updated
                .iter()
                .map(|(user_id, columns)| view! { <li>{format!("{user_id}: {}", columns.join(", "))}</li> })
                .collect_view();
            view! {
                <h3>{t(StaffMsg::ImportUpdated)}</h3>
                <ul>{items}</ul>
            }
        });
        let apply = preview.applicable.then(|| {
            view! {
                <FormAlert error=applied.clone()/>
                <form method="post" action=StaffImportApply::PATH>
                    <input type="hidden" name="tenant" value=slug.clone()/>
                    <input type="hidden" name="upload" value=preview.upload.to_string()/>
                    <div class="actions">
                        <button type="submit" class="primary">{t(StaffMsg::ImportApply)}</button>
                    </div>
                </form>
            }
        });
        view! {
            <section aria-labelledby="preview-heading">
                <h2 id="preview-heading">{t(StaffMsg::ImportPreviewHeading)}</h2>
                <p>{preview.file_name.clone()}</p>
                {unreadable}
                {outdated}
                <p role="status">{counts}</p>
                {faults}
                {new}
                {updated}
                <p class="hint">{t(StaffMsg::ImportPasswordsNote)}</p>
                {apply}
            </section>
        }
    });
    view! {
        <Frame title=StaffMsg::ImportTitle tenant=view.tenant.clone()>
            <h1>{t(StaffMsg::ImportTitle)}</h1>
            {notice.map(|text| view! { <p class="notice" role="status">{text}</p> })}
            <p>{t(StaffMsg::ImportLead)}</p>
            {upload_error.map(|msg| view! { <p class="form-alert" role="alert">{t(msg)}</p> })}
            <form method="post" action=Page::StaffImport.href(&slug) enctype="multipart/form-data">
                <fieldset class="choices">
                    <legend>{t(StaffMsg::ImportKindLegend)}</legend>
                    <div class="choice">
                        <input type="radio" id="kind-registry" name="kind" value="registry" checked=true/>
                        <label for="kind-registry">{t(StaffMsg::ImportKindRegistry)}</label>
                    </div>
                    <div class="choice">
                        <input type="radio" id="kind-grades" name="kind" value="grades"/>
                        <label for="kind-grades">{t(StaffMsg::ImportKindGrades)}</label>
                    </div>
                </fieldset>
                <div class="field">
                    <label for="registry-file">{t(StaffMsg::ImportFile)}</label>
                    <input id="registry-file" name="file" type="file" accept=".csv,text/csv" required/>
                </div>
                <div class="actions">
                    <button type="submit">{t(StaffMsg::ImportUpload)}</button>
                </div>
            </form>
            {preview}
            {grades}
            <p class="secondary-links">
                <a href=Page::StaffHome.href(&slug)>{t(StaffMsg::HomeTitle)}</a>
            </p>
        </Frame>
    }
}

/// The first faulty rows of an upload: line, column and what is wrong.
fn faults_table(faults: &[(u64, String, StaffMsg)]) -> Option<impl IntoView> {
    (!faults.is_empty()).then(|| {
        let columns: [Column; 3] = [
            (StaffMsg::ImportLine.into(), true),
            (StaffMsg::ImportColumn.into(), false),
            (StaffMsg::ImportProblem.into(), false),
        ];
        let rows = faults
            .iter()
            .map(|(line, column, msg)| {
                view! {
                    <tr>
                        <td class="number">{line.to_string()}</td>
                        <td>{column.clone()}</td>
                        <td>{t(*msg)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <h3 id="faults-heading">{t(StaffMsg::ImportFaults)}</h3>
            <p class="form-alert" role="alert">{t(StaffMsg::ImportFaulty)}</p>
            {scroll_table(RegionName::Heading("faults-heading"), &columns, rows)}
        }
    })
}

/// What a grade file would replace, and `取り込む` when it may.
fn grades_preview(
    preview: GradesPreviewView,
    slug: &str,
    applied: Option<AppError>,
    lang: Lang,
) -> impl IntoView {
    let counts = StaffMsg::GradesCounts
        .text(lang)
        .replace("{students}", &preview.students.to_string())
        .replace("{results}", &preview.results.to_string());
    let unreadable = preview.unreadable.clone().map(|reason| {
        let text = StaffMsg::ImportUnreadable.text(lang).replace("{reason}", &reason);
        view! { <p class="form-alert" role="alert">{text}</p> }
    });
    let outdated = preview
        .outdated
        .then(|| view! { <p class="form-alert" role="alert">{t(StaffMsg::GradesOutdated)}</p> });
    let replaced = (!preview.replaced.is_empty()).then(|| {
        let items = preview
            .replaced
            .iter()
            .map(|(user_id, before, after)| view! { <li>{format!("{user_id}: {before} → {after}")}</li> })
            .collect_view();
        view! {
            <h3>{t(StaffMsg::GradesReplaced)}</h3>
            <ul>{items}</ul>
        }
    });
    let apply = preview.applicable.then(|| {
        view! {
            <FormAlert error=applied/>
            <form method="post" action=StaffImportApply::PATH>
                <input type="hidden" name="tenant" value=slug.to_owned()/>
                <input type="hidden" name="upload" value=preview.upload.to_string()/>
                <input type="hidden" name="kind" value="grades"/>
                <div class="actions">
                    <button type="submit" class="primary">{t(StaffMsg::ImportApply)}</button>
                </div>
            </form>
        }
    });
    view! {
        <section aria-labelledby="grades-preview-heading">
            <h2 id="grades-preview-heading">{t(StaffMsg::GradesPreviewHeading)}</h2>
            <p>{preview.file_name.clone()}</p>
            {unreadable}
            {outdated}
            <p role="status">{counts}</p>
            {faults_table(&preview.faults)}
            {replaced}
            {apply}
        </section>
    }
}
