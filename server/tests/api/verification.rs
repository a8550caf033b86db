//! The public verification page (`/v/{id}`) as a verifier's browser meets it: the summary by
//! the id alone, the printed data once the code is right (a grant in a cookie for that page
//! only, the code in no address), wrong and guessed codes, and ids that are no certificate's.

use crate::helpers::*;
use crate::staff::{fresh_application, give_role, issue_beside_the_server, set_up_clerk};
use app::error::{AppError, Field};
use app::routes::Page;
use domain::i18n::{CertificateMsg, FieldMsg};
use reqwest::StatusCode;

/// A PDF enrollment certificate of s1 issued beside the server: its page and its code, read
/// off the PDF as a person reads them.
async fn issued_certificate(app: &TestApp, n: usize) -> (String, String) {
    let (_, page, code) = issued_application(app, n).await;
    (page, code)
}

/// The same with its application's number.
async fn issued_application(app: &TestApp, n: usize) -> (String, String, String) {
    let number = fresh_application(app, "pdf", n).await;
    issue_beside_the_server(app, &number).await;
    let tenant = backend::tenancy::require(&app.db, TENANT).await.unwrap();
    let id = domain::parse_application_number(&number).unwrap();
    let s1 = app.student_id(tenant.id, "s1").await;
    let pdf = app.applications().pdf_of_student(tenant.id, s1, id, 0).await.unwrap().unwrap();
    let (page, code) = printed_page_and_code(&pdf.pdf);
    (number, page, code)
}

/// The verification page's path and the code a certificate prints, by `pdftotext`.
fn printed_page_and_code(pdf: &[u8]) -> (String, String) {
    let text = pdf_text(pdf);
    let page = text
        .split_whitespace()
        .find_map(|word| word.find("/v/").map(|at| word[at..].to_owned()))
        .unwrap_or_else(|| panic!("the page's address in {text}"));
    let code = text
        .split_whitespace()
        .find(|word| domain::VerificationCode::parse(word).is_some() && word.len() == 14)
        .unwrap_or_else(|| panic!("a code in {text}"))
        .to_owned();
    (page, code)
}

fn document_of(page: &str) -> &str {
    page.trim_start_matches("/v/")
}

async fn send_code(app: &TestApp, page: &str, code: &str) -> ServerFnAnswer {
    app.call(
        "verify_code",
        &[("document", document_of(page)), ("code", code)],
    )
    .await
}

#[tokio::test]
async fn the_id_alone_shows_the_university_the_type_and_the_status_and_nothing_personal() {
    let app = TestApp::spawn().await;
    let (page, _) = issued_certificate(&app, 1).await;

    let response = app.client.get(app.url(&page)).send().await.unwrap();
    let headers = response.headers().clone();
    let (status, body) = (response.status(), response.text().await.unwrap());
    let (_, english) = app.get(&format!("{page}?lang=en")).await;

    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("証明書の照合") && body.contains("在学証明書"),
        "{body}"
    );
    assert!(
        body.contains("有効：大学の電子署名を確認しました。"),
        "{body}"
    );
    assert!(body.contains(document_of(&page)));
    assert!(
        body.contains(r#"name="robots" content="noindex, nofollow""#),
        "{body}"
    );
    assert!(!body.contains("山田") && !body.contains("1001"), "{body}");
    assert_eq!(headers["x-robots-tag"], "noindex, nofollow");
    assert_eq!(headers["cache-control"], "no-store");
    assert!(
        english.contains("Certificate verification") && english.contains("Valid: the university"),
        "{english}"
    );
}

#[tokio::test]
async fn the_right_code_shows_what_was_printed_with_the_code_in_no_address() {
    let app = TestApp::spawn().await;
    let (page, code) = issued_certificate(&app, 1).await;

    let answer = send_code(&app, &page, &code).await;
    let (status, body) = app.get(&page).await;

    assert!(
        answer.status.is_success(),
        "{} {}",
        answer.status,
        answer.body
    );
    assert_eq!(answer.location(), Some(page.as_str()));
    let grant = set_cookie_named(&answer.headers, "shomei_verified").expect("a grant");
    assert!(grant.contains(&format!("Path={page};")), "{grant}");
    assert!(
        grant.contains("HttpOnly") && grant.contains("SameSite=Strict"),
        "{grant}"
    );
    assert!(!grant.contains(&code.replace('-', "")) && !grant.contains(&code));
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("証明書の内容") && body.contains("山田 花子"),
        "{body}"
    );
    assert!(body.contains("PDFファイルの照合"), "{body}");
}

#[tokio::test]
async fn a_wrong_code_is_refused_under_its_field_and_shows_nothing_printed() {
    let app = TestApp::spawn().await;
    let (page, _) = issued_certificate(&app, 1).await;

    let wrong = send_code(&app, &page, "AAAA-BBBB-CCCC").await;
    let malformed = send_code(&app, &page, "not a code").await;
    let (_, body) = app.get(&page).await;

    assert_eq!(
        wrong.error(),
        AppError::invalid(Field::VerificationCode, FieldMsg::VerificationCodeWrong)
    );
    assert_eq!(
        malformed.error(),
        AppError::invalid(Field::VerificationCode, FieldMsg::VerificationCodeInvalid)
    );
    assert!(set_cookie_named(&wrong.headers, "shomei_verified").is_none());
    assert!(!body.contains("山田 花子"), "{body}");
}

#[tokio::test]
async fn guesses_wait_after_five_wrong_codes_with_a_message_saying_so() {
    let app = TestApp::spawn().await;
    let (page, code) = issued_certificate(&app, 1).await;
    for _ in 0..5 {
        send_code(&app, &page, "AAAA-BBBB-CCCC").await;
    }
    send_code(&app, &page, "AAAA-BBBB-CCCC").await;

    let right_during_the_delay = send_code(&app, &page, &code).await;

    assert_eq!(
        right_during_the_delay.error(),
        AppError::Refused(CertificateMsg::VerifyWait.into())
    );
}

/// The page at `path` as a fresh browser holding only the cookie `pair` gets it.
async fn page_with_cookie(app: &TestApp, path: &str, pair: &str) -> String {
    let response = client().get(app.url(path)).header("cookie", pair).send().await.unwrap();
    response.text().await.unwrap()
}

#[tokio::test]
async fn a_grant_of_one_certificate_does_not_open_another() {
    let app = TestApp::spawn().await;
    let (first, first_code) = issued_certificate(&app, 1).await;
    let (second, _) = issued_certificate(&app, 2).await;
    let answer = send_code(&app, &first, &first_code).await;
    let grant = set_cookie_named(&answer.headers, "shomei_verified").unwrap();
    let pair = grant.split(';').next().unwrap().to_owned();

    // The cookie's path keeps it from the other page; sent there all the same, it opens nothing.
    let crossed = page_with_cookie(&app, &second, &pair).await;
    let own = page_with_cookie(&app, &first, &pair).await;

    assert!(
        crossed.contains("在学証明書") && !crossed.contains("山田 花子"),
        "{crossed}"
    );
    assert!(own.contains("山田 花子"), "{own}");
}

#[tokio::test]
async fn an_unknown_or_malformed_id_is_404_and_says_which() {
    let app = TestApp::spawn().await;

    let (unknown, unknown_body) = app.get("/v/abcdefghijklmnopqrst").await;
    let (malformed, malformed_body) = app.get("/v/ABC'%3Cscript%3E").await;
    let code_for_nothing = send_code(&app, "/v/abcdefghijklmnopqrst", "AAAA-BBBB-CCCC").await;

    assert_eq!(unknown, StatusCode::NOT_FOUND);
    assert!(
        unknown_body.contains("該当する証明書は見つかりません"),
        "{unknown_body}"
    );
    assert_eq!(malformed, StatusCode::NOT_FOUND);
    assert!(
        malformed_body.contains("証明書IDの形式が正しくありません"),
        "{malformed_body}"
    );
    assert!(!malformed_body.contains("<script>"));
    assert_eq!(code_for_nothing.error(), AppError::NotFound);
}

/// The code's form as a browser without JavaScript sends it from the page.
async fn post_without_javascript(app: &TestApp, page: &str, code: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/verify_code"))
        .header("origin", &app.base)
        .header("accept", "text/html")
        .header("referer", app.url(page))
        .form(&[("document", document_of(page)), ("code", code)])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn without_javascript_a_wrong_code_comes_back_to_the_page_with_its_message() {
    let app = TestApp::spawn().await;
    let (page, code) = issued_certificate(&app, 1).await;

    let wrong = post_without_javascript(&app, &page, "AAAA-BBBB-CCCC").await;
    let back = wrong.headers()["location"].to_str().unwrap().to_owned();
    let (_, refused_page) = app.get(back.trim_start_matches(&app.base)).await;
    let right = post_without_javascript(&app, &page, &code).await;

    assert_eq!(wrong.status(), StatusCode::FOUND);
    assert!(back.starts_with(&app.url(&page)), "{back}");
    assert!(
        refused_page.contains("照合コードが一致しません。"),
        "{refused_page}"
    );
    assert!(!refused_page.contains("山田 花子"));
    assert!(right.status().is_redirection());
    assert_eq!(right.headers()["location"], page.as_str());
}

/// The console's revoke form for line 1 of application `number`.
pub(crate) async fn revoke(app: &TestApp, number: &str, reason: &str) -> ServerFnAnswer {
    let form = [
        ("tenant", TENANT),
        ("number", number),
        ("line", "1"),
        ("reason", reason),
    ];
    app.call("staff/revoke_certificate", &form).await
}

#[tokio::test]
async fn an_admin_revokes_from_the_console_with_a_reason_and_the_page_shows_it_at_once() {
    let app = TestApp::spawn().await;
    let (number, page, _) = issued_application(&app, 1).await;
    set_up_clerk(&app).await;
    app.get(&Page::StaffRecoveryCodes.href(TENANT)).await;
    give_role(&app, "admin").await;
    let console = format!("{}?no={number}", Page::StaffApplication.href(TENANT));
    let (_, before) = app.get(&console).await;
    let unexplained = revoke(&app, &number, "").await;
    let revoked = revoke(&app, &number, "reissued").await;
    let (_, public) = app.get(&page).await;
    let (_, after) = app.get(&console).await;
    let again = revoke(&app, &number, "misuse").await;

    assert!(
        before.contains("発行した証明書") && before.contains(&page),
        "{before}"
    );
    assert!(before.contains("失効させる"), "{before}");
    assert_eq!(
        unexplained.error(),
        AppError::invalid(Field::Reason, FieldMsg::ChooseRevocationReason)
    );
    assert!(
        revoked.location().is_some_and(|l| l.ends_with("&done=revoked")),
        "{} {}",
        revoked.status,
        revoked.body
    );
    assert!(
        public.contains("失効：") && public.contains("再発行による差し替え"),
        "{public}"
    );
    assert!(after.contains("に失効（再発行による差し替え）"), "{after}");
    assert!(!after.contains("失効させる —"), "{after}");
    assert_eq!(
        again.error(),
        AppError::Refused(CertificateMsg::RefusedAlreadyRevoked.into())
    );
}

#[tokio::test]
async fn an_issued_pdf_carries_its_record_signed_by_a_key_the_jwks_publishes() {
    use base64::Engine;
    let app = TestApp::spawn().await;
    let number = fresh_application(&app, "pdf", 1).await;
    issue_beside_the_server(&app, &number).await;
    let tenant = backend::tenancy::require(&app.db, TENANT).await.unwrap();
    let id = domain::parse_application_number(&number).unwrap();
    let s1 = app.student_id(tenant.id, "s1").await;
    let pdf = app.applications().pdf_of_student(tenant.id, s1, id, 0).await.unwrap().unwrap();

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("certificate.pdf"), &pdf.pdf).unwrap();
    let detached = std::process::Command::new("pdfdetach")
        .args(["-save", "1", "-o", "record.json", "certificate.pdf"])
        .current_dir(dir.path())
        .status()
        .expect("pdfdetach (scripts/setup.sh installs poppler-utils)");
    let embedded: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("record.json")).unwrap()).unwrap();
    let jwks: serde_json::Value = app
        .client
        .get(embedded["keys"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let record = &embedded["record"];
    let jwk = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|key| key["kid"] == record["kid"])
        .expect("the record's key in the JWKS");
    let decode = |text: &serde_json::Value| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(text.as_str().unwrap())
            .unwrap()
    };
    let key =
        ed25519_dalek::VerifyingKey::from_bytes(&decode(&jwk["x"]).try_into().unwrap()).unwrap();
    let signature = ed25519_dalek::Signature::from_slice(&decode(&embedded["signature"])).unwrap();
    let canonical = serde_json_canonicalizer::to_vec(record).unwrap();
    let mut altered = record.clone();
    altered["facts"][0][1] = serde_json::json!("山田 太郎");
    let altered = serde_json_canonicalizer::to_vec(&altered).unwrap();

    assert!(detached.success());
    assert_eq!(embedded["format"], "shomei-embedded-record/1");
    assert!(key.verify_strict(&canonical, &signature).is_ok());
    assert!(key.verify_strict(&altered, &signature).is_err());
    assert_eq!(record["facts"][0][1], "山田 花子");
    assert_eq!(record["number"], format!("{number}-1"));
    assert!(
        record["pdf_sha256"].is_null(),
        "a file cannot hold its own hash"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_verification_page_is_kept_in_memory_and_a_revocation_drops_it_at_once() {
    use backend::entities::tenant;
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};
    let app = TestApp::spawn_with(Options {
        configure: |settings| settings.login_page_cache_seconds = 60,
        ..Default::default()
    })
    .await;
    let (number, page, _) = issued_application(&app, 1).await;
    // Each verifier's own browser: no cookie of this test's student or staff.
    let verifier = |path: String| {
        let url = app.url(&path);
        async move { client().get(url).send().await.unwrap().text().await.unwrap() }
    };
    let first = verifier(page.clone()).await;
    let university = tenant::Entity::find_by_id(app.tenant_id).one(&app.db).await.unwrap().unwrap();
    let mut renamed: tenant::ActiveModel = university.into();
    renamed.name = Set("改称した大学".to_owned());
    renamed.update(&app.db).await.unwrap();

    let kept = verifier(page.clone()).await;
    set_up_clerk(&app).await;
    app.get(&Page::StaffRecoveryCodes.href(TENANT)).await;
    give_role(&app, "admin").await;
    let revoked = revoke(&app, &number, "misuse").await;
    let after = verifier(page.clone()).await;

    assert!(first.contains("有効"), "{first}");
    assert!(!kept.contains("改称した大学"), "served from memory: {kept}");
    assert!(revoked.location().is_some_and(|l| l.ends_with("&done=revoked")));
    assert!(
        after.contains("失効：") && after.contains("改称した大学"),
        "{after}"
    );
}
