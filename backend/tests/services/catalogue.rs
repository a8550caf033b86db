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
            assert_eq!(place, r#"certificate 5 ("degree")"#);
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
