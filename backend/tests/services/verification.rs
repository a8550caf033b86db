//! Certificates anyone can verify, without HTTP: an issued certificate's signed record, what
//! its id alone and its code show, the delays of guessed codes, a record altered afterwards,
//! a rotated key, and no issue without a key secret.

use super::applications::{
    by, key, line, member, office_actor, registry_with_english_name, text, Office,
};
use backend::certificates::{
    ActionError, Opened, StaffAction, Standing, Verifications, GRANT_SECONDS, RECORD_FORMAT,
    STATUS_LIST_ENTRIES,
};
use backend::entities::issued_document;
use backend::platform::secrets::sha256_hex;
use backend::testing::at_once;
use domain::i18n::Lang;
use domain::{ApplicationStatus, DocumentId, RevocationReason, StaffRole, VerificationCode};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use std::time::Duration;

/// An enrollment certificate of s1 issued as PDF: the application and its one document.
async fn issued(office: &Office) -> (i32, issued_document::Model) {
    office.credit(office.s1, 1000).await;
    let request = by("pdf", vec![line("enrollment", Lang::Ja, 1)]);
    let id = office.apply(office.s1, &request, &key(1)).await.unwrap().id;
    office.act(StaffRole::Clerk, id, StaffAction::Start).await.unwrap();
    office.act(StaffRole::Clerk, id, StaffAction::Issue).await.unwrap();
    let documents = issued_document::Entity::find().all(&office.world.db).await.unwrap();
    (
        id,
        documents.into_iter().next().expect("an issued document"),
    )
}

pub(super) fn verifications(office: &Office) -> Verifications {
    Verifications {
        db: office.world.db.clone(),
        clock: office.world.clock.clone(),
        keys: office.applications.issuing.keys.clone(),
        public_url: office.applications.issuing.public_url.clone(),
    }
}

/// The id and the code as the certificate prints them (the QR code's target has both).
fn printed(pdf: &str) -> (DocumentId, VerificationCode) {
    let target = pdf.lines().find_map(|line| line.strip_prefix("QR ")).expect("a QR target");
    let (page, code) = target.split_once('#').expect("a fragment");
    let id = page.rsplit('/').next().unwrap();
    (
        DocumentId::parse(id).unwrap(),
        VerificationCode::parse(code).unwrap(),
    )
}

async fn pdf_text(office: &Office, id: i32) -> String {
    let tenant_id = office.world.tenant.id;
    text(office.applications.pdf_of_student(tenant_id, office.s1, id, 0).await.unwrap())
}

#[tokio::test]
async fn an_issued_certificate_carries_a_record_signed_by_its_universitys_published_key() {
    let office = Office::new().await;

    let (id, document) = issued(&office).await;

    let pdf = office
        .applications
        .pdf_of_student(office.world.tenant.id, office.s1, id, 0)
        .await
        .unwrap()
        .unwrap();
    let (document_id, code) = printed(&String::from_utf8(pdf.pdf.clone()).unwrap());
    assert_eq!(document.document_id.as_deref(), Some(document_id.as_str()));
    let record: serde_json::Value =
        serde_json::from_str(document.record.as_deref().unwrap()).unwrap();
    assert_eq!(record["format"], RECORD_FORMAT);
    assert_eq!(record["document"], document_id.as_str());
    assert_eq!(record["certificate"], "enrollment");
    assert_eq!(record["facts"][0][1], "山田 花子");
    assert_eq!(record["pdf_sha256"], sha256_hex(&pdf.pdf));
    let keys = &office.applications.issuing.keys;
    let kid = document.kid.as_deref().unwrap();
    let published = keys.public_key(office.world.tenant.id, kid).await.unwrap().unwrap();
    let signature = base64_url(document.signature.as_deref().unwrap());
    assert!(published.verifies(document.record.as_deref().unwrap().as_bytes(), &signature));
    // The code is kept only as a keyed hash, and the stored PDF (which prints it) sealed.
    let stored = format!("{document:?}");
    assert!(!stored.contains(code.compact()) && !stored.contains(&code.grouped()));
    assert_ne!(document.pdf, pdf.pdf);
}

fn base64_url(text: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text).unwrap()
}

#[tokio::test]
async fn the_id_alone_shows_the_summary_and_only_the_right_code_shows_what_was_printed() {
    let office = Office::new().await;
    let (id, _) = issued(&office).await;
    let (document_id, code) = printed(&pdf_text(&office, id).await);
    let verifications = verifications(&office);
    let wrong = VerificationCode::parse("AAAA-BBBB-CCCC").unwrap();

    let summary = verifications.summary(&document_id).await.unwrap().unwrap();
    let refused = verifications.open(&document_id, &wrong, "192.0.2.1").await.unwrap();
    let opened = verifications.open(&document_id, &code, "192.0.2.1").await.unwrap();
    let unknown = DocumentId::parse("abcdefghijklmnopqrst").unwrap();
    let nothing = verifications.summary(&unknown).await.unwrap();

    assert_eq!(summary.standing, Standing::Valid);
    assert_eq!(summary.title, "在学証明書");
    assert_eq!(summary.university.slug, office.world.tenant.slug);
    assert_eq!(refused, Some(Opened::Wrong));
    let Some(Opened::Shown(shown)) = opened else {
        panic!("the right code shows the record: {opened:?}");
    };
    assert_eq!(
        shown.1.facts[0],
        ("氏名".to_owned(), "山田 花子".to_owned())
    );
    assert_eq!(nothing, None);
}

#[tokio::test]
async fn a_code_of_another_document_does_not_open_this_one() {
    let office = Office::new().await;
    office.credit(office.s1, 1000).await;
    let request = by(
        "pdf",
        vec![
            line("enrollment", Lang::Ja, 1),
            line("enrollment", Lang::En, 1),
        ],
    );
    office.apply(office.s1, &request, &key(1)).await.unwrap();
    registry_with_english_name(&office).await;
    let id = office.applications.of_student(office.world.tenant.id, office.s1).await.unwrap()[0].id;
    office.act(StaffRole::Clerk, id, StaffAction::Start).await.unwrap();
    office.act(StaffRole::Clerk, id, StaffAction::Issue).await.unwrap();
    let tenant_id = office.world.tenant.id;
    let first =
        text(office.applications.pdf_of_student(tenant_id, office.s1, id, 0).await.unwrap());
    let second =
        text(office.applications.pdf_of_student(tenant_id, office.s1, id, 1).await.unwrap());
    let (first_id, _) = printed(&first);
    let (_, second_code) = printed(&second);

    let crossed = verifications(&office).open(&first_id, &second_code, "192.0.2.1").await.unwrap();

    assert_eq!(crossed, Some(Opened::Wrong));
}

#[tokio::test]
async fn twenty_wrong_codes_bring_growing_delays_and_the_right_code_works_after_them() {
    let office = Office::new().await;
    let (id, _) = issued(&office).await;
    let (document_id, code) = printed(&pdf_text(&office, id).await);
    let verifications = verifications(&office);
    let wrong = VerificationCode::parse("AAAA-BBBB-CCCC").unwrap();

    let mut answers = Vec::new();
    for _ in 0..20 {
        answers.push(verifications.open(&document_id, &wrong, "192.0.2.1").await.unwrap());
    }
    let during_delay = verifications.open(&document_id, &code, "192.0.2.1").await.unwrap();
    // From another address too: the delay is the document's as well as the client's.
    let elsewhere = verifications.open(&document_id, &code, "198.51.100.7").await.unwrap();
    office.world.advance(Duration::from_secs(11 * 60));
    let after_delay = verifications.open(&document_id, &code, "192.0.2.1").await.unwrap();

    let wrong_count = answers.iter().filter(|a| **a == Some(Opened::Wrong)).count();
    let waits = answers.iter().filter(|a| **a == Some(Opened::Wait)).count();
    assert_eq!(answers[..5], vec![Some(Opened::Wrong); 5]);
    assert_eq!(answers[6], Some(Opened::Wait));
    assert_eq!(wrong_count + waits, 20);
    assert!(waits >= 14, "{answers:?}");
    assert_eq!(during_delay, Some(Opened::Wait));
    assert_eq!(elsewhere, Some(Opened::Wait));
    assert!(
        matches!(after_delay, Some(Opened::Shown(_))),
        "{after_delay:?}"
    );
}

#[tokio::test]
async fn a_record_altered_after_issue_shows_as_an_invalid_signature_never_as_valid() {
    let office = Office::new().await;
    let (_, document) = issued(&office).await;
    let document_id = DocumentId::parse(document.document_id.as_deref().unwrap()).unwrap();
    let altered = document.record.clone().unwrap().replace("山田 花子", "山田 花男");
    let mut row: issued_document::ActiveModel = document.into();
    row.record = Set(Some(altered));
    row.update(&office.world.db).await.unwrap();

    let summary = verifications(&office).summary(&document_id).await.unwrap().unwrap();

    assert_eq!(summary.standing, Standing::SignatureInvalid);
}

#[tokio::test]
async fn after_a_key_rotation_certificates_signed_by_the_old_key_still_verify() {
    let office = Office::new().await;
    let (_, before) = issued(&office).await;
    let keys = &office.applications.issuing.keys;

    let operator = backend::platform::audit::Actor::new("operator".to_owned(), "");
    let rotated = keys.rotate(office.world.tenant.id, &operator).await.unwrap();

    let old_id = DocumentId::parse(before.document_id.as_deref().unwrap()).unwrap();
    let summary = verifications(&office).summary(&old_id).await.unwrap().unwrap();
    assert_eq!(summary.standing, Standing::Valid);
    assert_ne!(before.kid.as_deref(), Some(rotated.kid.as_str()));
    let published = keys.public_keys(Some(office.world.tenant.id)).await.unwrap();
    assert_eq!(published.len(), 2);
    assert!(published[0].retired_at.is_some() && published[1].retired_at.is_none());
    // Both keys are in the audit log: the first made by the service at the first issue, the
    // second by the operator's rotation, naming the key it retired.
    use backend::entities::audit_event;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let made: Vec<(String, serde_json::Value)> = audit_event::Entity::find()
        .filter(audit_event::Column::Event.eq("signing_key_made"))
        .order_by_asc(audit_event::Column::Id)
        .all(&office.world.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| {
            (
                e.client_address,
                serde_json::from_str(&e.detail.unwrap()).unwrap(),
            )
        })
        .collect();
    assert_eq!(made.len(), 2);
    assert_eq!(made[0].0, "service");
    assert_eq!(made[0].1["by"], "first issue");
    assert_eq!(made[1].0, "operator");
    assert_eq!(made[1].1["kid"], rotated.kid.as_str());
    assert_eq!(made[1].1["retired"][0], before.kid.as_deref().unwrap());
}

#[tokio::test]
async fn without_a_key_secret_nothing_is_issued_unsigned() {
    let mut office = Office::new().await;
    office.applications.issuing.keys.secret = None;
    office.credit(office.s1, 1000).await;
    let request = by("pdf", vec![line("enrollment", Lang::Ja, 1)]);
    let id = office.apply(office.s1, &request, &key(1)).await.unwrap().id;
    office.act(StaffRole::Clerk, id, StaffAction::Start).await.unwrap();

    let refused = office.act(StaffRole::Clerk, id, StaffAction::Issue).await;

    assert_eq!(refused, Err(ActionError::NotSigned));
    assert_eq!(office.status(id).await, ApplicationStatus::Processing);
    assert_eq!(office.world.count_rows("issued_documents").await, 0);
}

#[tokio::test]
async fn a_right_code_grants_the_record_for_ten_minutes_and_for_its_own_document_only() {
    let office = Office::new().await;
    let (id, _) = issued(&office).await;
    let (document_id, _) = printed(&pdf_text(&office, id).await);
    let verifications = verifications(&office);
    let other = DocumentId::parse("abcdefghijklmnopqrst").unwrap();

    let grant = verifications.grant(&document_id).unwrap();
    let with_grant = verifications.view(&document_id, Some(&grant)).await.unwrap().unwrap();
    let without = verifications.view(&document_id, None).await.unwrap().unwrap();
    let forged = verifications.view(&document_id, Some("9999999999999.AAAA")).await.unwrap();
    let grant_of_other = verifications.grant(&other).unwrap();
    let crossed = verifications.view(&document_id, Some(&grant_of_other)).await.unwrap();
    office.world.advance(Duration::from_secs(GRANT_SECONDS as u64));
    let later = verifications.view(&document_id, Some(&grant)).await.unwrap().unwrap();

    let record = with_grant.record.expect("the granted record");
    assert_eq!(record.facts[0].1, "山田 花子");
    assert_eq!(with_grant.summary.standing, Standing::Valid);
    assert_eq!(without.record, None);
    assert_eq!(forged.unwrap().record, None);
    assert_eq!(crossed.unwrap().record, None);
    assert_eq!(later.record, None);
}

#[tokio::test]
async fn a_record_whose_signature_fails_is_not_shown_even_with_a_grant() {
    let office = Office::new().await;
    let (_, document) = issued(&office).await;
    let document_id = DocumentId::parse(document.document_id.as_deref().unwrap()).unwrap();
    let verifications = verifications(&office);
    let grant = verifications.grant(&document_id).unwrap();
    let altered = document.record.clone().unwrap().replace("山田 花子", "山田 花男");
    let mut row: issued_document::ActiveModel = document.into();
    row.record = Set(Some(altered));
    row.update(&office.world.db).await.unwrap();

    let viewed = verifications.view(&document_id, Some(&grant)).await.unwrap().unwrap();

    assert_eq!(viewed.summary.standing, Standing::SignatureInvalid);
    assert_eq!(viewed.record, None);
}

// Revocation: an admin's, with a reason; shown by the page at once.

async fn revoke(
    office: &Office,
    role: StaffRole,
    id: i32,
    reason: RevocationReason,
) -> Result<(), ActionError> {
    let by = member(office.world.tenant.id, role);
    let tenant = &office.world.tenant;
    office.applications.revoke((&by, &office_actor()), tenant, id, 0, reason).await
}

#[tokio::test]
async fn an_admin_revokes_a_certificate_with_a_reason_and_its_page_says_so_at_once() {
    let office = Office::new().await;
    let (id, document) = issued(&office).await;
    let document_id = DocumentId::parse(document.document_id.as_deref().unwrap()).unwrap();

    let revoked = revoke(
        &office,
        StaffRole::Admin,
        id,
        RevocationReason::IssuedInError,
    )
    .await;
    let again = revoke(&office, StaffRole::Admin, id, RevocationReason::Misuse).await;

    assert_eq!(revoked, Ok(()));
    assert_eq!(again, Err(ActionError::AlreadyRevoked));
    let summary = verifications(&office).summary(&document_id).await.unwrap().unwrap();
    assert_eq!(
        summary.standing,
        Standing::Revoked {
            at: office.world.clock.now_ms(),
            reason: RevocationReason::IssuedInError,
        }
    );
    let tenant_id = office.world.tenant.id;
    let events = backend::platform::audit::recent(&office.world.db, tenant_id, 20).await.unwrap();
    let revocations: Vec<_> = events.iter().filter(|e| e.event == "certificate_revoked").collect();
    assert_eq!(revocations.len(), 1);
    assert!(revocations[0].detail.as_deref().unwrap().contains("issued_in_error"));
}

#[tokio::test]
async fn a_clerk_cannot_revoke_and_an_unsigned_or_missing_line_is_not_found() {
    let office = Office::new().await;
    let (id, document) = issued(&office).await;
    let document_id = DocumentId::parse(document.document_id.as_deref().unwrap()).unwrap();
    let other = office.world.add_university("other-u").await;
    let theirs = member(other, StaffRole::Admin);

    let by_clerk = revoke(&office, StaffRole::Clerk, id, RevocationReason::Other).await;
    let no_such = revoke(&office, StaffRole::Admin, id + 1, RevocationReason::Other).await;
    let elsewhere = office
        .applications
        .revoke(
            (&theirs, &office_actor()),
            &office.world.tenant,
            id,
            0,
            RevocationReason::Other,
        )
        .await;

    assert_eq!(by_clerk, Err(ActionError::Forbidden));
    assert_eq!(no_such, Err(ActionError::NotFound));
    assert_eq!(elsewhere, Err(ActionError::Forbidden));
    let summary = verifications(&office).summary(&document_id).await.unwrap().unwrap();
    assert_eq!(summary.standing, Standing::Valid);
}

#[tokio::test]
async fn two_revocations_at_once_revoke_once() {
    let office = std::sync::Arc::new(Office::new().await);
    let (id, _) = issued(&office).await;

    let answers = at_once(4, |n| {
        let office = office.clone();
        let reason = RevocationReason::ALL[n];
        async move { revoke(&office, StaffRole::Admin, id, reason).await }
    })
    .await;

    let done = answers.iter().filter(|a| a.is_ok()).count();
    let already = answers.iter().filter(|a| **a == Err(ActionError::AlreadyRevoked)).count();
    assert_eq!((done, already), (1, 3), "{answers:?}");
    let events = backend::platform::audit::recent(&office.world.db, office.world.tenant.id, 20);
    let events = events.await.unwrap();
    assert_eq!(
        events.iter().filter(|e| e.event == "certificate_revoked").count(),
        1
    );
}

#[tokio::test]
async fn cancelling_an_issued_application_revokes_its_certificates() {
    let office = Office::new().await;
    let (id, document) = issued(&office).await;
    let document_id = DocumentId::parse(document.document_id.as_deref().unwrap()).unwrap();

    let cancel = StaffAction::Cancel {
        reason: "記載誤りのため".to_owned(),
    };
    office.act(StaffRole::Admin, id, cancel).await.unwrap();

    let summary = verifications(&office).summary(&document_id).await.unwrap().unwrap();
    assert!(
        matches!(
            summary.standing,
            Standing::Revoked {
                reason: RevocationReason::Cancelled,
                ..
            }
        ),
        "{:?}",
        summary.standing
    );
}

#[tokio::test]
async fn a_certificate_of_enrollment_prints_its_last_valid_day_and_shows_expired_after_it() {
    let office = Office::new().await;
    let issued_on = backend::certificates::jst_date(office.world.clock.now_ms());
    let (id, document) = issued(&office).await;
    let document_id = DocumentId::parse(document.document_id.as_deref().unwrap()).unwrap();
    let last_day = (issued_on + chrono::Days::new(90)).format("%Y-%m-%d").to_string();
    let verifications = verifications(&office);

    let printed = pdf_text(&office, id).await;
    let today = verifications.summary(&document_id).await.unwrap().unwrap();
    office.world.advance(Duration::from_secs(90 * 24 * 3600));
    let on_the_last_day = verifications.summary(&document_id).await.unwrap().unwrap();
    office.world.advance(Duration::from_secs(24 * 3600));
    let the_day_after = verifications.summary(&document_id).await.unwrap().unwrap();

    assert!(printed.contains("有効期限"), "{printed}");
    assert_eq!(today.valid_until.as_deref(), Some(last_day.as_str()));
    assert_eq!(today.standing, Standing::Valid);
    assert_eq!(on_the_last_day.standing, Standing::Valid);
    assert_eq!(the_day_after.standing, Standing::Expired { on: last_day });
}

// The status list entries: drawn at random, one per certificate of a university.

/// The status list entries of every certificate of the test university, in issue order.
async fn status_entries(office: &Office) -> Vec<i32> {
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    issued_document::Entity::find()
        .filter(issued_document::Column::DocumentId.is_not_null())
        .filter(issued_document::Column::DocumentId.not_like("filler-%"))
        .order_by_asc(issued_document::Column::Id)
        .all(&office.world.db)
        .await
        .unwrap()
        .into_iter()
        .map(|doc| doc.status_index.expect("an entry"))
        .collect()
}

#[tokio::test]
async fn status_list_entries_are_drawn_at_random_not_in_issue_order() {
    let office = Office::new().await;
    office.credit(office.s1, 10_000).await;
    let request = by("pdf", vec![line("enrollment", Lang::Ja, 1)]);

    for n in 1..=6 {
        let id = office.apply(office.s1, &request, &key(n)).await.unwrap().id;
        office.act(StaffRole::Clerk, id, StaffAction::Start).await.unwrap();
        office.act(StaffRole::Clerk, id, StaffAction::Issue).await.unwrap();
    }

    let entries = status_entries(&office).await;
    assert_eq!(entries.len(), 6);
    let distinct: std::collections::BTreeSet<i32> = entries.iter().copied().collect();
    assert_eq!(distinct.len(), 6, "{entries:?}");
    assert!(
        entries.iter().all(|e| (0..STATUS_LIST_ENTRIES).contains(e)),
        "{entries:?}"
    );
    // Six draws from 131,072 that ran one after another would be a miracle, not chance.
    let consecutive = entries.windows(2).all(|pair| pair[1] == pair[0] + 1);
    assert!(!consecutive, "{entries:?}");
}

#[tokio::test]
async fn an_entry_already_taken_costs_another_draw_and_a_full_list_moves_to_the_next() {
    use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
    let office = Office::new().await;
    let (id, first) = issued(&office).await;
    let tenant_id = office.world.tenant.id;
    // Every entry of list 0 but the first certificate's and two more is taken: nearly every
    // draw in list 0 falls on a taken one.
    let free = [7, 70_007];
    let kept = first.status_index.unwrap();
    let pdf = match office.world.db.get_database_backend() {
        DatabaseBackend::Postgres => "'\\x'::bytea",
        _ => "x''",
    };
    let rows = match office.world.db.get_database_backend() {
        DatabaseBackend::Postgres => "generate_series(0, 131071) AS n(i)".to_owned(),
        _ => "n".to_owned(),
    };
    let with = match office.world.db.get_database_backend() {
        DatabaseBackend::Postgres => String::new(),
        _ => "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 131071) "
            .to_owned(),
    };
    let fill = format!(
        "{with}INSERT INTO issued_documents (tenant_id, application_id, position, lang, facts, \
         pdf, sha256, issued_at, document_id, status_index) \
         SELECT {tenant_id}, {id}, 1000 + i, 'ja', '{{}}', {pdf}, '', 0, 'filler-' || i, i \
         FROM {rows} WHERE i NOT IN ({}, {}, {kept})",
        free[0], free[1]
    );
    let backend = office.world.db.get_database_backend();
    office.world.db.execute(Statement::from_string(backend, fill)).await.unwrap();
    office.credit(office.s1, 1000).await;
    let request = by("pdf", vec![line("enrollment", Lang::Ja, 1)]);
    let second = office.apply(office.s1, &request, &key(2)).await.unwrap().id;
    office.act(StaffRole::Clerk, second, StaffAction::Start).await.unwrap();

    let issued = office.act(StaffRole::Clerk, second, StaffAction::Issue).await;

    assert_eq!(issued, Ok(ApplicationStatus::Issued));
    let entries = status_entries(&office).await;
    assert_eq!(entries.len(), 2);
    let drawn = entries[1];
    assert!(
        free.contains(&drawn) || drawn >= STATUS_LIST_ENTRIES,
        "{drawn}"
    );
}
