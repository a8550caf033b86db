//! The seal a university's certificates print (issue #17): an image its admin uploads in the
//! console, one a university, kept apart from `tenants` so that the rows read on every request
//! do not carry it. Without one, a certificate prints a seal of the university's name in type.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum UniversitySeals {
    Table,
    TenantId,
    Png,
    Sha256,
    Width,
    Height,
    UploadedAt,
    UploadedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(UniversitySeals::Table)
                    .col(integer(UniversitySeals::TenantId).primary_key())
                    .col(blob(UniversitySeals::Png))
                    .col(string(UniversitySeals::Sha256))
                    .col(integer(UniversitySeals::Width))
                    .col(integer(UniversitySeals::Height))
                    .col(big_integer(UniversitySeals::UploadedAt))
                    .col(integer_null(UniversitySeals::UploadedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .from(UniversitySeals::Table, UniversitySeals::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(UniversitySeals::Table).to_owned()).await
    }
}
