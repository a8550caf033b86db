//! The console's catalogue page, built from the certificates context's `catalogue_console`,
//! and what its refusals and a catalogue's faults say.

use super::certificates::delivery_view;
use super::state::AppState;
use crate::api::certificates::DeliveryView;
use crate::api::staff_catalogue::{
    CatalogueConsoleView, EditorView, EntryView, ListChangesView, PreviewOutcome, PreviewView,
    TypeRow,
};
use crate::error::AppError;
use backend::certificates::{
    catalogue_console, Catalogue, CatalogueConsoleError, CatalogueError, CatalogueFault,
    CataloguePlace, Entry, ListChanges,
};
use backend::entities::tenant;
use domain::i18n::{CertificateMsg, Lang};
use domain::{Permission, StaffMember};

impl From<CatalogueConsoleError> for AppError {
    fn from(err: CatalogueConsoleError) -> Self {
        let refused = |msg: CertificateMsg| AppError::Refused(msg.into());
        match err {
            CatalogueConsoleError::Forbidden => AppError::Forbidden,
            CatalogueConsoleError::UnknownDraft => AppError::NotFound,
            CatalogueConsoleError::TooLarge => refused(CertificateMsg::CatalogueTooLarge),
            CatalogueConsoleError::Outdated => refused(CertificateMsg::CatalogueOutdated),
            CatalogueConsoleError::Faulty => refused(CertificateMsg::CatalogueFaulty),
            CatalogueConsoleError::Storage(_) => AppError::Internal,
        }
    }
}

/// What a catalogue's fault says, in the console's words.
fn fault_msg(fault: CatalogueFault) -> CertificateMsg {
    match fault {
        CatalogueFault::BadCode => CertificateMsg::FaultBadCode,
        CatalogueFault::Twice => CertificateMsg::FaultTwice,
        CatalogueFault::UnknownKind => CertificateMsg::FaultUnknownKind,
        CatalogueFault::BadName => CertificateMsg::FaultBadName,
        CatalogueFault::BadFee => CertificateMsg::FaultBadFee,
        CatalogueFault::BadLanguages => CertificateMsg::FaultBadLanguages,
        CatalogueFault::BadCopies => CertificateMsg::FaultBadCopies,
        CatalogueFault::BadStatuses => CertificateMsg::FaultBadStatuses,
        CatalogueFault::UnknownRule => CertificateMsg::FaultUnknownRule,
        CatalogueFault::BadDeliveries => CertificateMsg::FaultBadDeliveries,
        CatalogueFault::BadWorkingDays => CertificateMsg::FaultBadWorkingDays,
        CatalogueFault::BadValidDays => CertificateMsg::FaultBadValidDays,
        CatalogueFault::BadDay => CertificateMsg::FaultBadDay,
        CatalogueFault::BadNote => CertificateMsg::FaultBadNote,
        CatalogueFault::Empty => CertificateMsg::FaultEmpty,
        CatalogueFault::UnknownContent => CertificateMsg::FaultUnknownContent,
        CatalogueFault::PdfNeedsContent => CertificateMsg::FaultPdfNeedsContent,
        CatalogueFault::BadGradePoints => CertificateMsg::FaultBadGradePoints,
    }
}

/// Where a fault is, in Japanese and English.
fn place_text(place: &CataloguePlace) -> [String; 2] {
    let (msg, n, code) = match place {
        CataloguePlace::File => (CertificateMsg::PlaceFile, 0, ""),
        CataloguePlace::Delivery { n, code } => (CertificateMsg::PlaceDelivery, *n, code.as_str()),
        CataloguePlace::Certificate { n, code } => {
            (CertificateMsg::PlaceCertificate, *n, code.as_str())
        }
        CataloguePlace::Closure { n, day } => (CertificateMsg::PlaceClosure, *n, day.as_str()),
        CataloguePlace::Gpa { grade } => (CertificateMsg::PlaceGpa, 0, grade.as_str()),
    };
    [Lang::Ja, Lang::En]
        .map(|lang| (msg.text(lang)).replace("{n}", &n.to_string()).replace("{code}", code))
}

fn entries(list: Vec<Entry>) -> Vec<EntryView> {
    list.into_iter()
        .map(|entry| EntryView {
            code: entry.code,
            name_ja: entry.name_ja,
            name_en: entry.name_en,
        })
        .collect()
}

fn list_changes(changes: ListChanges) -> ListChangesView {
    ListChangesView {
        added: entries(changes.added),
        changed: entries(changes.changed),
        withdrawn: entries(changes.withdrawn),
    }
}

fn outcome(outcome: Result<catalogue_console::CatalogueChanges, CatalogueError>) -> PreviewOutcome {
    match outcome {
        Ok(changes) => PreviewOutcome::Changes {
            nothing: changes.is_empty(),
            types: list_changes(changes.types),
            deliveries: list_changes(changes.deliveries),
            gpa_changed: changes.gpa_changed,
            closures_replaced: changes.closures_replaced,
            reordered: changes.reordered,
        },
        Err(CatalogueError::Invalid { place, fault }) => PreviewOutcome::Fault {
            place: place_text(&place),
            fault: fault_msg(fault),
        },
        Err(CatalogueError::Unreadable(reason)) => PreviewOutcome::Unreadable(reason),
        // `parse` reads no storage.
        Err(CatalogueError::Storage(_)) => PreviewOutcome::Unreadable(String::new()),
    }
}

fn rows(catalogue: Catalogue) -> (Vec<DeliveryView>, Vec<TypeRow>, Vec<(String, String)>) {
    let deliveries = catalogue.deliveries.iter().map(delivery_view).collect();
    let types = (catalogue.types.into_iter())
        .map(|kind| TypeRow {
            code: kind.code.as_str().to_owned(),
            name_ja: kind.name_ja,
            name_en: kind.name_en,
            languages: kind.languages,
            fee: kind.fee,
            max_copies: kind.max_copies,
            statuses: kind.statuses,
            rule: kind.rule,
            deliveries: kind.deliveries.iter().map(|d| d.as_str().to_owned()).collect(),
            working_days: kind.working_days,
            valid_days: kind.valid_days,
        })
        .collect();
    let gpa = (catalogue.gpa.unwrap_or_default().into_iter())
        .map(|point| {
            let points = format!("{}.{:02}", point.hundredths / 100, point.hundredths % 100);
            (point.grade, points)
        })
        .collect();
    (deliveries, types, gpa)
}

/// The catalogue page, with the member's edit `draft` under review when it is not 0.
pub async fn catalogue_console(
    state: &AppState,
    (tenant, member): (tenant::Model, &StaffMember),
    draft: i32,
) -> Result<CatalogueConsoleView, AppError> {
    let actor = super::request::actor();
    let by = (member, &actor);
    let sheet = catalogue_console::sheet(&state.db, by, tenant.id).await?;
    let editor = match (member.may(Permission::ChangeSettings, tenant.id), draft) {
        (false, _) => None,
        (true, 0) => Some(EditorView {
            text: sheet.text,
            version: sheet.version,
            preview: None,
        }),
        (true, draft) => {
            let preview = catalogue_console::preview(&state.db, by, tenant.id, draft).await?;
            Some(EditorView {
                preview: Some(PreviewView {
                    draft: preview.id,
                    savable: preview.savable(),
                    outdated: preview.outdated,
                    outcome: outcome(preview.outcome),
                }),
                text: preview.text,
                version: preview.version,
            })
        }
    };
    let (deliveries, types, gpa) = rows(sheet.catalogue);
    Ok(CatalogueConsoleView {
        tenant: tenant.into(),
        deliveries,
        types,
        gpa,
        editor,
    })
}

/// Keeps an admin's edit for review; its id.
pub async fn check_catalogue(
    state: &AppState,
    (tenant, member): (tenant::Model, &StaffMember),
    text: &str,
    version: &str,
) -> Result<i32, AppError> {
    let actor = super::request::actor();
    let now = state.accounts.clock.now_ms();
    let by = (member, &actor);
    Ok(catalogue_console::save_draft(&state.db, by, tenant.id, (text, version), now).await?)
}

/// Saves the admin's reviewed edit.
pub async fn save_catalogue(
    state: &AppState,
    (tenant, member): (tenant::Model, &StaffMember),
    draft: i32,
) -> Result<(), AppError> {
    let actor = super::request::actor();
    let now = state.accounts.clock.now_ms();
    catalogue_console::apply(&state.db, (member, &actor), tenant.id, draft, now).await?;
    Ok(())
}
