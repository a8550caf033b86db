//! Each university's catalogue is kept in memory between requests (issue #16, performance):
//! every change of its types, delivery methods, GPA rule or closure days writes a new stamp
//! here in the change's transaction, so a server reads one row to know whether what it keeps
//! is still the catalogue, whichever process changed it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum CatalogueStamps {
    Table,
    TenantId,
    Stamp,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CatalogueStamps::Table)
                    .col(integer(CatalogueStamps::TenantId).primary_key())
                    .col(big_integer(CatalogueStamps::Stamp))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CatalogueStamps::Table, CatalogueStamps::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(CatalogueStamps::Table).to_owned()).await
    }
}
