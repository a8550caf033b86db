//! Each signed certificate's entry in its university's Bitstring Status List is its own
//! `status_index`, drawn at random when it is issued (issue #17): an entry that followed the
//! row's id told whoever held two credentials the order of their issue and how many came
//! between. Certificates issued before keep their id as their index, so the credentials
//! already downloaded still point at their entries. Unique per university.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum IssuedDocuments {
    Table,
    StatusIndex,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(IssuedDocuments::Table)
                    .add_column(integer_null(IssuedDocuments::StatusIndex))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "UPDATE issued_documents SET status_index = id WHERE document_id IS NOT NULL",
        )
        .await?;
        // Both databases take a partial index in the same words.
        db.execute_unprepared(
            "CREATE UNIQUE INDEX issued_documents_status_index \
             ON issued_documents (tenant_id, status_index) WHERE status_index IS NOT NULL",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DROP INDEX issued_documents_status_index")
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(IssuedDocuments::Table)
                    .drop_column(IssuedDocuments::StatusIndex)
                    .to_owned(),
            )
            .await
    }
}
