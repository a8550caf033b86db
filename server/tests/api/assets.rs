use crate::helpers::*;
use reqwest::header::{CONTENT_ENCODING, CONTENT_TYPE};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_that_accepts_brotli_gets_the_precompressed_wasm_and_others_the_plain_one() {
    let (app, _site) = app_with_site(&[
        ("shomei_bg.wasm", b"\0asm plain"),
        ("shomei_bg.wasm.br", b"brotli bytes"),
    ])
    .await;
    let wasm = app.url("/pkg/shomei_bg.wasm");

    let brotli = app
        .client
        .get(&wasm)
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    let plain = app.client.get(&wasm).send().await.unwrap();

    assert_eq!(brotli.headers()[CONTENT_ENCODING], "br");
    assert_eq!(brotli.headers()[CONTENT_TYPE], "application/wasm");
    assert_eq!(brotli.bytes().await.unwrap().as_ref(), b"brotli bytes");
    assert!(plain.headers().get(CONTENT_ENCODING).is_none());
    assert_eq!(plain.bytes().await.unwrap().as_ref(), b"\0asm plain");
}

/// A site root `site/` with `pkg/` holding `files`, in a folder of its own that the test may
/// also write beside the site.
async fn app_with_site(files: &[(&str, &[u8])]) -> (TestApp, tempfile::TempDir) {
    let folder = tempfile::tempdir().unwrap();
    let pkg = folder.path().join("site").join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    for (name, bytes) in files {
        std::fs::write(pkg.join(name), bytes).unwrap();
    }
    let app = TestApp::spawn_with(Options {
        site_root: Some(folder.path().join("site")),
        ..Default::default()
    })
    .await;
    (app, folder)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_with_a_current_copy_gets_304_without_a_body() {
    let (app, _site) = app_with_site(&[("shomei.css", b"body{}")]).await;
    let css = app.url("/pkg/shomei.css");
    let first = app.client.get(&css).send().await.unwrap();
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(first.headers()[CONTENT_TYPE], "text/css; charset=utf-8");
    assert_eq!(first.headers()["cache-control"], "no-cache");

    let again = app.client.get(&css).header("if-none-match", &etag).send().await.unwrap();

    assert_eq!(again.status(), reqwest::StatusCode::NOT_MODIFIED);
    assert!(again.bytes().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gzip_is_sent_to_a_browser_that_refuses_brotli_and_each_copy_has_its_own_etag() {
    let (app, _site) = app_with_site(&[
        ("shomei.js", b"plain"),
        ("shomei.js.br", b"brotli"),
        ("shomei.js.gz", b"gzip"),
    ])
    .await;
    let js = app.url("/pkg/shomei.js");

    let gzip = app
        .client
        .get(&js)
        .header("accept-encoding", "gzip, br;q=0")
        .send()
        .await
        .unwrap();
    let brotli = app.client.get(&js).header("accept-encoding", "br").send().await.unwrap();

    assert_eq!(gzip.headers()[CONTENT_ENCODING], "gzip");
    assert_eq!(gzip.headers()["vary"], "accept-encoding");
    assert_ne!(gzip.headers()["etag"], brotli.headers()["etag"]);
    assert_eq!(gzip.bytes().await.unwrap().as_ref(), b"gzip");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_outside_the_built_files_is_served() {
    let (app, folder) = app_with_site(&[("shomei.css", b"body{}")]).await;
    // Beside the site root, where a path that climbs out of `pkg/` twice would land.
    std::fs::write(folder.path().join("secret.txt"), b"not an asset").unwrap();

    for path in [
        "/pkg/../../secret.txt",
        "/pkg/%2e%2e/%2e%2e/secret.txt",
        "/pkg/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/pkg/..%5c..%5csecret.txt",
        "/pkg/.hidden",
        "/pkg/missing.css",
    ] {
        let url = reqwest::Url::parse(&format!("{}{path}", app.base)).unwrap();
        let response = app.client.get(url).send().await.unwrap();
        let body = response.text().await.unwrap();
        assert!(!body.contains("not an asset"), "{path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_asset_carries_the_headers_of_every_answer() {
    let (app, _site) = app_with_site(&[("shomei.css", b"body{}")]).await;

    let css = app.client.get(app.url("/pkg/shomei.css")).send().await.unwrap();

    let headers = css.headers();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["referrer-policy"], "same-origin");
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_link_assets_by_content_hash_which_browsers_may_keep_for_good() {
    let (app, _site) = app_with_site(&[
        ("shomei.js", b"export default function(){}"),
        ("shomei.wasm", b"\0asm"),
        ("shomei.css", b"body{}"),
    ])
    .await;

    let (_, html) = app.get(&Page::Login.href(TENANT)).await;
    let css = html
        .split('"')
        .find(|part| part.starts_with("/pkg/shomei.") && part.ends_with(".css"))
        .expect("the page links its stylesheet")
        .to_owned();
    let hashed = app.client.get(app.url(&css)).send().await.unwrap();
    let plain = app.client.get(app.url("/pkg/shomei.css")).send().await.unwrap();
    let stale = app
        .client
        .get(app.url("/pkg/shomei.00000000000000000000000000000000.css"))
        .send()
        .await
        .unwrap();

    assert_ne!(css, "/pkg/shomei.css", "the name carries a hash");
    assert!(html.contains("/pkg/shomei.") && !html.contains("/pkg/shomei.js\""));
    assert_eq!(
        hashed.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(plain.headers()["cache-control"], "no-cache");
    // A name with another hash is not this content: it is never kept for good.
    assert_eq!(stale.headers()["cache-control"], "no-cache");
    assert_eq!(hashed.bytes().await.unwrap().as_ref(), b"body{}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_go_out_compressed_to_a_browser_that_accepts_it() {
    let app = TestApp::spawn().await;
    let get = |path: String, encodings: Option<&'static str>| {
        let request = app.client.get(app.url(&path));
        let request = match encodings {
            Some(encodings) => request.header("accept-encoding", encodings),
            None => request,
        };
        async move { request.send().await.unwrap() }
    };
    let login = Page::Login.href(TENANT);

    let brotli = get(login.clone(), Some("br, gzip")).await;
    let gzip = get(Page::Manual.href(TENANT), Some("gzip")).await;
    let plain = get(login, None).await;

    assert_eq!(brotli.headers()[CONTENT_ENCODING], "br");
    assert!(brotli.headers()[CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
    assert_eq!(gzip.headers()[CONTENT_ENCODING], "gzip");
    assert!(plain.headers().get(CONTENT_ENCODING).is_none());
    let (compressed, whole) = (brotli.bytes().await.unwrap(), plain.bytes().await.unwrap());
    assert!(
        compressed.len() * 2 < whole.len(),
        "{} of {}",
        compressed.len(),
        whole.len()
    );
    assert!(String::from_utf8_lossy(&whole).contains("在学生ログイン"));
}
