//! Balance corrections by an admin in the staff console: a new transaction naming the member,
//! once per form, never below zero, admins only.

use backend::platform::audit::{self, Actor};
use backend::registry;
use backend::testing::{at_once, World};
use backend::wallet::corrections::{Corrected, Correction};
use backend::wallet::ledger;
use backend::wallet::{IdempotencyKey, Wallet, WalletError};
use domain::{StaffMember, StaffRole, StudentId, Yen};
use std::sync::Arc;

fn member(tenant_id: i32, role: StaffRole) -> StaffMember {
    StaffMember {
        id: 63,
        tenant_id,
        login_id: "kanri".to_owned(),
        role,
    }
}

fn actor() -> Actor {
    Actor::new("198.51.100.11".to_owned(), "test")
}

fn key(n: usize) -> IdempotencyKey {
    IdempotencyKey::parse(&format!("correction-form-{n:04}")).unwrap()
}

struct Desk {
    world: World,
    wallet: Wallet,
    s1: StudentId,
}

impl Desk {
    async fn new() -> Self {
        let world = World::new().await;
        let wallet = Wallet::new(world.db.clone());
        let s1 = registry::by_user_id_key(&world.db, world.tenant.id, "s1")
            .await
            .unwrap()
            .unwrap()
            .id;
        Self { world, wallet, s1 }
    }

    async fn correct(
        &self,
        role: StaffRole,
        amount: i64,
        reason: &str,
        key: &IdempotencyKey,
    ) -> Result<Corrected, WalletError> {
        let by = member(self.world.tenant.id, role);
        let correction = Correction {
            tenant_id: self.world.tenant.id,
            student: self.s1,
            amount,
            reason,
            key,
        };
        self.wallet.correct((&by, &actor()), correction).await
    }

    async fn balance(&self) -> i64 {
        self.wallet.balance(self.world.tenant.id, self.s1).await.unwrap().get()
    }
}

#[tokio::test]
async fn an_admins_correction_is_a_new_transaction_with_the_reason_and_the_member() {
    let desk = Desk::new().await;

    let first = desk
        .correct(StaffRole::Admin, 1200, "窓口で現金を受領したため", &key(1))
        .await
        .unwrap();
    let second = desk.correct(StaffRole::Admin, -200, "二重計上の取消", &key(2)).await.unwrap();

    assert_eq!((first.balance, second.balance), (1200, 1000));
    assert_eq!(desk.balance().await, 1000);
    let (movements, count) = ledger::history(&desk.world.db, desk.world.tenant.id, desk.s1, 0, 10)
        .await
        .unwrap();
    assert_eq!(count, 2);
    assert_eq!(movements[0].description, "二重計上の取消");
    assert_eq!(ledger::verify(&desk.world.db).await.unwrap(), vec![]);
    let events = audit::recent(&desk.world.db, desk.world.tenant.id, 5).await.unwrap();
    let booked = events.iter().filter(|e| e.event == "card_adjusted" && e.staff_id == Some(63));
    assert_eq!(booked.count(), 2);
}

#[tokio::test]
async fn the_same_form_sent_at_once_corrects_once() {
    let desk = Arc::new(Desk::new().await);

    let answers = at_once(8, |_| {
        let desk = desk.clone();
        async move { desk.correct(StaffRole::Admin, 500, "返金の訂正", &key(7)).await }
    })
    .await;

    let answers: Vec<Corrected> = answers.into_iter().map(Result::unwrap).collect();
    assert!(answers.iter().all(|a| *a == answers[0]), "{answers:?}");
    assert_eq!(desk.balance().await, 500);
    assert_eq!(ledger::verify(&desk.world.db).await.unwrap(), vec![]);
}

#[tokio::test]
async fn a_key_used_for_another_correction_is_refused() {
    let desk = Desk::new().await;
    desk.correct(StaffRole::Admin, 500, "返金の訂正", &key(3)).await.unwrap();

    let other = desk.correct(StaffRole::Admin, 900, "返金の訂正", &key(3)).await;

    assert_eq!(other.unwrap_err(), WalletError::KeyReusedForAnotherRequest);
    assert_eq!(desk.balance().await, 500);
}

#[tokio::test]
async fn a_correction_never_takes_a_card_below_zero_and_bad_ones_move_nothing() {
    let desk = Desk::new().await;
    desk.correct(StaffRole::Admin, 300, "開始", &key(1)).await.unwrap();

    let below = desk.correct(StaffRole::Admin, -301, "取消", &key(2)).await;
    let zero = desk.correct(StaffRole::Admin, 0, "取消", &key(3)).await;
    let huge = desk.correct(StaffRole::Admin, 1_000_001, "桁の誤り", &key(4)).await;
    let no_reason = desk.correct(StaffRole::Admin, 100, "  ", &key(5)).await;

    assert_eq!(
        below.unwrap_err(),
        WalletError::InsufficientBalance {
            balance: Yen::new(300).unwrap()
        }
    );
    assert_eq!(zero.unwrap_err(), WalletError::ZeroAmount);
    assert_eq!(huge.unwrap_err(), WalletError::CorrectionTooLarge);
    assert_eq!(no_reason.unwrap_err(), WalletError::BadReason);
    assert_eq!(desk.balance().await, 300);
    let retried = desk.correct(StaffRole::Admin, -300, "取消", &key(2)).await;
    assert_eq!(
        retried.unwrap().balance,
        0,
        "a refused form may be sent again, corrected"
    );
}

#[tokio::test]
async fn a_clerk_or_an_admin_of_another_university_corrects_nothing() {
    let desk = Desk::new().await;
    let stranger = member(desk.world.tenant.id + 1, StaffRole::Admin);

    let by_clerk = desk.correct(StaffRole::Clerk, 500, "訂正", &key(1)).await;
    let correction = Correction {
        tenant_id: desk.world.tenant.id,
        student: desk.s1,
        amount: 500,
        reason: "訂正",
        key: &key(2),
    };
    let by_stranger = desk.wallet.correct((&stranger, &actor()), correction).await;

    assert_eq!(by_clerk.unwrap_err(), WalletError::Forbidden);
    assert_eq!(by_stranger.unwrap_err(), WalletError::Forbidden);
    assert_eq!(desk.balance().await, 0);
    assert_eq!(desk.world.count_rows("ledger_transactions").await, 0);
}
