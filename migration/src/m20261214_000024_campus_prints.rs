//! A certificate delivered by printing at a campus machine is handed to one machine once
//! (issue #17): which machine took it, when, and under which idempotency key (so that machine
//! may ask again after a lost answer, and no other may).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum IssuedDocuments {
    Table,
    PrintedAt,
    PrintedByMachine,
    PrintKey,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column a statement: SQLite alters a table one change at a time.
        for column in [
            big_integer_null(IssuedDocuments::PrintedAt),
            integer_null(IssuedDocuments::PrintedByMachine),
            string_null(IssuedDocuments::PrintKey),
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter().table(IssuedDocuments::Table).add_column(&mut column).to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            IssuedDocuments::PrintedAt,
            IssuedDocuments::PrintedByMachine,
            IssuedDocuments::PrintKey,
        ] {
            manager
                .alter_table(
                    Table::alter().table(IssuedDocuments::Table).drop_column(column).to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
