//! `/{tenant}/staff/catalogue`: the certificate catalogue. Every member reads it; an admin edits
//! it as TOML, reviews what saving would change (`?draft=N`), and saves it. Plain forms,
//! posted natively.

use crate::api::certificates::{by_lang, DeliveryView};
use crate::api::staff_catalogue::{
    staff_catalogue, CatalogueConsoleView, CheckCatalogue, EditorView, ListChangesView,
    PreviewOutcome, PreviewView, SaveCatalogue, TypeRow,
};
use crate::components::{
    refusal, scroll_table, staff_page, use_tenant_slug, yen, FormAlert, Frame, RegionName,
};
use crate::i18n::{t, use_lang, CertificateMsg, Lang, Msg, StaffMsg};
use crate::routes::Page;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

#[component]
pub fn StaffCataloguePage() -> impl IntoView {
    let slug = use_tenant_slug();
    let query = use_query_map();
    let loaded = Resource::new(
        move || {
            let draft = query.with(|q| q.get("draft").and_then(|d| d.parse::<i32>().ok()));
            (slug.get(), draft.unwrap_or(0))
        },
        |(slug, draft)| staff_catalogue(slug, draft),
    );
    staff_page(slug, loaded, |view| view! { <CatalogueContent view/> })
}

fn deliveries_table(rows: &[DeliveryView], lang: Lang) -> impl IntoView {
    let body = rows
        .iter()
        .map(|row| {
            view! {
                <tr>
                    <td><code>{row.code.clone()}</code></td>
                    <td>{row.name(lang).to_owned()}</td>
                    <td>{row.kind.msg().text(lang)}</td>
                    <td class="number">{yen(row.fee, lang)}</td>
                </tr>
            }
        })
        .collect_view();
    let columns = [
        (Msg::Certificate(CertificateMsg::ColumnCode), false),
        (Msg::Certificate(CertificateMsg::ColumnName), false),
        (Msg::Certificate(CertificateMsg::ColumnKind), false),
        (Msg::Certificate(CertificateMsg::ColumnFee), true),
    ];
    scroll_table(RegionName::Heading("deliveries-heading"), &columns, body)
}

fn types_table(rows: &[TypeRow], deliveries: &[DeliveryView], lang: Lang) -> impl IntoView {
    let body = rows
        .iter()
        .map(|row| {
            let languages: Vec<&str> = (row.languages.iter())
                .map(|language| CertificateMsg::language(*language).text(lang))
                .collect();
            let mut who: Vec<String> =
                (row.statuses.iter()).map(|status| status.msg().text(lang).to_owned()).collect();
            who.extend(row.rule.map(|rule| rule.msg().text(lang).to_owned()));
            let ways: Vec<String> = (row.deliveries.iter())
                .map(|code| {
                    let found = deliveries.iter().find(|method| &method.code == code);
                    found.map_or(code.clone(), |method| method.name(lang).to_owned())
                })
                .collect();
            let days = CertificateMsg::WorkingDays
                .text(lang)
                .replace("{days}", &row.working_days.to_string());
            let validity = match row.valid_days {
                Some(valid) => {
                    CertificateMsg::ValidDays.text(lang).replace("{days}", &valid.to_string())
                }
                None => CertificateMsg::NoValidity.text(lang).to_owned(),
            };
            view! {
                <tr>
                    <td><code>{row.code.clone()}</code></td>
                    <td>{row.name(lang).to_owned()}</td>
                    <td>{languages.join("・")}</td>
                    <td class="number">{yen(row.fee, lang)}</td>
                    <td class="number">{row.max_copies}</td>
                    <td class="wrap">{who.join("・")}</td>
                    <td class="wrap">{ways.join("・")}</td>
                    <td class="number">{days}</td>
                    <td class="number">{validity}</td>
                </tr>
            }
        })
        .collect_view();
    let columns = [
        (Msg::Certificate(CertificateMsg::ColumnCode), false),
        (Msg::Certificate(CertificateMsg::ColumnName), false),
        (Msg::Certificate(CertificateMsg::ColumnLanguages), false),
        (Msg::Certificate(CertificateMsg::ColumnFee), true),
        (Msg::Certificate(CertificateMsg::ColumnMaxCopies), true),
        (Msg::Certificate(CertificateMsg::ColumnWho), false),
        (Msg::Certificate(CertificateMsg::DeliveriesHeading), false),
        (Msg::Certificate(CertificateMsg::ColumnWorkingDays), true),
        (Msg::Certificate(CertificateMsg::ColumnValidity), true),
    ];
    scroll_table(RegionName::Heading("types-heading"), &columns, body)
}

/// One list's changes: added, changed and withdrawn entries, each under its heading.
fn list_changes(heading: CertificateMsg, changes: &ListChangesView, lang: Lang) -> impl IntoView {
    let groups = [
        (CertificateMsg::PreviewAdded, &changes.added),
        (CertificateMsg::PreviewChanged, &changes.changed),
        (CertificateMsg::PreviewWithdrawn, &changes.withdrawn),
    ];
    let items = groups
        .into_iter()
        .filter(|(_, entries)| !entries.is_empty())
        .map(|(msg, entries)| {
            let names: Vec<String> = entries.iter().map(|entry| entry.label(lang)).collect();
            view! { <li>{format!("{}: {}", msg.text(lang), names.join("、"))}</li> }
        })
        .collect::<Vec<_>>();
    (!items.is_empty()).then(|| {
        view! {
            <h3>{heading.text(lang)}</h3>
            <ul>{items}</ul>
        }
    })
}

fn preview_section(preview: PreviewView, slug: &str, lang: Lang) -> impl IntoView {
    let saved = refusal(ServerAction::<SaveCatalogue>::new().value());
    let outdated = preview.outdated.then(|| {
        view! { <p class="form-alert" role="alert">{t(CertificateMsg::CatalogueOutdated)}</p> }
    });
    let outcome = match preview.outcome {
        PreviewOutcome::Unreadable(reason) => view! {
            <div class="form-alert" role="alert">
                <p>{t(CertificateMsg::CatalogueUnreadable)}</p>
                <pre class="fault-detail">{reason}</pre>
            </div>
        }
        .into_any(),
        PreviewOutcome::Fault { place, fault } => {
            let [ja, en] = place;
            let place = by_lang(lang, &ja, &en).to_owned();
            view! {
                <p class="form-alert" role="alert">{format!("{place}: {}", fault.text(lang))}</p>
            }
            .into_any()
        }
        PreviewOutcome::Changes {
            types,
            deliveries,
            gpa_changed,
            closures_replaced,
            reordered,
            nothing,
        } => {
            let closures = closures_replaced.map(|days| {
                let text =
                    CertificateMsg::PreviewClosures.text(lang).replace("{days}", &days.to_string());
                view! { <p>{text}</p> }
            });
            view! {
                {nothing.then(|| view! { <p role="status">{t(CertificateMsg::PreviewNothing)}</p> })}
                {list_changes(CertificateMsg::TypesHeading, &types, lang)}
                {list_changes(CertificateMsg::DeliveriesHeading, &deliveries, lang)}
                {gpa_changed.then(|| view! { <p>{t(CertificateMsg::PreviewGpa)}</p> })}
                {closures}
                {reordered.then(|| view! { <p>{t(CertificateMsg::PreviewReordered)}</p> })}
            }
            .into_any()
        }
    };
    let save = preview.savable.then(|| {
        view! {
            <FormAlert error=saved/>
            <form method="post" action=SaveCatalogue::PATH>
                <input type="hidden" name="tenant" value=slug.to_owned()/>
                <input type="hidden" name="draft" value=preview.draft.to_string()/>
                <div class="actions">
                    <button type="submit" class="primary">{t(CertificateMsg::SaveCatalogueButton)}</button>
                </div>
            </form>
        }
    });
    view! {
        <section aria-labelledby="preview-heading">
            <h2 id="preview-heading">{t(CertificateMsg::PreviewHeading)}</h2>
            {outdated}
            {outcome}
            {save}
        </section>
    }
}

fn editor_section(editor: EditorView, slug: &str, lang: Lang) -> impl IntoView {
    let checked = refusal(ServerAction::<CheckCatalogue>::new().value());
    let preview = editor.preview.map(|preview| preview_section(preview, slug, lang));
    view! {
        {preview}
        <section aria-labelledby="editor-heading">
            <h2 id="editor-heading">{t(CertificateMsg::EditorHeading)}</h2>
            <p>{t(CertificateMsg::EditorLead)}</p>
            <FormAlert error=checked/>
            <form method="post" action=CheckCatalogue::PATH>
                <input type="hidden" name="tenant" value=slug.to_owned()/>
                <input type="hidden" name="version" value=editor.version/>
                <div class="field">
                    <label for="catalogue-text">{t(CertificateMsg::CatalogueTextLabel)}</label>
                    <textarea id="catalogue-text" name="text" class="code-editor" rows="24"
                        spellcheck="false" autocapitalize="off" autocomplete="off" required=true
                    >{editor.text}</textarea>
                </div>
                <div class="actions">
                    <button type="submit">{t(CertificateMsg::CheckCatalogueButton)}</button>
                </div>
            </form>
        </section>
    }
}

#[component]
fn CatalogueContent(view: CatalogueConsoleView) -> impl IntoView {
    let lang = use_lang();
    let saved = use_query_map().with_untracked(|q| q.get("done").as_deref() == Some("saved"));
    let slug = view.tenant.slug.clone();
    let gpa = if view.gpa.is_empty() {
        t(CertificateMsg::GpaNotSet).to_owned()
    } else {
        let points: Vec<String> =
            (view.gpa.iter()).map(|(grade, points)| format!("{grade} {points}")).collect();
        points.join("、")
    };
    let editor = view.editor.map(|editor| editor_section(editor, &slug, lang));
    view! {
        <Frame title=CertificateMsg::CatalogueTitle tenant=view.tenant.clone()>
            <h1>{t(CertificateMsg::CatalogueTitle)}</h1>
            {saved.then(|| view! { <p class="notice" role="status">{t(CertificateMsg::CatalogueSaved)}</p> })}
            <p>{t(CertificateMsg::CatalogueLead)}</p>
            <h2 id="types-heading">{t(CertificateMsg::TypesHeading)}</h2>
            {types_table(&view.types, &view.deliveries, lang)}
            <h2 id="deliveries-heading">{t(CertificateMsg::DeliveriesHeading)}</h2>
            {deliveries_table(&view.deliveries, lang)}
            <dl class="profile">
                <div class="profile-row">
                    <dt>{t(CertificateMsg::GpaRule)}</dt>
                    <dd>{gpa}</dd>
                </div>
            </dl>
            {editor}
            <p class="secondary-links">
                <a href=Page::StaffCalendar.href(&slug)>{t(CertificateMsg::CalendarTitle)}</a>
                <a href=Page::StaffHome.href(&slug)>{t(StaffMsg::HomeTitle)}</a>
            </p>
        </Frame>
    }
}
