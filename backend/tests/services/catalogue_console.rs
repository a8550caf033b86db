//! The catalogue in the staff console: read by every member, edited as TOML by admins,
//! reviewed before it is saved, saved whole or not at all, and never over a newer catalogue.

use backend::certificates::{
    self, catalogue_console, CatalogueConsoleError, CatalogueError, CatalogueFault, CataloguePlace,
    DraftPreview,
};
use backend::platform::audit::{self, Actor};
use backend::testing::{at_once, World};
use domain::{CatalogueCode, StaffMember, StaffRole, Yen};
use std::sync::Arc;

fn member(tenant_id: i32, id: i32, role: StaffRole) -> StaffMember {
    StaffMember {
        id,
        tenant_id,
        login_id: format!("kanri{id}"),
        role,
    }
}

fn admin(world: &World) -> StaffMember {
    member(world.tenant.id, 71, StaffRole::Admin)
}

/// The calendar is not what these tests are about: any day will do.
fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

fn actor() -> Actor {
    Actor::new("198.51.100.71".to_owned(), "test")
}

async fn sheet(world: &World, by: &StaffMember) -> catalogue_console::CatalogueSheet {
    catalogue_console::sheet(&world.db, (by, &actor()), world.tenant.id)
        .await
        .unwrap()
}

async fn draft(world: &World, by: &StaffMember, (text, version): (&str, &str)) -> i32 {
    let now = world.clock.now_ms();
    catalogue_console::save_draft(
        &world.db,
        (by, &actor()),
        world.tenant.id,
        (text, version),
        now,
    )
    .await
    .unwrap()
}

async fn preview(world: &World, by: &StaffMember, id: i32) -> DraftPreview {
    catalogue_console::preview(&world.db, (by, &actor()), world.tenant.id, id)
        .await
        .unwrap()
}

async fn apply(
    world: &World,
    by: &StaffMember,
    id: i32,
) -> Result<certificates::CatalogueSummary, CatalogueConsoleError> {
    let now = world.clock.now_ms();
    catalogue_console::apply(&world.db, (by, &actor()), world.tenant.id, id, now).await
}

#[tokio::test]
async fn the_editors_text_reads_back_as_the_catalogue_the_page_shows() {
    let world = World::new().await;
    world.import_demo_catalogue().await;

    let sheet = sheet(&world, &admin(&world)).await;

    let read = certificates::parse(&sheet.text).unwrap();
    assert_eq!(read, sheet.catalogue);
    assert_eq!(read.types.len(), 6);
    assert_eq!(read.gpa.as_ref().map(Vec::len), Some(5));
    assert_eq!(read.closures, None, "the calendar has its own page");
}

#[tokio::test]
async fn a_preview_names_what_saving_adds_changes_and_withdraws_and_saving_writes_it() {
    let world = World::new().await;
    world.import_demo_catalogue().await;
    let by = admin(&world);
    let sheet = sheet(&world, &by).await;
    let mut edited = sheet.catalogue.clone();
    edited.types.retain(|kind| kind.code.as_str() != "health-check");
    edited.types[1].fee = Yen::new(400).unwrap();
    let mut new_type = edited.types[0].clone();
    new_type.code = CatalogueCode::parse("enrollment-en").unwrap();
    new_type.name_ja = "在学証明書（英文のみ）".to_owned();
    edited.types.push(new_type);
    let text = certificates::to_toml(&edited);

    let id = draft(&world, &by, (&text, &sheet.version)).await;
    let shown = preview(&world, &by, id).await;
    let before_saving = certificates::current(&world.db, world.tenant.id, today()).await.unwrap();
    let summary = apply(&world, &by, id).await.unwrap();

    let changes = shown.outcome.as_ref().unwrap();
    let codes = |entries: &[certificates::Entry]| -> Vec<String> {
        entries.iter().map(|entry| entry.code.clone()).collect()
    };
    assert!(shown.savable());
    assert_eq!(codes(&changes.types.added), ["enrollment-en"]);
    assert_eq!(codes(&changes.types.changed), ["transcript"]);
    assert_eq!(codes(&changes.types.withdrawn), ["health-check"]);
    assert!(changes.deliveries.is_empty() && !changes.gpa_changed);
    assert_eq!(before_saving.types.len(), 6, "a preview writes nothing");
    assert_eq!(
        (
            summary.types_added,
            summary.types_updated,
            summary.types_withdrawn
        ),
        (1, 5, 1)
    );
    let after = certificates::current(&world.db, world.tenant.id, today()).await.unwrap();
    assert_eq!(after.types, edited.types);
    let events = audit::recent(&world.db, world.tenant.id, 5).await.unwrap();
    assert!(events
        .iter()
        .any(|e| e.event == "catalogue_imported" && e.staff_id == Some(by.id)));
    assert!(matches!(
        apply(&world, &by, id).await,
        Err(CatalogueConsoleError::UnknownDraft)
    ));
}

#[tokio::test]
async fn a_faulty_edit_shows_where_its_fault_is_and_saves_nothing() {
    let world = World::new().await;
    world.import_demo_catalogue().await;
    let by = admin(&world);
    let before = sheet(&world, &by).await;
    let text = before.text.replacen("fee = 300\n", "fee = 100001\n", 1);
    assert_ne!(text, before.text, "the transcript's fee is in the text");

    let id = draft(&world, &by, (&text, &before.version)).await;
    let shown = preview(&world, &by, id).await;
    let saved = apply(&world, &by, id).await;

    match &shown.outcome {
        Err(CatalogueError::Invalid { place, fault }) => {
            assert_eq!(
                *place,
                CataloguePlace::Certificate {
                    n: 2,
                    code: "transcript".to_owned()
                }
            );
            assert_eq!(*fault, CatalogueFault::BadFee);
        }
        other => panic!("expected a fault, got {other:?}"),
    }
    assert!(!shown.savable());
    assert!(matches!(saved, Err(CatalogueConsoleError::Faulty)));
    let after = sheet(&world, &by).await;
    assert_eq!(after.text, before.text);
}

#[tokio::test]
async fn an_edit_of_an_older_catalogue_is_never_saved_over_a_newer_one() {
    let world = World::new().await;
    world.import_demo_catalogue().await;
    let (first, second) = (admin(&world), member(world.tenant.id, 72, StaffRole::Admin));
    let opened = sheet(&world, &first).await;
    let cheaper = opened.text.replacen("fee = 300\n", "fee = 250\n", 1);
    let dearer = opened.text.replacen("fee = 300\n", "fee = 350\n", 1);
    let theirs = draft(&world, &second, (&dearer, &opened.version)).await;
    apply(&world, &second, theirs).await.unwrap();

    let mine = draft(&world, &first, (&cheaper, &opened.version)).await;
    let shown = preview(&world, &first, mine).await;
    let saved = apply(&world, &first, mine).await;

    assert!(shown.outdated && !shown.savable());
    assert!(matches!(saved, Err(CatalogueConsoleError::Outdated)));
    let now = certificates::current(&world.db, world.tenant.id, today()).await.unwrap();
    assert_eq!(now.types[1].fee.get(), 350);
}

#[tokio::test]
async fn only_admins_edit_only_their_own_edits_and_only_at_their_university() {
    let world = World::new().await;
    world.import_demo_catalogue().await;
    let other_university = world.add_university("other-u").await;
    let by = admin(&world);
    let clerk = member(world.tenant.id, 73, StaffRole::Clerk);
    let other_admin = member(world.tenant.id, 74, StaffRole::Admin);
    let elsewhere = member(other_university, 75, StaffRole::Admin);
    let sheet = sheet(&world, &clerk).await;
    let id = draft(&world, &by, (&sheet.text, &sheet.version)).await;
    let now = world.clock.now_ms();
    let tenant = world.tenant.id;

    let clerk_drafts =
        catalogue_console::save_draft(&world.db, (&clerk, &actor()), tenant, ("", ""), now).await;
    let clerk_saves =
        catalogue_console::apply(&world.db, (&clerk, &actor()), tenant, id, now).await;
    let another_saves = apply(&world, &other_admin, id).await;
    let another_previews =
        catalogue_console::preview(&world.db, (&other_admin, &actor()), tenant, id).await;
    let elsewhere_reads = catalogue_console::sheet(&world.db, (&elsewhere, &actor()), tenant).await;
    let elsewhere_saves =
        catalogue_console::apply(&world.db, (&elsewhere, &actor()), other_university, id, now)
            .await;

    assert!(matches!(
        clerk_drafts,
        Err(CatalogueConsoleError::Forbidden)
    ));
    assert!(matches!(clerk_saves, Err(CatalogueConsoleError::Forbidden)));
    assert!(matches!(
        another_saves,
        Err(CatalogueConsoleError::UnknownDraft)
    ));
    assert!(matches!(
        another_previews,
        Err(CatalogueConsoleError::UnknownDraft)
    ));
    assert!(matches!(
        elsewhere_reads,
        Err(CatalogueConsoleError::Forbidden)
    ));
    assert!(matches!(
        elsewhere_saves,
        Err(CatalogueConsoleError::UnknownDraft)
    ));
    assert!(
        apply(&world, &by, id).await.is_ok(),
        "the edit is still its author's"
    );
}

#[tokio::test]
async fn one_edit_saved_five_times_at_once_is_saved_once() {
    let world = Arc::new(World::new().await);
    world.import_demo_catalogue().await;
    let by = admin(&world);
    let sheet = sheet(&world, &by).await;
    let text = sheet.text.replacen("fee = 300\n", "fee = 320\n", 1);
    let id = draft(&world, &by, (&text, &sheet.version)).await;

    let answers = at_once(5, |_| {
        let (world, by) = (world.clone(), by.clone());
        async move { apply(&world, &by, id).await }
    })
    .await;

    let saved = answers.iter().filter(|a| a.is_ok()).count();
    assert_eq!(saved, 1, "{answers:?}");
    let events = audit::recent(&world.db, world.tenant.id, 10).await.unwrap();
    let imports = events.iter().filter(|e| e.event == "catalogue_imported");
    assert_eq!(imports.count(), 2, "the demo's import and one save");
}

#[tokio::test]
async fn an_edit_longer_than_the_editor_takes_is_refused() {
    let world = World::new().await;
    let by = admin(&world);
    let long = "#".repeat(certificates::MAX_CATALOGUE_BYTES + 1);
    let now = world.clock.now_ms();

    let refused = catalogue_console::save_draft(
        &world.db,
        (&by, &actor()),
        world.tenant.id,
        (&long, ""),
        now,
    )
    .await;

    assert!(matches!(refused, Err(CatalogueConsoleError::TooLarge)));
    assert_eq!(world.count_rows("catalogue_drafts").await, 0);
}
