use crate::helpers::*;
use reqwest::StatusCode;

/// Every server function the app registers, found at run time: a new one is covered
/// without anyone adding it to a list.
fn registered_endpoints() -> Vec<String> {
    let mut paths: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .collect();
    paths.sort();
    paths
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_server_function_refuses_a_cross_site_request() {
    let app = TestApp::spawn().await;
    let endpoints = registered_endpoints();
    assert!(endpoints.len() >= 20, "{endpoints:?}");
    assert!(endpoints.iter().any(|p| p.ends_with("/login")));

    for path in &endpoints {
        let by_fetch_metadata = app
            .client
            .post(app.url(path))
            .header("sec-fetch-site", "cross-site")
            .header("origin", "https://evil.example")
            .form(&[("tenant", TENANT)])
            .send()
            .await
            .unwrap();
        let by_origin_only = app
            .client
            .post(app.url(path))
            .header("origin", "https://evil.example")
            .form(&[("tenant", TENANT)])
            .send()
            .await
            .unwrap();
        let from_a_sibling_site = app
            .client
            .post(app.url(path))
            .header("sec-fetch-site", "same-site")
            .form(&[("tenant", TENANT)])
            .send()
            .await
            .unwrap();
        for (how, response) in [
            ("Sec-Fetch-Site: cross-site", by_fetch_metadata),
            ("Origin only", by_origin_only),
            ("Sec-Fetch-Site: same-site", from_a_sibling_site),
        ] {
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path} ({how})");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_apps_own_pages_may_call_every_server_function() {
    let app = TestApp::spawn().await;
    for path in registered_endpoints() {
        let response = app
            .client
            .post(app.url(&path))
            .header("sec-fetch-site", "same-origin")
            .header("origin", &app.base)
            .form(&[("tenant", TENANT)])
            .send()
            .await
            .unwrap();
        assert_ne!(response.status(), StatusCode::FORBIDDEN, "{path}");
    }
}
