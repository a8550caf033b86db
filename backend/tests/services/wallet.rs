//! The ledger and the card balance, without HTTP: postings that balance and stay, a balance
//! the database keeps at zero or more, debits once per key, and `verify`.

use backend::platform::audit::{self, Actor};
use backend::registry;
use backend::testing::{at_once, World};
use backend::wallet::ledger::{self, Account, Entry, Kind};
use backend::wallet::{Debit, Discrepancy, IdempotencyKey, Scope, Wallet, WalletError};
use domain::{StudentId, UserId, Yen};
use sea_orm::{ConnectionTrait, TransactionTrait};
use std::sync::Arc;
use std::time::Duration;

struct Cards {
    world: World,
    wallet: Wallet,
    s1: StudentId,
    s2: StudentId,
}

impl Cards {
    async fn new() -> Self {
        let world = World::new().await;
        let wallet = Wallet {
            db: world.db.clone(),
            clock: world.clock.clone(),
        };
        let id = |user_id: &'static str| {
            let db = world.db.clone();
            let tenant_id = world.tenant.id;
            async move {
                registry::by_user_id(&db, tenant_id, &UserId::parse(user_id).unwrap())
                    .await
                    .unwrap()
                    .unwrap()
                    .id
            }
        };
        let (s1, s2) = (id("s1").await, id("s2").await);
        Self {
            world,
            wallet,
            s1,
            s2,
        }
    }

    fn tenant(&self) -> i32 {
        self.world.tenant.id
    }

    async fn credit(&self, student: StudentId, yen: i64) -> i32 {
        self.wallet
            .adjust(self.tenant(), student, yen, "入金", "operator", None)
            .await
            .unwrap()
    }

    async fn debit(
        &self,
        student: StudentId,
        yen: i64,
        key: &str,
    ) -> Result<backend::wallet::Debited, WalletError> {
        debit_with(&self.wallet, self.tenant(), student, yen, key).await
    }

    async fn balance(&self, student: StudentId) -> i64 {
        self.wallet.balance(self.tenant(), student).await.unwrap().get()
    }

    async fn count(&self, table: &str) -> i64 {
        self.world.count_rows(table).await
    }
}

async fn debit_with(
    wallet: &Wallet,
    tenant_id: i32,
    student: StudentId,
    yen: i64,
    key: &str,
) -> Result<backend::wallet::Debited, WalletError> {
    let key = IdempotencyKey::parse(key).unwrap();
    wallet
        .debit(
            &Actor::new("192.0.2.7".to_owned(), "machine"),
            Debit {
                tenant_id,
                student,
                amount: Yen::new(yen).unwrap(),
                kind: Kind::MachineDebit,
                description: "印刷",
                actor: "machine:1",
                to: Account::MachineSales,
                key: &key,
                scope: Scope::Machine(1),
            },
        )
        .await
}

fn key(n: usize) -> String {
    format!("test-key-{n:08}")
}

#[tokio::test]
async fn a_debit_moves_the_amount_from_the_card_to_the_machines_account() {
    let cards = Cards::new().await;
    cards.credit(cards.s1, 5000).await;

    let debited = cards.debit(cards.s1, 1200, &key(1)).await.unwrap();

    assert_eq!(debited.balance, Yen::new(3800).unwrap());
    assert!(!debited.replayed);
    assert_eq!(cards.balance(cards.s1).await, 3800);
    assert_eq!(cards.balance(cards.s2).await, 0);
    assert_eq!(ledger::verify(&cards.world.db).await.unwrap(), vec![]);
}

#[tokio::test]
async fn a_debit_larger_than_the_balance_is_refused_and_writes_nothing() {
    let cards = Cards::new().await;
    cards.credit(cards.s1, 500).await;
    let postings_before = cards.count("ledger_postings").await;

    let refused = cards.debit(cards.s1, 501, &key(1)).await;

    assert_eq!(
        refused,
        Err(WalletError::InsufficientBalance {
            balance: Yen::new(500).unwrap()
        })
    );
    assert_eq!(cards.balance(cards.s1).await, 500);
    assert_eq!(cards.count("ledger_postings").await, postings_before);
    assert_eq!(cards.count("ledger_transactions").await, 1);
}

#[tokio::test]
async fn the_same_key_twice_moves_money_once_and_answers_the_same() {
    let cards = Cards::new().await;
    cards.credit(cards.s1, 1000).await;

    let first = cards.debit(cards.s1, 300, &key(7)).await.unwrap();
    let again = cards.debit(cards.s1, 300, &key(7)).await.unwrap();

    assert_eq!(first.transaction_id, again.transaction_id);
    assert_eq!(again.balance, Yen::new(700).unwrap());
    assert!(again.replayed);
    assert_eq!(cards.balance(cards.s1).await, 700);
}

#[tokio::test]
async fn the_same_key_for_another_amount_is_refused() {
    let cards = Cards::new().await;
    cards.credit(cards.s1, 1000).await;
    cards.debit(cards.s1, 300, &key(7)).await.unwrap();

    let other_amount = cards.debit(cards.s1, 400, &key(7)).await;
    let other_card = cards.debit(cards.s2, 300, &key(7)).await;

    assert_eq!(other_amount, Err(WalletError::KeyReusedForAnotherRequest));
    assert_eq!(other_card, Err(WalletError::KeyReusedForAnotherRequest));
    assert_eq!(cards.balance(cards.s1).await, 700);
}

#[tokio::test]
async fn a_refusal_is_the_answer_its_key_keeps() {
    let cards = Cards::new().await;
    cards.credit(cards.s1, 100).await;
    let refused = cards.debit(cards.s1, 300, &key(3)).await;
    cards.credit(cards.s1, 1000).await;

    let again = cards.debit(cards.s1, 300, &key(3)).await;

    assert_eq!(refused, again);
    assert_eq!(cards.balance(cards.s1).await, 1100);
}

#[tokio::test]
async fn a_debit_and_only_a_debit_that_moved_money_is_in_the_audit_log() {
    let cards = Cards::new().await;
    cards.credit(cards.s1, 100).await;

    cards.debit(cards.s1, 100, &key(1)).await.unwrap();
    cards.debit(cards.s1, 100, &key(2)).await.unwrap_err();
    cards.debit(cards.s1, 100, &key(1)).await.unwrap();

    let events = audit::recent(&cards.world.db, cards.tenant(), 10).await.unwrap();
    let debits: Vec<_> = events.iter().filter(|e| e.event == "card_debited").collect();
    assert_eq!(debits.len(), 1, "{events:?}");
    assert_eq!(debits[0].client_address, "192.0.2.7");
}

#[tokio::test]
async fn debits_sent_at_once_never_take_more_than_the_card_holds() {
    let cards = Arc::new(Cards::new().await);
    cards.credit(cards.s1, 1000).await;

    let answers = at_once(20, |n| {
        let cards = cards.clone();
        async move { cards.debit(cards.s1, 100, &key(n)).await }
    })
    .await;

    let mut succeeded = 0;
    for answer in answers {
        match answer {
            Ok(_) => succeeded += 1,
            // A refusal tells the balance that refused it, not one read before waiting.
            Err(WalletError::InsufficientBalance { balance }) => {
                assert!(balance < Yen::new(100).unwrap(), "{balance:?}")
            }
            Err(other) => panic!("{other:?}"),
        }
    }

    assert_eq!(succeeded, 10);
    assert_eq!(cards.balance(cards.s1).await, 0);
    assert_eq!(ledger::verify(&cards.world.db).await.unwrap(), vec![]);
}

#[tokio::test]
async fn one_key_sent_at_once_moves_money_once() {
    let cards = Arc::new(Cards::new().await);
    cards.credit(cards.s1, 1000).await;

    let answers = at_once(10, |_| {
        let cards = cards.clone();
        async move { cards.debit(cards.s1, 100, &key(42)).await.unwrap() }
    })
    .await;

    assert!(answers.iter().all(|a| a.transaction_id == answers[0].transaction_id));
    assert_eq!(answers.iter().filter(|a| !a.replayed).count(), 1);
    assert_eq!(cards.balance(cards.s1).await, 900);
}

#[tokio::test]
async fn postings_and_transactions_cannot_be_changed_or_removed() {
    let cards = Cards::new().await;
    cards.credit(cards.s1, 1000).await;
    let db = &cards.world.db;

    for statement in [
        "UPDATE ledger_postings SET amount = amount * 2",
        "DELETE FROM ledger_postings",
        "UPDATE ledger_transactions SET description = 'changed'",
        "DELETE FROM ledger_transactions",
    ] {
        let txn = db.begin().await.unwrap();
        let refused = txn.execute_unprepared(statement).await;
        txn.rollback().await.unwrap();
        assert!(refused.is_err(), "{statement}");
    }
    assert_eq!(cards.count("ledger_postings").await, 2);
    assert_eq!(cards.balance(cards.s1).await, 1000);
}

#[tokio::test]
async fn the_database_itself_keeps_a_card_balance_at_zero_or_more() {
    let cards = Cards::new().await;
    cards.credit(cards.s1, 100).await;

    let refused = cards.world.db.execute_unprepared("UPDATE card_balances SET balance = -1").await;

    assert!(refused.is_err());
    assert_eq!(cards.balance(cards.s1).await, 100);
}

#[tokio::test]
async fn a_transaction_whose_postings_do_not_balance_is_refused_whole() {
    let cards = Cards::new().await;
    let txn = cards.world.db.begin().await.unwrap();

    let refused = ledger::post(
        &txn,
        Entry {
            tenant_id: cards.tenant(),
            kind: Kind::Adjustment,
            description: "片側だけ",
            actor: "operator",
            corrects: None,
            postings: vec![(Account::Card(cards.s1), 500), (Account::Adjustments, -400)],
            at: 0,
        },
    )
    .await;
    txn.commit().await.unwrap();

    assert_eq!(refused, Err(WalletError::Unbalanced));
    assert_eq!(cards.count("ledger_transactions").await, 0);
    assert_eq!(cards.balance(cards.s1).await, 0);
}

#[tokio::test]
async fn verify_reports_a_cached_balance_that_is_not_the_sum_of_its_postings() {
    let cards = Cards::new().await;
    cards.credit(cards.s1, 1000).await;

    cards
        .world
        .db
        .execute_unprepared("UPDATE card_balances SET balance = 999")
        .await
        .unwrap();
    let found = ledger::verify(&cards.world.db).await.unwrap();

    assert_eq!(found.len(), 1);
    assert!(matches!(
        &found[0],
        Discrepancy::CachedBalanceDiffers {
            cached: 999,
            computed: 1000,
            ..
        }
    ));
}

#[tokio::test]
async fn a_correction_names_the_transaction_it_corrects_and_only_one_of_this_university() {
    let cards = Cards::new().await;
    let wrong = cards.credit(cards.s1, 1000).await;

    let corrected = cards
        .wallet
        .adjust(
            cards.tenant(),
            cards.s1,
            -1000,
            "二重入金の取消",
            "operator",
            Some(wrong),
        )
        .await;
    let unknown = cards
        .wallet
        .adjust(
            cards.tenant(),
            cards.s1,
            100,
            "存在しない取引",
            "operator",
            Some(wrong + 1000),
        )
        .await;

    assert!(corrected.is_ok());
    assert_eq!(unknown, Err(WalletError::UnknownTransaction));
    assert_eq!(cards.balance(cards.s1).await, 0);
    let (history, _) =
        ledger::history(&cards.world.db, cards.tenant(), cards.s1, 0, 10).await.unwrap();
    assert_eq!(history.len(), 2, "the mistake stays, beside its correction");
}

#[tokio::test]
async fn the_history_lists_movements_newest_first_with_the_balance_after_each() {
    let cards = Cards::new().await;
    cards.credit(cards.s1, 5000).await;
    cards.world.advance(Duration::from_secs(60));
    cards.debit(cards.s1, 1000, &key(1)).await.unwrap();
    cards.world.advance(Duration::from_secs(60));
    cards.debit(cards.s1, 300, &key(2)).await.unwrap();

    let (first_page, total) =
        ledger::history(&cards.world.db, cards.tenant(), cards.s1, 0, 2).await.unwrap();
    let (second_page, _) =
        ledger::history(&cards.world.db, cards.tenant(), cards.s1, 1, 2).await.unwrap();

    assert_eq!(total, 3);
    let lines = |page: &[ledger::Movement]| -> Vec<(i64, i64)> {
        page.iter().map(|m| (m.amount, m.balance_after)).collect()
    };
    assert_eq!(lines(&first_page), vec![(-300, 3700), (-1000, 4000)]);
    assert_eq!(lines(&second_page), vec![(5000, 5000)]);
    assert!(first_page[0].at > first_page[1].at);
    assert_eq!(first_page[0].kind, Some(Kind::MachineDebit));
}

#[tokio::test]
async fn the_total_balance_until_a_moment_counts_only_what_happened_before_it() {
    let cards = Cards::new().await;
    cards.credit(cards.s1, 1000).await;
    cards.credit(cards.s2, 500).await;
    let end_of_day = cards.world.clock.now_ms() + 1;
    cards.world.advance(Duration::from_secs(3600));
    cards.debit(cards.s1, 200, &key(1)).await.unwrap();

    let then = ledger::total_balance_until(&cards.world.db, cards.tenant(), end_of_day)
        .await
        .unwrap();
    let now = ledger::total_balance_until(&cards.world.db, cards.tenant(), i64::MAX)
        .await
        .unwrap();

    assert_eq!(then.get(), 1500);
    assert_eq!(now.get(), 1300);
}

#[tokio::test]
async fn a_key_is_kept_for_days_and_then_forgotten() {
    let cards = Cards::new().await;
    cards.credit(cards.s1, 1000).await;
    let first = cards.debit(cards.s1, 100, &key(1)).await.unwrap();

    cards.world.advance(Duration::from_secs(6 * 24 * 3600));
    let forgotten_early = cards.wallet.forget_old_keys().await.unwrap();
    let after_six_days = cards.debit(cards.s1, 100, &key(1)).await.unwrap();
    cards.world.advance(Duration::from_secs(2 * 24 * 3600));
    let forgotten_late = cards.wallet.forget_old_keys().await.unwrap();

    assert_eq!(forgotten_early, 0);
    assert_eq!(after_six_days.transaction_id, first.transaction_id);
    assert!(after_six_days.replayed);
    assert_eq!(forgotten_late, 1);
    assert_eq!(cards.balance(cards.s1).await, 900);
}
