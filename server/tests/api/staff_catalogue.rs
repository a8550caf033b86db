//! The certificate catalogue in the staff console through HTTP: every member reads it, an
//! admin edits it as TOML, reviews the changes and saves them; a fault is shown with where it
//! is and saves nothing.

use super::staff::{between, give_role, set_up_clerk};
use crate::helpers::*;
use app::error::AppError;
use app::routes::Page;
use backend::certificates::catalogue_console;
use backend::platform::audit::Actor;
use domain::i18n::CertificateMsg;
use reqwest::StatusCode;

const DEMO_CATALOGUE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../catalogues/demo.toml");

/// The editor's text and version as an admin's page would give them, the demo catalogue
/// imported first if the university has none.
pub(super) async fn editor_text(app: &TestApp) -> (String, String) {
    let admin = domain::StaffMember {
        id: 0,
        tenant_id: app.tenant_id,
        login_id: "test".to_owned(),
        role: domain::StaffRole::Admin,
    };
    let actor = Actor::new("192.0.2.1".to_owned(), "test");
    let mut sheet = catalogue_console::sheet(&app.db, (&admin, &actor), app.tenant_id)
        .await
        .unwrap();
    if sheet.catalogue.types.is_empty() {
        let imported = app.cli(&["catalogue", "import", "--tenant", TENANT, DEMO_CATALOGUE]);
        assert!(imported.status.success(), "{imported:?}");
        sheet = catalogue_console::sheet(&app.db, (&admin, &actor), app.tenant_id)
            .await
            .unwrap();
    }
    (sheet.text, sheet.version)
}

/// Sends `text` for review as the signed-in admin; the edit's id from where the browser is
/// sent.
async fn check(app: &TestApp, text: &str, version: &str) -> String {
    let form = [("tenant", TENANT), ("text", text), ("version", version)];
    let answer = app.call("staff/catalogue_check", &form).await;
    let location = answer.location().unwrap_or_else(|| panic!("{}", answer.body));
    between(location, "?draft=", "#").to_owned()
}

/// An unchanged catalogue sent for review as the signed-in admin: its id.
pub(super) async fn checked_draft(app: &TestApp) -> String {
    let (text, version) = editor_text(app).await;
    check(app, &text, &version).await
}

#[tokio::test]
async fn an_admin_reviews_and_saves_a_new_fee_and_a_clerk_only_reads_the_catalogue() {
    let app = TestApp::spawn().await;
    set_up_clerk(&app).await;
    app.get(&Page::StaffRecoveryCodes.href(TENANT)).await;
    let (text, version) = editor_text(&app).await;
    let page = Page::StaffCatalogue.href(TENANT);

    let (clerk_status, clerk_page) = app.get(&page).await;
    let clerk_checks = app
        .call(
            "staff/catalogue_check",
            &[("tenant", TENANT), ("text", &text), ("version", &version)],
        )
        .await;
    give_role(&app, "admin").await;
    let (_, admin_page) = app.get(&page).await;
    let dearer = text.replacen("fee = 300\n", "fee = 350\n", 1);
    let draft = check(
        &app,
        &dearer,
        between(&admin_page, "name=\"version\" value=\"", "\""),
    )
    .await;
    let (_, review) = app.get(&format!("{page}?draft={draft}")).await;
    let saved = app
        .call(
            "staff/catalogue_save",
            &[("tenant", TENANT), ("draft", &draft)],
        )
        .await;
    let again = app
        .call(
            "staff/catalogue_save",
            &[("tenant", TENANT), ("draft", &draft)],
        )
        .await;
    let (_, after) = app.get(&format!("{page}?done=saved")).await;

    assert_eq!(clerk_status, StatusCode::OK);
    assert!(clerk_page.contains("証明書カタログ") && clerk_page.contains("成績証明書"));
    assert!(
        !clerk_page.contains("変更を確認する"),
        "no editor for a clerk"
    );
    assert_eq!(clerk_checks.status, StatusCode::FORBIDDEN);
    assert!(
        admin_page.contains("fee = 300"),
        "the editor holds the catalogue"
    );
    assert!(review.contains("変更: 成績証明書 (transcript)"), "{review}");
    assert!(review.contains("この内容で保存する"));
    assert!(saved.location().is_some_and(|l| l.ends_with("?done=saved")));
    assert_eq!(again.error(), AppError::NotFound, "an edit saves once");
    assert!(
        after.contains("カタログを保存しました") && after.contains("350円"),
        "{after}"
    );
    let (_, audit) = app.get(&Page::StaffAudit.href(TENANT)).await;
    assert!(audit.contains("証明書カタログの変更"), "{audit}");
}

#[tokio::test]
async fn a_faulty_edit_is_shown_with_its_place_and_cannot_be_saved() {
    let app = TestApp::spawn().await;
    set_up_clerk(&app).await;
    app.get(&Page::StaffRecoveryCodes.href(TENANT)).await;
    give_role(&app, "admin").await;
    let (text, version) = editor_text(&app).await;
    let faulty = text.replacen("fee = 300\n", "fee = 100001\n", 1);
    let unreadable = text.replacen("fee = 300\n", "fee = \n", 1);

    let draft = check(&app, &faulty, &version).await;
    let (_, review) = app
        .get(&format!(
            "{}?draft={draft}",
            Page::StaffCatalogue.href(TENANT)
        ))
        .await;
    let saved = app
        .call(
            "staff/catalogue_save",
            &[("tenant", TENANT), ("draft", &draft)],
        )
        .await;
    let broken = check(&app, &unreadable, &version).await;
    let (_, broken_review) = app
        .get(&format!(
            "{}?draft={broken}",
            Page::StaffCatalogue.href(TENANT)
        ))
        .await;

    assert!(
        review.contains(
            "証明書の種類の2件目（transcript）: fee は0から100000までの整数（円）にしてください。"
        ),
        "{review}"
    );
    assert!(!review.contains("この内容で保存する"));
    assert!(
        review.contains("fee = 100001"),
        "the edit stays in the editor to be corrected"
    );
    assert_eq!(
        saved.error(),
        AppError::Refused(CertificateMsg::CatalogueFaulty.into())
    );
    assert!(
        broken_review.contains("TOMLとして読めません"),
        "{broken_review}"
    );
    assert!(broken_review.contains("line "), "the reader says where");
    assert_eq!(editor_text(&app).await.0, text, "nothing was saved");
}
