use crate::helpers::*;
use app::backend::entities::{audit_event, login_failure};
use app::error::AppError;
use app::i18n::Msg;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::time::Duration;

/// Two free failures, then a one-second delay: short enough to wait for in a test.
fn quick_delays(settings: &mut app::backend::settings::Settings) {
    settings.login_throttle.free_failures = 2;
    settings.login_throttle.base_delay_seconds = 1;
    settings.login_throttle.max_delay_seconds = 1;
}

async fn failed_login_claiming_to_be_from(app: &TestApp, forwarded_for: &str) {
    app.client
        .post(app.url("/api/login"))
        .header("x-forwarded-for", forwarded_for)
        .form(&[
            ("tenant", TENANT),
            ("user_id", "s1"),
            ("password", "wrong"),
            ("second_password", ""),
        ])
        .send()
        .await
        .unwrap();
}

async fn app_with_quick_delays() -> TestApp {
    TestApp::spawn_with(Options {
        configure: quick_delays,
        ..Default::default()
    })
    .await
}

fn throttled(answer: &ServerFnAnswer) -> bool {
    answer.status == StatusCode::TOO_MANY_REQUESTS
        && answer.headers.contains_key("retry-after")
        && matches!(answer.error(), AppError::Throttled { .. })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_repeated_failures_even_the_right_password_waits() {
    let app = app_with_quick_delays().await;
    for _ in 0..3 {
        app.login("s1", "wrong-password", "").await;
    }

    let right = app.login("s1", PASSWORD, "").await;

    assert!(throttled(&right), "{right:?}");
    assert_eq!(right.error().form_message(), Some(Msg::LoginThrottled));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_student_gets_in_once_the_delay_has_passed() {
    let app = app_with_quick_delays().await;
    for _ in 0..3 {
        app.login("s1", "wrong-password", "").await;
    }
    assert!(throttled(&app.login("s1", PASSWORD, "").await));

    tokio::time::sleep(Duration::from_millis(1100)).await;
    let later = app.login("s1", PASSWORD, "").await;

    later.expect_redirect("/email/register");
    let left = login_failure::Entity::find().all(&app.db).await.unwrap();
    assert!(left.is_empty(), "a success ends the streak: {left:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delayed_attempt_does_not_reach_the_university_directory() {
    let app = app_with_quick_delays().await;
    for _ in 0..3 {
        app.login("s1", "wrong-password", "").await;
    }
    let counted = |db| async move {
        login_failure::Entity::find()
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .failures
    };
    let before = counted(&app.db).await;

    for _ in 0..5 {
        assert!(throttled(&app.login("s1", "wrong-password", "").await));
    }

    // Refused before the directory was asked: no further failure was counted.
    assert_eq!(counted(&app.db).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_ids_are_counted_whatever_their_case() {
    let app = app_with_quick_delays().await;
    for user_id in ["s1", "S1", "s1"] {
        app.login(user_id, "wrong-password", "").await;
    }
    assert!(throttled(&app.login("S1", PASSWORD, "").await));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_user_id_is_delayed_like_a_known_one() {
    let app = app_with_quick_delays().await;
    for _ in 0..3 {
        app.login("s1", "wrong-password", "").await;
        app.login("nobody", "wrong-password", "").await;
    }
    let known = app.login("s1", "wrong-password", "").await;
    let unknown = app.login("nobody", "wrong-password", "").await;
    assert!(throttled(&known) && throttled(&unknown));
    assert_eq!(known.body, unknown.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_delay_holds_on_every_instance_and_across_a_restart() {
    let app = app_with_quick_delays().await;
    for _ in 0..3 {
        app.login("s1", "wrong-password", "").await;
    }

    let other = app.another_instance().await;
    let answer = client()
        .post(format!("{other}/api/login"))
        .form(&[
            ("tenant", TENANT),
            ("user_id", "s1"),
            ("password", PASSWORD),
            ("second_password", ""),
        ])
        .send()
        .await
        .unwrap();

    assert_eq!(answer.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_delays_start_at_the_fifth_failure() {
    let app = TestApp::spawn().await;
    for attempt in 1..=4 {
        let answer = app.login("s2", "wrong-password", "").await;
        assert_eq!(
            answer.error(),
            AppError::Refused(Msg::InvalidCredentials),
            "attempt {attempt}"
        );
    }
    let fifth = app.login("s2", "wrong-password", "").await;
    assert_eq!(fifth.error(), AppError::Refused(Msg::InvalidCredentials));
    assert!(throttled(&app.login("s2", PASSWORD, "").await));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_sending_too_much_gets_429_with_retry_after() {
    let app = TestApp::spawn_with(Options {
        configure: |s| s.client_requests_per_minute = 3,
        ..Default::default()
    })
    .await;
    for _ in 0..3 {
        app.call("tenants", &[]).await;
    }

    let fourth = app.call("tenants", &[]).await;

    assert_eq!(fourth.status, StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = fourth.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after));
    assert_eq!(fourth.error(), AppError::Refused(Msg::TooManyRequests));
    // Pages are still served.
    let (status, _) = app.get(&format!("/{TENANT}/login")).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forwarded_address_counts_only_from_a_trusted_proxy() {
    let app = TestApp::spawn_with(Options {
        configure: |s| {
            s.trusted_proxies = vec![app::backend::settings::ProxyNet::parse("127.0.0.1").unwrap()]
        },
        ..Default::default()
    })
    .await;

    failed_login_claiming_to_be_from(&app, "203.0.113.7").await;

    let events = audit_event::Entity::find()
        .filter(audit_event::Column::Event.eq("login_failed"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].client_address, "203.0.113.7");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forwarded_address_from_anyone_else_is_ignored() {
    let app = TestApp::spawn().await;
    failed_login_claiming_to_be_from(&app, "203.0.113.7").await;
    let event = audit_event::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(event.client_address, "127.0.0.1");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_hashing_is_saturated_logins_get_503_at_once_instead_of_piling_up() {
    let app = TestApp::spawn_with(Options {
        configure: |s| {
            s.hash_concurrency = 1;
            s.hash_queue = 1;
        },
        ..Default::default()
    })
    .await;

    let storm = (0..12).map(|i| {
        let client = client();
        let url = app.url("/api/login");
        async move {
            let user = format!("storm{i}");
            client
                .post(url)
                .form(&[
                    ("tenant", TENANT),
                    ("user_id", user.as_str()),
                    ("password", "wrong"),
                    ("second_password", ""),
                ])
                .send()
                .await
                .unwrap()
        }
    });
    let answers = futures::future::join_all(storm).await;

    let busy: Vec<_> = answers
        .iter()
        .filter(|a| a.status() == StatusCode::SERVICE_UNAVAILABLE)
        .collect();
    assert!(!busy.is_empty(), "some logins were turned away");
    assert!(busy.iter().all(|a| a.headers().contains_key("retry-after")));
    let mut others = Vec::new();
    for answer in answers {
        if answer.status() != StatusCode::SERVICE_UNAVAILABLE {
            others.push(answer.text().await.unwrap());
        }
    }
    assert!(!others.is_empty(), "some logins were hashed");
    for body in others {
        let error: AppError = serde_json::from_str(&body).unwrap();
        assert_eq!(error, AppError::Refused(Msg::InvalidCredentials));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_that_outlives_its_deadline_is_abandoned_with_503() {
    // A login hashes for tens of milliseconds: far beyond this deadline.
    let app = TestApp::spawn_with(Options {
        configure: |settings| settings.request_deadline = Duration::from_millis(1),
        ..Default::default()
    })
    .await;

    let answer = app.login("s1", PASSWORD, "").await;

    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(answer.headers["retry-after"], "5");
    assert_eq!(answer.error(), AppError::Busy);
    assert!(answer.session_cookie().is_none());
}
