//! `各種証明書のオンライン申請` through the real server: the order form, its confirmation
//! page (whose address carries only a key), paying from the balance once however often
//! `申請する` is sent, the receipt mail, `申請履歴`, and another student's application or draft
//! by changing the address or the form.

use crate::helpers::*;
use backend::certificates::ApplicationRequest;
use backend::platform::audit::Actor;
use backend::wallet::IdempotencyKey;
use domain::i18n::Lang;
use domain::{CatalogueCode, OrderLine};
use reqwest::StatusCode;

const DEMO_CATALOGUE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../catalogues/demo.toml");

async fn with_catalogue() -> TestApp {
    let app = TestApp::spawn().await;
    let imported = app.cli(&["catalogue", "import", "--tenant", TENANT, DEMO_CATALOGUE]);
    assert!(imported.status.success(), "{imported:?}");
    app
}

/// A transcript in English and two enrollment certificates, posted to Hongo.
fn posted_order() -> Vec<(&'static str, &'static str)> {
    vec![
        ("tenant", TENANT),
        ("lines[0][code]", "enrollment"),
        ("lines[0][lang]", "ja"),
        ("lines[0][copies]", "2"),
        ("lines[1][code]", "enrollment"),
        ("lines[1][lang]", "en"),
        ("lines[1][copies]", "0"),
        ("lines[2][code]", "transcript"),
        ("lines[2][lang]", "en"),
        ("lines[2][copies]", "1"),
        ("delivery", "post"),
        ("address[postal_code]", "１１３－００３３"),
        ("address[prefecture]", "東京都"),
        ("address[city]", "文京区"),
        ("address[street]", "本郷7-3-1"),
        ("address[building]", ""),
        ("address[recipient]", "山田 花子"),
        ("address[country]", ""),
        ("purpose", "就職活動"),
    ]
}

/// The confirmation page's key, from the review's redirect.
async fn review(app: &TestApp, form: &[(&str, &str)]) -> String {
    let answer = app.call("review_application", form).await;
    let location = answer.location().unwrap_or_else(|| panic!("a redirect: {}", answer.body));
    let (path, key) = location.split_once("?key=").expect("a key");
    assert_eq!(path, Page::CertificatesConfirm.href(TENANT));
    key.to_owned()
}

/// The confirmation page of draft `key`, as the browser gets it.
async fn confirmation_page(app: &TestApp, key: &str) -> String {
    let href = format!("{}?key={key}", Page::CertificatesConfirm.href(TENANT));
    app.get(&href).await.1
}

/// Applies draft `key` at whatever its total is now: the application's address and number.
async fn submit(app: &TestApp, key: &str) -> (String, String) {
    let place = app
        .call("submit_application", &[("tenant", TENANT), ("key", key)])
        .await
        .location()
        .expect("a redirect to the application")
        .to_owned();
    let number = place.split("no=").nth(1).unwrap().split('&').next().unwrap().to_owned();
    (place, number)
}

async fn application_count(app: &TestApp) -> u64 {
    use sea_orm::{EntityTrait, PaginatorTrait};
    backend::entities::application::Entity::find().count(&app.db).await.unwrap()
}

#[tokio::test]
async fn a_student_applies_by_post_pays_once_for_a_double_click_and_gets_a_receipt() {
    let app = with_catalogue().await;
    app.signed_in("s1", "s1@example.ac.jp").await;
    app.put_on_card(app.tenant_id, "s1", 2000, "入金").await;
    let mails_before = app.smtp().mails_to("s1@example.ac.jp").len();

    let (status, form_page) = app.get(&Page::Certificates.href(TENANT)).await;
    let key = review(&app, &posted_order()).await;
    let confirm_page = confirmation_page(&app, &key).await;
    let first = app.call("submit_application", &[("tenant", TENANT), ("key", &key)]).await;
    let second = app.call("submit_application", &[("tenant", TENANT), ("key", &key)]).await;

    assert_eq!(status, StatusCode::OK);
    assert!(form_page.contains("在学証明書"));
    assert!(form_page.contains("今年度の健康診断の受診が記録されていません"));
    // 2 × 200 + 300 + 110 for the post; the address as a label prints it, never in the URL.
    assert!(confirm_page.contains("810円"), "{confirm_page}");
    assert!(confirm_page.contains("〒113-0033"));
    assert!(confirm_page.contains("就職活動"));
    let place = first.location().expect("a redirect to the application").to_owned();
    assert_eq!(second.location(), Some(place.as_str()));
    assert!(place.starts_with(&format!(
        "{}?no=",
        Page::CertificatesApplication.href(TENANT)
    )));
    assert_eq!(app.card_balance(app.tenant_id, "s1").await, 1190);
    assert_eq!(application_count(&app).await, 1);
    let receipt = app.smtp().wait_for("s1@example.ac.jp", mails_before + 1).await;
    assert!(
        receipt.subject().contains("証明書の申請を受け付けました"),
        "{}",
        receipt.subject()
    );
    assert!(receipt.text().contains("合計: 810円"), "{}", receipt.text());
    let (_, page) = app.get(&place).await;
    assert!(page.contains("申請を受け付けました"));
    assert!(page.contains("受付済"));
    let (_, history) = app.get(&Page::CertificatesHistory.href(TENANT)).await;
    let number = place.split("no=").nth(1).unwrap().split('&').next().unwrap();
    assert!(history.contains(number));
    assert!(history.contains("成績証明書（英文）1部"), "{history}");
}

#[tokio::test]
async fn bad_orders_are_refused_with_a_message_and_nothing_is_written() {
    let app = with_catalogue().await;
    app.signed_in("s1", "s1@example.ac.jp").await;
    app.put_on_card(app.tenant_id, "s1", 5000, "入金").await;
    let with = |changes: &[(&'static str, &'static str)]| {
        let mut form = posted_order();
        for (name, value) in changes {
            form.retain(|(n, _)| n != name);
            form.push((name, value));
        }
        form
    };
    let cases: Vec<(Vec<(&str, &str)>, app::error::AppError)> = vec![
        (
            with(&[("address[postal_code]", "113-003")]),
            app::error::AppError::invalid(
                app::error::Field::PostalCode,
                domain::i18n::FieldMsg::PostalCodeInvalid,
            ),
        ),
        (
            with(&[("address[street]", "本郷\u{7}7-3-1")]),
            app::error::AppError::invalid(
                app::error::Field::Street,
                domain::i18n::FieldMsg::ControlCharacters,
            ),
        ),
        (
            with(&[("lines[0][copies]", "11")]),
            app::error::AppError::invalid(
                app::error::Field::Copies,
                domain::i18n::FieldMsg::CopiesTooMany,
            ),
        ),
        (
            // 健康診断証明書 without this year's check-up, by a crafted form.
            with(&[("lines[0][code]", "health-check")]),
            app::error::AppError::Refused(domain::i18n::CertificateMsg::RefusedNotOrderable.into()),
        ),
        (
            // 学位授与証明書 is for graduates (and is never a PDF).
            with(&[
                ("lines[0][code]", "degree"),
                ("lines[0][copies]", "1"),
                ("delivery", "pdf"),
            ]),
            app::error::AppError::Refused(domain::i18n::CertificateMsg::RefusedNotOrderable.into()),
        ),
        (
            with(&[("lines[0][copies]", "0"), ("lines[2][copies]", "0")]),
            app::error::AppError::Refused(domain::i18n::CertificateMsg::NoLines.into()),
        ),
    ];

    for (form, expected) in cases {
        let refused = app.call("review_application", &form).await;
        assert_eq!(refused.error(), expected, "{form:?}");
    }
    assert_eq!(application_count(&app).await, 0);
    assert_eq!(app.card_balance(app.tenant_id, "s1").await, 5000);
}

#[tokio::test]
async fn a_balance_too_low_shows_the_shortfall_and_a_top_up_link_and_charges_nothing() {
    let app = with_catalogue().await;
    app.signed_in("s1", "s1@example.ac.jp").await;
    app.put_on_card(app.tenant_id, "s1", 500, "入金").await;

    let key = review(&app, &posted_order()).await;
    let confirm_page = confirmation_page(&app, &key).await;
    let refused = app.call("submit_application", &[("tenant", TENANT), ("key", &key)]).await;

    assert!(
        confirm_page.contains("残高が310円不足しています"),
        "{confirm_page}"
    );
    assert!(confirm_page.contains(&Page::Card.href(TENANT)));
    assert!(!confirm_page.contains("申請する</button>"));
    assert_eq!(
        refused.error(),
        app::error::AppError::Refused(domain::i18n::CertificateMsg::InsufficientBalance.into())
    );
    assert_eq!(application_count(&app).await, 0);
    assert_eq!(app.card_balance(app.tenant_id, "s1").await, 500);
}

#[tokio::test]
async fn another_students_application_or_draft_is_not_found_by_changing_the_address_or_the_form() {
    let app = with_catalogue().await;
    app.signed_in("s1", "s1@example.ac.jp").await;
    // s2's application and draft, made beside the server.
    app.put_on_card(app.tenant_id, "s2", 1000, "入金").await;
    let tenant = backend::tenancy::require(&app.db, TENANT).await.unwrap();
    let s2 = app.student_id(app.tenant_id, "s2").await;
    let applications = app.applications();
    let request = ApplicationRequest {
        lines: vec![OrderLine {
            code: CatalogueCode::parse("enrollment").unwrap(),
            lang: Lang::Ja,
            copies: 1,
        }],
        purpose: None,
        delivery: CatalogueCode::parse("pickup").unwrap(),
        address: None,
        lang: Lang::Ja,
    };
    let s2_record = backend::registry::by_id(&app.db, app.tenant_id, s2).await.unwrap().unwrap();
    let (their_draft, _) = applications.draft(app.tenant_id, &s2_record, &request).await.unwrap();
    let theirs = applications
        .apply(
            &Actor::new("192.0.2.1".to_owned(), "test"),
            &tenant,
            s2,
            &request,
            &IdempotencyKey::parse("s2-application-key-1").unwrap(),
        )
        .await
        .unwrap();

    let (page_status, page) = app
        .get(&format!(
            "{}?no={}",
            Page::CertificatesApplication.href(TENANT),
            theirs.number
        ))
        .await;
    let by_form = app
        .call(
            "application_detail",
            &[("tenant", TENANT), ("number", &theirs.number)],
        )
        .await;
    let their_review = app
        .call(
            "application_review",
            &[("tenant", TENANT), ("key", &their_draft)],
        )
        .await;
    let their_submit = app
        .call(
            "submit_application",
            &[("tenant", TENANT), ("key", &their_draft)],
        )
        .await;
    let (_, own_history) = app.get(&Page::CertificatesHistory.href(TENANT)).await;

    assert_eq!(page_status, StatusCode::NOT_FOUND);
    assert!(!page.contains("在学証明書"));
    assert_eq!(by_form.error(), app::error::AppError::NotFound);
    let gone = app::error::AppError::Refused(domain::i18n::CertificateMsg::DraftGone.into());
    assert_eq!(their_review.error(), gone);
    assert_eq!(their_submit.error(), gone);
    assert!(!own_history.contains(&theirs.number));
    assert_eq!(application_count(&app).await, 1);
    assert_eq!(app.card_balance(app.tenant_id, "s2").await, 800);
    assert_eq!(app.card_balance(app.tenant_id, "s1").await, 0);
}

#[tokio::test]
async fn a_student_cancels_while_accepted_and_the_fees_return_but_not_twice_nor_anothers() {
    let app = with_catalogue().await;
    app.signed_in("s1", "s1@example.ac.jp").await;
    app.put_on_card(app.tenant_id, "s1", 2000, "入金").await;
    let key = review(&app, &posted_order()).await;
    let (place, number) = submit(&app, &key).await;
    let (_, before) = app.get(&place).await;

    let cancelled = app
        .call(
            "cancel_application",
            &[("tenant", TENANT), ("number", &number)],
        )
        .await;
    let twice = app
        .call(
            "cancel_application",
            &[("tenant", TENANT), ("number", &number)],
        )
        .await;
    let unknown = app
        .call(
            "cancel_application",
            &[("tenant", TENANT), ("number", "99999")],
        )
        .await;
    let (_, after) = app.get(&place).await;

    assert!(before.contains("申請を取り消す"));
    assert!(cancelled.location().is_some_and(|l| l.ends_with("&cancelled=1")));
    assert_eq!(
        twice.error(),
        app::error::AppError::Refused(domain::i18n::CertificateMsg::CancelTooLate.into())
    );
    assert_eq!(unknown.error(), app::error::AppError::NotFound);
    assert!(after.contains("取消"));
    assert!(!after.contains("申請を取り消す</button>"));
    assert_eq!(app.card_balance(app.tenant_id, "s1").await, 2000);
    let verified = backend::wallet::ledger::verify(&app.db).await.unwrap();
    assert!(verified.is_empty(), "{verified:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_mail_server_down_while_applications_are_made_and_processed_every_mail_arrives_once_afterwards(
) {
    use crate::smtp_sink::Fault;
    let app = with_catalogue().await;
    app.signed_in("s1", "s1@example.ac.jp").await;
    app.put_on_card(app.tenant_id, "s1", 5000, "入金").await;
    let before = app.smtp().mails_to("s1@example.ac.jp").len();
    app.smtp().set_fault(Fault::Down);

    // Two applications; the office starts and sends one, the student cancels the other.
    let mut numbers = Vec::new();
    for _ in 0..2 {
        let key = review(&app, &posted_order()).await;
        numbers.push(submit(&app, &key).await.1);
    }
    let tenant = backend::tenancy::require(&app.db, TENANT).await.unwrap();
    let clerk = domain::StaffMember {
        id: 1,
        tenant_id: tenant.id,
        login_id: "kyomu01".to_owned(),
        role: domain::StaffRole::Clerk,
    };
    let office = Actor::new("192.0.2.1".to_owned(), "console");
    let sent = domain::parse_application_number(&numbers[0]).unwrap();
    for action in [
        backend::certificates::StaffAction::Start,
        backend::certificates::StaffAction::Send {
            tracking: "EJ123456789JP".to_owned(),
        },
    ] {
        app.applications().act((&clerk, &office), &tenant, sent, action).await.unwrap();
    }
    app.call(
        "cancel_application",
        &[("tenant", TENANT), ("number", &numbers[1])],
    )
    .await
    .location()
    .expect("cancelled");
    // Let the mail worker fail on each at least once.
    tokio::time::sleep(std::time::Duration::from_millis(900)).await;
    let waiting = app.queued_to("s1@example.ac.jp").await;
    let unsent = waiting.iter().filter(|mail| mail.sent_at.is_none()).count();

    app.smtp().set_fault(Fault::None);
    app.smtp().wait_for("s1@example.ac.jp", before + 5).await;
    // Time to record the deliveries, and to send again if it were going to.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;

    // Two receipts, 処理中 and 発送済 of the first, 取消 (with the refund) of the second.
    assert_eq!(unsent, 5, "{waiting:?}");
    assert!(waiting.iter().all(|mail| mail.sent_at.is_some() || mail.attempts >= 1));
    let arrived: Vec<String> = app.smtp().mails_to("s1@example.ac.jp")[before..]
        .iter()
        .map(|mail| mail.text())
        .collect();
    assert_eq!(arrived.len(), 5, "each mail once: {arrived:#?}");
    for number in &numbers {
        assert_eq!(
            arrived.iter().filter(|text| text.contains(number.as_str())).count(),
            if number == &numbers[0] { 3 } else { 2 },
            "{number}: {arrived:#?}"
        );
    }
    assert!(arrived.iter().any(|text| text.contains("EJ123456789JP")));
    let queued = app.queued_to("s1@example.ac.jp").await;
    assert!(queued.iter().all(|mail| mail.sent_at.is_some()));
}

#[tokio::test]
async fn a_price_changed_after_the_confirmation_page_is_not_charged_until_the_student_sees_it() {
    let app = with_catalogue().await;
    app.signed_in("s1", "s1@example.ac.jp").await;
    app.put_on_card(app.tenant_id, "s1", 2000, "入金").await;
    let key = review(&app, &posted_order()).await;
    let shown = confirmation_page(&app, &key).await;
    // The office raises the enrollment certificate's fee while the page is open.
    let raised = std::fs::read_to_string(DEMO_CATALOGUE).unwrap().replacen(
        "fee = 200\nmax_copies = 10\nstatuses = [\"enrolled\", \"on_leave\"]",
        "fee = 250\nmax_copies = 10\nstatuses = [\"enrolled\", \"on_leave\"]",
        1,
    );
    let file = std::env::temp_dir().join(format!("raised-{}.toml", std::process::id()));
    std::fs::write(&file, raised).unwrap();
    let imported = app.cli(&[
        "catalogue",
        "import",
        "--tenant",
        TENANT,
        file.to_str().unwrap(),
    ]);
    assert!(imported.status.success(), "{imported:?}");

    let at_old_price = app
        .call(
            "submit_application",
            &[("tenant", TENANT), ("key", &key), ("total", "810")],
        )
        .await;
    let charged_meanwhile = app.card_balance(app.tenant_id, "s1").await;
    let (_, shown_again) = app.get(at_old_price.location().unwrap_or_default()).await;
    let at_new_price = app
        .call(
            "submit_application",
            &[("tenant", TENANT), ("key", &key), ("total", "910")],
        )
        .await;

    assert!(shown.contains("810円"), "{shown}");
    assert_eq!(
        at_old_price.location(),
        Some(
            format!(
                "{}?key={key}&changed=1",
                Page::CertificatesConfirm.href(TENANT)
            )
            .as_str()
        )
    );
    assert_eq!(charged_meanwhile, 2000);
    assert!(
        shown_again.contains("手数料が変わりました"),
        "{shown_again}"
    );
    assert!(shown_again.contains("910円"));
    assert!(at_new_price.location().is_some_and(|l| l.contains("accepted=1")));
    assert_eq!(app.card_balance(app.tenant_id, "s1").await, 2000 - 910);
    assert_eq!(application_count(&app).await, 1);
}

#[tokio::test]
async fn a_student_removed_from_the_registry_while_signed_in_sees_no_catalogue_and_no_balance() {
    use backend::entities::student;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let app = with_catalogue().await;
    app.signed_in("s1", "s1@example.ac.jp").await;
    let before = app.call("certificate_offers", &[("tenant", TENANT)]).await;

    student::Entity::delete_many()
        .filter(student::Column::TenantId.eq(app.tenant_id))
        .filter(student::Column::UserIdKey.eq("s1"))
        .exec(&app.db)
        .await
        .unwrap();
    let after = app.call("certificate_offers", &[("tenant", TENANT)]).await;

    assert!(before.body.contains("enrollment"), "{}", before.body);
    assert_eq!(after.error(), app::error::AppError::NotSignedIn);
}
