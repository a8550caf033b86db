//! The staff console: sign-in with an authenticator's code, the set-up link's password page,
//! the authenticator's set-up, the recovery codes, and the console's home. Native forms, like
//! the students' pages: they work before (and without) the WASM.

use crate::api::staff::{
    staff_factor, staff_home, staff_recovery_codes, staff_set_up_link, FactorView, RecoveryView,
    StaffConfirmFactor, StaffSetPassword, StaffSignIn, StaffSignOut, StaffView, StudentSearchView,
};
use crate::api::views::TenantView;
use crate::components::{
    page_behind, refusal, server_messages, use_tenant_slug, Check, CheckedField, FieldSpec,
    FormAlert, Frame, LinkGate, TenantGate,
};
use crate::error::Field as F;
use crate::i18n::{t, use_lang, AccountMsg, FieldMsg, StaffMsg};
use crate::routes::Page;
use domain::StaffRole;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

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
    let pages = (Page::StaffSignIn, Page::StaffSignIn);
    page_behind(slug, loaded, pages, |view| view! { <FactorContent view/> })
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
    let pages = (Page::StaffSignIn, Page::StaffSignIn);
    page_behind(
        slug,
        loaded,
        pages,
        |view| view! { <RecoveryContent view/> },
    )
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
            let (q, page) = query.with(|q| {
                let page = q.get("page").and_then(|p| p.parse::<u64>().ok()).unwrap_or(1);
                (q.get("q").unwrap_or_default(), page)
            });
            (slug.get(), q, page)
        },
        |(slug, q, page)| staff_home(slug, q, page),
    );
    let pages = (Page::StaffSignIn, Page::StaffSignIn);
    page_behind(slug, loaded, pages, |view| view! { <HomeContent view/> })
}

/// `text` for a URL's query, every byte but letters, digits and `-_.~` as `%XX`.
fn query_encoded(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[component]
fn StudentSearch(slug: String, search: StudentSearchView) -> impl IntoView {
    let lang = use_lang();
    let home = Page::StaffHome.href(&slug);
    let page_href = |page: u64| format!("{home}?q={}&page={page}", query_encoded(&search.query));
    let from = (search.page - 1) * search.page_size + 1;
    let to = from + search.students.len() as u64 - 1;
    let count = StaffMsg::ResultsCount
        .text(lang)
        .replace("{total}", &search.total.to_string())
        .replace("{from}", &from.to_string())
        .replace("{to}", &to.to_string());
    let page_of = StaffMsg::PageOf
        .text(lang)
        .replace("{page}", &search.page.to_string())
        .replace("{pages}", &search.pages.to_string());
    let previous = (search.page > 1).then(|| {
        view! { <a href=page_href(search.page - 1) rel="prev">{t(StaffMsg::Previous)}</a> }
    });
    let next = (search.page < search.pages).then(|| {
        view! { <a href=page_href(search.page + 1) rel="next">{t(StaffMsg::Next)}</a> }
    });
    let results = if search.students.is_empty() {
        view! { <p>{t(StaffMsg::NoStudents)}</p> }.into_any()
    } else {
        let rows = search
            .students
            .iter()
            .map(|s| {
                view! {
                    <tr>
                        <td>{s.user_id.clone()}</td>
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
            <div class="table-scroll" role="region" aria-label=count.clone() tabindex="0">
                <table>
                    <thead>
                        <tr>
                            <th scope="col">{t(FieldMsg::UserId)}</th>
                            <th scope="col">{t(AccountMsg::ProfileName)}</th>
                            <th scope="col">{t(StaffMsg::NameKana)}</th>
                            <th scope="col">{t(AccountMsg::ProfileStudentNumber)}</th>
                            <th scope="col">{t(AccountMsg::ProfileAffiliation)}</th>
                            <th scope="col">{t(AccountMsg::ProfileStatus)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <nav class="pager" aria-label=page_of.clone()>
                {previous}
                <span>{page_of.clone()}</span>
                {next}
            </nav>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="students-heading">
            <h2 id="students-heading">{t(StaffMsg::StudentsHeading)}</h2>
            <form method="get" action=home.clone() role="search" class="search">
                <label for="student-search">{t(StaffMsg::SearchLabel)}</label>
                <input id="student-search" type="search" name="q" value=search.query.clone() maxlength="64" autocomplete="off"/>
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
