use crate::helpers::*;
use backend::entities::tenant;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use std::time::Duration;

const OLD_NOTES: &str = "テスト大学の注意事項です。";
const NEW_NOTES: &str = "新しい注意事項です。";

struct Page {
    nonce: String,
    html: String,
}

/// GETs `path` as a fresh browser with `headers`, returning the page and its policy's nonce.
async fn page(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> Page {
    let mut request = client().get(app.url(path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let policy = response.headers()["content-security-policy"].to_str().unwrap().to_owned();
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the policy")
        .to_owned();
    Page {
        nonce,
        html: response.text().await.unwrap(),
    }
}

async fn change_notes(app: &TestApp) {
    let university = tenant::Entity::find_by_id(app.tenant_id).one(&app.db).await.unwrap().unwrap();
    let mut change: tenant::ActiveModel = university.into();
    change.notes_ja = Set(Some(NEW_NOTES.to_owned()));
    change.update(&app.db).await.unwrap();
}

fn keeping_pages_for_two_seconds() -> Options {
    Options {
        configure: |settings| settings.login_page_cache_seconds = 2,
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_login_page_is_kept_for_a_few_seconds_and_each_copy_gets_its_own_nonce() {
    let app = TestApp::spawn_with(keeping_pages_for_two_seconds()).await;
    let login = app::routes::Page::Login.href(TENANT);
    let first = page(&app, &login, &[]).await;
    change_notes(&app).await;

    let kept = page(&app, &login, &[]).await;
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let renewed = page(&app, &login, &[]).await;

    assert!(first.html.contains(OLD_NOTES));
    assert!(kept.html.contains(OLD_NOTES), "served from memory");
    assert_ne!(kept.nonce, first.nonce);
    assert!(kept.html.contains(&format!("nonce=\"{}\"", kept.nonce)));
    assert!(
        !kept.html.contains(&first.nonce),
        "no trace of the first nonce"
    );
    assert!(
        renewed.html.contains(NEW_NOTES),
        "rendered again after its time"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_page_with_a_query_or_a_cookie_of_its_own_is_rendered_afresh() {
    let app = TestApp::spawn_with(keeping_pages_for_two_seconds()).await;
    let login = app::routes::Page::Login.href(TENANT);
    page(&app, &login, &[]).await;
    change_notes(&app).await;

    let with_query = page(&app, &format!("{login}?lang=ja"), &[]).await;
    let with_session = page(&app, &login, &[("cookie", "shomei_session=abc")]).await;
    let with_language_only = page(&app, &login, &[("cookie", "shomei_lang=ja")]).await;

    assert!(with_query.html.contains(NEW_NOTES));
    assert!(with_session.html.contains(NEW_NOTES));
    assert!(
        with_language_only.html.contains(OLD_NOTES),
        "the same page for all"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_language_and_framing_has_its_own_kept_page() {
    let app = TestApp::spawn_with(keeping_pages_for_two_seconds()).await;
    let login = app::routes::Page::Login.href(TENANT);
    page(&app, &login, &[]).await;

    let english = page(&app, &login, &[("cookie", "shomei_lang=en")]).await;
    let framed = page(&app, &login, &[("sec-fetch-dest", "iframe")]).await;
    let plain = page(&app, &login, &[]).await;

    assert!(english.html.contains("lang=\"en\""));
    assert!(framed.html.contains("target=\"_top\""));
    assert!(!plain.html.contains("target=\"_top\"") && plain.html.contains("lang=\"ja\""));
}
