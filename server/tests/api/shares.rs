//! Shares as a student and a recipient meet them: the student's page with the consent, the
//! recipient's page and PDF, the access log, revoking, and another student's share or
//! certificate reached by changing the number or the id.

use crate::helpers::*;
use crate::staff::{fresh_application, issue_beside_the_server};
use app::error::{AppError, Field};
use app::routes::Page;
use domain::i18n::FieldMsg;
use reqwest::StatusCode;

const IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 \
                      (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";

fn shares_page(query: &str) -> String {
    format!("{}{query}", Page::CertificatesShares.href(TENANT))
}

fn share_form<'a>(number: &'a str, consent: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("tenant", TENANT),
        ("number", number),
        ("line", "1"),
        ("recipient", "株式会社サンプル 人事部"),
        ("days", "30"),
        ("consent", consent),
    ]
}

/// The first share link a shares page shows: its path (`/s/{token}`).
fn share_path(page: &str) -> String {
    let at = page.find("/s/").unwrap_or_else(|| panic!("a share link in {page}"));
    page[at..at + 3 + domain::ShareToken::LEN].to_owned()
}

/// A recipient's browser: no cookie of the student's, an iPhone's name.
fn recipient() -> reqwest::Client {
    reqwest::Client::builder()
        .user_agent(IPHONE)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn get_as(client: &reqwest::Client, app: &TestApp, path: &str) -> (StatusCode, String) {
    let response = client.get(app.url(path)).send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

#[tokio::test]
async fn a_student_shares_a_certificate_and_sees_each_opening_until_revoking_it() {
    let app = TestApp::spawn().await;
    app.complete_first_login("s1", "s1@example.ac.jp").await;
    app.login("s1", PASSWORD, SECOND_PASSWORD).await.expect_page(Page::Home);
    let number = fresh_application(&app, "pdf", 1).await;
    issue_beside_the_server(&app, &number).await;

    let (_, form_page) = app.get(&shares_page(&format!("?no={number}&line=1"))).await;
    let without_consent = app.call("create_share", &share_form(&number, "")).await;
    let created = app.call("create_share", &share_form(&number, "yes")).await;
    let (_, list) = app.get(&shares_page("")).await;
    let path = share_path(&list);
    let (shown, shown_page) = get_as(&recipient(), &app, &path).await;
    let pdf = recipient().get(app.url(&format!("{path}/pdf"))).send().await.unwrap();
    let (pdf_status, pdf_type) = (pdf.status(), pdf.headers()["content-type"].clone());
    let (_, logged) = app.get(&shares_page("")).await;
    let share_id = logged.split("name=\"share\" value=\"").nth(1).unwrap().split('"').next();
    let revoked = app
        .call(
            "revoke_share",
            &[("tenant", TENANT), ("share", share_id.unwrap())],
        )
        .await;
    let (after, after_page) = get_as(&recipient(), &app, &path).await;
    let (pdf_after, _) = get_as(&recipient(), &app, &format!("{path}/pdf")).await;

    assert!(
        form_page.contains("個人情報の第三者提供への同意"),
        "{form_page}"
    );
    assert_eq!(
        without_consent.error(),
        AppError::invalid(Field::ShareConsent, FieldMsg::ShareConsentRequired)
    );
    assert!(
        created.location().is_some_and(|l| l.contains("?created=")),
        "{} {}",
        created.status,
        created.body
    );
    assert_eq!(shown, StatusCode::OK);
    assert!(shown_page.contains("山田 花子"), "{shown_page}");
    assert!(shown_page.contains("株式会社サンプル 人事部"));
    assert_eq!(pdf_status, StatusCode::OK);
    assert_eq!(pdf_type, "application/pdf");
    assert!(
        logged.contains("内容を表示") && logged.contains("PDFを保存"),
        "{logged}"
    );
    assert!(logged.contains("127.0.0.x") && logged.contains("Safari · iPhone"));
    assert!(revoked.location().is_some_and(|l| l.ends_with("?revoked=1")));
    assert_eq!(after, StatusCode::GONE);
    assert!(
        after_page.contains("この共有は取り消されています"),
        "{after_page}"
    );
    assert!(!after_page.contains("山田 花子"));
    assert_eq!(pdf_after, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn another_students_certificate_or_share_is_not_found_by_changing_the_number_or_the_id() {
    let app = TestApp::spawn().await;
    let number = fresh_application(&app, "pdf", 1).await;
    issue_beside_the_server(&app, &number).await;
    let tenant = backend::tenancy::require(&app.db, TENANT).await.unwrap();
    let s1 = app.student_id(tenant.id, "s1").await;
    let issuing = server::issuing(&app.db, &app.settings);
    let shares = backend::certificates::Shares {
        verifications: backend::certificates::Verifications {
            db: app.db.clone(),
            clock: backend::platform::clock::Clock::system(),
            keys: issuing.keys,
            public_url: issuing.public_url,
        },
    };
    let id = domain::parse_application_number(&number).unwrap();
    let request = backend::certificates::ShareRequest {
        recipient: "人事部".to_owned(),
        days: 30,
        consented: true,
    };
    let (token, share_id) = shares.create((tenant.id, s1), (id, 0), &request).await.unwrap();
    app.complete_first_login("s2", "s2@example.ac.jp").await;
    app.login("s2", PASSWORD, SECOND_PASSWORD).await.expect_page(Page::Home);

    let (form, _) = app.get(&shares_page(&format!("?no={number}&line=1"))).await;
    let created = app.call("create_share", &share_form(&number, "yes")).await;
    let share_id = share_id.to_string();
    let revoked = app.call("revoke_share", &[("tenant", TENANT), ("share", &share_id)]).await;
    let (_, own_list) = app.get(&shares_page("")).await;
    let (still, _) = get_as(&recipient(), &app, &format!("/s/{}", token.as_str())).await;
    let (unknown, _) = get_as(&recipient(), &app, &format!("/s/{}", "a".repeat(32))).await;
    let (malformed, _) = get_as(&recipient(), &app, "/s/not-a-token").await;

    assert_eq!(form, StatusCode::NOT_FOUND);
    assert_eq!(created.error(), AppError::NotFound);
    assert_eq!(revoked.error(), AppError::NotFound);
    assert!(!own_list.contains("人事部"), "{own_list}");
    assert_eq!(still, StatusCode::OK);
    assert_eq!(unknown, StatusCode::NOT_FOUND);
    assert_eq!(malformed, StatusCode::NOT_FOUND);
}
