//! Top-ups through the development gateway, without HTTP: the card is credited exactly once
//! whatever the notices do, and nothing is charged or credited when the gateway fails.

use backend::entities::tenant;
use backend::platform::outbox;
use backend::registry;
use backend::tenancy::{self, NewTenant};
use backend::testing::{at_once, World};
use backend::wallet::dev_gateway::{self, CardOutcome, DevGateway};
use backend::wallet::gateway::{Gateway, PaymentMethod};
use backend::wallet::ledger;
use backend::wallet::top_ups::{NewTopUp, NoticeOutcome, TopUp, TopUpError, TopUpState, TopUps};
use backend::wallet::webhook_signature::SignedNotice;
use backend::wallet::IdempotencyKey;
use domain::i18n::Lang;
use domain::{StudentId, UserId, Yen};
use sea_orm::ConnectionTrait;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

struct Shop {
    world: World,
    gateway: DevGateway,
    top_ups: TopUps,
    student: StudentId,
}

/// A received notice as the endpoint would pass it on: its id, timestamp, signature, body.
struct Delivery {
    id: String,
    timestamp: String,
    signature: String,
    body: String,
}

impl Delivery {
    fn notice(&self) -> SignedNotice<'_> {
        SignedNotice {
            id: &self.id,
            timestamp: &self.timestamp,
            signature: &self.signature,
            body: self.body.as_bytes(),
        }
    }
}

impl Shop {
    async fn new() -> Self {
        let world = World::new().await;
        let (gateway, top_ups) = world.dev_gateway();
        let student =
            registry::by_user_id(&world.db, world.tenant.id, &UserId::parse("s1").unwrap())
                .await
                .unwrap()
                .unwrap()
                .id;
        Self {
            world,
            gateway,
            top_ups,
            student,
        }
    }

    async fn start(&self, yen: i64, method: PaymentMethod, key: &str) -> Result<TopUp, TopUpError> {
        self.start_at(&self.world.tenant, yen, method, key).await
    }

    async fn start_at(
        &self,
        tenant: &tenant::Model,
        yen: i64,
        method: PaymentMethod,
        key: &str,
    ) -> Result<TopUp, TopUpError> {
        let key = IdempotencyKey::parse(key).unwrap();
        self.top_ups
            .start(NewTopUp {
                tenant,
                student: self.student,
                amount: Yen::new(yen).unwrap(),
                method,
                key: &key,
                lang: Lang::Ja,
                return_url: &|reference| format!("http://shomei.test/card/top-up/{reference}"),
                notify_url: "http://shomei.test/webhooks/payments/test-u".to_owned(),
            })
            .await
    }

    /// The payment id the gateway gave a top-up.
    async fn payment_id(&self, top_up: &TopUp) -> String {
        top_up
            .redirect_url
            .as_deref()
            .and_then(|url| url.rsplit('/').next())
            .unwrap()
            .to_owned()
    }

    /// A card top-up of `yen`, paid at the gateway with `card`; the notices it queued.
    async fn paid_by_card(&self, yen: i64, card: &str) -> (TopUp, Vec<Delivery>) {
        let top_up = self.start(yen, PaymentMethod::Card, &key(1)).await.unwrap();
        let payment = self.payment_id(&top_up).await;
        self.gateway.pay_with_card(&payment, card).await.unwrap();
        (top_up, self.notices().await)
    }

    /// A notice with this id and body, signed now by the gateway.
    fn signed(&self, id: &str, body: &str) -> Delivery {
        let (id, timestamp, signature) = self.gateway.signed_notice(id, body);
        Delivery {
            id,
            timestamp,
            signature,
            body: body.to_owned(),
        }
    }

    /// Every notice the gateway has queued, signed now.
    async fn notices(&self) -> Vec<Delivery> {
        self.gateway
            .due_notices(100)
            .await
            .unwrap()
            .into_iter()
            .map(|notice| self.signed(&notice.notice_id, &notice.body))
            .collect()
    }

    async fn receive(&self, delivery: &Delivery) -> Result<NoticeOutcome, TopUpError> {
        self.top_ups.receive_notice(&self.world.tenant, delivery.notice()).await
    }

    async fn balance(&self) -> i64 {
        ledger::balance(&self.world.db, self.world.tenant.id, self.student)
            .await
            .unwrap()
            .get()
    }

    async fn state(&self, top_up: &TopUp) -> TopUpState {
        self.top_ups
            .find(self.world.tenant.id, self.student, &top_up.reference)
            .await
            .unwrap()
            .state
    }

    async fn count(&self, table: &str) -> i64 {
        self.world.count_rows(table).await
    }
}

fn key(n: u32) -> String {
    format!("top-up-key-{n:08}")
}

#[tokio::test]
async fn a_paid_card_top_up_credits_the_card_once_however_often_its_notice_comes() {
    let shop = Shop::new().await;
    let top_up = shop.start(3000, PaymentMethod::Card, &key(1)).await.unwrap();
    let payment = shop.payment_id(&top_up).await;
    assert_eq!(
        shop.gateway.pay_with_card(&payment, dev_gateway::CARD_SUCCEEDS).await.unwrap(),
        CardOutcome::Paid
    );
    let notices = shop.notices().await;

    let mut outcomes = Vec::new();
    for _ in 0..10 {
        outcomes.push(shop.receive(&notices[0]).await.unwrap());
    }

    assert_eq!(outcomes[0], NoticeOutcome::Credited);
    assert!(outcomes[1..].iter().all(|o| *o == NoticeOutcome::AlreadyHandled));
    assert_eq!(shop.balance().await, 3000);
    assert_eq!(shop.state(&top_up).await, TopUpState::Paid);
    assert_eq!(ledger::verify(&shop.world.db).await.unwrap(), vec![]);
}

#[tokio::test]
async fn two_notices_of_one_payment_and_notices_out_of_order_credit_once() {
    let shop = Shop::new().await;
    let (top_up, notices) = shop.paid_by_card(1000, dev_gateway::CARD_SUCCEEDS).await;
    let paid = &notices[0];
    // A late "still pending" notice of the same payment, with an id of its own.
    let body = paid.body.replace("payment.succeeded", "payment.pending");
    let late = shop.signed("msg_late_pending", &body);
    let second_copy = shop.signed("msg_second_copy", &paid.body);

    assert_eq!(shop.receive(paid).await.unwrap(), NoticeOutcome::Credited);
    assert_eq!(shop.receive(&late).await.unwrap(), NoticeOutcome::Recorded);
    assert_eq!(
        shop.receive(&second_copy).await.unwrap(),
        NoticeOutcome::Recorded
    );
    assert_eq!(shop.balance().await, 1000);
    assert_eq!(shop.state(&top_up).await, TopUpState::Paid);
}

#[tokio::test]
async fn a_declined_card_credits_nothing_and_says_why() {
    let shop = Shop::new().await;
    let top_up = shop.start(1000, PaymentMethod::Card, &key(1)).await.unwrap();
    let payment = shop.payment_id(&top_up).await;

    let outcome = shop
        .gateway
        .pay_with_card(&payment, dev_gateway::CARD_INSUFFICIENT_FUNDS)
        .await
        .unwrap();
    for notice in shop.notices().await {
        shop.receive(&notice).await.unwrap();
    }

    assert!(matches!(outcome, CardOutcome::Declined(_)));
    assert_eq!(shop.balance().await, 0);
    let found = shop
        .top_ups
        .find(shop.world.tenant.id, shop.student, &top_up.reference)
        .await
        .unwrap();
    assert_eq!(found.state, TopUpState::Declined);
    assert_eq!(found.decline_reason.as_deref(), Some("insufficient_funds"));
}

#[tokio::test]
async fn a_notice_with_a_bad_signature_or_ten_minutes_old_changes_nothing() {
    let shop = Shop::new().await;
    let (_, notices) = shop.paid_by_card(1000, dev_gateway::CARD_SUCCEEDS).await;
    let notice = &notices[0];
    let forged = Delivery {
        signature: "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".to_owned(),
        id: notice.id.clone(),
        timestamp: notice.timestamp.clone(),
        body: notice.body.clone(),
    };

    let refused = shop.receive(&forged).await;
    shop.world.advance(Duration::from_secs(600));
    let stale = shop.receive(notice).await;

    assert_eq!(refused, Err(TopUpError::BadNotice));
    assert_eq!(stale, Err(TopUpError::BadNotice));
    assert_eq!(shop.balance().await, 0);
    assert_eq!(shop.count("payment_notices").await, 0);
    // Sent again, fresh, it credits.
    let fresh = &shop.notices().await[0];
    assert_eq!(shop.receive(fresh).await.unwrap(), NoticeOutcome::Credited);
}

#[tokio::test]
async fn a_notice_for_a_payment_of_another_university_or_an_unknown_one_credits_nothing() {
    let shop = Shop::new().await;
    let other = tenancy::add(
        &shop.world.db,
        NewTenant {
            slug: "other-u".into(),
            name: "別の大学".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let (top_up, notices) = shop.paid_by_card(1000, dev_gateway::CARD_SUCCEEDS).await;
    let notice = &notices[0];
    let unknown_body = notice.body.replace(&shop.payment_id(&top_up).await, "pay_unknown");
    let unknown = shop.signed("msg_unknown", &unknown_body);

    let at_other = shop.top_ups.receive_notice(&other, notice.notice()).await.unwrap();
    let for_unknown = shop.receive(&unknown).await.unwrap();

    assert_eq!(at_other, NoticeOutcome::Ignored);
    assert_eq!(for_unknown, NoticeOutcome::Ignored);
    assert_eq!(shop.balance().await, 0);
    // The notice was not used up at the wrong university: at its own it still credits.
    assert_eq!(shop.receive(notice).await.unwrap(), NoticeOutcome::Credited);
}

#[tokio::test]
async fn the_gateway_unreachable_at_the_start_charges_nothing() {
    let shop = Shop::new().await;
    shop.gateway.switches.unreachable.store(true, Ordering::SeqCst);

    let refused = shop.start(1000, PaymentMethod::Card, &key(1)).await;

    assert_eq!(refused, Err(TopUpError::GatewayUnavailable));
    assert_eq!(shop.count("dev_gateway_payments").await, 0);
    assert_eq!(shop.balance().await, 0);
    // It no longer counts against the maximum balance.
    shop.gateway.switches.unreachable.store(false, Ordering::SeqCst);
    assert!(shop.start(30_000, PaymentMethod::Card, &key(2)).await.is_ok());
}

#[tokio::test]
async fn a_notice_that_cannot_be_read_back_credits_nothing_until_it_can() {
    let shop = Shop::new().await;
    let (_, notices) = shop.paid_by_card(2000, dev_gateway::CARD_SUCCEEDS).await;
    let notice = &notices[0];

    shop.gateway.switches.unreachable.store(true, Ordering::SeqCst);
    let while_down = shop.receive(notice).await;
    shop.gateway.switches.unreachable.store(false, Ordering::SeqCst);
    let balance_while_down = shop.balance().await;
    let once_back = shop.receive(notice).await;

    assert_eq!(while_down, Err(TopUpError::GatewayUnavailable));
    assert_eq!(balance_while_down, 0);
    assert_eq!(once_back, Ok(NoticeOutcome::Credited));
    assert_eq!(shop.balance().await, 2000);
}

#[tokio::test]
async fn amounts_outside_the_limits_are_refused_and_nothing_is_written() {
    let shop = Shop::new().await;
    shop.world
        .db
        .execute_unprepared(
            "UPDATE tenants SET top_up_min = 1000, top_up_max = 10000, balance_max = 12000",
        )
        .await
        .unwrap();
    let tenant = tenancy::require(&shop.world.db, &shop.world.tenant.slug).await.unwrap();
    let wallet = backend::wallet::Wallet {
        db: shop.world.db.clone(),
        clock: shop.world.clock.clone(),
    };
    wallet
        .adjust(tenant.id, shop.student, 5000, "入金", "operator", None)
        .await
        .unwrap();

    let below = shop.start_at(&tenant, 999, PaymentMethod::Card, &key(1)).await;
    let above = shop.start_at(&tenant, 10_001, PaymentMethod::Card, &key(2)).await;
    let past_balance = shop.start_at(&tenant, 8000, PaymentMethod::Card, &key(3)).await;

    assert_eq!(
        below,
        Err(TopUpError::BelowMinimum {
            min: Yen::new(1000).unwrap()
        })
    );
    assert_eq!(
        above,
        Err(TopUpError::AboveMaximum {
            max: Yen::new(10_000).unwrap()
        })
    );
    assert_eq!(
        past_balance,
        Err(TopUpError::PastMaximumBalance {
            room: Yen::new(7000).unwrap()
        })
    );
    assert_eq!(shop.count("top_ups").await, 0);
    assert_eq!(shop.count("dev_gateway_payments").await, 0);
}

#[tokio::test]
async fn the_same_key_gives_the_same_top_up_and_one_checkout_even_sent_at_once() {
    let shop = Arc::new(Shop::new().await);

    let answers = at_once(8, |_| {
        let shop = shop.clone();
        async move { shop.start(3000, PaymentMethod::Card, &key(9)).await }
    })
    .await;
    let references: Vec<String> = answers.into_iter().flatten().map(|t| t.reference).collect();
    let again = shop.start(3000, PaymentMethod::Card, &key(9)).await.unwrap();

    assert_eq!(references.len(), 8, "every request gets the one top-up");
    assert!(references.iter().all(|r| *r == again.reference));
    assert_eq!(shop.count("top_ups").await, 1);
    assert_eq!(shop.count("dev_gateway_payments").await, 1);
    assert_eq!(
        shop.start(5000, PaymentMethod::Card, &key(9)).await,
        Err(TopUpError::KeyReused)
    );
}

#[tokio::test]
async fn a_konbini_slip_paid_at_the_store_credits_the_card_and_mails_a_receipt() {
    let shop = Shop::new().await;
    shop.world.register_s1_address().await;
    let top_up = shop.start(5000, PaymentMethod::Konbini, &key(1)).await.unwrap();
    assert!(top_up.konbini_number.as_deref().is_some_and(|n| n.len() == 12));
    assert!(top_up.konbini_deadline.is_some());
    assert_eq!(shop.state(&top_up).await, TopUpState::AwaitingPayment);

    assert!(shop.gateway.pay_konbini(&shop.payment_id(&top_up).await).await.unwrap());
    for notice in shop.notices().await {
        shop.receive(&notice).await.unwrap();
    }

    assert_eq!(shop.balance().await, 5000);
    let mails = outbox::newest(&shop.world.db, 5).await.unwrap();
    let receipt = mails.iter().find(|m| m.recipient == "s1@example.ac.jp").expect("a receipt");
    assert!(
        receipt.body_text.contains("チャージ金額: 5,000円"),
        "{}",
        receipt.body_text
    );
    assert!(receipt.body_text.contains("チャージ後の残高: 5,000円"));
}

#[tokio::test]
async fn an_expired_konbini_slip_credits_nothing_and_tells_the_student() {
    let shop = Shop::new().await;
    shop.world.register_s1_address().await;
    let top_up = shop.start(3000, PaymentMethod::Konbini, &key(1)).await.unwrap();

    shop.world.advance(Duration::from_secs(
        dev_gateway::KONBINI_DAYS as u64 * 86_400 + 60,
    ));
    let expired = shop.gateway.expire_due().await.unwrap();
    let paid_late = shop.gateway.pay_konbini(&shop.payment_id(&top_up).await).await.unwrap();
    for notice in shop.notices().await {
        shop.receive(&notice).await.unwrap();
    }

    assert_eq!(expired, 1);
    assert!(!paid_late);
    assert_eq!(shop.balance().await, 0);
    assert_eq!(shop.state(&top_up).await, TopUpState::Expired);
    let mails = outbox::newest(&shop.world.db, 5).await.unwrap();
    assert!(mails.iter().any(|m| m.subject.contains("支払期限が過ぎました")));
    assert!(shop.gateway.is_development());
}

#[tokio::test]
async fn confirmations_sent_at_once_cannot_all_pass_the_room_only_one_fits() {
    let shop = Arc::new(Shop::new().await);
    // Room for one top-up of 20,000 under the maximum balance of 30,000, not for two.

    let outcomes = at_once(8, |n| {
        let shop = shop.clone();
        async move { shop.start(20_000, PaymentMethod::Card, &key(100 + n as u32)).await }
    })
    .await;

    let started = outcomes.iter().filter(|o| o.is_ok()).count();
    let refused = outcomes
        .iter()
        .filter(|o| matches!(o, Err(TopUpError::PastMaximumBalance { .. })))
        .count();
    assert_eq!((started, refused), (1, 7), "{outcomes:?}");
    assert_eq!(shop.count("top_ups").await, 1);
}
