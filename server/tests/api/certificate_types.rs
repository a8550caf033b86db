//! Every certificate type of the demo catalogue, in each language it is issued in, made as
//! the office makes it for the demo university's students (`shomei demo`), read back with
//! `pdftotext` and rendered to PNG under `target/certificate-previews/` for a person to look at
//! (CI keeps `target/`).

use crate::helpers::*;
use backend::certificates::{refusal, ApplicationRequest, StaffAction};
use backend::platform::audit::Actor;
use domain::i18n::Lang;
use domain::{CatalogueCode, OrderLine, OrderRefusal};
use std::path::Path;

/// Which demo student may order `code`: the graduate for what a graduate orders, the final-year
/// student for 卒業見込証明書, the first-year student otherwise.
fn demo_student_for(code: &str) -> &'static str {
    match code {
        "graduation" | "degree" => "g2201003",
        "expected-graduation" => "s2301004",
        _ => "s2401001",
    }
}

/// `pdf`'s first page as `target/certificate-previews/{name}.png` (and the PDF beside it);
/// what its QR code reads as, by `zbarimg`, as a phone would read it off paper.
fn keep_preview(pdf: &[u8], name: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/certificate-previews");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{name}.pdf"));
    std::fs::write(&file, pdf).unwrap();
    let status = std::process::Command::new("pdftoppm")
        .args(["-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&file)
        .arg(dir.join(name))
        .status()
        .expect("pdftoppm (scripts/setup.sh installs poppler-utils)");
    assert!(status.success());
    let read = std::process::Command::new("zbarimg")
        .args(["--quiet", "--raw"])
        .arg(dir.join(format!("{name}.png")))
        .output()
        .expect("zbarimg (scripts/setup.sh installs zbar-tools)");
    String::from_utf8(read.stdout).unwrap().trim().to_owned()
}

#[tokio::test]
async fn every_type_of_the_demo_catalogue_prints_in_each_of_its_languages() {
    let app = TestApp::spawn().await;
    server::demo::create(&app.db).await.unwrap();
    let tenant = backend::tenancy::require(&app.db, server::demo::SLUG).await.unwrap();
    let catalogue = backend::certificates::parse(server::demo::DEMO_CATALOGUE).unwrap();
    let clerk = domain::StaffMember {
        id: 1,
        tenant_id: tenant.id,
        login_id: "kyomu01".to_owned(),
        role: domain::StaffRole::Clerk,
    };
    let actor = Actor::new("192.0.2.1".to_owned(), "t");
    let mut made = Vec::new();

    for kind in &catalogue.types {
        for lang in &kind.languages {
            let user_id = demo_student_for(kind.code.as_str());
            app.put_on_card(tenant.id, user_id, 2000, "入金").await;
            let student = app.student_id(tenant.id, user_id).await;
            // A PDF where the type allows one; the counter otherwise (the office prints it).
            let delivery = if kind.deliveries.iter().any(|d| d.as_str() == "pdf") {
                "pdf"
            } else {
                "pickup"
            };
            let request = ApplicationRequest {
                lines: vec![OrderLine {
                    code: kind.code.clone(),
                    lang: *lang,
                    copies: 1,
                }],
                purpose: None,
                delivery: CatalogueCode::parse(delivery).unwrap(),
                address: None,
                lang: *lang,
            };
            let key = format!("preview-{}-{}", kind.code.as_str(), lang.code());
            let key = backend::wallet::IdempotencyKey::parse(&key).unwrap();
            let applied = app.applications().apply(&actor, &tenant, student, &request, &key).await;
            let id = applied.unwrap_or_else(|err| panic!("{}: {err:?}", kind.code.as_str())).id;
            let mut actions = vec![StaffAction::Start];
            if delivery == "pdf" {
                actions.push(StaffAction::Issue);
            }
            for action in actions {
                let acted = app.applications().act((&clerk, &actor), &tenant, id, action).await;
                acted.unwrap_or_else(|err| panic!("{} {lang:?}: {err:?}", kind.code.as_str()));
            }
            let pdf = app.applications().pdf_for_staff((&clerk, &actor), tenant.id, id, 0).await;
            let pdf = pdf.unwrap().expect("its certificate").pdf;
            made.push((kind.clone(), *lang, user_id, pdf));
        }
    }

    assert_eq!(made.len(), 12, "six types, each in Japanese and English");
    for (kind, lang, user_id, pdf) in made {
        let text = pdf_text(&pdf);
        let (title, name) = match (lang, user_id) {
            (Lang::Ja, _) => (
                &kind.name_ja,
                server::demo::DEMO_STUDENTS.iter().find(|s| s.user_id == user_id).unwrap().name,
            ),
            (Lang::En, "g2201003") => (&kind.name_en, "Ichiro Suzuki"),
            (Lang::En, "s2301004") => (&kind.name_en, "Misaki Takahashi"),
            (Lang::En, _) => (&kind.name_en, "Hanako Yamada"),
        };
        let (title, name) = (title.as_str(), name);
        let compact = |s: &str| s.split_whitespace().collect::<String>();
        assert!(
            compact(&text).contains(&compact(title)),
            "{title} in\n{text}"
        );
        assert!(compact(&text).contains(&compact(name)), "{name} in\n{text}");
        // The demo university has no seal image: the seal set in type.
        assert!(text.contains("之") && text.contains("印"), "{text}");
        let name = format!("{}-{}", kind.code.as_str(), lang.code());
        // The seal beside the name leaves the footer's QR code readable.
        let read = keep_preview(&pdf, &name);
        assert!(
            read.contains("/v/") && read.contains('#'),
            "{name}: {read:?}"
        );
    }
}

#[tokio::test]
async fn the_demo_students_may_order_what_they_are_there_for_in_any_year() {
    let app = TestApp::spawn().await;
    let catalogue = backend::certificates::parse(server::demo::DEMO_CATALOGUE).unwrap();
    let health_check = catalogue.types.iter().find(|t| t.code.as_str() == "health-check").unwrap();
    let student = |tenant_id: i32, user_id: &str| {
        let db = app.db.clone();
        let user_id = domain::UserId::parse(user_id).unwrap();
        async move { backend::registry::by_user_id(&db, tenant_id, &user_id).await.unwrap().unwrap() }
    };

    // The day the demo was written in, the last day of its fiscal year, the first of the next,
    // and years on.
    for day in [
        "2026-12-02",
        "2027-03-31",
        "2027-04-01",
        "2030-06-15",
        "2033-03-01",
    ] {
        let today = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
        let at = backend::platform::clock::jst_day_start(day).unwrap();
        server::demo::create_at(&app.db, at).await.unwrap();
        let tenant = backend::tenancy::require(&app.db, server::demo::SLUG).await.unwrap();

        for kind in &catalogue.types {
            let user_id = demo_student_for(kind.code.as_str());
            let refused = refusal(kind, &student(tenant.id, user_id).await, today);
            assert_eq!(
                refused,
                None,
                "on {day}, {user_id} ordering {}",
                kind.code.as_str()
            );
        }
        // The demo also shows a refusal: s2401002's check-up is last year's.
        let refused = refusal(health_check, &student(tenant.id, "s2401002").await, today);
        assert_eq!(refused, Some(OrderRefusal::NoHealthCheck), "on {day}");
    }
}
