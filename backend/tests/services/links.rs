use backend::account::{AccountError, Purpose};
use backend::testing::{World, PASSWORD, SLUG};
use domain::{EmailAddress, LinkState, Stage};
use std::time::Duration;

/// `s1` at the first login's email step, with a confirmation link sent; returns its token.
async fn link_sent(world: &World) -> String {
    let cookie = world.log_in("s1", PASSWORD, "").await.unwrap().session;
    let at = world.accounts.require(SLUG, Some(&cookie), Stage::NeedsEmail).await.unwrap();
    let email = EmailAddress::parse("s1@example.ac.jp").unwrap();
    let caller = world.caller();
    world.accounts.request_email_registration(&caller, &at, &email).await.unwrap();
    world.last_link_token().await
}

#[tokio::test]
async fn a_link_works_until_its_lifetime_ends_and_not_after() {
    let world = World::new().await;
    let token = link_sent(&world).await;
    let lifetime = world.accounts.settings.token_ttl_seconds as u64;
    let purpose = Purpose::EmailRegistration;

    world.advance(Duration::from_secs(lifetime - 1));
    let just_before = world.accounts.link_state(SLUG, purpose, &token).await;
    world.advance(Duration::from_secs(1));
    let at_the_end = world.accounts.link_state(SLUG, purpose, &token).await;

    assert_eq!(just_before.unwrap(), LinkState::Valid);
    assert_eq!(at_the_end.unwrap(), LinkState::Expired);
}

#[tokio::test]
async fn an_expired_link_cannot_be_confirmed() {
    let world = World::new().await;
    let token = link_sent(&world).await;
    let lifetime = world.accounts.settings.token_ttl_seconds as u64;

    world.advance(Duration::from_secs(lifetime));
    let caller = world.caller();
    let answer = world.accounts.confirm_email_registration(&caller, SLUG, &token).await;

    assert_eq!(answer.unwrap_err(), AccountError::Link(LinkState::Expired));
}

#[tokio::test]
async fn an_account_may_cause_five_registration_mails_an_hour() {
    let world = World::new().await;
    for _ in 0..Purpose::EmailRegistration.mails_per_hour() {
        link_sent(&world).await;
    }
    let cookie = world.log_in("s1", PASSWORD, "").await.unwrap().session;
    let at = world.accounts.require(SLUG, Some(&cookie), Stage::NeedsEmail).await.unwrap();
    let email = EmailAddress::parse("s1@example.ac.jp").unwrap();
    let caller = world.caller();
    let sixth = world.accounts.request_email_registration(&caller, &at, &email).await;
    assert_eq!(sixth.unwrap_err(), AccountError::TooManyLinkMails);

    world.advance(Duration::from_secs(3601));
    let an_hour_later = world.accounts.request_email_registration(&caller, &at, &email).await;

    assert!(an_hour_later.is_ok(), "{an_hour_later:?}");
}
