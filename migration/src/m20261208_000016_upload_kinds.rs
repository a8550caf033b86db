//! The staff console's import page takes grade files too (issue #16, point 2): an upload says
//! which kind of file it is (`registry` or `grades`), and is previewed and applied as that.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RegistryUploads {
    Table,
    Kind,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(RegistryUploads::Table)
                    .add_column(string(RegistryUploads::Kind).default("registry"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(RegistryUploads::Table)
                    .drop_column(RegistryUploads::Kind)
                    .to_owned(),
            )
            .await
    }
}
