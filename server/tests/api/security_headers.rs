use crate::helpers::*;
use reqwest::StatusCode;

fn header<'a>(response: &'a reqwest::Response, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

async fn page(app: &TestApp, path: &str) -> reqwest::Response {
    app.client.get(app.url(path)).send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_allows_only_scripts_carrying_its_own_nonce() {
    let app = TestApp::spawn().await;

    let response = page(&app, &format!("/{TENANT}/login")).await;
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
    let path = format!("/{TENANT}/login");
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

    let login = page(&app, &format!("/{TENANT}/login")).await;
    let manual = page(&app, &format!("/{TENANT}/manual")).await;
    let script = app
        .client
        .get(app.url("/api/tenants"))
        .send()
        .await
        .unwrap();

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
    let login = page(&app, &format!("/{TENANT}/login")).await;
    assert!(header(&login, "content-security-policy").ends_with("frame-ancestors 'none'"));
    assert_eq!(header(&login, "x-frame-options"), "DENY");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answer_says_nosniff_and_keeps_its_referrer_on_this_site() {
    let app = TestApp::spawn().await;
    for path in [
        "/",
        &format!("/{TENANT}/login"),
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
    let response = page(&app, &format!("/{TENANT}/login")).await;
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
    assert_eq!(
        header(&opened, "location"),
        format!("/{TENANT}/email/confirm")
    );
    let cookie = header(&opened, "set-cookie");
    assert!(
        cookie.starts_with(&format!("shomei_link={token};")),
        "{cookie}"
    );
    assert!(
        cookie.contains(&format!("Path=/{TENANT}/email/confirm")) && cookie.contains("HttpOnly")
    );
    // The page without the token in its address still confirms with it.
    let (status, page) = app.get(&format!("/{TENANT}/email/confirm")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(&format!("value=\"{token}\"")),
        "the form carries the token"
    );
    app.confirm_link(&link).await.expect_redirect("/email/done");
}
