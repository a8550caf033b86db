//! The certificate catalogue: imported from a TOML file whole or not at all, read back in the
//! file's order, withdrawn rather than deleted, and one university's alone.

use backend::certificates::{self, CatalogueFault};
use backend::entities::certificate_type;
use backend::platform::audit::{self, Actor};
use backend::testing::{at_once, World};
use chrono::NaiveDate;
use domain::{DeliveryKind, OrderRule, StudentStatus};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

const DEMO: &str = include_str!("../../../catalogues/demo.toml");

fn operator() -> Actor {
    Actor::new("operator".to_owned(), "")
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// The demo catalogue without its type `code` (its `[[certificate]]` block) and without
/// closures.
fn demo_without(code: &str) -> String {
    let mut blocks = DEMO.split("\n[[");
    let mut kept = blocks.next().unwrap_or_default().to_owned();
    for block in blocks {
        let dropped =
            block.starts_with("certificate]]") && block.contains(&format!("code = \"{code}\"\n"));
        if !dropped && !block.starts_with("closure]]") {
            kept.push_str("\n[[");
            kept.push_str(block);
        }
    }
    kept
}

#[tokio::test]
async fn the_demo_catalogue_is_imported_whole_and_read_back_in_its_order() {
    let world = World::new().await;
    let catalogue = certificates::parse(DEMO).unwrap();

    let summary = certificates::import(
        &world.db,
        &operator(),
        world.tenant.id,
        &catalogue,
        world.clock.now_ms(),
    )
    .await
    .unwrap();
    let read = certificates::current(&world.db, world.tenant.id, date("2026-12-01"))
        .await
        .unwrap();

    assert_eq!((summary.types_added, summary.deliveries_added), (6, 5));
    assert_eq!(summary.closures, Some(33));
    assert_eq!(read, catalogue);
    let codes: Vec<&str> = read.types.iter().map(|t| t.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "enrollment",
            "transcript",
            "expected-graduation",
            "graduation",
            "degree",
            "health-check"
        ]
    );
    let expected = &read.types[2];
    assert_eq!(
        (expected.name_ja.as_str(), expected.rule),
        ("卒業見込証明書", Some(OrderRule::FinalYear))
    );
    assert_eq!(expected.statuses, [StudentStatus::Enrolled]);
    assert_eq!(read.deliveries[1].kind, DeliveryKind::Post);
    assert_eq!(read.deliveries[1].fee.get(), 110);
    let events = audit::recent(&world.db, world.tenant.id, 5).await.unwrap();
    let imported = events.iter().find(|e| e.event == "catalogue_imported").expect("audited");
    assert_eq!(
        imported.detail.as_deref(),
        Some(r#"{"closures":33,"deliveries":[5,0,0],"grades":5,"types":[6,0,0]}"#)
    );
}

#[tokio::test]
async fn a_type_left_out_of_a_new_file_is_withdrawn_and_kept() {
    let world = World::new().await;
    let now = world.clock.now_ms();
    certificates::import(
        &world.db,
        &operator(),
        world.tenant.id,
        &certificates::parse(DEMO).unwrap(),
        now,
    )
    .await
    .unwrap();
    let smaller = certificates::parse(&demo_without("degree")).unwrap();

    let summary = certificates::import(&world.db, &operator(), world.tenant.id, &smaller, now)
        .await
        .unwrap();
    let read = certificates::current(&world.db, world.tenant.id, date("2026-12-01"))
        .await
        .unwrap();

    assert_eq!(
        (
            summary.types_updated,
            summary.types_withdrawn,
            summary.types_added
        ),
        (5, 1, 0)
    );
    assert!(read.types.iter().all(|t| t.code.as_str() != "degree"));
    let rows = certificate_type::Entity::find()
        .filter(certificate_type::Column::TenantId.eq(world.tenant.id))
        .count(&world.db)
        .await
        .unwrap();
    assert_eq!(rows, 6);
    // Without closures in the file, the calendar stayed as it was.
    assert_eq!(summary.closures, None);
    assert_eq!(read.closures.map(|c| c.len()), Some(33));

    // Listed again, it comes back.
    let again = certificates::parse(DEMO).unwrap();
    let summary = certificates::import(&world.db, &operator(), world.tenant.id, &again, now)
        .await
        .unwrap();
    assert_eq!((summary.types_updated, summary.types_added), (6, 0));
}

#[tokio::test]
async fn one_universitys_catalogue_is_not_anothers() {
    let world = World::new().await;
    let other = world.add_university("other-u").await;
    certificates::import(
        &world.db,
        &operator(),
        world.tenant.id,
        &certificates::parse(DEMO).unwrap(),
        0,
    )
    .await
    .unwrap();

    let theirs = certificates::current(&world.db, other, date("2026-12-01")).await.unwrap();

    assert!(theirs.types.is_empty() && theirs.deliveries.is_empty());
    assert_eq!(theirs.closures, Some(vec![]));
}

#[tokio::test]
async fn a_faulty_file_says_where_and_writes_nothing() {
    let world = World::new().await;
    let faulty = DEMO.replace(
        "max_copies = 5\nstatuses = [\"graduated\"]",
        "max_copies = 500\nstatuses = [\"graduated\"]",
    );

    let refused = certificates::parse(&faulty);

    match refused {
        Err(certificates::CatalogueError::Invalid { place, fault }) => {
            assert_eq!(fault, CatalogueFault::BadCopies);
            assert_eq!(place.to_string(), r#"certificate 5 ("degree")"#);
        }
        other => panic!("{other:?}"),
    }
    let read = certificates::current(&world.db, world.tenant.id, date("2026-12-01"))
        .await
        .unwrap();
    assert!(read.types.is_empty());
}

#[tokio::test]
async fn two_imports_at_once_leave_one_catalogue() {
    let world = World::new().await;
    let (db, tenant) = (world.db.clone(), world.tenant.id);

    let answers = at_once(4, |_| {
        let db = db.clone();
        async move {
            let catalogue = certificates::parse(DEMO).unwrap();
            certificates::import(&db, &operator(), tenant, &catalogue, 0).await
        }
    })
    .await;

    assert!(answers.iter().all(Result::is_ok), "{answers:?}");
    let added: u32 = answers.iter().map(|a| a.as_ref().unwrap().types_added).sum();
    assert_eq!(added, 6);
    let read = certificates::current(&world.db, tenant, date("2026-12-01")).await.unwrap();
    assert_eq!(read.types.len(), 6);
}

#[tokio::test]
async fn the_expected_day_skips_the_universitys_closures() {
    let world = World::new().await;
    certificates::import(
        &world.db,
        &operator(),
        world.tenant.id,
        &certificates::parse(DEMO).unwrap(),
        0,
    )
    .await
    .unwrap();
    let closed = certificates::closures_from(&world.db, world.tenant.id, date("2026-12-25"))
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.day)
        .collect();

    // Received on Friday 25 December, three working days: the 28th, then 4 and 5 January.
    assert_eq!(
        certificates::expected_on(date("2026-12-25"), 3, &closed),
        date("2027-01-05")
    );
}

// The closure calendar kept in the console.

fn staff(tenant_id: i32, role: domain::StaffRole) -> domain::StaffMember {
    domain::StaffMember {
        id: 3,
        tenant_id,
        login_id: format!("{}-3", role.code()),
        role,
    }
}

#[tokio::test]
async fn an_admin_closes_and_reopens_a_day_each_audited_and_the_ready_by_day_follows() {
    let world = World::new().await;
    let admin = staff(world.tenant.id, domain::StaffRole::Admin);
    let by = (&admin, &operator());
    let today = date("2030-01-07"); // a Monday
    let closed_on = date("2030-01-08");

    certificates::close_day(
        &world.db,
        by,
        world.tenant.id,
        (closed_on, " 臨時休業 "),
        today,
    )
    .await
    .unwrap();
    let calendar = certificates::calendar(&world.db, by, world.tenant.id, today).await.unwrap();
    let closed: std::collections::BTreeSet<_> = calendar.iter().map(|c| c.day).collect();
    let ready_while_closed = certificates::expected_on(today, 1, &closed);
    certificates::reopen_day(&world.db, by, world.tenant.id, closed_on, today)
        .await
        .unwrap();
    let after = certificates::calendar(&world.db, by, world.tenant.id, today).await.unwrap();

    assert_eq!(calendar.len(), 1);
    assert_eq!(calendar[0].note, "臨時休業");
    assert_eq!(ready_while_closed, date("2030-01-09"));
    assert!(after.is_empty());
    let events = audit::recent(&world.db, world.tenant.id, 5).await.unwrap();
    let details: Vec<_> = events
        .iter()
        .filter(|e| e.event == "closure_calendar_changed")
        .filter_map(|e| e.detail.clone())
        .collect();
    assert_eq!(
        details,
        [
            r#"{"change":"reopened","day":"2030-01-08","note":null}"#,
            r#"{"change":"closed","day":"2030-01-08","note":"臨時休業"}"#,
        ]
    );
}

#[tokio::test]
async fn a_clerk_reads_the_calendar_and_changes_nothing_and_odd_changes_are_refused() {
    use backend::certificates::ClosureError;
    let world = World::new().await;
    let (clerk, admin) = (
        staff(world.tenant.id, domain::StaffRole::Clerk),
        staff(world.tenant.id, domain::StaffRole::Admin),
    );
    let elsewhere = staff(world.tenant.id + 1, domain::StaffRole::Admin);
    let actor = operator();
    let today = date("2030-01-07");
    let tenant = world.tenant.id;
    let close = |by, day: &str, note: &'static str| {
        let (db, day) = (world.db.clone(), date(day));
        async move { certificates::close_day(&db, by, tenant, (day, note), today).await }
    };

    let by_clerk = close((&clerk, &actor), "2030-01-08", "").await;
    let by_other_university = close((&elsewhere, &actor), "2030-01-08", "").await;
    let past = close((&admin, &actor), "2030-01-06", "").await;
    let bad_note = close((&admin, &actor), "2030-01-08", "休業\u{7}").await;
    let first = close((&admin, &actor), "2030-01-08", "休業").await;
    let twice = close((&admin, &actor), "2030-01-08", "休業").await;
    let reopen_unknown = certificates::reopen_day(
        &world.db,
        (&admin, &actor),
        tenant,
        date("2030-01-09"),
        today,
    )
    .await;
    let read_by_clerk = certificates::calendar(&world.db, (&clerk, &actor), tenant, today).await;

    assert_eq!(by_clerk, Err(ClosureError::Forbidden));
    assert_eq!(by_other_university, Err(ClosureError::Forbidden));
    assert_eq!(past, Err(ClosureError::Past));
    assert_eq!(bad_note, Err(ClosureError::BadNote));
    assert_eq!(first, Ok(()));
    assert_eq!(twice, Err(ClosureError::AlreadyClosed));
    assert_eq!(reopen_unknown, Err(ClosureError::NotClosed));
    assert_eq!(read_by_clerk.unwrap().len(), 1);
}

#[tokio::test]
async fn two_admins_closing_the_same_day_at_once_close_it_once() {
    let world = World::new().await;
    let tenant = world.tenant.id;
    let today = date("2030-01-07");

    let answers = at_once(4, |_| {
        let db = world.db.clone();
        async move {
            let admin = staff(tenant, domain::StaffRole::Admin);
            let day = (date("2030-01-10"), "休業");
            certificates::close_day(&db, (&admin, &operator()), tenant, day, today).await
        }
    })
    .await;

    assert_eq!(
        answers.iter().filter(|a| a.is_ok()).count(),
        1,
        "{answers:?}"
    );
    let closed = certificates::closures_from(&world.db, tenant, today).await.unwrap();
    assert_eq!(closed.len(), 1);
}

#[tokio::test]
async fn the_kept_catalogue_is_kept_until_anyone_changes_it_and_then_read_again() {
    let world = World::new().await;
    let kept = certificates::CatalogueCache::default();
    let (tenant, today) = (world.tenant.id, date("2030-01-07"));
    let admin = staff(tenant, domain::StaffRole::Admin);

    let before = kept.current(&world.db, tenant, today).await.unwrap();
    // Changed without this cache, as another server or the operator's command would.
    world.import_demo_catalogue().await;
    let imported = kept.current(&world.db, tenant, today).await.unwrap();
    let again = kept.current(&world.db, tenant, today).await.unwrap();
    let closed_on = (date("2030-01-09"), "臨時休業");
    certificates::close_day(&world.db, (&admin, &operator()), tenant, closed_on, today)
        .await
        .unwrap();
    let closed = kept.current(&world.db, tenant, today).await.unwrap();
    let tomorrow = kept.current(&world.db, tenant, date("2030-01-08")).await.unwrap();

    assert!(before.types.is_empty());
    assert_eq!(imported.types.len(), 6);
    assert!(
        std::sync::Arc::ptr_eq(&imported, &again),
        "unchanged, it is kept"
    );
    let days: Vec<NaiveDate> = closed.closures.iter().flatten().map(|c| c.day).collect();
    assert!(days.contains(&date("2030-01-09")), "{days:?}");
    assert!(
        !std::sync::Arc::ptr_eq(&closed, &tomorrow),
        "a new day reads again"
    );
}
