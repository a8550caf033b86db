//! Students' applications for certificates, without HTTP: checked against the catalogue and
//! the registry, priced, paid from the card in the transaction that writes them, once per
//! idempotency key; refusals write nothing.

use backend::certificates::{self, ApplicationRequest, Applications, ApplyError};
use backend::platform::audit::Actor;
use backend::registry;
use backend::testing::{at_once, World};
use backend::wallet::ledger;
use backend::wallet::{IdempotencyKey, Wallet};
use domain::i18n::Lang;
use domain::{
    Address, AddressForm, ApplicationStatus, CatalogueCode, OrderLine, OrderRefusal, StudentId,
    UserId, Yen,
};

pub(super) struct Office {
    pub(super) world: World,
    pub(super) applications: Applications,
    pub(super) s1: StudentId,
    pub(super) s2: StudentId,
}

impl Office {
    /// The test university with the demo catalogue; its clock stands in January 2027.
    pub(super) async fn new() -> Self {
        let world = World::new().await;
        world.import_demo_catalogue().await;
        let wallet = Wallet {
            db: world.db.clone(),
            clock: world.clock.clone(),
        };
        let applications = Applications {
            db: world.db.clone(),
            clock: world.clock.clone(),
            wallet,
            renderer: std::sync::Arc::new(backend::testing::TextRenderer),
            payments: None,
            catalogues: Default::default(),
            issuing: world.issuing(),
        };
        let s1 = student(&world, "s1").await;
        let s2 = student(&world, "s2").await;
        Self {
            world,
            applications,
            s1,
            s2,
        }
    }

    pub(super) async fn credit(&self, student: StudentId, yen: i64) {
        self.applications
            .wallet
            .adjust(self.world.tenant.id, student, yen, "入金", "operator", None)
            .await
            .unwrap();
    }

    async fn balance(&self, student: StudentId) -> i64 {
        self.applications
            .wallet
            .balance(self.world.tenant.id, student)
            .await
            .unwrap()
            .get()
    }

    pub(super) async fn apply(
        &self,
        student: StudentId,
        request: &ApplicationRequest,
        key: &str,
    ) -> Result<certificates::Applied, ApplyError> {
        apply_with(
            &self.applications,
            &self.world.tenant,
            student,
            request,
            key,
        )
        .await
    }
}

async fn apply_with(
    applications: &Applications,
    tenant: &backend::entities::tenant::Model,
    student: StudentId,
    request: &ApplicationRequest,
    key: &str,
) -> Result<certificates::Applied, ApplyError> {
    let actor = Actor::new("192.0.2.9".to_owned(), "test");
    let key = IdempotencyKey::parse(key).unwrap();
    applications.apply(&actor, tenant, student, request, &key).await
}

async fn student(world: &World, user_id: &str) -> StudentId {
    registry::by_user_id(&world.db, world.tenant.id, &UserId::parse(user_id).unwrap())
        .await
        .unwrap()
        .unwrap()
        .id
}

pub(super) fn line(code: &str, lang: Lang, copies: u32) -> OrderLine {
    OrderLine {
        code: CatalogueCode::parse(code).unwrap(),
        lang,
        copies,
    }
}

pub(super) fn by(delivery: &str, lines: Vec<OrderLine>) -> ApplicationRequest {
    ApplicationRequest {
        lines,
        purpose: None,
        delivery: CatalogueCode::parse(delivery).unwrap(),
        address: None,
        lang: Lang::Ja,
    }
}

fn hongo() -> Address {
    Address::japan(&AddressForm {
        postal_code: "113-0033".to_owned(),
        prefecture: "東京都".to_owned(),
        city: "文京区".to_owned(),
        street: "本郷7-3-1".to_owned(),
        recipient: "山田 花子".to_owned(),
        ..Default::default()
    })
    .unwrap()
}

/// 2 × 200 + 300, and 110 for the post: 810 yen.
fn two_enrollments_and_a_transcript_by_post() -> ApplicationRequest {
    let mut request = by(
        "post",
        vec![
            line("enrollment", Lang::Ja, 2),
            line("transcript", Lang::En, 1),
        ],
    );
    request.address = Some(hongo());
    request
}

pub(super) fn key(n: usize) -> String {
    format!("application-key-{n:06}")
}

#[tokio::test]
async fn an_application_paid_from_the_balance_is_accepted_with_its_lines_and_price() {
    let office = Office::new().await;
    office.credit(office.s1, 2000).await;
    let mut request = two_enrollments_and_a_transcript_by_post();
    request.purpose = Some("就職活動".to_owned());

    let applied = office.apply(office.s1, &request, &key(1)).await.unwrap();

    // 2 × 200 + 300 + 110 for the post.
    assert_eq!(applied.total, Yen::new(810).unwrap());
    assert_eq!(applied.balance, Some(Yen::new(1190).unwrap()));
    assert_eq!(office.balance(office.s1).await, 1190);
    let record = office
        .applications
        .one_of_student(office.world.tenant.id, office.s1, applied.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.number, applied.number);
    assert_eq!(record.status, ApplicationStatus::Accepted);
    let lines: Vec<_> = record
        .lines
        .iter()
        .map(|l| (l.code.as_str(), l.lang, l.copies, l.amount.get()))
        .collect();
    assert_eq!(
        lines,
        [
            ("enrollment", Lang::Ja, 2, 400),
            ("transcript", Lang::En, 1, 300)
        ]
    );
    assert_eq!(record.delivery_fee.get(), 110);
    assert_eq!(record.address, Some(hongo()));
    assert_eq!(record.purpose.as_deref(), Some("就職活動"));
    assert_eq!(record.timeline.len(), 1);
    // Friday 15 January 2027; the transcript takes 3 working days.
    assert_eq!(record.expected_on, "2027-01-20");
    assert_eq!(ledger::verify(&office.world.db).await.unwrap(), vec![]);
}

#[tokio::test]
async fn the_receipt_the_ledger_and_the_audit_log_name_the_application_and_the_balance_left() {
    use backend::entities::{audit_event, ledger_transaction, outbox};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let office = Office::new().await;
    office.world.register_s1_address().await;
    office.credit(office.s1, 12_000).await;
    let request = two_enrollments_and_a_transcript_by_post();

    let applied = office.apply(office.s1, &request, &key(1)).await.unwrap();

    // 12,000 − 810.
    let mails = outbox::Entity::find().all(&office.world.db).await.unwrap();
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert_eq!(mail.recipient, "s1@example.ac.jp");
    let html = mail.body_html.as_deref().unwrap();
    for body in [mail.body_text.as_str(), html] {
        assert!(body.contains(&applied.number), "{body}");
        assert!(body.contains("11,190"), "{body}");
        assert!(
            body.contains("在学証明書") && body.contains("成績証明書"),
            "{body}"
        );
        assert!(!body.contains("@@"), "{body}");
    }
    let fee = ledger_transaction::Entity::find()
        .filter(ledger_transaction::Column::Kind.eq("certificate_fee"))
        .one(&office.world.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(fee.description, format!("No. {}", applied.number));
    let event = audit_event::Entity::find()
        .filter(audit_event::Column::Event.eq("application_submitted"))
        .one(&office.world.db)
        .await
        .unwrap()
        .unwrap();
    let detail = format!(r#"{{"application":"{}","total":810}}"#, applied.number);
    assert_eq!(event.detail.as_deref(), Some(detail.as_str()));
    assert_eq!(event.tenant_id, Some(office.world.tenant.id));
}

#[tokio::test]
async fn an_application_after_a_catalogue_change_is_priced_by_the_changed_catalogue() {
    let office = Office::new().await;
    office.credit(office.s1, 2000).await;
    let request = by("pdf", vec![line("enrollment", Lang::Ja, 1)]);
    let first = office.apply(office.s1, &request, &key(1)).await.unwrap();
    let demo = include_str!("../../../catalogues/demo.toml");
    let dearer = demo.replacen("fee = 200\n", "fee = 250\n", 1);
    let catalogue = certificates::parse(&dearer).unwrap();
    let operator = Actor::new("operator".to_owned(), "");
    certificates::import(
        &office.world.db,
        &operator,
        office.world.tenant.id,
        &catalogue,
        0,
    )
    .await
    .unwrap();

    let second = office.apply(office.s1, &request, &key(2)).await.unwrap();

    assert_eq!(first.total.get(), 200);
    assert_eq!(second.total.get(), 250);
    assert_eq!(office.balance(office.s1).await, 2000 - 200 - 250);
}

#[tokio::test]
async fn an_order_the_catalogue_or_the_registry_does_not_allow_is_refused_and_writes_nothing() {
    let office = Office::new().await;
    office.credit(office.s1, 10_000).await;
    let mut without_address = by("post", vec![line("enrollment", Lang::Ja, 1)]);
    without_address.address = None;
    let cases = [
        (
            by("pdf", vec![line("health-check", Lang::Ja, 1)]),
            ApplyError::NotOrderable {
                code: CatalogueCode::parse("health-check").unwrap(),
                refusal: OrderRefusal::NoHealthCheck,
            },
        ),
        (
            by("pdf", vec![line("enrollment", Lang::Ja, 11)]),
            ApplyError::TooManyCopies {
                code: CatalogueCode::parse("enrollment").unwrap(),
                max: 10,
            },
        ),
        (
            by(
                "pdf",
                vec![
                    line("transcript", Lang::Ja, 1),
                    line("transcript", Lang::Ja, 2),
                ],
            ),
            ApplyError::LineTwice(CatalogueCode::parse("transcript").unwrap()),
        ),
        (
            by("pdf", vec![line("no-such-type", Lang::Ja, 1)]),
            ApplyError::UnknownType(CatalogueCode::parse("no-such-type").unwrap()),
        ),
        (
            by("carrier-pigeon", vec![line("enrollment", Lang::Ja, 1)]),
            ApplyError::UnknownDelivery,
        ),
        (without_address, ApplyError::AddressNeeded),
        (
            by(
                "pdf",
                vec![line("enrollment", Lang::Ja, 1), line("degree", Lang::Ja, 1)],
            ),
            ApplyError::NotOrderable {
                code: CatalogueCode::parse("degree").unwrap(),
                refusal: OrderRefusal::Status(domain::StudentStatus::Enrolled),
            },
        ),
        (by("pdf", vec![]), ApplyError::NoLines),
    ];

    for (n, (request, expected)) in cases.into_iter().enumerate() {
        let refused = office.apply(office.s1, &request, &key(n)).await;
        assert_eq!(refused, Err(expected));
    }

    assert_eq!(office.world.count_rows("applications").await, 0);
    assert_eq!(office.world.count_rows("application_lines").await, 0);
    assert_eq!(office.balance(office.s1).await, 10_000);
}

#[tokio::test]
async fn a_delivery_one_of_the_certificates_does_not_allow_is_refused() {
    let office = Office::new().await;
    let csv = "user_id,name,password,status\nalum,卒業 生,pw-Pass-123,graduated\n";
    registry::import_csv(&office.world.db, office.world.tenant.id, csv.as_bytes())
        .await
        .unwrap();
    let alum = student(&office.world, "alum").await;
    office.credit(alum, 5000).await;

    // 卒業証明書 may be a PDF; 学位授与証明書 may not.
    let refused = office
        .apply(
            alum,
            &by(
                "pdf",
                vec![line("graduation", Lang::Ja, 1), line("degree", Lang::En, 1)],
            ),
            &key(1),
        )
        .await;

    assert_eq!(
        refused,
        Err(ApplyError::DeliveryNotAllowed(
            CatalogueCode::parse("degree").unwrap()
        ))
    );
    assert_eq!(office.world.count_rows("applications").await, 0);
}

#[tokio::test]
async fn a_balance_too_low_is_refused_with_the_shortfall_and_nothing_is_written() {
    let office = Office::new().await;
    office.credit(office.s1, 500).await;

    let refused = office
        .apply(
            office.s1,
            &by("pdf", vec![line("transcript", Lang::Ja, 2)]),
            &key(1),
        )
        .await;

    assert_eq!(
        refused,
        Err(ApplyError::InsufficientBalance {
            balance: Yen::new(500).unwrap(),
            shortfall: Yen::new(100).unwrap(),
        })
    );
    assert_eq!(office.world.count_rows("applications").await, 0);
    assert_eq!(office.balance(office.s1).await, 500);
}

#[tokio::test]
async fn the_same_key_sent_ten_times_at_once_makes_one_application_and_pays_once() {
    let office = Office::new().await;
    office.credit(office.s1, 5000).await;
    let request = by("pdf", vec![line("enrollment", Lang::Ja, 1)]);

    let answers = at_once(10, |_| {
        let (applications, tenant) = (office.applications.clone(), office.world.tenant.clone());
        let (student, request) = (office.s1, request.clone());
        async move { apply_with(&applications, &tenant, student, &request, &key(7)).await }
    })
    .await;
    let other = office
        .apply(
            office.s1,
            &by("pdf", vec![line("enrollment", Lang::Ja, 2)]),
            &key(7),
        )
        .await;

    let ids: std::collections::BTreeSet<i32> =
        answers.iter().map(|answer| answer.as_ref().unwrap().id).collect();
    assert_eq!(ids.len(), 1);
    assert_eq!(
        answers.iter().filter(|a| !a.as_ref().unwrap().replayed).count(),
        1
    );
    assert_eq!(other, Err(ApplyError::KeyReused));
    assert_eq!(office.balance(office.s1).await, 4800);
    assert_eq!(office.world.count_rows("applications").await, 1);
}

#[tokio::test]
async fn a_hundred_applications_at_once_with_a_balance_for_sixty_accept_exactly_sixty() {
    let office = Office::new().await;
    office.credit(office.s1, 60 * 200).await;
    let request = by("pdf", vec![line("enrollment", Lang::Ja, 1)]);

    let answers = at_once(100, |n| {
        let (applications, tenant) = (office.applications.clone(), office.world.tenant.clone());
        let (student, request) = (office.s1, request.clone());
        async move { apply_with(&applications, &tenant, student, &request, &key(n)).await }
    })
    .await;

    let accepted = answers.iter().filter(|answer| answer.is_ok()).count();
    let short = answers
        .iter()
        .filter(|answer| matches!(answer, Err(ApplyError::InsufficientBalance { .. })))
        .count();
    assert_eq!((accepted, short), (60, 40));
    assert_eq!(office.balance(office.s1).await, 0);
    assert_eq!(office.world.count_rows("applications").await, 60);
    assert_eq!(office.world.count_rows("application_lines").await, 60);
    assert_eq!(ledger::verify(&office.world.db).await.unwrap(), vec![]);
}

#[tokio::test]
async fn another_students_application_or_another_universitys_is_not_found() {
    let office = Office::new().await;
    office.credit(office.s1, 1000).await;
    let applied = office
        .apply(
            office.s1,
            &by("pickup", vec![line("enrollment", Lang::Ja, 1)]),
            &key(1),
        )
        .await
        .unwrap();
    let other = office.world.add_university("other-u").await;

    let by_s2 = office
        .applications
        .one_of_student(office.world.tenant.id, office.s2, applied.id)
        .await
        .unwrap();
    let elsewhere = office.applications.one_of_student(other, office.s1, applied.id).await.unwrap();
    let listed_for_s2 =
        office.applications.of_student(office.world.tenant.id, office.s2).await.unwrap();

    assert_eq!(by_s2, None);
    assert_eq!(elsewhere, None);
    assert!(listed_for_s2.is_empty());
}

// The office's side: the queue, each change of status, and the student's cancellation.

pub(super) fn member(tenant_id: i32, role: domain::StaffRole) -> domain::StaffMember {
    domain::StaffMember {
        id: 7,
        tenant_id,
        login_id: format!("{}-7", role.code()),
        role,
    }
}

pub(super) fn office_actor() -> Actor {
    Actor::new("192.0.2.20".to_owned(), "console")
}

impl Office {
    pub(super) async fn act(
        &self,
        role: domain::StaffRole,
        id: i32,
        action: StaffAction,
    ) -> Result<ApplicationStatus, ActionError> {
        let by = member(self.world.tenant.id, role);
        self.applications
            .act((&by, &office_actor()), &self.world.tenant, id, action)
            .await
    }

    pub(super) async fn status(&self, id: i32) -> ApplicationStatus {
        self.applications
            .one_of_student(self.world.tenant.id, self.s1, id)
            .await
            .unwrap()
            .unwrap()
            .status
    }

    /// An application of s1 by `delivery` (post to Hongo), paid: its id.
    async fn applied(&self, delivery: &str, n: usize) -> i32 {
        let mut request = by(delivery, vec![line("enrollment", Lang::Ja, 1)]);
        if delivery == "post" {
            request.address = Some(hongo());
        }
        self.apply(self.s1, &request, &key(n)).await.unwrap().id
    }
}

use backend::certificates::{ActionError, QueueFilter, StaffAction};
use domain::StaffRole;

#[tokio::test]
async fn a_clerk_moves_a_posted_application_to_sent_with_its_tracking_number() {
    let office = Office::new().await;
    office.credit(office.s1, 1000).await;
    let id = office.applied("post", 1).await;

    let by_viewer = office.act(StaffRole::Viewer, id, StaffAction::Start).await;
    let started = office.act(StaffRole::Clerk, id, StaffAction::Start).await;
    let ready_for_post = office.act(StaffRole::Clerk, id, StaffAction::MakeReady).await;
    let bad_tracking = office
        .act(
            StaffRole::Clerk,
            id,
            StaffAction::Send {
                tracking: "12 34".to_owned(),
            },
        )
        .await;
    let sent = office
        .act(
            StaffRole::Clerk,
            id,
            StaffAction::Send {
                tracking: "1234-5678-9012".to_owned(),
            },
        )
        .await;
    let again = office.act(StaffRole::Clerk, id, StaffAction::Start).await;

    assert_eq!(by_viewer, Err(ActionError::Forbidden));
    assert_eq!(started, Ok(ApplicationStatus::Processing));
    assert_eq!(ready_for_post, Err(ActionError::WrongDelivery));
    assert_eq!(bad_tracking, Err(ActionError::BadTracking));
    assert_eq!(sent, Ok(ApplicationStatus::Sent));
    assert_eq!(again, Err(ActionError::NotNow(ApplicationStatus::Sent)));
    let record = office
        .applications
        .one_of_student(office.world.tenant.id, office.s1, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.tracking_number.as_deref(), Some("1234-5678-9012"));
    let timeline: Vec<_> = record.timeline.iter().map(|(status, _)| *status).collect();
    assert_eq!(
        timeline,
        [
            ApplicationStatus::Accepted,
            ApplicationStatus::Processing,
            ApplicationStatus::Sent
        ]
    );
    let queue = office
        .applications
        .queue(
            (
                &member(office.world.tenant.id, StaffRole::Viewer),
                &office_actor(),
            ),
            office.world.tenant.id,
            &QueueFilter {
                status: Some(ApplicationStatus::Sent),
                type_code: Some("enrollment".to_owned()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].student.user_id, "s1");
}

#[tokio::test]
async fn paper_certificates_are_made_and_signed_when_the_office_starts_and_the_student_gets_no_file(
) {
    use backend::entities::issued_document;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let office = Office::new().await;
    office.credit(office.s1, 1000).await;
    let id = office.applied("post", 1).await;
    let tenant_id = office.world.tenant.id;
    let (clerk, actor) = (member(tenant_id, StaffRole::Clerk), office_actor());
    let for_office = || office.applications.pdf_for_staff((&clerk, &actor), tenant_id, id, 0);
    let for_student = || office.applications.pdf_of_student(tenant_id, office.s1, id, 0);

    let before = for_office().await.unwrap();
    office.act(StaffRole::Clerk, id, StaffAction::Start).await.unwrap();
    let printed = for_office().await.unwrap();
    let students_while_processing = for_student().await.unwrap();
    let sending = StaffAction::Send {
        tracking: "1234-5678-9012".to_owned(),
    };
    office.act(StaffRole::Clerk, id, sending).await.unwrap();
    let students_once_sent = for_student().await.unwrap();

    assert_eq!(before, None);
    let printed = text(printed);
    assert!(printed.contains("在学証明書"), "{printed}");
    assert!(printed.contains("氏名: 山田 花子"), "{printed}");
    let documents = issued_document::Entity::find()
        .filter(issued_document::Column::ApplicationId.eq(id))
        .all(&office.world.db)
        .await
        .unwrap();
    assert_eq!(documents.len(), 1);
    assert!(documents[0].document_id.is_some() && documents[0].signature.is_some());
    assert_eq!(students_while_processing, None);
    assert_eq!(students_once_sent, None);
}

#[tokio::test]
async fn a_start_the_registry_cannot_state_is_refused_and_nothing_changes() {
    let office = Office::new().await;
    office.credit(office.s1, 1000).await;
    let mut request = by("post", vec![line("enrollment", Lang::En, 1)]);
    request.address = Some(hongo());
    let id = office.apply(office.s1, &request, &key(1)).await.unwrap().id;

    // s1 has no English name in the registry: an English certificate cannot be printed.
    let started = office.act(StaffRole::Clerk, id, StaffAction::Start).await;

    assert_eq!(
        started.err(),
        Some(ActionError::MissingFact(domain::i18n::DocumentMsg::Name))
    );
    assert_eq!(office.status(id).await, ApplicationStatus::Accepted);
}

#[tokio::test]
async fn a_student_cancels_while_accepted_and_the_whole_amount_returns_to_the_card() {
    let office = Office::new().await;
    office.credit(office.s1, 1000).await;
    let cancelled = office.applied("post", 1).await;
    let started = office.applied("pdf", 2).await;
    office.act(StaffRole::Clerk, started, StaffAction::Start).await.unwrap();
    let tenant = office.world.tenant.clone();
    let student_actor = Actor::new("192.0.2.9".to_owned(), "test");

    let first = office
        .applications
        .cancel_by_student(&student_actor, &tenant, office.s1, cancelled)
        .await;
    let twice = office
        .applications
        .cancel_by_student(&student_actor, &tenant, office.s1, cancelled)
        .await;
    let too_late = office
        .applications
        .cancel_by_student(&student_actor, &tenant, office.s1, started)
        .await;
    let by_another = office
        .applications
        .cancel_by_student(&student_actor, &tenant, office.s2, started)
        .await;

    assert_eq!(first, Ok(ApplicationStatus::Cancelled));
    assert_eq!(
        twice,
        Err(ActionError::NotNow(ApplicationStatus::Cancelled))
    );
    assert_eq!(
        too_late,
        Err(ActionError::NotNow(ApplicationStatus::Processing))
    );
    assert_eq!(by_another, Err(ActionError::NotFound));
    // 1000 − 310 (post) − 200 (PDF) + 310 back.
    assert_eq!(office.balance(office.s1).await, 800);
    assert_eq!(ledger::verify(&office.world.db).await.unwrap(), vec![]);
}

#[tokio::test]
async fn a_cancel_and_a_start_at_the_same_moment_exactly_one_wins_and_the_money_follows() {
    let office = Office::new().await;
    office.credit(office.s1, 10 * 200).await;
    let mut ids = Vec::new();
    for n in 0..10 {
        ids.push(office.applied("pdf", n).await);
    }

    let mut cancelled = 0;
    for id in ids.iter().copied() {
        let answers = at_once(2, |n| {
            let (applications, tenant, s1) = (
                office.applications.clone(),
                office.world.tenant.clone(),
                office.s1,
            );
            async move {
                if n == 0 {
                    applications
                        .cancel_by_student(
                            &Actor::new("192.0.2.9".to_owned(), "t"),
                            &tenant,
                            s1,
                            id,
                        )
                        .await
                } else {
                    let by = member(tenant.id, StaffRole::Clerk);
                    applications.act((&by, &office_actor()), &tenant, id, StaffAction::Start).await
                }
            }
        })
        .await;
        let won: Vec<_> = answers.iter().filter(|answer| answer.is_ok()).collect();
        assert_eq!(won.len(), 1, "{answers:?}");
        if answers[0].is_ok() {
            cancelled += 1;
            assert_eq!(office.status(id).await, ApplicationStatus::Cancelled);
        } else {
            assert_eq!(office.status(id).await, ApplicationStatus::Processing);
        }
    }

    assert_eq!(office.balance(office.s1).await, cancelled * 200);
    assert_eq!(ledger::verify(&office.world.db).await.unwrap(), vec![]);
}

#[tokio::test]
async fn cancelling_what_was_issued_is_for_an_admin_with_a_reason_and_refunds_it() {
    let office = Office::new().await;
    office.credit(office.s1, 1000).await;
    let id = office.applied("pdf", 1).await;
    office.act(StaffRole::Clerk, id, StaffAction::Start).await.unwrap();
    office.act(StaffRole::Clerk, id, StaffAction::Issue).await.unwrap();
    let cancel = |reason: &str| StaffAction::Cancel {
        reason: reason.to_owned(),
    };

    let by_clerk = office.act(StaffRole::Clerk, id, cancel("誤発行")).await;
    let without_reason = office.act(StaffRole::Admin, id, cancel(" ")).await;
    let by_admin = office.act(StaffRole::Admin, id, cancel("誤発行のため")).await;

    assert_eq!(by_clerk, Err(ActionError::Forbidden));
    assert_eq!(without_reason, Err(ActionError::BadReason));
    assert_eq!(by_admin, Ok(ApplicationStatus::Cancelled));
    assert_eq!(office.balance(office.s1).await, 1000);
    assert_eq!(ledger::verify(&office.world.db).await.unwrap(), vec![]);
}

#[tokio::test]
async fn staff_of_another_university_neither_see_nor_move_its_applications() {
    let office = Office::new().await;
    office.credit(office.s1, 1000).await;
    let id = office.applied("pickup", 1).await;
    let other = office.world.add_university("other-u").await;
    let theirs = member(other, StaffRole::Admin);
    let other_tenant = backend::tenancy::require(&office.world.db, "other-u").await.unwrap();

    let read = office
        .applications
        .for_staff((&theirs, &office_actor()), office.world.tenant.id, id)
        .await;
    let moved = office
        .applications
        .act(
            (&theirs, &office_actor()),
            &office.world.tenant,
            id,
            StaffAction::Start,
        )
        .await;
    // Their own university, with this university's application number.
    let by_number = office
        .applications
        .act(
            (&theirs, &office_actor()),
            &other_tenant,
            id,
            StaffAction::Start,
        )
        .await;

    assert_eq!(read, Err(ActionError::Forbidden));
    assert_eq!(moved, Err(ActionError::Forbidden));
    assert_eq!(by_number, Err(ActionError::NotFound));
    assert_eq!(office.status(id).await, ApplicationStatus::Accepted);
}

// Electronic certificates: made when the office marks an application of PDF delivery issued.

/// s1's registry record with what an English certificate needs, and two course results.
pub(super) async fn registry_with_english_name(office: &Office) {
    let csv = "user_id,name,name_en,student_number,faculty,faculty_en,status,password\n\
               s1,山田 花子,Hanako Yamada,1001,文学部,Faculty of Letters,enrolled,pw-Pass-123\n\
               s2,佐藤 太郎,Taro Sato,1002,文学部,,enrolled,pw-Pass-123\n";
    registry::import_csv(&office.world.db, office.world.tenant.id, csv.as_bytes())
        .await
        .unwrap();
    let grades = "user_id,year,term,course,course_en,credits,grade,category,term_en,category_en\n\
                  s1,2025,前期,日本文学概論,Introduction to Japanese Literature,2,S,必修,Spring,Required\n\
                  s1,2025,後期,統計学,Statistics,2,B,選択,,\n";
    registry::import_grades(&office.world.db, office.world.tenant.id, grades.as_bytes())
        .await
        .unwrap();
}

pub(super) fn text(pdf: Option<certificates::IssuedPdf>) -> String {
    String::from_utf8(pdf.expect("a document").pdf).unwrap()
}

#[tokio::test]
async fn an_issued_pdf_application_keeps_each_lines_certificate_as_it_was_issued() {
    let office = Office::new().await;
    office.credit(office.s1, 2000).await;
    let request = by(
        "pdf",
        vec![
            line("enrollment", Lang::Ja, 1),
            line("transcript", Lang::En, 1),
        ],
    );
    let id = office.apply(office.s1, &request, &key(1)).await.unwrap().id;
    office.act(StaffRole::Clerk, id, StaffAction::Start).await.unwrap();

    // Without an English name in the registry the English transcript cannot be made.
    let lacking = office.act(StaffRole::Clerk, id, StaffAction::Issue).await;
    let before = office.status(id).await;
    registry_with_english_name(&office).await;
    let issued = office.act(StaffRole::Clerk, id, StaffAction::Issue).await;
    // The registry changes after issue; the certificate does not.
    let renamed = "user_id,name,status,password\ns1,山田 春子,enrolled,pw-Pass-123\n";
    registry::import_csv(&office.world.db, office.world.tenant.id, renamed.as_bytes())
        .await
        .unwrap();
    let tenant_id = office.world.tenant.id;
    let ours = |position| office.applications.pdf_of_student(tenant_id, office.s1, id, position);
    let (enrollment, transcript, no_line) = (ours(0).await, ours(1).await, ours(2).await);
    let of_s2 = office.applications.pdf_of_student(tenant_id, office.s2, id, 0).await;

    assert_eq!(
        lacking.err(),
        Some(ActionError::MissingFact(domain::i18n::DocumentMsg::Name))
    );
    assert_eq!(before, ApplicationStatus::Processing);
    assert_eq!(issued, Ok(ApplicationStatus::Issued));
    let enrollment = text(enrollment.unwrap());
    assert!(enrollment.contains("在学証明書"), "{enrollment}");
    assert!(enrollment.contains("氏名: 山田 花子"), "{enrollment}");
    assert!(enrollment.contains("学部: 文学部"), "{enrollment}");
    assert!(enrollment.contains("上記の者は、本学に在学していることを証明する。"));
    let transcript = text(transcript.unwrap());
    assert!(transcript.contains("Academic Transcript"), "{transcript}");
    assert!(transcript.contains("Name: Hanako Yamada"), "{transcript}");
    assert!(
        transcript.contains("Faculty: Faculty of Letters"),
        "{transcript}"
    );
    assert!(transcript.contains("Introduction to Japanese Literature"));
    // The term and category in English where the file gives them, as the file says otherwise.
    assert!(
        transcript.contains("Spring") && !transcript.contains("前期"),
        "{transcript}"
    );
    assert!(
        transcript.contains("Credits earned in Required: 2"),
        "{transcript}"
    );
    assert!(transcript.contains("後期"), "{transcript}");
    // (2×4 + 2×2) / 4 = 3.00
    assert!(transcript.contains("GPA: 3.00"), "{transcript}");
    assert_eq!(no_line.unwrap(), None);
    assert_eq!(of_s2.unwrap(), None);
}

#[tokio::test]
async fn a_certificate_is_the_students_only_while_issued_and_the_offices_always() {
    let office = Office::new().await;
    office.credit(office.s1, 1000).await;
    let id = office.applied("pdf", 1).await;
    office.act(StaffRole::Clerk, id, StaffAction::Start).await.unwrap();
    let tenant_id = office.world.tenant.id;
    let before_issue = office.applications.pdf_of_student(tenant_id, office.s1, id, 0).await;
    office.act(StaffRole::Clerk, id, StaffAction::Issue).await.unwrap();
    let issued = office.applications.pdf_of_student(tenant_id, office.s1, id, 0).await;
    let cancel = StaffAction::Cancel {
        reason: "誤発行のため".to_owned(),
    };
    office.act(StaffRole::Admin, id, cancel).await.unwrap();

    let after_cancel = office.applications.pdf_of_student(tenant_id, office.s1, id, 0).await;
    let viewer = member(tenant_id, StaffRole::Viewer);
    let for_office = office
        .applications
        .pdf_for_staff((&viewer, &office_actor()), tenant_id, id, 0)
        .await;
    let elsewhere = member(tenant_id + 1, StaffRole::Admin);
    let other_university = office
        .applications
        .pdf_for_staff((&elsewhere, &office_actor()), tenant_id, id, 0)
        .await;

    assert_eq!(before_issue.unwrap(), None);
    assert!(issued.unwrap().is_some());
    assert_eq!(after_cancel.unwrap(), None);
    assert!(text(for_office.unwrap()).contains("在学証明書"));
    assert_eq!(other_university.err(), Some(ActionError::Forbidden));
    let events = backend::platform::audit::recent(&office.world.db, tenant_id, 20).await.unwrap();
    let downloads: Vec<_> =
        events.iter().filter(|e| e.event == "staff_downloaded_certificate").collect();
    assert_eq!(
        downloads.len(),
        1,
        "the office's copy is audited, the refused one is not"
    );
    assert_eq!(downloads[0].staff_id, Some(viewer.id));
}

#[tokio::test]
async fn two_clerks_issuing_at_once_make_one_set_of_certificates() {
    let office = Office::new().await;
    office.credit(office.s1, 1000).await;
    let id = office.applied("pdf", 1).await;
    office.act(StaffRole::Clerk, id, StaffAction::Start).await.unwrap();

    let results = at_once(2, |_| {
        let (applications, tenant) = (office.applications.clone(), office.world.tenant.clone());
        async move {
            let by = member(tenant.id, StaffRole::Clerk);
            applications.act((&by, &office_actor()), &tenant, id, StaffAction::Issue).await
        }
    })
    .await;

    let won = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(won, 1, "{results:?}");
    use sea_orm::{EntityTrait, PaginatorTrait};
    let documents = backend::entities::issued_document::Entity::find()
        .count(&office.world.db)
        .await
        .unwrap();
    assert_eq!(documents, 1);
}

#[tokio::test]
async fn the_queue_lists_each_application_with_its_own_lines_history_and_student_oldest_first() {
    let office = Office::new().await;
    office.credit(office.s1, 3000).await;
    office.credit(office.s2, 3000).await;
    let first = office.applied("pdf", 1).await;
    let transcript = by("pdf", vec![line("transcript", Lang::En, 2)]);
    let second = office.apply(office.s2, &transcript, &key(2)).await.unwrap().id;
    let third = office.applied("pdf", 3).await;
    office.act(StaffRole::Clerk, second, StaffAction::Start).await.unwrap();

    let viewer = member(office.world.tenant.id, StaffRole::Viewer);
    let queue = office
        .applications
        .queue(
            (&viewer, &office_actor()),
            office.world.tenant.id,
            &QueueFilter::default(),
        )
        .await
        .unwrap();

    let listed: Vec<(i32, &str, &str, u32, usize)> = queue
        .iter()
        .map(|row| {
            let line = &row.record.lines[0];
            let (code, copies) = (line.code.as_str(), line.copies);
            (
                row.record.id,
                row.student.user_id.as_str(),
                code,
                copies,
                row.record.timeline.len(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            (first, "s1", "enrollment", 1, 1),
            (second, "s2", "transcript", 2, 2),
            (third, "s1", "enrollment", 1, 1),
        ]
    );
}
