use backend::account::AccountError;
use backend::entities::login_failure;
use backend::platform::settings::Settings;
use backend::testing::{World, PASSWORD};
use domain::Stage;
use sea_orm::EntityTrait;
use std::time::Duration;

/// Two free failures, then a one-second delay.
fn quick_delays(settings: &mut Settings) {
    settings.login_throttle.free_failures = 2;
    settings.login_throttle.base_delay_seconds = 1;
    settings.login_throttle.max_delay_seconds = 1;
}

#[tokio::test]
async fn a_student_gets_in_once_the_delay_has_passed() {
    let world = World::with_settings(quick_delays).await;
    for _ in 0..3 {
        let _ = world.log_in("s1", "wrong-password", "").await;
    }
    let delayed = world.log_in("s1", PASSWORD, "").await;
    assert_eq!(delayed.unwrap_err(), AccountError::LoginDelayed);

    world.advance(Duration::from_millis(1100));
    let later = world.log_in("s1", PASSWORD, "").await.unwrap();

    assert_eq!(later.stage, Stage::NeedsEmail);
    let left = login_failure::Entity::find().all(&world.db).await.unwrap();
    assert!(left.is_empty(), "a success ends the streak: {left:?}");
}

#[tokio::test]
async fn a_delay_does_not_end_a_moment_early() {
    let world = World::with_settings(quick_delays).await;
    for _ in 0..3 {
        let _ = world.log_in("s1", "wrong-password", "").await;
    }

    world.advance(Duration::from_millis(900));
    let early = world.log_in("s1", PASSWORD, "").await;

    assert_eq!(early.unwrap_err(), AccountError::LoginDelayed);
}

#[tokio::test]
async fn user_ids_are_counted_whatever_their_case() {
    let world = World::with_settings(quick_delays).await;
    for user_id in ["s1", "S1", "s1"] {
        let _ = world.log_in(user_id, "wrong-password", "").await;
    }

    let answer = world.log_in("S1", PASSWORD, "").await;

    assert_eq!(answer.unwrap_err(), AccountError::LoginDelayed);
}

#[tokio::test]
async fn the_default_delays_start_at_the_fifth_failure() {
    let world = World::new().await;
    for attempt in 1..=4 {
        let answer = world.log_in("s2", "wrong-password", "").await;
        assert_eq!(
            answer.unwrap_err(),
            AccountError::WrongCredentials,
            "attempt {attempt}"
        );
    }
    let fifth = world.log_in("s2", "wrong-password", "").await;
    assert_eq!(fifth.unwrap_err(), AccountError::WrongCredentials);

    let sixth = world.log_in("s2", PASSWORD, "").await;

    assert_eq!(sixth.unwrap_err(), AccountError::LoginDelayed);
}

#[tokio::test]
async fn a_streak_is_forgotten_after_a_day_without_failures() {
    let world = World::new().await;
    for _ in 0..4 {
        let _ = world.log_in("s2", "wrong-password", "").await;
    }

    world.advance(Duration::from_secs(24 * 3600 + 1));
    let fifth = world.log_in("s2", "wrong-password", "").await;
    let then_right = world.log_in("s2", PASSWORD, "").await;

    assert_eq!(fifth.unwrap_err(), AccountError::WrongCredentials);
    assert_eq!(then_right.unwrap().stage, Stage::NeedsEmail);
}
