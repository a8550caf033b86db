//! Shares of issued certificates, without HTTP: a recipient's link shows the certificate and
//! its PDF while the share stands, every opening is in the student's access log, and an
//! expired or revoked share shows nothing.

use super::applications::{by, key, line, Office};
use backend::certificates::{ShareError, ShareOutcome, ShareRequest, Shared, Shares, StaffAction};
use backend::entities::issued_document;
use backend::platform::audit::Actor;
use domain::i18n::Lang;
use domain::{StaffRole, StudentId};
use sea_orm::EntityTrait;
use std::time::Duration;

const IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 \
                      (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";

/// s1's enrollment certificate issued as PDF: its application.
async fn issued(office: &Office) -> i32 {
    office.credit(office.s1, 1000).await;
    let request = by("pdf", vec![line("enrollment", Lang::Ja, 1)]);
    let id = office.apply(office.s1, &request, &key(1)).await.unwrap().id;
    office.act(StaffRole::Clerk, id, StaffAction::Start).await.unwrap();
    office.act(StaffRole::Clerk, id, StaffAction::Issue).await.unwrap();
    id
}

fn shares(office: &Office) -> Shares {
    Shares {
        verifications: super::verification::verifications(office),
    }
}

fn request(days: u32) -> ShareRequest {
    ShareRequest {
        recipient: "株式会社サンプル 人事部".to_owned(),
        days,
        consented: true,
    }
}

fn recipient() -> Actor {
    Actor::new("203.0.113.77".to_owned(), IPHONE)
}

fn mine(office: &Office, student: StudentId) -> (i32, StudentId) {
    (office.world.tenant.id, student)
}

#[tokio::test]
async fn a_share_opens_the_certificate_and_its_pdf_for_the_recipient_and_logs_each_opening() {
    let office = Office::new().await;
    let id = issued(&office).await;
    let shares = shares(&office);

    let (token, _) = shares.create(mine(&office, office.s1), (id, 0), &request(30)).await.unwrap();
    let opened = shares.open(&token, &recipient()).await.unwrap();
    let pdf = shares.pdf(&token, &recipient()).await.unwrap();
    let listed = shares.of_student(office.world.tenant.id, office.s1).await.unwrap();

    let Some(Shared::Open {
        viewed, recipient, ..
    }) = opened
    else {
        panic!("an open share: {opened:?}");
    };
    assert_eq!(recipient, "株式会社サンプル 人事部");
    assert_eq!(viewed.record.unwrap().facts[0].1, "山田 花子");
    assert!(String::from_utf8_lossy(&pdf.unwrap().pdf).contains("在学証明書"));
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].token.as_ref(), Some(&token));
    let outcomes: Vec<ShareOutcome> = listed[0].visits.iter().map(|v| v.outcome).collect();
    assert_eq!(outcomes, [ShareOutcome::Downloaded, ShareOutcome::Shown]);
    assert_eq!(listed[0].visits[0].address, "203.0.113.x");
    assert_eq!(listed[0].visits[0].browser, "Safari · iPhone");
}

#[tokio::test]
async fn an_expired_or_revoked_share_shows_nothing_and_says_so_in_the_log() {
    let office = Office::new().await;
    let id = issued(&office).await;
    let shares = shares(&office);
    let student = mine(&office, office.s1);
    let (short, _) = shares.create(student, (id, 0), &request(1)).await.unwrap();
    let (revoked, revoked_id) = shares.create(student, (id, 0), &request(30)).await.unwrap();

    shares.revoke(office.world.tenant.id, office.s1, revoked_id).await.unwrap();
    let after_revoking = shares.open(&revoked, &recipient()).await.unwrap();
    office.world.advance(Duration::from_secs(24 * 3600));
    let after_a_day = shares.open(&short, &recipient()).await.unwrap();
    let pdf_after_a_day = shares.pdf(&short, &recipient()).await.unwrap();
    let listed = shares.of_student(office.world.tenant.id, office.s1).await.unwrap();

    assert_eq!(after_revoking, Some(Shared::Revoked));
    assert_eq!(after_a_day, Some(Shared::Expired));
    assert!(pdf_after_a_day.is_none());
    let outcomes: Vec<Vec<ShareOutcome>> = listed
        .iter()
        .map(|share| share.visits.iter().map(|v| v.outcome).collect())
        .collect();
    assert_eq!(
        outcomes,
        [
            vec![ShareOutcome::Revoked],
            vec![ShareOutcome::Expired, ShareOutcome::Expired]
        ]
    );
}

#[tokio::test]
async fn a_share_needs_a_recipient_a_term_consent_and_the_students_own_certificate() {
    let office = Office::new().await;
    let id = issued(&office).await;
    let shares = shares(&office);
    let student = mine(&office, office.s1);
    let with = |recipient: &str, days: u32, consented: bool| ShareRequest {
        recipient: recipient.to_owned(),
        days,
        consented,
    };

    let answers = [
        shares.create(student, (id, 0), &with("  ", 30, true)).await,
        shares.create(student, (id, 0), &with("人事部\u{7}", 30, true)).await,
        shares.create(student, (id, 0), &with("人事部", 0, true)).await,
        shares.create(student, (id, 0), &with("人事部", 366, true)).await,
        shares.create(student, (id, 0), &with("人事部", 30, false)).await,
        shares.create(student, (id, 1), &request(30)).await,
        shares.create(mine(&office, office.s2), (id, 0), &request(30)).await,
    ];

    let refusals: Vec<ShareError> = answers.into_iter().map(|a| a.unwrap_err()).collect();
    assert_eq!(
        refusals,
        [
            ShareError::BadRecipient,
            ShareError::BadRecipient,
            ShareError::BadDays,
            ShareError::BadDays,
            ShareError::NoConsent,
            ShareError::NotFound,
            ShareError::NotFound,
        ]
    );
    assert_eq!(office.world.count_rows("certificate_shares").await, 0);
}

#[tokio::test]
async fn another_student_cannot_revoke_a_share_and_a_revoked_certificate_cannot_be_shared() {
    let office = Office::new().await;
    let id = issued(&office).await;
    let shares = shares(&office);
    let (token, share_id) =
        shares.create(mine(&office, office.s1), (id, 0), &request(30)).await.unwrap();

    let by_s2 = shares.revoke(office.world.tenant.id, office.s2, share_id).await;
    let still_open = shares.open(&token, &recipient()).await.unwrap();
    let admin = super::applications::member(office.world.tenant.id, StaffRole::Admin);
    office
        .applications
        .revoke(
            (&admin, &super::applications::office_actor()),
            &office.world.tenant,
            id,
            0,
            domain::RevocationReason::Misuse,
        )
        .await
        .unwrap();
    let after_revocation = shares.create(mine(&office, office.s1), (id, 0), &request(30)).await;

    assert_eq!(by_s2, Err(ShareError::NotFound));
    assert!(matches!(still_open, Some(Shared::Open { .. })));
    assert_eq!(after_revocation.unwrap_err(), ShareError::NotFound);
    let documents = issued_document::Entity::find().all(&office.world.db).await.unwrap();
    assert!(documents[0].revoked_at.is_some());
}
