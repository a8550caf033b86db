use backend::testing::{World, PASSWORD, SLUG};
use domain::Stage;
use std::time::Duration;

/// Logs `s1` in and returns the session cookie's value.
async fn signed_in(world: &World) -> String {
    world.log_in("s1", PASSWORD, "").await.unwrap().session
}

#[tokio::test]
async fn an_idle_session_expires() {
    let world = World::new().await;
    let cookie = signed_in(&world).await;
    let idle = world.accounts.settings.session_idle_seconds;

    world.advance(Duration::from_secs(idle as u64 + 1));
    let stage = world.accounts.stage(SLUG, Some(&cookie)).await.unwrap();

    assert_eq!(stage, None);
}

#[tokio::test]
async fn a_session_in_use_stays_until_its_absolute_lifetime() {
    let world = World::new().await;
    let cookie = signed_in(&world).await;
    let settings = &world.accounts.settings;
    let (idle, absolute) = (
        settings.session_idle_seconds as u64,
        settings.session_absolute_seconds as u64,
    );

    // Used every idle period less a minute, it stays until the absolute lifetime.
    let mut elapsed = 0;
    while elapsed + idle - 60 < absolute {
        world.advance(Duration::from_secs(idle - 60));
        elapsed += idle - 60;
        let stage = world.accounts.stage(SLUG, Some(&cookie)).await.unwrap();
        assert_eq!(stage, Some(Stage::NeedsEmail), "after {elapsed} s");
    }
    world.advance(Duration::from_secs(absolute - elapsed + 1));
    let stage = world.accounts.stage(SLUG, Some(&cookie)).await.unwrap();

    assert_eq!(stage, None);
}
