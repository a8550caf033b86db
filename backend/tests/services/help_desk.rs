//! The staff console's student page: the registry record, the account as the help desk sees
//! it, the card, the student's audit events, and the help desk's three actions.

use backend::account::{AccountError, Purpose};
use backend::platform::audit::{self, Actor, ReadError};
use backend::platform::login_delays::UserKey;
use backend::platform::settings::Settings;
use backend::registry::{self, import_csv, SearchError};
use backend::tenancy::{self, NewTenant};
use backend::testing::{World, PASSWORD, SLUG};
use backend::wallet::{Wallet, WalletError};
use domain::{EmailAddress, LinkState, StaffMember, StaffRole, Stage, StudentId};

fn member(tenant_id: i32, role: StaffRole) -> StaffMember {
    StaffMember {
        id: 41,
        tenant_id,
        login_id: "kyomu".to_owned(),
        role,
    }
}

fn actor() -> Actor {
    Actor::new("198.51.100.7".to_owned(), "test")
}

fn s1(world: &World) -> UserKey<'static> {
    UserKey {
        tenant_id: world.tenant.id,
        user_id_key: "s1",
    }
}

/// Two free failures, then a one-minute delay.
fn quick_delays(settings: &mut Settings) {
    settings.login_throttle.free_failures = 2;
    settings.login_throttle.base_delay_seconds = 60;
    settings.login_throttle.max_delay_seconds = 60;
}

/// `s1` logged in for the first time and asked to register an address; returns the token of
/// the link that was mailed.
async fn registration_asked(world: &World) -> String {
    let cookie = world.log_in("s1", PASSWORD, "").await.unwrap().session;
    let at = world.accounts.require(SLUG, Some(&cookie), Stage::NeedsEmail).await.unwrap();
    let email = EmailAddress::parse("s1@example.ac.jp").unwrap();
    world
        .accounts
        .request_email_registration(&world.caller(), &at, &email)
        .await
        .unwrap();
    world.last_link_token().await
}

async fn events(world: &World) -> Vec<(String, Option<i32>)> {
    let found = audit::recent(&world.db, world.tenant.id, 50).await.unwrap();
    found.into_iter().map(|e| (e.event, e.staff_id)).collect()
}

#[tokio::test]
async fn the_desk_sees_failures_before_the_first_login_and_the_account_after_it() {
    let world = World::new().await;
    let viewer = member(world.tenant.id, StaffRole::Viewer);
    let _ = world.log_in("s1", "wrong-password", "").await;

    let before = world.accounts.account_state(((&viewer, &actor()), s1(&world))).await.unwrap();
    registration_asked(&world).await;
    let after = world.accounts.account_state(((&viewer, &actor()), s1(&world))).await.unwrap();

    assert_eq!(before.account_id, None);
    assert_eq!(before.login_failures.map(|s| s.failures), Some(1));
    assert!(after.account_id.is_some());
    assert_eq!(after.email, None);
    assert_eq!(
        after.pending_email.map(|(address, _)| address).as_deref(),
        Some("s1@example.ac.jp")
    );
    assert!(!after.second_password_set);
    assert_eq!(after.login_failures, None, "the login ended the streak");
    assert_eq!(after.live_sessions, 1);
}

#[tokio::test]
async fn a_clerk_ends_a_students_login_delay_and_the_student_gets_in_at_once() {
    let world = World::with_settings(quick_delays).await;
    for _ in 0..3 {
        let _ = world.log_in("s1", "wrong-password", "").await;
    }
    assert_eq!(
        world.log_in("s1", PASSWORD, "").await.unwrap_err(),
        AccountError::LoginDelayed
    );
    let clerk = member(world.tenant.id, StaffRole::Clerk);

    world
        .accounts
        .clear_login_delays(((&clerk, &actor()), s1(&world)))
        .await
        .unwrap();

    assert_eq!(
        world.log_in("s1", PASSWORD, "").await.unwrap().stage,
        Stage::NeedsEmail
    );
    assert!(events(&world)
        .await
        .contains(&("staff_cleared_login_delays".to_owned(), Some(41))));
}

#[tokio::test]
async fn a_viewer_may_look_but_not_act_and_the_refusal_is_audited() {
    let world = World::new().await;
    let token = registration_asked(&world).await;
    let _ = world.log_in("s1", "wrong-password", "").await;
    let viewer = member(world.tenant.id, StaffRole::Viewer);
    let on_s1 = ((&viewer, &actor()), s1(&world));
    let (failures, sessions, mails) = (
        world.count_rows("login_failures").await,
        world.count_rows("sessions").await,
        world.count_rows("outbox").await,
    );

    let cleared = world.accounts.clear_login_delays(on_s1).await;
    let ended = world.accounts.end_student_sessions(on_s1).await;
    let resent = world.accounts.resend_email_registration(on_s1).await;

    assert_eq!(cleared.unwrap_err(), AccountError::Forbidden);
    assert_eq!(ended.unwrap_err(), AccountError::Forbidden);
    assert_eq!(resent.unwrap_err(), AccountError::Forbidden);
    assert_eq!(world.count_rows("login_failures").await, failures);
    assert_eq!(world.count_rows("sessions").await, sessions);
    assert_eq!(world.count_rows("outbox").await, mails);
    let link = world.accounts.link_state(SLUG, Purpose::EmailRegistration, &token).await;
    assert_eq!(link.unwrap(), LinkState::Valid);
    let refusals = events(&world).await.into_iter().filter(|e| e.0 == "staff_forbidden");
    assert_eq!(refusals.count(), 3);
}

#[tokio::test]
async fn an_admin_of_another_university_can_neither_see_nor_act_here() {
    let world = World::new().await;
    registration_asked(&world).await;
    let stranger = member(world.tenant.id + 1, StaffRole::Admin);
    let on_s1 = ((&stranger, &actor()), s1(&world));
    let sessions = world.count_rows("sessions").await;

    let seen = world.accounts.account_state(on_s1).await;
    let ended = world.accounts.end_student_sessions(on_s1).await;
    let resent = world.accounts.resend_email_registration(on_s1).await;

    assert_eq!(seen.unwrap_err(), AccountError::Forbidden);
    assert_eq!(ended.unwrap_err(), AccountError::Forbidden);
    assert_eq!(resent.unwrap_err(), AccountError::Forbidden);
    assert_eq!(world.count_rows("sessions").await, sessions);
}

#[tokio::test]
async fn ending_a_students_sessions_logs_them_out_of_every_browser() {
    let world = World::new().await;
    let first = world.log_in("s1", PASSWORD, "").await.unwrap().session;
    let second = world.log_in("s1", PASSWORD, "").await.unwrap().session;
    let clerk = member(world.tenant.id, StaffRole::Clerk);

    let ended = world.accounts.end_student_sessions(((&clerk, &actor()), s1(&world))).await;

    assert_eq!(ended.unwrap(), 2);
    for cookie in [first, second] {
        let stage = world.accounts.stage(SLUG, Some(&cookie)).await.unwrap();
        assert_eq!(stage, None);
    }
    assert!(events(&world)
        .await
        .contains(&("staff_ended_student_sessions".to_owned(), Some(41))));
}

#[tokio::test]
async fn a_resent_link_goes_to_the_address_the_student_gave_and_the_old_one_stops_working() {
    let world = World::new().await;
    let old = registration_asked(&world).await;
    let clerk = member(world.tenant.id, StaffRole::Clerk);

    world
        .accounts
        .resend_email_registration(((&clerk, &actor()), s1(&world)))
        .await
        .unwrap();

    let mails = backend::platform::outbox::newest(&world.db, 1).await.unwrap();
    assert_eq!(mails[0].recipient, "s1@example.ac.jp");
    let new = world.last_link_token().await;
    let purpose = Purpose::EmailRegistration;
    assert_eq!(
        world.accounts.link_state(SLUG, purpose, &old).await.unwrap(),
        LinkState::Voided
    );
    assert_eq!(
        world.accounts.link_state(SLUG, purpose, &new).await.unwrap(),
        LinkState::Valid
    );
    assert!(events(&world).await.contains(&("staff_resent_email_link".to_owned(), Some(41))));
}

#[tokio::test]
async fn nothing_is_resent_when_no_registration_is_waiting() {
    let world = World::new().await;
    world.log_in("s1", PASSWORD, "").await.unwrap();
    let clerk = member(world.tenant.id, StaffRole::Clerk);
    let mails = world.count_rows("outbox").await;

    let resent = world.accounts.resend_email_registration(((&clerk, &actor()), s1(&world))).await;

    assert_eq!(resent.unwrap_err(), AccountError::NothingToResend);
    assert_eq!(world.count_rows("outbox").await, mails);
}

/// A second university with one student; returns its id and the student's registry id.
async fn another_university(world: &World) -> (i32, StudentId) {
    let new = NewTenant {
        slug: "other-u".to_owned(),
        name: "別大学".to_owned(),
        ..Default::default()
    };
    let other = tenancy::add(&world.db, new).await.unwrap();
    let csv = format!("user_id,name,password\nt1,別 学生,{PASSWORD}\n");
    import_csv(&world.db, other.id, csv.as_bytes()).await.unwrap();
    let student = registry::by_user_id_key(&world.db, other.id, "t1").await.unwrap().unwrap();
    (other.id, student.id)
}

#[tokio::test]
async fn reading_a_record_is_audited_and_an_id_of_another_university_finds_nothing() {
    let world = World::new().await;
    let (_, theirs) = another_university(&world).await;
    let ours = registry::by_user_id_key(&world.db, world.tenant.id, "s1")
        .await
        .unwrap()
        .unwrap();
    let viewer = member(world.tenant.id, StaffRole::Viewer);
    let by = (&viewer, &actor());

    let found = registry::record(&world.db, by, world.tenant.id, ours.id).await.unwrap();
    let other = registry::record(&world.db, by, world.tenant.id, theirs).await.unwrap();

    assert_eq!(found.map(|r| r.user_id), Some("s1".to_owned()));
    assert_eq!(other, None);
    let viewed = audit::recent(&world.db, world.tenant.id, 10).await.unwrap();
    assert!(viewed.iter().any(|e| e.event == "staff_viewed_student"
        && e.staff_id == Some(41)
        && e.user_id_key.as_deref() == Some("s1")));
}

#[tokio::test]
async fn a_member_of_another_university_reads_no_record_card_or_log_here() {
    let world = World::new().await;
    let (other_tenant, _) = another_university(&world).await;
    let ours = registry::by_user_id_key(&world.db, world.tenant.id, "s1")
        .await
        .unwrap()
        .unwrap();
    let stranger = member(other_tenant, StaffRole::Admin);
    let by = (&stranger, &actor());
    let wallet = Wallet::new(world.db.clone());

    let record = registry::record(&world.db, by, world.tenant.id, ours.id).await;
    let card = wallet.card_for_staff(by, world.tenant.id, ours.id, (1, 20)).await;
    let log = audit::about_student(&world.db, by, world.tenant.id, (None, "s1"), 50).await;

    assert_eq!(record.unwrap_err(), SearchError::Forbidden);
    assert_eq!(card.unwrap_err(), WalletError::Forbidden);
    assert_eq!(log.unwrap_err(), ReadError::Forbidden);
}

#[tokio::test]
async fn a_students_log_holds_their_own_events_and_nobody_elses() {
    let world = World::new().await;
    let _ = world.log_in("s1", "wrong-password", "").await;
    registration_asked(&world).await;
    let _ = world.log_in("s2", "wrong-password", "").await;
    let state = world
        .accounts
        .account_state((
            (&member(world.tenant.id, StaffRole::Viewer), &actor()),
            s1(&world),
        ))
        .await
        .unwrap();
    let viewer = member(world.tenant.id, StaffRole::Viewer);
    let whose = (state.account_id.map(|id| id.0), "s1");

    let log = audit::about_student(&world.db, (&viewer, &actor()), world.tenant.id, whose, 50)
        .await
        .unwrap();

    let names: Vec<&str> = log.iter().map(|e| e.event.as_str()).collect();
    assert_eq!(
        names,
        [
            "email_registration_requested",
            "login_succeeded",
            "login_failed"
        ]
    );
}

#[tokio::test]
async fn a_viewer_reads_a_cards_balance_and_history() {
    let world = World::new().await;
    let s1 = registry::by_user_id_key(&world.db, world.tenant.id, "s1")
        .await
        .unwrap()
        .unwrap();
    let wallet = Wallet::new(world.db.clone());
    wallet
        .adjust(world.tenant.id, s1.id, 1500, "開始残高", "operator", None)
        .await
        .unwrap();
    wallet
        .adjust(world.tenant.id, s1.id, -200, "訂正", "operator", None)
        .await
        .unwrap();
    let viewer = member(world.tenant.id, StaffRole::Viewer);

    let card = wallet
        .card_for_staff((&viewer, &actor()), world.tenant.id, s1.id, (1, 20))
        .await;

    let card = card.unwrap();
    assert_eq!(card.balance.get(), 1300);
    assert_eq!(card.count, 2);
    let amounts: Vec<i64> = card.movements.iter().map(|m| m.amount).collect();
    assert_eq!(amounts, [-200, 1500]);
}
