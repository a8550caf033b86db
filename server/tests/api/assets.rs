use crate::helpers::*;
use reqwest::header::{CONTENT_ENCODING, CONTENT_TYPE};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_that_accepts_brotli_gets_the_precompressed_wasm_and_others_the_plain_one() {
    let site = tempfile::tempdir().unwrap();
    let pkg = site.path().join("pkg");
    std::fs::create_dir(&pkg).unwrap();
    std::fs::write(pkg.join("shomei_bg.wasm"), b"\0asm plain").unwrap();
    std::fs::write(pkg.join("shomei_bg.wasm.br"), b"brotli bytes").unwrap();
    let app = TestApp::spawn_with(Options {
        site_root: Some(site.path().to_owned()),
        ..Default::default()
    })
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
