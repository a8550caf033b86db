//! Applications paid through the gateway (a card, a konbini slip), without HTTP: the
//! application waits for the gateway's notice and is accepted once, its fees booked from the
//! gateway and never from the card; a declined card, an expired slip or a gateway that cannot
//! be reached ends it unpaid with nothing charged; a cancellation owes the whole amount back
//! through the gateway, sent until the gateway takes it.

use backend::certificates::{self, ApplicationRequest, Applications, ApplyError, PayWith};
use backend::entities::top_up;
use backend::platform::audit::Actor;
use backend::registry;
use backend::testing::{at_once, World};
use backend::wallet::dev_gateway::{self, CardOutcome, DevGateway};
use backend::wallet::gateway::PaymentMethod;
use backend::wallet::ledger;
use backend::wallet::top_ups::{NoticeOutcome, TopUp, TopUps};
use backend::wallet::webhook_signature::SignedNotice;
use backend::wallet::{IdempotencyKey, Wallet};
use domain::i18n::Lang;
use domain::{ApplicationStatus, CatalogueCode, OrderLine, PayBy, StudentId, UserId};
use sea_orm::EntityTrait;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

/// The test university with the demo catalogue, the development gateway, and both handles
/// wired as the server wires them: the applications open payments through the top-ups, and the
/// top-ups' notices settle the applications.
struct Counter {
    world: World,
    gateway: DevGateway,
    top_ups: TopUps,
    applications: Applications,
    s1: StudentId,
}

impl Counter {
    async fn new() -> Self {
        let world = World::new().await;
        world.import_demo_catalogue().await;
        let (gateway, payments) = world.dev_gateway();
        let applications = Applications {
            db: world.db.clone(),
            clock: world.clock.clone(),
            wallet: Wallet {
                db: world.db.clone(),
                clock: world.clock.clone(),
            },
            renderer: Arc::new(backend::testing::TextRenderer),
            payments: Some(payments.clone()),
            catalogues: Default::default(),
            issuing: world.issuing(),
        };
        let top_ups = TopUps {
            applications: Some(Arc::new(applications.clone())),
            ..payments
        };
        let s1 = registry::by_user_id(&world.db, world.tenant.id, &UserId::parse("s1").unwrap())
            .await
            .unwrap()
            .unwrap()
            .id;
        Self {
            world,
            gateway,
            top_ups,
            applications,
            s1,
        }
    }

    /// Two enrollment certificates as PDFs (400 yen), confirmed on a page of its own and paid
    /// as `pay_by` says.
    async fn apply(&self, pay_by: PayBy) -> Result<certificates::Applied, ApplyError> {
        let request = ApplicationRequest {
            lines: vec![OrderLine {
                code: CatalogueCode::parse("enrollment").unwrap(),
                lang: Lang::Ja,
                copies: 2,
            }],
            purpose: None,
            delivery: CatalogueCode::parse("pdf").unwrap(),
            address: None,
            lang: Lang::Ja,
        };
        let student = registry::by_id(&self.world.db, self.world.tenant.id, self.s1)
            .await
            .unwrap()
            .unwrap();
        // The confirmation page's draft; its key is the application's, as in the browser.
        let (draft_key, _) =
            self.applications.draft(self.world.tenant.id, &student, &request).await.unwrap();
        self.apply_draft(pay_by, &draft_key).await
    }

    async fn apply_draft(
        &self,
        pay_by: PayBy,
        draft_key: &str,
    ) -> Result<certificates::Applied, ApplyError> {
        let actor = Actor::new("192.0.2.9".to_owned(), "test");
        let key = IdempotencyKey::parse(draft_key).unwrap();
        let pay = PayWith {
            pay_by,
            return_url: &|number| {
                format!("http://shomei.test/test-u/certificates/application?no={number}")
            },
            notify_url: "http://shomei.test/webhooks/payments/test-u".to_owned(),
        };
        self.applications
            .apply_draft(&actor, &self.world.tenant, (self.s1, &key), (None, pay))
            .await
            .map(|applied| applied.expect("the draft"))
    }

    /// The gateway's id of a payment, from its page's address.
    fn payment_id(payment: &TopUp) -> String {
        let page = payment.redirect_url.as_deref().expect("a payment page");
        page.rsplit('/').next().unwrap().to_owned()
    }

    /// Every notice the gateway queued, each received (as the endpoint passes it on) twice.
    async fn deliver_notices(&self) -> Vec<NoticeOutcome> {
        let due = self.gateway.due_notices(100).await.unwrap();
        let mut outcomes = Vec::new();
        for notice in due {
            for _ in 0..2 {
                let (id, timestamp, signature) =
                    self.gateway.signed_notice(&notice.notice_id, &notice.body);
                let signed = SignedNotice {
                    id: &id,
                    timestamp: &timestamp,
                    signature: &signature,
                    body: notice.body.as_bytes(),
                };
                outcomes
                    .push(self.top_ups.receive_notice(&self.world.tenant, signed).await.unwrap());
            }
            self.gateway.delivered(&notice, true).await.unwrap();
        }
        outcomes
    }

    async fn record(&self, id: i32) -> certificates::ApplicationRecord {
        self.applications
            .one_of_student(self.world.tenant.id, self.s1, id)
            .await
            .unwrap()
            .expect("the student's application")
    }

    async fn balance(&self) -> i64 {
        ledger::balance(&self.world.db, self.world.tenant.id, self.s1)
            .await
            .unwrap()
            .get()
    }

    async fn count(&self, table: &str) -> i64 {
        self.world.count_rows(table).await
    }

    async fn refund_state(&self, application_id: i32) -> Option<String> {
        top_up::Entity::find()
            .all(&self.world.db)
            .await
            .unwrap()
            .into_iter()
            .find(|row| row.application_id == Some(application_id))
            .expect("the application's payment")
            .refund_state
    }

    /// An application paid by card and accepted: its id.
    async fn paid_by_card(&self) -> i32 {
        let applied = self.apply(PayBy::Card).await.unwrap();
        let payment = applied.payment.expect("a payment");
        let paid = self
            .gateway
            .pay_with_card(&Self::payment_id(&payment), dev_gateway::CARD_SUCCEEDS)
            .await
            .unwrap();
        assert_eq!(paid, CardOutcome::Paid);
        self.deliver_notices().await;
        applied.id
    }
}

fn statuses(record: &certificates::ApplicationRecord) -> Vec<ApplicationStatus> {
    record.timeline.iter().map(|(status, _)| *status).collect()
}

#[tokio::test]
async fn an_application_paid_by_card_waits_and_is_accepted_once_when_the_payment_comes_in() {
    let counter = Counter::new().await;
    counter.world.register_s1_address().await;

    let applied = counter.apply(PayBy::Card).await.unwrap();
    let waiting = counter.record(applied.id).await;
    let payment = applied.payment.clone().expect("a payment");
    let mails_while_waiting = counter.count("outbox").await;
    let paid = counter
        .gateway
        .pay_with_card(&Counter::payment_id(&payment), dev_gateway::CARD_SUCCEEDS)
        .await
        .unwrap();
    let outcomes = counter.deliver_notices().await;

    assert_eq!(waiting.status, ApplicationStatus::AwaitingPayment);
    assert_eq!(waiting.pay_by, PayBy::Card);
    assert_eq!(
        (payment.method, payment.amount.get()),
        (PaymentMethod::Card, 400)
    );
    assert_eq!(mails_while_waiting, 0, "no receipt before the money is in");
    assert_eq!(paid, CardOutcome::Paid);
    assert_eq!(
        outcomes,
        vec![
            NoticeOutcome::ApplicationPaid,
            NoticeOutcome::AlreadyHandled
        ]
    );
    let accepted = counter.record(applied.id).await;
    assert_eq!(accepted.status, ApplicationStatus::Accepted);
    assert_eq!(
        statuses(&accepted),
        vec![
            ApplicationStatus::AwaitingPayment,
            ApplicationStatus::Accepted
        ]
    );
    assert_eq!(counter.count("outbox").await, 1, "one receipt");
    // The fees came from the gateway: one ledger transaction, the card never touched.
    assert_eq!(counter.count("ledger_transactions").await, 1);
    assert_eq!(counter.balance().await, 0);
    assert_eq!(ledger::verify(&counter.world.db).await.unwrap(), vec![]);
}

#[tokio::test]
async fn a_declined_card_or_an_expired_konbini_slip_ends_the_application_unpaid_charging_nothing() {
    let counter = Counter::new().await;
    let by_card = counter.apply(PayBy::Card).await.unwrap();
    let by_konbini = counter.apply(PayBy::Konbini).await.unwrap();
    let slip = by_konbini.payment.clone().expect("a konbini payment");

    counter
        .gateway
        .pay_with_card(
            &Counter::payment_id(&by_card.payment.unwrap()),
            dev_gateway::CARD_DECLINED,
        )
        .await
        .unwrap();
    counter.world.advance(Duration::from_secs(
        dev_gateway::KONBINI_DAYS as u64 * 86_400 + 60,
    ));
    let expired = counter.gateway.expire_due().await.unwrap();
    counter.deliver_notices().await;
    let student = Actor::new("192.0.2.9".to_owned(), "test");
    let cancel = counter
        .applications
        .cancel_by_student(&student, &counter.world.tenant, counter.s1, by_konbini.id)
        .await;

    assert!(slip.konbini_number.is_some() && slip.konbini_deadline.is_some());
    assert_eq!(expired, 1);
    for id in [by_card.id, by_konbini.id] {
        let record = counter.record(id).await;
        assert_eq!(
            statuses(&record),
            vec![
                ApplicationStatus::AwaitingPayment,
                ApplicationStatus::Unpaid
            ]
        );
    }
    assert_eq!(
        cancel,
        Err(certificates::ActionError::NotNow(ApplicationStatus::Unpaid))
    );
    assert_eq!(counter.count("ledger_transactions").await, 0);
    assert_eq!(counter.balance().await, 0);
}

#[tokio::test]
async fn cancelling_an_application_paid_by_card_refunds_it_through_the_gateway_once() {
    let counter = Counter::new().await;
    let id = counter.paid_by_card().await;
    let student = Actor::new("192.0.2.9".to_owned(), "test");

    let cancelled = counter
        .applications
        .cancel_by_student(&student, &counter.world.tenant, counter.s1, id)
        .await;
    counter.gateway.switches.unreachable.store(true, Ordering::SeqCst);
    let while_unreachable = counter.top_ups.send_due_refunds().await.unwrap();
    let owed_meanwhile = counter.refund_state(id).await;
    counter.gateway.switches.unreachable.store(false, Ordering::SeqCst);
    let before_its_time = counter.top_ups.send_due_refunds().await.unwrap();
    counter.world.advance(Duration::from_secs(5));
    let sent = counter.top_ups.send_due_refunds().await.unwrap();
    let again = counter.top_ups.send_due_refunds().await.unwrap();

    assert_eq!(cancelled, Ok(ApplicationStatus::Cancelled));
    assert_eq!(
        (while_unreachable, before_its_time, sent, again),
        (0, 0, 1, 0)
    );
    assert_eq!(owed_meanwhile.as_deref(), Some("due"));
    assert_eq!(counter.refund_state(id).await.as_deref(), Some("done"));
    // Fees in from the gateway, then back to it: nothing ever on the card.
    assert_eq!(counter.count("ledger_transactions").await, 2);
    assert_eq!(counter.balance().await, 0);
    assert_eq!(ledger::verify(&counter.world.db).await.unwrap(), vec![]);
}

#[tokio::test]
async fn a_gateway_that_cannot_be_reached_ends_the_application_unpaid_and_charges_nothing() {
    let counter = Counter::new().await;
    counter.gateway.switches.unreachable.store(true, Ordering::SeqCst);

    let refused = counter.apply(PayBy::Card).await;

    assert_eq!(refused.unwrap_err(), ApplyError::GatewayUnavailable);
    let records = counter
        .applications
        .of_student(counter.world.tenant.id, counter.s1)
        .await
        .unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].status, ApplicationStatus::Unpaid);
    assert_eq!(counter.count("ledger_transactions").await, 0);
}

#[tokio::test]
async fn one_confirmation_sent_five_times_at_once_opens_one_payment() {
    let counter = Arc::new(Counter::new().await);
    let student = registry::by_id(&counter.world.db, counter.world.tenant.id, counter.s1)
        .await
        .unwrap()
        .unwrap();
    let request = ApplicationRequest {
        lines: vec![OrderLine {
            code: CatalogueCode::parse("transcript").unwrap(),
            lang: Lang::En,
            copies: 1,
        }],
        purpose: None,
        delivery: CatalogueCode::parse("pdf").unwrap(),
        address: None,
        lang: Lang::En,
    };
    let (draft_key, _) = counter
        .applications
        .draft(counter.world.tenant.id, &student, &request)
        .await
        .unwrap();

    let answers = at_once(5, |_| {
        let (counter, draft_key) = (counter.clone(), draft_key.clone());
        async move { counter.apply_draft(PayBy::Konbini, &draft_key).await }
    })
    .await;

    let answers: Vec<_> = answers.into_iter().map(Result::unwrap).collect();
    assert!(answers.iter().all(|applied| applied.id == answers[0].id));
    // Those that came while the first opened it may not have the slip yet; none has another.
    let numbers: Vec<_> = answers
        .iter()
        .filter_map(|applied| applied.payment.as_ref().unwrap().konbini_number.clone())
        .collect();
    assert!(!numbers.is_empty() && numbers.iter().all(|number| *number == numbers[0]));
    assert_eq!(counter.count("applications").await, 1);
    assert_eq!(counter.count("top_ups").await, 1);
    assert_eq!(counter.count("dev_gateway_payments").await, 1);
}
