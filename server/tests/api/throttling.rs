use crate::helpers::*;
use app::error::AppError;
use backend::entities::{audit_event, login_failure};
use domain::i18n::{AccountMsg, CommonMsg};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Barrier;

/// Two free failures, then a one-second delay: short enough to wait for in a test.
fn quick_delays(settings: &mut backend::platform::settings::Settings) {
    settings.login_throttle.free_failures = 2;
    settings.login_throttle.base_delay_seconds = 1;
    settings.login_throttle.max_delay_seconds = 1;
}

async fn failed_login_claiming_to_be_from(app: &TestApp, forwarded_for: &str) {
    app.client
        .post(app.url("/api/login"))
        .header("x-forwarded-for", forwarded_for)
        .form(&login_form("s1", "wrong", ""))
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
    answer.status == StatusCode::TOO_MANY_REQUESTS && answer.error() == AppError::Throttled
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_repeated_failures_even_the_right_password_waits() {
    let app = app_with_quick_delays().await;
    for _ in 0..3 {
        app.login("s1", "wrong-password", "").await;
    }

    let right = app.login("s1", PASSWORD, "").await;

    assert!(throttled(&right), "{right:?}");
    assert_eq!(
        right.error().form_message(),
        Some(AccountMsg::LoginThrottled.into())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delayed_attempt_does_not_reach_the_university_directory() {
    let app = app_with_quick_delays().await;
    for _ in 0..3 {
        app.login("s1", "wrong-password", "").await;
    }
    let counted =
        |db| async move { login_failure::Entity::find().one(db).await.unwrap().unwrap().failures };
    let before = counted(&app.db).await;

    for _ in 0..5 {
        assert!(throttled(&app.login("s1", "wrong-password", "").await));
    }

    // Refused before the directory was asked: no further failure was counted.
    assert_eq!(counted(&app.db).await, before);
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
        .form(&login_form("s1", PASSWORD, ""))
        .send()
        .await
        .unwrap();

    assert_eq!(answer.status(), StatusCode::TOO_MANY_REQUESTS);
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
    let retry_after: u64 = fourth.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after));
    assert_eq!(
        fourth.error(),
        AppError::Refused(CommonMsg::TooManyRequests.into())
    );
    // Pages are still served.
    let (status, _) = app.get(&Page::Login.href(TENANT)).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forwarded_address_counts_only_from_a_trusted_proxy() {
    let app = TestApp::spawn_with(Options {
        configure: |s| {
            s.trusted_proxies =
                vec![backend::platform::settings::ProxyNet::parse("127.0.0.1").unwrap()]
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
    let event = audit_event::Entity::find().one(&app.db).await.unwrap().unwrap();
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
        assert_eq!(
            error,
            AppError::Refused(AccountMsg::InvalidCredentials.into())
        );
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_abandoned_at_its_deadline_still_finishes_its_work_instead_of_stopping_half_way()
{
    // Work dropped half-way can keep the database connection it held (SQLite has one). Here
    // the university's directory answers after the deadline: the answer is abandoned, and
    // the login behind it still ends with its session written.
    let app = TestApp::spawn_with(Options {
        configure: |settings| settings.request_deadline = Duration::from_millis(300),
        directory_delay: Duration::from_millis(800),
        ..Default::default()
    })
    .await;

    let answer = app.login("s1", PASSWORD, "").await;

    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let sessions = backend::entities::session::Entity::find().all(&app.db).await.unwrap();
        if !sessions.is_empty() {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the abandoned login wrote its session within 10 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn work_still_running_after_ten_deadlines_is_dropped_after_all() {
    // A task held open (a body sent a byte at a time, a directory that never answers) is not
    // kept forever: the directory here answers after 20 deadlines, too late.
    let app = TestApp::spawn_with(Options {
        configure: |settings| settings.request_deadline = Duration::from_millis(100),
        directory_delay: Duration::from_millis(2_000),
        ..Default::default()
    })
    .await;

    let answer = app.login("s1", PASSWORD, "").await;
    tokio::time::sleep(Duration::from_millis(3_000)).await;

    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    let sessions = backend::entities::session::Entity::find().all(&app.db).await.unwrap();
    assert!(sessions.is_empty(), "the dropped login wrote no session");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_simultaneous_wrong_logins_reach_the_directory_no_more_often_than_one_after_another_would(
) {
    let app = TestApp::spawn_with(Options {
        configure: |s| s.hash_queue = 64,
        ..Default::default()
    })
    .await;
    let free = app.settings.login_throttle.free_failures as usize;
    let before = app.directory_checks();
    let barrier = Arc::new(Barrier::new(50));

    let guesses = (0..50).map(|n| {
        let (client, barrier, url) = (client(), barrier.clone(), app.url("/api/login"));
        tokio::spawn(async move {
            let guess = format!("guess-{n}");
            barrier.wait().await;
            client
                .post(url)
                .form(&[
                    ("tenant", TENANT),
                    ("user_id", "s1"),
                    ("password", guess.as_str()),
                    ("second_password", ""),
                ])
                .send()
                .await
                .unwrap()
                .status()
        })
    });
    let statuses: Vec<StatusCode> = futures::future::join_all(guesses)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();

    // One after another: the free failures, then the one that starts the first delay.
    assert_eq!(app.directory_checks() - before, free + 1);
    let delayed = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!(delayed, 50 - (free + 1), "{statuses:?}");
}

/// A delay long enough to run through the whole test.
fn delays_that_outlast_the_test(settings: &mut backend::platform::settings::Settings) {
    settings.login_throttle.free_failures = 2;
    settings.login_throttle.base_delay_seconds = 60;
    settings.login_throttle.max_delay_seconds = 600;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_attacker_failing_again_and_again_does_not_keep_the_student_out_of_their_own_browser() {
    let app = TestApp::spawn_with(Options {
        configure: delays_that_outlast_the_test,
        ..Default::default()
    })
    .await;
    // The student's browser has logged in before.
    app.signed_in("s1", "s1@example.ac.jp").await;
    app.call("logout", &[("tenant", TENANT)]).await;
    // From another browser on the same address, a wrong login every few hundred ms, all along.
    let stop = Arc::new(AtomicBool::new(false));
    let attacker = {
        let (stop, url) = (stop.clone(), app.url("/api/login"));
        tokio::spawn(async move {
            let browser = client();
            let mut answers = Vec::new();
            while !stop.load(Ordering::SeqCst) {
                let answer = browser
                    .post(&url)
                    .form(&login_form("s1", "guess", "Guess2026x"))
                    .send()
                    .await
                    .unwrap();
                answers.push(answer.status());
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            answers
        })
    };
    let mut delayed = false;
    for _ in 0..50 {
        let row = login_failure::Entity::find().one(&app.db).await.unwrap();
        if row.is_some_and(|r| r.blocked_until.is_some()) {
            delayed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(delayed, "the attacker's failures started a delay");
    // Any other browser, even with every credential right, waits.
    let stranger = client();
    assert!(throttled(
        &app.login_with(&stranger, "s1", PASSWORD, SECOND_PASSWORD).await
    ));

    let own_browser = app.login("s1", PASSWORD, SECOND_PASSWORD).await;

    // The attack goes on a little past the student's login, then stops.
    tokio::time::sleep(Duration::from_millis(600)).await;
    stop.store(true, Ordering::SeqCst);
    let attacker_answers = attacker.await.unwrap();
    own_browser.expect_page(Page::Home);
    assert!(attacker_answers.contains(&StatusCode::TOO_MANY_REQUESTS));
    // The student's login did not end the attacker's delay for the others.
    assert!(throttled(
        &app.login_with(&stranger, "s1", PASSWORD, SECOND_PASSWORD).await
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stolen_device_cookie_gets_a_few_guesses_and_then_waits_like_any_browser() {
    let app = TestApp::spawn_with(Options {
        configure: delays_that_outlast_the_test,
        ..Default::default()
    })
    .await;
    app.signed_in("s1", "s1@example.ac.jp").await;
    let stranger = client();
    for _ in 0..3 {
        app.login_with(&stranger, "s1", "wrong", "").await;
    }
    assert!(throttled(
        &app.login_with(&stranger, "s1", PASSWORD, "").await
    ));
    let allowed = app.settings.login_throttle.device_failures;
    let before = app.directory_checks();

    // The thief has the student's browser (its cookies) but not the second password.
    for attempt in 0..allowed {
        let guess = app.login("s1", PASSWORD, &format!("Guess2026x{attempt}")).await;
        assert_eq!(
            guess.error(),
            AppError::Refused(AccountMsg::InvalidCredentials.into())
        );
    }
    let next = app.login("s1", PASSWORD, SECOND_PASSWORD).await;

    assert!(throttled(&next), "{next:?}");
    assert_eq!(app.directory_checks() - before, allowed as usize);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delayed_login_does_not_say_how_long_the_delay_has_left() {
    let app = TestApp::spawn_with(Options {
        configure: delays_that_outlast_the_test,
        ..Default::default()
    })
    .await;
    for _ in 0..3 {
        app.login("s1", "wrong", "").await;
    }

    let answer = app.login("s1", PASSWORD, "").await;

    assert!(throttled(&answer));
    assert!(!answer.headers.contains_key("retry-after"));
    assert!(
        !answer.body.chars().any(|c| c.is_ascii_digit()),
        "{}",
        answer.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_typed_second_password_costs_a_hash_whichever_credential_was_wrong() {
    let app = TestApp::spawn().await;
    app.complete_first_login("s1", "s1@example.ac.jp").await;
    let cost = |user_id: &'static str, password: &'static str| {
        let app = &app;
        async move {
            let before = app.passwords.computed();
            let answer = app.login_with(&client(), user_id, password, "Wrong2026x").await;
            assert_eq!(
                answer.error(),
                AppError::Refused(AccountMsg::InvalidCredentials.into())
            );
            app.passwords.computed() - before
        }
    };

    let right_university_password = cost("s1", PASSWORD).await;
    let wrong_university_password = cost("s1", "wrong").await;
    let unknown_user = cost("nobody", "wrong").await;
    let malformed_user = cost("no body!", "wrong").await;

    assert_eq!(right_university_password, 2);
    assert_eq!(wrong_university_password, 2);
    assert_eq!(unknown_user, 2);
    assert_eq!(malformed_user, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_user_id_never_reaches_the_directory_but_costs_what_an_unknown_one_costs() {
    let app = TestApp::spawn().await;
    let (checks, hashes) = (app.directory_checks(), app.passwords.computed());

    // A malformed ID is never delayed: were it passed on, a directory would take unlimited
    // guesses against whatever name stood in for it.
    for _ in 0..10 {
        let answer = app.login("no body!", "guess", "").await;
        assert_eq!(
            answer.error(),
            AppError::Refused(AccountMsg::InvalidCredentials.into())
        );
    }

    assert_eq!(app.directory_checks(), checks);
    assert_eq!(app.passwords.computed() - hashes, 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delayed_login_from_a_form_without_javascript_comes_back_to_its_page() {
    let app = app_with_quick_delays().await;
    for _ in 0..3 {
        app.login("s1", "wrong", "").await;
    }
    let login_page = app.url(&Page::Login.href(TENANT));

    let answer = app
        .client
        .post(app.url("/api/login"))
        .header("origin", &app.base)
        .header("accept", "text/html")
        .header("referer", &login_page)
        .form(&login_form("s1", PASSWORD, ""))
        .send()
        .await
        .unwrap();

    // Back to the page, which shows the refusal, not the raw answer of the server function.
    assert_eq!(answer.status(), StatusCode::FOUND);
    let location = answer.headers()["location"].to_str().unwrap();
    assert!(location.starts_with(&login_page), "{location}");
}
