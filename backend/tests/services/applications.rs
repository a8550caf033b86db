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

const DEMO: &str = include_str!("../../../catalogues/demo.toml");

struct Office {
    world: World,
    applications: Applications,
    s1: StudentId,
    s2: StudentId,
}

impl Office {
    /// The test university with the demo catalogue; its clock stands in January 2027.
    async fn new() -> Self {
        let world = World::new().await;
        let operator = Actor::new("operator".to_owned(), "");
        let catalogue = certificates::parse(DEMO).unwrap();
        certificates::import(&world.db, &operator, world.tenant.id, &catalogue, 0)
            .await
            .unwrap();
        let wallet = Wallet {
            db: world.db.clone(),
            clock: world.clock.clone(),
        };
        let applications = Applications {
            db: world.db.clone(),
            clock: world.clock.clone(),
            wallet,
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

    async fn credit(&self, student: StudentId, yen: i64) {
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

    async fn apply(
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

fn line(code: &str, lang: Lang, copies: u32) -> OrderLine {
    OrderLine {
        code: CatalogueCode::parse(code).unwrap(),
        lang,
        copies,
    }
}

fn by(delivery: &str, lines: Vec<OrderLine>) -> ApplicationRequest {
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

fn key(n: usize) -> String {
    format!("application-key-{n:06}")
}

#[tokio::test]
async fn an_application_paid_from_the_balance_is_accepted_with_its_lines_and_price() {
    let office = Office::new().await;
    office.credit(office.s1, 2000).await;
    let mut request = by(
        "post",
        vec![
            line("enrollment", Lang::Ja, 2),
            line("transcript", Lang::En, 1),
        ],
    );
    request.address = Some(hongo());
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
