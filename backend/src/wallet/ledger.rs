//! The double-entry ledger: every movement of money is one transaction of two or more postings
//! that sum to zero. Postings are only ever added (the database refuses an update or a
//! delete). A card's balance is cached in `card_balances`, written in the same transaction as
//! its postings and kept at zero or more by the database; [`verify`] recomputes it.

use super::WalletError;
use crate::entities::{card_balance, ledger_account, ledger_posting, ledger_transaction};
use crate::platform::{storage, StorageError};
use domain::{StudentId, Yen};
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

/// A named account of one university's ledger. A card holds what a student may spend (a
/// positive balance is the university's debt to the student); the others are the university's
/// side of each movement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Account {
    Card(StudentId),
    /// Money the payment gateway has taken for top-ups and owes the university.
    GatewayClearing,
    /// What campus machines took from cards.
    MachineSales,
    /// Corrections by the operator or staff.
    Adjustments,
    /// Fees of certificate applications paid from cards.
    CertificateFees,
}

impl Account {
    pub fn code(self) -> String {
        match self {
            Account::Card(student) => format!("card:{}", student.0),
            Account::GatewayClearing => "gateway".to_owned(),
            Account::MachineSales => "machine_sales".to_owned(),
            Account::Adjustments => "adjustments".to_owned(),
            Account::CertificateFees => "certificate_fees".to_owned(),
        }
    }

    fn student(self) -> Option<StudentId> {
        match self {
            Account::Card(student) => Some(student),
            _ => None,
        }
    }
}

/// What a transaction was, for the student's history and the operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    TopUp,
    MachineDebit,
    Adjustment,
    /// An application for certificates, paid from the card.
    CertificateFee,
    /// A cancelled application's fee, back onto the card.
    CertificateRefund,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::TopUp => "top_up",
            Kind::MachineDebit => "machine_debit",
            Kind::Adjustment => "adjustment",
            Kind::CertificateFee => "certificate_fee",
            Kind::CertificateRefund => "certificate_refund",
        }
    }

    pub fn from_code(code: &str) -> Option<Kind> {
        [
            Kind::TopUp,
            Kind::MachineDebit,
            Kind::Adjustment,
            Kind::CertificateFee,
            Kind::CertificateRefund,
        ]
        .into_iter()
        .find(|kind| kind.code() == code)
    }
}

/// A transaction to post.
pub struct Entry<'a> {
    pub tenant_id: i32,
    pub kind: Kind,
    pub description: &'a str,
    /// Who moved the money (`machine:3`, `operator`, `gateway`).
    pub actor: &'a str,
    /// The transaction this one corrects, if it is a correction.
    pub corrects: Option<i32>,
    pub postings: Vec<(Account, i64)>,
    pub at: i64,
}

/// What a posted transaction left behind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Posted {
    pub transaction_id: i32,
    /// The balance of each card it moved, after it.
    pub card_balances: Vec<(StudentId, Yen)>,
}

/// Posts a transaction inside the caller's database transaction: refused whole if its
/// postings do not balance or a card would go below zero. The cards move first, so a refusal
/// has written nothing and the caller's rollback is cheap.
pub async fn post(txn: &impl ConnectionTrait, entry: Entry<'_>) -> Result<Posted, WalletError> {
    let sum = entry
        .postings
        .iter()
        .try_fold(0_i64, |sum, (_, amount)| sum.checked_add(*amount));
    if entry.postings.len() < 2 || entry.postings.iter().any(|(_, a)| *a == 0) || sum != Some(0) {
        // A bug of ours, never the student's input: nothing is written.
        tracing::error!(
            kind = entry.kind.code(),
            "refused an unbalanced ledger transaction"
        );
        return Err(WalletError::Unbalanced);
    }
    if let Some(corrected) = entry.corrects {
        let found = ledger_transaction::Entity::find_by_id(corrected)
            .filter(ledger_transaction::Column::TenantId.eq(entry.tenant_id))
            .one(txn)
            .await
            .map_err(storage("reading a corrected transaction"))?;
        if found.is_none() {
            return Err(WalletError::UnknownTransaction);
        }
    }
    let accounts: Vec<Account> = entry.postings.iter().map(|(account, _)| *account).collect();
    let ids = open_all(txn, entry.tenant_id, &accounts, entry.at).await?;
    let mut card_balances = Vec::new();
    for ((account, amount), id) in entry.postings.iter().zip(&ids) {
        if let Some(student) = account.student() {
            let balance = move_card_balance(txn, *id, *amount, entry.at).await?;
            card_balances.push((student, balance));
        }
    }
    let transaction = ledger_transaction::ActiveModel {
        tenant_id: Set(entry.tenant_id),
        kind: Set(entry.kind.code().to_owned()),
        description: Set(entry.description.to_owned()),
        actor: Set(entry.actor.to_owned()),
        corrects_id: Set(entry.corrects),
        created_at: Set(entry.at),
        ..Default::default()
    }
    .insert(txn)
    .await
    .map_err(storage("writing a ledger transaction"))?;
    let postings =
        entry
            .postings
            .iter()
            .zip(&ids)
            .map(|((_, amount), id)| ledger_posting::ActiveModel {
                transaction_id: Set(transaction.id),
                account_id: Set(*id),
                amount: Set(*amount),
                ..Default::default()
            });
    ledger_posting::Entity::insert_many(postings)
        .exec_without_returning(txn)
        .await
        .map_err(storage("writing ledger postings"))?;
    Ok(Posted {
        transaction_id: transaction.id,
        card_balances,
    })
}

/// Changes a card's cached balance by `amount`, only if it stays at zero or more, and returns
/// the new balance. The check and the write are one statement, so two debits at once cannot
/// both pass a check that only one of them fits (PostgreSQL re-reads the row after the
/// other's commit; SQLite has one writer). The CHECK constraint stands behind it.
async fn move_card_balance(
    txn: &impl ConnectionTrait,
    account_id: i32,
    amount: i64,
    at: i64,
) -> Result<Yen, WalletError> {
    use card_balance::Column;
    let update = card_balance::Entity::update_many()
        .col_expr(Column::Balance, Expr::col(Column::Balance).add(amount))
        .col_expr(Column::UpdatedAt, Expr::value(at))
        .filter(Column::AccountId.eq(account_id))
        .filter(Column::Balance.gte(-amount));
    let moved = if txn.support_returning() {
        let rows = update
            .exec_with_returning(txn)
            .await
            .map_err(storage("moving a card balance"))?;
        rows.first().map(|row| row.balance)
    } else {
        let moved = update.exec(txn).await.map_err(storage("moving a card balance"))?;
        match moved.rows_affected {
            1 => Some(cached_balance(txn, account_id).await?),
            _ => None,
        }
    };
    match moved {
        Some(balance) => Ok(Yen::new(balance).ok_or(StorageError)?),
        None => {
            let balance = cached_balance(txn, account_id).await?;
            Err(WalletError::InsufficientBalance {
                balance: Yen::new(balance).unwrap_or(Yen::ZERO),
            })
        }
    }
}

/// Opens `accounts` that are not open yet, in a transaction of its own.
pub(super) async fn open_in_own_transaction(
    db: &impl sea_orm::TransactionTrait,
    tenant_id: i32,
    accounts: &[Account],
    at: i64,
) -> Result<(), StorageError> {
    let txn = crate::platform::begin(db).await?;
    open_all(&txn, tenant_id, accounts, at).await?;
    txn.commit().await.map_err(storage("committing opened ledger accounts"))
}

/// The ids of `accounts`, in their order, each opened on its first use (with a zero balance
/// for a card): one query when they all exist. Two first uses at once both end with the one
/// row.
async fn open_all(
    txn: &impl ConnectionTrait,
    tenant_id: i32,
    accounts: &[Account],
    at: i64,
) -> Result<Vec<i32>, StorageError> {
    let codes: Vec<String> = accounts.iter().map(|a| a.code()).collect();
    let found: Vec<(i32, String)> = ledger_account::Entity::find()
        .select_only()
        .column(ledger_account::Column::Id)
        .column(ledger_account::Column::Code)
        .filter(ledger_account::Column::TenantId.eq(tenant_id))
        .filter(ledger_account::Column::Code.is_in(codes.clone()))
        .into_tuple()
        .all(txn)
        .await
        .map_err(storage("finding ledger accounts"))?;
    let mut ids = Vec::with_capacity(accounts.len());
    for (account, code) in accounts.iter().zip(&codes) {
        let id = match found.iter().find(|(_, c)| c == code) {
            Some((id, _)) => *id,
            None => open(txn, tenant_id, *account, at).await?,
        };
        ids.push(id);
    }
    Ok(ids)
}

/// The id of an account, opened on its first use (with a zero balance for a card).
async fn open(
    txn: &impl ConnectionTrait,
    tenant_id: i32,
    account: Account,
    at: i64,
) -> Result<i32, StorageError> {
    let code = account.code();
    ledger_account::Entity::insert(ledger_account::ActiveModel {
        tenant_id: Set(tenant_id),
        code: Set(code.clone()),
        student_id: Set(account.student().map(|s| s.0)),
        created_at: Set(at),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([
            ledger_account::Column::TenantId,
            ledger_account::Column::Code,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(txn)
    .await
    .map_err(storage("opening a ledger account"))?;
    let id = find(txn, tenant_id, &code)
        .await?
        .ok_or(StorageError)
        .inspect_err(|_| tracing::error!("an opened ledger account is not there"))?;
    if account.student().is_some() {
        card_balance::Entity::insert(card_balance::ActiveModel {
            account_id: Set(id),
            tenant_id: Set(tenant_id),
            balance: Set(0),
            updated_at: Set(at),
        })
        .on_conflict(OnConflict::column(card_balance::Column::AccountId).do_nothing().to_owned())
        .exec_without_returning(txn)
        .await
        .map_err(storage("opening a card balance"))?;
    }
    Ok(id)
}

async fn find(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    code: &str,
) -> Result<Option<i32>, StorageError> {
    ledger_account::Entity::find()
        .select_only()
        .column(ledger_account::Column::Id)
        .filter(ledger_account::Column::TenantId.eq(tenant_id))
        .filter(ledger_account::Column::Code.eq(code))
        .into_tuple()
        .one(db)
        .await
        .map_err(storage("finding a ledger account"))
}

async fn cached_balance(db: &impl ConnectionTrait, account_id: i32) -> Result<i64, StorageError> {
    Ok(card_balance::Entity::find_by_id(account_id)
        .one(db)
        .await
        .map_err(storage("reading a card balance"))?
        .map_or(0, |row| row.balance))
}

/// Locks a student's card until the caller's transaction ends (opening the card if it is
/// new), so what is decided against its balance holds: two requests that each fit alone wait
/// for each other instead of both passing. (SQLite has one writer anyway.)
pub async fn lock_card(
    txn: &impl ConnectionTrait,
    tenant_id: i32,
    student: StudentId,
    at: i64,
) -> Result<(), StorageError> {
    let ids = open_all(txn, tenant_id, &[Account::Card(student)], at).await?;
    if let Some(id) = ids.first() {
        card_balance::Entity::find_by_id(*id)
            .lock_exclusive()
            .one(txn)
            .await
            .map_err(storage("locking a card"))?;
    }
    Ok(())
}

/// A student's card balance (zero before the first movement).
pub async fn balance(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    student: StudentId,
) -> Result<Yen, StorageError> {
    let Some(account_id) = find(db, tenant_id, &Account::Card(student).code()).await? else {
        return Ok(Yen::ZERO);
    };
    let balance = cached_balance(db, account_id).await?;
    Yen::new(balance).ok_or(StorageError)
}

/// One line of a card's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Movement {
    pub transaction_id: i32,
    pub at: i64,
    pub kind: Option<Kind>,
    pub description: String,
    /// Positive for money in, negative for money out.
    pub amount: i64,
    /// The balance after this movement.
    pub balance_after: i64,
}

/// A page of a card's history, newest first, and how many movements there are in all.
pub async fn history(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    student: StudentId,
    page: u64,
    per_page: u64,
) -> Result<(Vec<Movement>, u64), StorageError> {
    use ledger_posting::Column;
    let Some(account_id) = find(db, tenant_id, &Account::Card(student).code()).await? else {
        return Ok((Vec::new(), 0));
    };
    let postings = ledger_posting::Entity::find()
        .filter(Column::AccountId.eq(account_id))
        .order_by_desc(Column::Id)
        .offset(page * per_page)
        .limit(per_page)
        .all(db)
        .await
        .map_err(storage("reading a card's history"))?;
    let (total, count) = sum_and_count(db, account_id, None).await?;
    let Some(newest) = postings.first() else {
        return Ok((Vec::new(), count));
    };
    let (newer, _) = sum_and_count(db, account_id, Some(newest.id)).await?;
    let transactions = ledger_transaction::Entity::find()
        .filter(ledger_transaction::Column::Id.is_in(postings.iter().map(|p| p.transaction_id)))
        .all(db)
        .await
        .map_err(storage("reading a card's history"))?;
    let mut balance_after = total - newer;
    let mut movements = Vec::with_capacity(postings.len());
    for posting in postings {
        let transaction = transactions.iter().find(|t| t.id == posting.transaction_id);
        movements.push(Movement {
            transaction_id: posting.transaction_id,
            at: transaction.map_or(0, |t| t.created_at),
            kind: transaction.and_then(|t| Kind::from_code(&t.kind)),
            description: transaction.map(|t| t.description.clone()).unwrap_or_default(),
            amount: posting.amount,
            balance_after,
        });
        balance_after -= posting.amount;
    }
    Ok((movements, count))
}

/// The sum and number of an account's postings (only those after posting `after`, if given).
async fn sum_and_count(
    db: &impl ConnectionTrait,
    account_id: i32,
    after: Option<i32>,
) -> Result<(i64, u64), StorageError> {
    use ledger_posting::Column;
    let mut query = ledger_posting::Entity::find()
        .select_only()
        .column_as(
            Expr::cust("CAST(COALESCE(SUM(amount), 0) AS BIGINT)"),
            "sum",
        )
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "count")
        .filter(Column::AccountId.eq(account_id));
    if let Some(after) = after {
        query = query.filter(Column::Id.gt(after));
    }
    let (sum, count): (i64, i64) = query
        .into_tuple()
        .one(db)
        .await
        .map_err(storage("summing postings"))?
        .unwrap_or((0, 0));
    Ok((sum, count.max(0) as u64))
}

/// What `ledger verify` found wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Discrepancy {
    /// A transaction whose postings do not sum to zero, or that has fewer than two.
    Unbalanced {
        transaction_id: i32,
        sum: i64,
        postings: i64,
    },
    /// A card whose cached balance is not the sum of its postings.
    CachedBalanceDiffers {
        tenant_id: i32,
        account: String,
        cached: i64,
        computed: i64,
    },
}

impl std::fmt::Display for Discrepancy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Discrepancy::Unbalanced {
                transaction_id,
                sum,
                postings,
            } => write!(
                f,
                "transaction #{transaction_id}: {postings} posting(s) summing to {sum}, not two or more summing to 0"
            ),
            Discrepancy::CachedBalanceDiffers {
                tenant_id,
                account,
                cached,
                computed,
            } => write!(
                f,
                "tenant #{tenant_id} {account}: cached balance {cached}, postings sum to {computed}"
            ),
        }
    }
}

/// Recomputes every card balance from the postings and checks that every transaction
/// balances. Empty when the ledger is sound.
pub async fn verify(db: &impl ConnectionTrait) -> Result<Vec<Discrepancy>, StorageError> {
    use ledger_posting::Column;
    let mut found = Vec::new();
    let unbalanced: Vec<(i32, i64, i64)> = ledger_posting::Entity::find()
        .select_only()
        .column(Column::TransactionId)
        .column_as(Expr::cust("CAST(SUM(amount) AS BIGINT)"), "sum")
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "count")
        .group_by(Column::TransactionId)
        .having(Expr::cust("SUM(amount) <> 0 OR COUNT(*) < 2"))
        .into_tuple()
        .all(db)
        .await
        .map_err(storage("verifying the ledger"))?;
    found.extend(
        unbalanced
            .into_iter()
            .map(|(transaction_id, sum, postings)| Discrepancy::Unbalanced {
                transaction_id,
                sum,
                postings,
            }),
    );
    // A transaction with no posting at all has no group above.
    let empty: Vec<i32> = ledger_transaction::Entity::find()
        .select_only()
        .column(ledger_transaction::Column::Id)
        .filter(
            ledger_transaction::Column::Id.not_in_subquery(
                Query::select()
                    .column(Column::TransactionId)
                    .from(ledger_posting::Entity)
                    .to_owned(),
            ),
        )
        .into_tuple()
        .all(db)
        .await
        .map_err(storage("verifying the ledger"))?;
    found.extend(
        empty.into_iter().map(|transaction_id| Discrepancy::Unbalanced {
            transaction_id,
            sum: 0,
            postings: 0,
        }),
    );

    let computed: Vec<(i32, i64)> = ledger_posting::Entity::find()
        .select_only()
        .column(Column::AccountId)
        .column_as(Expr::cust("CAST(SUM(amount) AS BIGINT)"), "sum")
        .group_by(Column::AccountId)
        .into_tuple()
        .all(db)
        .await
        .map_err(storage("verifying the ledger"))?;
    let computed: std::collections::HashMap<i32, i64> = computed.into_iter().collect();
    let cards = ledger_account::Entity::find()
        .filter(ledger_account::Column::StudentId.is_not_null())
        .all(db)
        .await
        .map_err(storage("verifying the ledger"))?;
    let cached: std::collections::HashMap<i32, i64> = card_balance::Entity::find()
        .all(db)
        .await
        .map_err(storage("verifying the ledger"))?
        .into_iter()
        .map(|row| (row.account_id, row.balance))
        .collect();
    for card in cards {
        let computed = computed.get(&card.id).copied().unwrap_or(0);
        let cached = cached.get(&card.id).copied();
        if cached != Some(computed) {
            found.push(Discrepancy::CachedBalanceDiffers {
                tenant_id: card.tenant_id,
                account: card.code,
                cached: cached.unwrap_or(0),
                computed,
            });
        }
    }
    Ok(found)
}

/// The unused balance of every card of a university, as of `until` (exclusive): what the
/// university reports under the Payment Services Act for 31 March and 30 September.
pub async fn total_balance_until(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    until: i64,
) -> Result<Yen, StorageError> {
    use ledger_posting::Column;
    let cards = Query::select()
        .column(ledger_account::Column::Id)
        .from(ledger_account::Entity)
        .and_where(ledger_account::Column::TenantId.eq(tenant_id))
        .and_where(ledger_account::Column::StudentId.is_not_null())
        .to_owned();
    let before = Query::select()
        .column(ledger_transaction::Column::Id)
        .from(ledger_transaction::Entity)
        .and_where(ledger_transaction::Column::TenantId.eq(tenant_id))
        .and_where(ledger_transaction::Column::CreatedAt.lt(until))
        .to_owned();
    let total: Option<i64> = ledger_posting::Entity::find()
        .select_only()
        .column_as(
            Expr::cust("CAST(COALESCE(SUM(amount), 0) AS BIGINT)"),
            "sum",
        )
        .filter(Column::AccountId.in_subquery(cards))
        .filter(Column::TransactionId.in_subquery(before))
        .into_tuple()
        .one(db)
        .await
        .map_err(storage("summing card balances"))?;
    Yen::new(total.unwrap_or(0)).ok_or(StorageError)
}
