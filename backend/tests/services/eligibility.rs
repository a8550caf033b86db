//! Who may order which certificate: by registry status and by the type's rule, on the day in
//! JST; a type the student may not order is offered with the reason.

use backend::certificates::{self, Offer};
use backend::registry::import_csv;
use backend::testing::World;
use chrono::NaiveDate;
use domain::{OrderRefusal, StudentId, StudentStatus};

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// The test university with the demo catalogue and four students: two enrolled (one in her
/// final year with this year's check-up), one on leave and one graduated.
async fn university() -> World {
    let world = World::new().await;
    world.import_demo_catalogue().await;
    let csv = "user_id,name,password,status,graduation_date,health_check_year\n\
               final,最終 学年,pw-Pass-123,enrolled,2027-03-25,2026\n\
               second,二 年生,pw-Pass-123,enrolled,2029-03-25,2025\n\
               leave,休学 中,pw-Pass-123,on_leave,2028-03-25,\n\
               alum,卒業 生,pw-Pass-123,graduated,2026-03-25,2025\n";
    import_csv(&world.db, world.tenant.id, csv.as_bytes()).await.unwrap();
    world
}

async fn offers_to(world: &World, user_id: &str, today: &str) -> Vec<Offer> {
    let id = backend::registry::by_user_id_key(&world.db, world.tenant.id, user_id)
        .await
        .unwrap()
        .expect("a student")
        .id;
    certificates::offers(&world.db, world.tenant.id, id, date(today))
        .await
        .unwrap()
        .unwrap()
}

/// Each type's code with why it is refused (`-` when it may be ordered).
async fn refusals(world: &World, user_id: &str, today: &str) -> Vec<String> {
    offers_to(world, user_id, today)
        .await
        .into_iter()
        .map(|offer| {
            let why = match offer.refusal {
                None => "-".to_owned(),
                Some(OrderRefusal::Status(status)) => format!("status {}", status.code()),
                Some(refusal) => format!("{refusal:?}"),
            };
            format!("{} {why}", offer.kind.code)
        })
        .collect()
}

#[tokio::test]
async fn every_type_is_offered_with_why_it_may_not_be_ordered() {
    let world = university().await;

    let final_year = refusals(&world, "final", "2026-12-01").await;
    let second_year = refusals(&world, "second", "2026-12-01").await;
    let on_leave = refusals(&world, "leave", "2026-12-01").await;
    let graduate = refusals(&world, "alum", "2026-12-01").await;

    assert_eq!(
        final_year,
        [
            "enrollment -",
            "transcript -",
            "expected-graduation -",
            "graduation status enrolled",
            "degree status enrolled",
            "health-check -"
        ]
    );
    assert_eq!(
        second_year,
        [
            "enrollment -",
            "transcript -",
            "expected-graduation NotFinalYear",
            "graduation status enrolled",
            "degree status enrolled",
            "health-check NoHealthCheck"
        ]
    );
    assert_eq!(
        on_leave,
        [
            "enrollment -",
            "transcript -",
            "expected-graduation status on_leave",
            "graduation status on_leave",
            "degree status on_leave",
            "health-check status on_leave"
        ]
    );
    assert_eq!(
        graduate,
        [
            "enrollment status graduated",
            "transcript -",
            "expected-graduation status graduated",
            "graduation -",
            "degree -",
            "health-check status graduated"
        ]
    );
    assert_eq!(
        StudentStatus::from_code("graduated"),
        Some(StudentStatus::Graduated)
    );
}

#[tokio::test]
async fn the_final_year_and_the_check_up_turn_with_the_fiscal_year_on_1_april() {
    let world = university().await;

    // The second-year student graduates in March 2029: final year from 1 April 2028.
    let march = refusals(&world, "second", "2028-03-31").await;
    let april = refusals(&world, "second", "2028-04-01").await;
    // The final-year student's check-up of FY2026 no longer counts in FY2027.
    let next_year = refusals(&world, "final", "2027-04-01").await;

    assert!(march.contains(&"expected-graduation NotFinalYear".to_owned()));
    assert!(april.contains(&"expected-graduation -".to_owned()));
    assert!(next_year.contains(&"health-check NoHealthCheck".to_owned()));
    assert!(next_year.contains(&"expected-graduation NotFinalYear".to_owned()));
}

#[tokio::test]
async fn each_offer_says_when_it_would_be_ready_by_the_universitys_calendar() {
    let world = university().await;

    let offers = offers_to(&world, "final", "2026-12-25").await;

    let ready =
        |code: &str| offers.iter().find(|o| o.kind.code.as_str() == code).unwrap().expected_on;
    // Friday 25 December; closed from the 29th to 3 January.
    assert_eq!(ready("enrollment"), date("2026-12-28"));
    assert_eq!(ready("transcript"), date("2027-01-05"));
    assert_eq!(ready("degree"), date("2027-01-07"));
}

#[tokio::test]
async fn a_student_of_another_university_is_offered_nothing_here() {
    let world = university().await;
    let other = world.add_university("other-u").await;
    import_csv(
        &world.db,
        other,
        "user_id,name,password\nz9,別 大学,pw-Pass-123\n".as_bytes(),
    )
    .await
    .unwrap();
    let theirs = backend::registry::by_user_id_key(&world.db, other, "z9")
        .await
        .unwrap()
        .unwrap()
        .id;

    let here = certificates::offers(&world.db, world.tenant.id, theirs, date("2026-12-01")).await;
    let unknown = certificates::offers(
        &world.db,
        world.tenant.id,
        StudentId(999_999),
        date("2026-12-01"),
    )
    .await;

    assert_eq!(here.unwrap(), None);
    assert_eq!(unknown.unwrap(), None);
}
