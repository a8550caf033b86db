use crate::helpers::*;
use reqwest::StatusCode;

fn header<'a>(response: &'a reqwest::Response, name: &str) -> &'a str {
    response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
}

async fn page(app: &TestApp, path: &str) -> reqwest::Response {
    app.client.get(app.url(path)).send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_allows_only_scripts_carrying_its_own_nonce() {
    let app = TestApp::spawn().await;

    let response = page(&app, &Page::Login.href(TENANT)).await;
    let csp = header(&response, "content-security-policy").to_owned();
    let html = response.text().await.unwrap();

    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the policy");
    assert!(nonce.len() >= 16, "{csp}");
    assert!(
        !csp.contains("'unsafe-inline'") && !csp.contains("'unsafe-eval'"),
        "{csp}"
    );
    for directive in ["object-src 'none'", "base-uri 'none'", "script-src 'self'"] {
        assert!(csp.contains(directive), "{directive} missing from {csp}");
    }
    // Every inline script of the page carries this response's nonce.
    let scripts = html.matches("<script").count();
    let nonced = html.matches(&format!("nonce=\"{nonce}\"")).count();
    assert!(
        scripts > 0 && nonced >= scripts,
        "{scripts} scripts, {nonced} with the nonce"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_response_gets_a_new_nonce() {
    let app = TestApp::spawn().await;
    let path = Page::Login.href(TENANT);
    let first = page(&app, &path).await;
    let second = page(&app, &path).await;
    assert_ne!(
        header(&first, "content-security-policy"),
        header(&second, "content-security-policy")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_page_but_the_login_page_may_be_framed_and_it_only_by_the_listed_portal() {
    let app = TestApp::spawn_with(Options {
        tenant: |t| t.portal_origins = vec!["https://portal.example.ac.jp".into()],
        ..Default::default()
    })
    .await;

    let login = page(&app, &Page::Login.href(TENANT)).await;
    let manual = page(&app, &Page::Manual.href(TENANT)).await;
    let script = app.client.get(app.url("/api/tenants")).send().await.unwrap();

    assert!(header(&login, "content-security-policy")
        .ends_with("frame-ancestors https://portal.example.ac.jp"));
    assert!(header(&login, "x-frame-options").is_empty());
    for other in [&manual, &script] {
        assert!(header(other, "content-security-policy").contains("frame-ancestors 'none'"));
        assert_eq!(header(other, "x-frame-options"), "DENY");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_portal_origins_the_login_page_cannot_be_framed_either() {
    let app = TestApp::spawn().await;
    let login = page(&app, &Page::Login.href(TENANT)).await;
    assert!(header(&login, "content-security-policy").ends_with("frame-ancestors 'none'"));
    assert_eq!(header(&login, "x-frame-options"), "DENY");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answer_says_nosniff_and_keeps_its_referrer_on_this_site() {
    let app = TestApp::spawn().await;
    for path in [
        "/",
        &Page::Login.href(TENANT),
        "/no-such-page",
        "/pkg/shomei.css",
    ] {
        let response = page(&app, path).await;
        assert_eq!(
            header(&response, "x-content-type-options"),
            "nosniff",
            "{path}"
        );
        assert_eq!(
            header(&response, "referrer-policy"),
            "same-origin",
            "{path}"
        );
        assert!(
            header(&response, "strict-transport-security").is_empty(),
            "{path}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_https_browsers_are_told_to_keep_to_https() {
    let app = TestApp::spawn_with(Options {
        configure: |s| s.public_url = "https://shomei.example.ac.jp".parse().unwrap(),
        ..Default::default()
    })
    .await;
    let response = page(&app, &Page::Login.href(TENANT)).await;
    assert!(header(&response, "strict-transport-security").starts_with("max-age=31536000"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_one_time_url_leaves_the_address_bar_at_once() {
    let app = TestApp::spawn().await;
    let link = app.register_email("s1", "s1@example.ac.jp").await;
    let token = token_of(&link);

    let opened = app.client.get(&link).send().await.unwrap();

    assert_eq!(opened.status(), StatusCode::SEE_OTHER);
    assert_eq!(header(&opened, "referrer-policy"), "no-referrer");
    assert_eq!(header(&opened, "location"), Page::EmailConfirm.href(TENANT));
    let cookie = header(&opened, "set-cookie");
    assert!(
        cookie.starts_with(&format!("shomei_link={token};")),
        "{cookie}"
    );
    assert!(
        cookie.contains(&format!("Path=/{TENANT}/email/confirm")) && cookie.contains("HttpOnly")
    );
    // The page without the token in its address still confirms with it.
    let (status, page) = app.get(&Page::EmailConfirm.href(TENANT)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(&format!("value=\"{token}\"")),
        "the form carries the token"
    );
    app.confirm_link(&link).await.expect_page(Page::EmailDone);
}

/// A raw GET of `path_and_query`, exactly as sent (no redirect followed).
async fn raw_get(app: &TestApp, path_and_query: &str) -> reqwest::Response {
    let url = reqwest::Url::parse(&format!("{}{path_and_query}", app.base)).unwrap();
    app.client.get(url).send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_in_any_other_address_is_no_redirect_and_sets_no_cookie() {
    let app = TestApp::spawn().await;
    let attacks = [
        "//evil.example/email/confirm?token=AAAA".to_owned(),
        format!("/{TENANT}/home?token=AAAA"),
        format!("/{TENANT}/email/confirm;Path=/;Domain=evil.example?token=AAAA"),
        "/Not-A-Slug!/email/confirm?token=AAAA".to_owned(),
        format!("/{TENANT}/email/confirm/extra?token=AAAA"),
    ];
    for attack in attacks {
        let response = raw_get(&app, &attack).await;

        // Pages may still redirect (to the login page), but never off the site or with a token.
        let location = header(&response, "location");
        assert!(
            !location.starts_with("//")
                && !location.contains("evil")
                && !location.contains("token"),
            "{attack} → {location}"
        );
        assert!(
            !header(&response, "set-cookie").contains("shomei_link"),
            "{attack}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_page_redirects_to_its_own_known_path_whatever_else_the_address_carries() {
    let app = TestApp::spawn().await;
    let link = app.register_email("s1", "s1@example.ac.jp").await;
    let token = token_of(&link);

    let response = raw_get(
        &app,
        &format!(
            "/{TENANT}/email/confirm?x=%0d%0aSet-Cookie:a=b&token={token}&lang=en&y=;Domain=evil"
        ),
    )
    .await;

    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        header(&response, "location"),
        format!("/{TENANT}/email/confirm?lang=en")
    );
    let cookie = header(&response, "set-cookie");
    assert!(
        cookie.starts_with(&format!(
            "shomei_link={token}; Path=/{TENANT}/email/confirm; Max-Age="
        )),
        "{cookie}"
    );
    assert!(
        !cookie.contains("evil") && !cookie.contains("a=b"),
        "{cookie}"
    );
}

fn max_age(cookie: &str) -> i64 {
    cookie
        .split(';')
        .find_map(|part| part.trim().strip_prefix("Max-Age="))
        .expect("a Max-Age")
        .parse()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_link_cookie_never_outlives_its_link_and_ends_when_the_link_is_used() {
    let app = TestApp::spawn_with(Options {
        tenant: |t| t.token_ttl_seconds = Some(120),
        ..Default::default()
    })
    .await;
    let link = app.register_email("s1", "s1@example.ac.jp").await;

    let opened = app.client.get(&link).send().await.unwrap();
    let lifetime = max_age(header(&opened, "set-cookie"));
    let confirmed = app.confirm_link(&link).await;
    let reopened = app.client.get(&link).send().await.unwrap();

    assert!((1..=120).contains(&lifetime), "{lifetime}");
    confirmed.expect_page(Page::EmailDone);
    let spent = confirmed
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("shomei_link="))
        .expect("the used link's cookie is ended");
    assert!(
        spent.starts_with(&format!(
            "shomei_link=; Path=/{TENANT}/email/confirm; Max-Age=0"
        )),
        "{spent}"
    );
    // A used link's page still says why, for a minute at most.
    assert!(max_age(header(&reopened, "set-cookie")) <= 60);
}

/// The `Set-Cookie` that ended the link cookie of `page`, if the answer carries one.
fn ended_link_cookie(answer: &ServerFnAnswer, page: Page) -> bool {
    let ended = format!("shomei_link=; Path={}; Max-Age=0", page.href(TENANT));
    answer
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|cookie| cookie.starts_with(&ended))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_change_and_reset_link_cookies_end_when_their_links_are_used() {
    let app = TestApp::spawn().await;
    app.signed_in("s1", "s1@example.ac.jp").await;
    let change_link = app.email_change_link("s1-new@example.ac.jp").await;
    app.client.get(&change_link).send().await.unwrap();
    let change_token = token_of(&change_link);
    let changed = app
        .call(
            "confirm_email_change",
            &[("tenant", TENANT), ("token", &change_token)],
        )
        .await;
    app.call(
        "request_second_password_reset",
        &[("tenant", TENANT), ("email", "s1-new@example.ac.jp")],
    )
    .await
    .expect_page(Page::SecondPasswordForgotSent);
    let reset_link = link_in(&app.smtp().wait_for("s1-new@example.ac.jp", 2).await.text());
    app.client.get(&reset_link).send().await.unwrap();
    let reset_token = token_of(&reset_link);
    let reset = app
        .call(
            "reset_second_password",
            &[
                ("tenant", TENANT),
                ("token", &reset_token),
                ("new_second_password", "Resetpass2026"),
                ("new_second_password_confirmation", "Resetpass2026"),
            ],
        )
        .await;

    changed.expect_page(Page::EmailChangeDone);
    assert!(
        ended_link_cookie(&changed, Page::EmailChangeConfirm),
        "{changed:?}"
    );
    reset.expect_page(Page::SecondPasswordResetDone);
    assert!(
        ended_link_cookie(&reset, Page::SecondPasswordReset),
        "{reset:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_in_students_pages_are_not_stored() {
    let app = TestApp::spawn().await;
    app.signed_in("s1", "s1@example.ac.jp").await;

    for signed_in_page in [Page::Home, Page::EmailChange, Page::SecondPasswordChange] {
        let response = page(&app, &signed_in_page.href(TENANT)).await;

        assert_eq!(response.status(), StatusCode::OK, "{signed_in_page:?}");
        assert_eq!(
            header(&response, "cache-control"),
            "no-store",
            "{signed_in_page:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_and_answers_are_not_stored_but_the_login_page_and_assets_may_be() {
    let app = TestApp::spawn().await;
    let link = app.register_email("s1", "s1@example.ac.jp").await;

    let link_page = app.client.get(&link).send().await.unwrap();
    let home = page(&app, &Page::Home.href(TENANT)).await;
    let manual = page(&app, &Page::Manual.href(TENANT)).await;
    let not_found = page(&app, "/no/such/page").await;
    let answer = app.call("tenants", &[]).await;
    let login = page(&app, &Page::Login.href(TENANT)).await;

    for response in [&link_page, &home, &manual, &not_found] {
        assert_eq!(
            header(response, "cache-control"),
            "no-store",
            "{}",
            response.url()
        );
    }
    assert_eq!(answer.headers["cache-control"], "no-store");
    assert!(!header(&login, "cache-control").contains("no-store"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_body_beyond_the_cap_is_refused_before_any_work() {
    let app = TestApp::spawn().await;
    let huge = "x".repeat(server::REQUEST_BODY_LIMIT + 1);
    let before = app.directory_checks();

    let answer = app
        .call(
            "login",
            &[
                ("tenant", TENANT),
                ("user_id", "s1"),
                ("password", huge.as_str()),
                ("second_password", ""),
            ],
        )
        .await;

    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(app.directory_checks(), before);
}
