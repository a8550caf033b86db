//! The staff console's student search.

use backend::platform::audit::{self, Actor};
use backend::registry::{import_csv, search, SearchError};
use backend::testing::World;
use domain::{StaffMember, StaffRole, StudentSort};

fn viewer(tenant_id: i32) -> StaffMember {
    StaffMember {
        id: 7,
        tenant_id,
        login_id: "etsuran".to_owned(),
        role: StaffRole::Viewer,
    }
}

fn actor() -> Actor {
    Actor::new("198.51.100.4".to_owned(), "test")
}

async fn user_ids(world: &World, query: &str) -> Vec<String> {
    sorted_user_ids(world, query, "").await
}

async fn sorted_user_ids(world: &World, query: &str, sort: &str) -> Vec<String> {
    let by = viewer(world.tenant.id);
    let sort = StudentSort::from_param(sort);
    let found = search(
        &world.db,
        (&by, &actor()),
        world.tenant.id,
        (query, sort),
        1,
    )
    .await
    .unwrap();
    found.students.into_iter().map(|s| s.user_id).collect()
}

#[tokio::test]
async fn a_viewer_finds_students_by_user_id_student_number_name_or_kana() {
    let world = World::new().await;
    let csv = "user_id,name,name_kana,student_number,password\n\
               K2401,高橋 美咲,たかはし みさき,2401,pw-Pass-123\n";
    import_csv(&world.db, world.tenant.id, csv.as_bytes()).await.unwrap();

    assert_eq!(user_ids(&world, "").await, ["K2401", "s1", "s2"]);
    assert_eq!(user_ids(&world, "k24").await, ["K2401"]);
    assert_eq!(user_ids(&world, "1002").await, ["s2"]);
    assert_eq!(user_ids(&world, "山田").await, ["s1"]);
    assert_eq!(user_ids(&world, "みさき").await, ["K2401"]);
    assert!(user_ids(&world, "鈴木").await.is_empty());
}

#[tokio::test]
async fn percent_and_underscore_in_a_search_are_taken_literally() {
    let world = World::new().await;

    assert!(user_ids(&world, "%").await.is_empty());
    assert!(user_ids(&world, "s_").await.is_empty());
}

#[tokio::test]
async fn results_come_a_page_at_a_time_and_a_page_past_the_end_is_the_last() {
    let world = World::new().await;
    let mut csv = String::from("user_id,name,password\n");
    for n in 0..43 {
        csv.push_str(&format!("u{n:03},学生 {n},pw-Pass-123\n"));
    }
    import_csv(&world.db, world.tenant.id, csv.as_bytes()).await.unwrap();
    let by = viewer(world.tenant.id);

    let third = search(
        &world.db,
        (&by, &actor()),
        world.tenant.id,
        ("", StudentSort::default()),
        3,
    )
    .await
    .unwrap();
    let past = search(
        &world.db,
        (&by, &actor()),
        world.tenant.id,
        ("", StudentSort::default()),
        99,
    )
    .await
    .unwrap();

    assert_eq!((third.total, third.pages, third.students.len()), (45, 3, 5));
    assert_eq!(past.page, 3);
}

#[tokio::test]
async fn a_member_of_another_university_finds_nothing_here_and_is_audited() {
    let world = World::new().await;
    let stranger = viewer(world.tenant.id + 1);

    let found = search(
        &world.db,
        (&stranger, &actor()),
        world.tenant.id,
        ("", StudentSort::default()),
        1,
    )
    .await;

    assert_eq!(found.err(), Some(SearchError::Forbidden));
    let events = audit::recent(&world.db, world.tenant.id, 10).await.unwrap();
    assert!(events.iter().any(|e| e.event == "staff_forbidden" && e.staff_id == Some(7)));
}

#[tokio::test]
async fn results_sort_by_kana_or_student_number_either_way_with_missing_values_last() {
    let world = World::new().await;
    // The kana include a space and a voiced sound: the order is the same on both databases.
    let csv = "user_id,name,name_kana,student_number,password\n\
               k1,上野 太一,ウエノ タイチ,3003,pw-Pass-123\n\
               k2,阿部 次郎,アベ ジロウ,3001,pw-Pass-123\n\
               k3,伊藤 三郎,イトウ サブロウ,,pw-Pass-123\n\
               k4,伊藤 一郎,イトウイチロウ,3002,pw-Pass-123\n";
    import_csv(&world.db, world.tenant.id, csv.as_bytes()).await.unwrap();

    let by_kana = sorted_user_ids(&world, "k", "kana").await;
    let by_kana_descending = sorted_user_ids(&world, "k", "-kana").await;
    let by_number = sorted_user_ids(&world, "k", "student_number").await;
    let by_number_descending = sorted_user_ids(&world, "k", "-student_number").await;
    let everyone_by_kana = sorted_user_ids(&world, "", "kana").await;
    let by_user_id_descending = sorted_user_ids(&world, "k", "-user_id").await;

    assert_eq!(by_kana, ["k2", "k3", "k4", "k1"]);
    assert_eq!(by_kana_descending, ["k1", "k4", "k3", "k2"]);
    assert_eq!(by_number, ["k2", "k4", "k1", "k3"]);
    assert_eq!(by_number_descending, ["k1", "k4", "k2", "k3"]);
    // s1 and s2 have no kana: after every student with one, by user ID.
    assert_eq!(everyone_by_kana, ["k2", "k3", "k4", "k1", "s1", "s2"]);
    assert_eq!(by_user_id_descending, ["k4", "k3", "k2", "k1"]);
}
