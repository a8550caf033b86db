//! An admin edits the certificate catalogue in the staff console (issue #16, point 1): the
//! edited text waits here between its preview and its saving, with the version of the
//! catalogue the editor was opened on, so an edit made meanwhile by someone else is never
//! overwritten unseen. Kept a day at most.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum CatalogueDrafts {
    Table,
    Id,
    TenantId,
    StaffId,
    Text,
    CatalogueVersion,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CatalogueDrafts::Table)
                    .col(pk_auto(CatalogueDrafts::Id))
                    .col(integer(CatalogueDrafts::TenantId))
                    .col(integer(CatalogueDrafts::StaffId))
                    .col(text(CatalogueDrafts::Text))
                    .col(string(CatalogueDrafts::CatalogueVersion))
                    .col(big_integer(CatalogueDrafts::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CatalogueDrafts::Table, CatalogueDrafts::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(CatalogueDrafts::Table).to_owned()).await
    }
}
