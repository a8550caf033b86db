//! A certificate type may say how long its certificates are valid (issue #17: a certificate
//! of enrollment has a validity); the verification page shows one past it as expired.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CertificateTypes {
    Table,
    ValidDays,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(CertificateTypes::Table)
                    .add_column(integer_null(CertificateTypes::ValidDays))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(CertificateTypes::Table)
                    .drop_column(CertificateTypes::ValidDays)
                    .to_owned(),
            )
            .await
    }
}
