//! The seal certificates print, kept in the console's settings: an admin uploads a PNG (larger
//! than any form, through the upload's own limit), certificates issued after print it, a
//! removal brings back the seal in type; a file that is no seal is refused with the page's
//! message and nothing kept; a clerk and another university's session change nothing.

use crate::helpers::*;
use crate::staff::{fresh_application, give_role, issue_beside_the_server, set_up_clerk};
use app::routes::{Page, STAFF_SEAL, STAFF_SEAL_IMAGE};
use backend::entities::university_seal;
use reqwest::StatusCode;
use sea_orm::{EntityTrait, PaginatorTrait};

/// A `side`-pixel RGBA PNG of red speckles on a transparent ground: a scanned seal, and, being
/// noise, larger than a form may be (16 KiB).
fn speckled_seal(side: u32) -> Vec<u8> {
    let mut state: u32 = 0x5EA1;
    let mut rgba = Vec::with_capacity((side * side * 4) as usize);
    for _ in 0..side * side {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let alpha = (state >> 16) as u8;
        rgba.extend_from_slice(&[200, 30, 40, alpha]);
    }
    let mut png = Vec::new();
    let mut encoder = png::Encoder::new(&mut png, side, side);
    encoder.set_color(png::ColorType::Rgba);
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(&rgba).unwrap();
    writer.finish().unwrap();
    png
}

/// The seal form posted as the settings page's does, at university `slug`: `action` and the
/// file; where the browser is sent (or the status without a redirect).
async fn post_seal(app: &TestApp, slug: &str, action: &str, file: &[u8]) -> String {
    let parts = [
        FormPart {
            name: "action",
            file: None,
            body: action.as_bytes(),
        },
        FormPart {
            name: "file",
            file: Some(("seal.png", "image/png")),
            body: file,
        },
    ];
    app.post_multipart(&format!("/{slug}/{STAFF_SEAL}"), &parts).await
}

fn settings_saying(notice: &str) -> String {
    format!("{}?seal={notice}", Page::StaffSettings.href(TENANT))
}

async fn signed_in_admin(app: &TestApp) {
    set_up_clerk(app).await;
    app.get(&Page::StaffRecoveryCodes.href(TENANT)).await;
    give_role(app, "admin").await;
}

/// The widths and heights of the images of a certificate's first page (`pdfimages -list`).
fn images_in(pdf: &[u8]) -> Vec<(String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("certificate.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = std::process::Command::new("pdfimages")
        .arg("-list")
        .arg(&file)
        .output()
        .expect("pdfimages (scripts/setup.sh installs poppler-utils)");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .skip(2)
        .filter_map(|row| {
            let columns: Vec<&str> = row.split_whitespace().collect();
            (columns.get(2) == Some(&"image"))
                .then(|| (columns[3].to_owned(), columns[4].to_owned()))
        })
        .collect()
}

/// The PDF of application `n`'s certificate, issued now beside the server.
async fn issued_pdf(app: &TestApp, n: usize) -> Vec<u8> {
    let number = fresh_application(app, "pdf", n).await;
    issue_beside_the_server(app, &number).await;
    let id = domain::parse_application_number(&number).unwrap();
    let s1 = app.student_id(app.tenant_id, "s1").await;
    let issued = app.applications().pdf_of_student(app.tenant_id, s1, id, 0).await;
    issued.unwrap().unwrap().pdf
}

#[tokio::test]
async fn an_admin_uploads_a_seal_and_certificates_issued_after_print_it_until_it_is_removed() {
    let app = TestApp::spawn().await;
    signed_in_admin(&app).await;
    let seal = speckled_seal(300);
    assert!(
        seal.len() > server::REQUEST_BODY_LIMIT,
        "{} bytes",
        seal.len()
    );
    let before = issued_pdf(&app, 1).await;

    let uploaded = post_seal(&app, TENANT, "upload", &seal).await;
    let (_, settings) = app.get(&settings_saying("uploaded")).await;
    let image = app
        .client
        .get(app.url(&format!("/{TENANT}/{STAFF_SEAL_IMAGE}")))
        .send()
        .await
        .unwrap();
    let image_type = image.headers()["content-type"].to_str().unwrap().to_owned();
    let image_bytes = image.bytes().await.unwrap();
    let after = issued_pdf(&app, 2).await;
    let removed = post_seal(&app, TENANT, "remove", b"").await;
    let (_, settings_after_removal) = app.get(&settings_saying("removed")).await;
    let after_removal = issued_pdf(&app, 3).await;

    assert_eq!(uploaded, settings_saying("uploaded"));
    assert!(settings.contains("印影を登録しました"), "{settings}");
    assert!(settings.contains("登録されている印影"), "{settings}");
    assert!(settings.contains("300×300ピクセル"), "{settings}");
    assert!(
        settings.contains(&format!("/{TENANT}/{STAFF_SEAL_IMAGE}?v=")),
        "{settings}"
    );
    assert_eq!(image_type, "image/png");
    assert_eq!(image_bytes.as_ref(), seal.as_slice());
    // Before: the seal set in type, no image. After: the image, no seal in type.
    assert!(images_in(&before).is_empty());
    // pdftotext reads a 角印's grid in no fixed order: its two last characters tell it.
    let before_text = pdf_text(&before);
    assert!(
        before_text.contains('之') && before_text.contains('印'),
        "{before_text}"
    );
    assert_eq!(images_in(&after), [("300".to_owned(), "300".to_owned())]);
    assert!(!pdf_text(&after).contains('之'));
    assert_eq!(removed, settings_saying("removed"));
    assert!(settings_after_removal.contains("印影の画像は登録されていません"));
    assert!(images_in(&after_removal).is_empty());
    assert_eq!(
        university_seal::Entity::find().count(&app.db).await.unwrap(),
        0
    );
    let changes = audit_events(&app, "seal_changed").await;
    assert_eq!(changes.len(), 2);
    assert!(
        changes[0].contains("uploaded") && changes[1].contains("removed"),
        "{changes:?}"
    );
}

#[tokio::test]
async fn a_file_that_is_no_seal_is_refused_with_the_pages_message_and_nothing_is_kept() {
    let app = TestApp::spawn().await;
    signed_in_admin(&app).await;
    let mut oversized = speckled_seal(300);
    oversized.resize(backend::certificates::MAX_SEAL_BYTES + 1, 0);
    let cut_short = {
        let whole = speckled_seal(100);
        whole[..whole.len() / 2].to_vec()
    };

    let text = post_seal(&app, TENANT, "upload", b"user_id,name\n").await;
    let cut = post_seal(&app, TENANT, "upload", &cut_short).await;
    let tiny = post_seal(&app, TENANT, "upload", &speckled_seal(20)).await;
    let large = post_seal(&app, TENANT, "upload", &oversized).await;
    let none = post_seal(&app, TENANT, "upload", b"").await;
    let (_, page) = app.get(&settings_saying("not-png")).await;

    assert_eq!(text, settings_saying("not-png"));
    assert_eq!(cut, settings_saying("not-png"));
    assert_eq!(tiny, settings_saying("bad-size"));
    assert_eq!(large, settings_saying("too-large"));
    assert_eq!(none, settings_saying("no-file"));
    assert!(page.contains("PNG画像として読み取れません"), "{page}");
    assert!(page.contains("role=\"alert\""), "{page}");
    assert_eq!(
        university_seal::Entity::find().count(&app.db).await.unwrap(),
        0
    );
    assert!(audit_events(&app, "seal_changed").await.is_empty());
}

#[tokio::test]
async fn a_clerk_or_another_universitys_address_changes_no_seal() {
    let app = TestApp::spawn().await;
    set_up_clerk(&app).await;
    app.get(&Page::StaffRecoveryCodes.href(TENANT)).await;
    let other = app.add_other_university().await;

    let by_clerk = post_seal(&app, TENANT, "upload", &speckled_seal(100)).await;
    let (clerks_status, clerks_page) = app.get(&Page::StaffSettings.href(TENANT)).await;
    give_role(&app, "admin").await;
    let at_other = post_seal(&app, &other.slug, "upload", &speckled_seal(100)).await;
    let other_image = app
        .client
        .get(app.url(&format!("/{}/{STAFF_SEAL_IMAGE}", other.slug)))
        .send()
        .await
        .unwrap();
    let without_session = client()
        .get(app.url(&format!("/{TENANT}/{STAFF_SEAL_IMAGE}")))
        .send()
        .await
        .unwrap();

    assert_eq!(by_clerk, "status 403 Forbidden");
    assert_eq!(clerks_status, StatusCode::OK);
    assert!(
        !clerks_page.contains("seal-file"),
        "a clerk gets no upload form"
    );
    // The session is this university's: at another, nobody is signed in.
    assert_eq!(at_other, Page::StaffSignIn.href(&other.slug));
    assert_eq!(other_image.status(), StatusCode::SEE_OTHER);
    assert_eq!(without_session.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        university_seal::Entity::find().count(&app.db).await.unwrap(),
        0
    );
}

/// The details of the university's audit events named `code`, oldest first.
async fn audit_events(app: &TestApp, code: &str) -> Vec<String> {
    use backend::entities::audit_event;
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    audit_event::Entity::find()
        .filter(audit_event::Column::Event.eq(code))
        .order_by_asc(audit_event::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|event| event.detail.unwrap_or_default())
        .collect()
}
