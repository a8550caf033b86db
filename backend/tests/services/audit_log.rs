//! The staff console's audit log: a university's events filtered by time, kind, student and
//! staff member, for members who may read it there.

use backend::platform::audit::{self, Actor, Filter, ReadError};
use backend::platform::clock::now_ms;
use backend::platform::login_delays::UserKey;
use backend::testing::{World, PASSWORD};
use domain::AccountId;
use domain::{StaffMember, StaffRole};

fn member(tenant_id: i32, role: StaffRole) -> StaffMember {
    StaffMember {
        id: 74,
        tenant_id,
        login_id: "etsuran".to_owned(),
        role,
    }
}

fn actor() -> Actor {
    Actor::new("198.51.100.12".to_owned(), "test")
}

async fn codes(world: &World, filter: Filter<'_>) -> Vec<String> {
    let viewer = member(world.tenant.id, StaffRole::Viewer);
    let (events, total) = audit::search(
        &world.db,
        (&viewer, &actor()),
        world.tenant.id,
        &filter,
        (1, 50),
    )
    .await
    .unwrap();
    assert_eq!(total as usize, events.len());
    events.into_iter().map(|e| e.event).collect()
}

#[tokio::test]
async fn events_are_found_by_kind_student_staff_member_and_time() {
    let world = World::new().await;
    let _ = world.log_in("s1", "wrong-password", "").await;
    world.log_in("s1", PASSWORD, "").await.unwrap();
    let _ = world.log_in("s2", "wrong-password", "").await;
    let clerk = member(world.tenant.id, StaffRole::Clerk);
    let s2 = UserKey {
        tenant_id: world.tenant.id,
        user_id_key: "s2",
    };
    world.accounts.clear_login_delays(((&clerk, &actor()), s2)).await.unwrap();
    let s1_account: Option<AccountId> =
        backend::account::account_id_of(&world.db, world.tenant.id, "s1").await.unwrap();
    let now = now_ms();

    let failures = codes(
        &world,
        Filter {
            event: Some("login_failed"),
            ..Default::default()
        },
    )
    .await;
    let of_s1 = codes(
        &world,
        Filter {
            student: Some((s1_account.map(|a| a.0), "s1")),
            ..Default::default()
        },
    )
    .await;
    let by_staff = codes(
        &world,
        Filter {
            staff_id: Some(74),
            ..Default::default()
        },
    )
    .await;
    let earlier = codes(
        &world,
        Filter {
            from: Some(now - 3_600_000),
            until: Some(now + 1),
            ..Default::default()
        },
    )
    .await;
    let later = codes(
        &world,
        Filter {
            from: Some(now + 3_600_000),
            ..Default::default()
        },
    )
    .await;

    assert_eq!(failures, ["login_failed", "login_failed"]);
    assert_eq!(of_s1, ["login_succeeded", "login_failed"]);
    assert_eq!(by_staff, ["staff_cleared_login_delays"]);
    assert_eq!(earlier.len(), 4);
    assert!(later.is_empty());
}

#[tokio::test]
async fn a_member_of_another_university_reads_no_event_here() {
    let world = World::new().await;
    let _ = world.log_in("s1", "wrong-password", "").await;
    let stranger = member(world.tenant.id + 1, StaffRole::Admin);

    let read = audit::search(
        &world.db,
        (&stranger, &actor()),
        world.tenant.id,
        &Filter::default(),
        (1, 50),
    )
    .await;

    assert_eq!(read.unwrap_err(), ReadError::Forbidden);
}
