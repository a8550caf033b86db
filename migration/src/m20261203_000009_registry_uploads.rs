//! A registry CSV uploaded in the staff console waits here between its preview and its
//! application (issue #15): the file, who uploaded it, and the registry's version the preview
//! was made against, so an outdated preview cannot be applied. Kept a day at most.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum RegistryUploads {
    Table,
    Id,
    TenantId,
    StaffId,
    FileName,
    Csv,
    RegistryVersion,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RegistryUploads::Table)
                    .col(pk_auto(RegistryUploads::Id))
                    .col(integer(RegistryUploads::TenantId))
                    .col(integer(RegistryUploads::StaffId))
                    .col(string(RegistryUploads::FileName))
                    .col(text(RegistryUploads::Csv))
                    .col(string(RegistryUploads::RegistryVersion))
                    .col(big_integer(RegistryUploads::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RegistryUploads::Table, RegistryUploads::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(RegistryUploads::Table).to_owned()).await
    }
}
