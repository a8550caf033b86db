//! The card balance (issue #14): a double-entry ledger whose postings can only be added, a
//! cached balance per card that the database keeps at zero or above, idempotency keys for every
//! request that moves money, the university's card settings, the student's card number, and
//! the campus machines that debit cards.

use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
    CardName,
    TopUpMin,
    TopUpMax,
    BalanceMax,
}

#[derive(DeriveIden)]
enum Students {
    Table,
    TenantId,
    CardNumber,
}

#[derive(DeriveIden)]
enum LedgerAccounts {
    Table,
    Id,
    TenantId,
    Code,
    StudentId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CardBalances {
    Table,
    AccountId,
    TenantId,
    Balance,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum LedgerTransactions {
    Table,
    Id,
    TenantId,
    Kind,
    Description,
    Actor,
    CorrectsId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum LedgerPostings {
    Table,
    Id,
    TransactionId,
    AccountId,
    Amount,
}

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    Id,
    TenantId,
    Scope,
    Key,
    RequestHash,
    Outcome,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Machines {
    Table,
    Id,
    TenantId,
    Name,
    KeyHash,
    CreatedAt,
    RevokedAt,
}

/// Postings and transactions are facts: a mistake is corrected by a new transaction, so the
/// database itself refuses to change or remove one, whatever code or console runs against it.
const APPEND_ONLY_SQLITE: [&str; 4] = [
    "CREATE TRIGGER ledger_postings_append_only_update BEFORE UPDATE ON ledger_postings \
     BEGIN SELECT RAISE(ABORT, 'ledger postings are append-only'); END",
    "CREATE TRIGGER ledger_postings_append_only_delete BEFORE DELETE ON ledger_postings \
     BEGIN SELECT RAISE(ABORT, 'ledger postings are append-only'); END",
    "CREATE TRIGGER ledger_transactions_append_only_update BEFORE UPDATE ON ledger_transactions \
     BEGIN SELECT RAISE(ABORT, 'ledger transactions are append-only'); END",
    "CREATE TRIGGER ledger_transactions_append_only_delete BEFORE DELETE ON ledger_transactions \
     BEGIN SELECT RAISE(ABORT, 'ledger transactions are append-only'); END",
];

const APPEND_ONLY_POSTGRES: [&str; 3] = [
    "CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ \
     BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$",
    "CREATE TRIGGER ledger_postings_append_only BEFORE UPDATE OR DELETE ON ledger_postings \
     FOR EACH ROW EXECUTE FUNCTION ledger_append_only()",
    "CREATE TRIGGER ledger_transactions_append_only BEFORE UPDATE OR DELETE ON ledger_transactions \
     FOR EACH ROW EXECUTE FUNCTION ledger_append_only()",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for column in [
            string_null(Tenants::CardName),
            big_integer(Tenants::TopUpMin).default(1_000).take(),
            big_integer(Tenants::TopUpMax).default(30_000).take(),
            big_integer(Tenants::BalanceMax).default(30_000).take(),
        ] {
            manager
                .alter_table(Table::alter().table(Tenants::Table).add_column(column).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Students::Table)
                    .add_column(string_null(Students::CardNumber))
                    .to_owned(),
            )
            .await?;
        // A machine reads a card and finds one student of its university.
        manager
            .create_index(
                Index::create()
                    .name("students_tenant_card_number")
                    .table(Students::Table)
                    .col(Students::TenantId)
                    .col(Students::CardNumber)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LedgerAccounts::Table)
                    .col(pk_auto(LedgerAccounts::Id))
                    .col(integer(LedgerAccounts::TenantId))
                    .col(string(LedgerAccounts::Code))
                    .col(integer_null(LedgerAccounts::StudentId))
                    .col(big_integer(LedgerAccounts::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(LedgerAccounts::Table, LedgerAccounts::TenantId)
                            .to(Tenants::Table, Tenants::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ledger_accounts_tenant_code")
                    .table(LedgerAccounts::Table)
                    .col(LedgerAccounts::TenantId)
                    .col(LedgerAccounts::Code)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CardBalances::Table)
                    .col(integer(CardBalances::AccountId).primary_key())
                    .col(integer(CardBalances::TenantId))
                    .col(
                        big_integer(CardBalances::Balance)
                            .check(Expr::col(CardBalances::Balance).gte(0)),
                    )
                    .col(big_integer(CardBalances::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CardBalances::Table, CardBalances::AccountId)
                            .to(LedgerAccounts::Table, LedgerAccounts::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LedgerTransactions::Table)
                    .col(pk_auto(LedgerTransactions::Id))
                    .col(integer(LedgerTransactions::TenantId))
                    .col(string(LedgerTransactions::Kind))
                    .col(string(LedgerTransactions::Description))
                    .col(string(LedgerTransactions::Actor))
                    .col(integer_null(LedgerTransactions::CorrectsId))
                    .col(big_integer(LedgerTransactions::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(LedgerTransactions::Table, LedgerTransactions::TenantId)
                            .to(Tenants::Table, Tenants::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(LedgerTransactions::Table, LedgerTransactions::CorrectsId)
                            .to(LedgerTransactions::Table, LedgerTransactions::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // The balance at the end of a day (`ledger balance --at`) reads transactions by time.
        manager
            .create_index(
                Index::create()
                    .name("ledger_transactions_tenant_created_at")
                    .table(LedgerTransactions::Table)
                    .col(LedgerTransactions::TenantId)
                    .col(LedgerTransactions::CreatedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LedgerPostings::Table)
                    .col(pk_auto(LedgerPostings::Id))
                    .col(integer(LedgerPostings::TransactionId))
                    .col(integer(LedgerPostings::AccountId))
                    .col(
                        big_integer(LedgerPostings::Amount)
                            .check(Expr::col(LedgerPostings::Amount).ne(0)),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(LedgerPostings::Table, LedgerPostings::TransactionId)
                            .to(LedgerTransactions::Table, LedgerTransactions::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(LedgerPostings::Table, LedgerPostings::AccountId)
                            .to(LedgerAccounts::Table, LedgerAccounts::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // A card's history, newest first, page by page.
        for (name, column) in [
            ("ledger_postings_account_id", LedgerPostings::AccountId),
            (
                "ledger_postings_transaction_id",
                LedgerPostings::TransactionId,
            ),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(LedgerPostings::Table)
                        .col(column)
                        .col(LedgerPostings::Id)
                        .to_owned(),
                )
                .await?;
        }
        let backend = manager.get_database_backend();
        let connection = manager.get_connection();
        let statements: &[&str] = match backend {
            DbBackend::Postgres => &APPEND_ONLY_POSTGRES,
            _ => &APPEND_ONLY_SQLITE,
        };
        for statement in statements {
            connection.execute_unprepared(statement).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(IdempotencyKeys::Table)
                    .col(pk_auto(IdempotencyKeys::Id))
                    .col(integer(IdempotencyKeys::TenantId))
                    .col(string(IdempotencyKeys::Scope))
                    .col(string(IdempotencyKeys::Key))
                    .col(string(IdempotencyKeys::RequestHash))
                    .col(text(IdempotencyKeys::Outcome))
                    .col(big_integer(IdempotencyKeys::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idempotency_keys_tenant_scope_key")
                    .table(IdempotencyKeys::Table)
                    .col(IdempotencyKeys::TenantId)
                    .col(IdempotencyKeys::Scope)
                    .col(IdempotencyKeys::Key)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idempotency_keys_created_at")
                    .table(IdempotencyKeys::Table)
                    .col(IdempotencyKeys::CreatedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Machines::Table)
                    .col(pk_auto(Machines::Id))
                    .col(integer(Machines::TenantId))
                    .col(string(Machines::Name))
                    .col(string_uniq(Machines::KeyHash))
                    .col(big_integer(Machines::CreatedAt))
                    .col(big_integer_null(Machines::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Machines::Table, Machines::TenantId)
                            .to(Tenants::Table, Tenants::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Machines::Table.into_iden(),
            IdempotencyKeys::Table.into_iden(),
            LedgerPostings::Table.into_iden(),
            LedgerTransactions::Table.into_iden(),
            CardBalances::Table.into_iden(),
            LedgerAccounts::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        if manager.get_database_backend() == DbBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared("DROP FUNCTION IF EXISTS ledger_append_only()")
                .await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("students_tenant_card_number")
                    .table(Students::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Students::Table)
                    .drop_column(Students::CardNumber)
                    .to_owned(),
            )
            .await?;
        for column in [
            Tenants::BalanceMax,
            Tenants::TopUpMax,
            Tenants::TopUpMin,
            Tenants::CardName,
        ] {
            manager
                .alter_table(Table::alter().table(Tenants::Table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
