//! Shares (issue #17): a student gives a named recipient a link to one issued certificate
//! until a day they choose, sees every view of it, and revokes it at any time. The link's
//! token is kept as a keyed hash (to find it) and sealed (for its student to copy again).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CertificateShares {
    Table,
    Id,
    TenantId,
    StudentId,
    IssuedDocumentId,
    TokenHash,
    SealedToken,
    Recipient,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum CertificateShareViews {
    Table,
    Id,
    ShareId,
    At,
    Outcome,
    Address,
    Browser,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CertificateShares::Table)
                    .col(pk_auto(CertificateShares::Id))
                    .col(integer(CertificateShares::TenantId))
                    .col(integer(CertificateShares::StudentId))
                    .col(integer(CertificateShares::IssuedDocumentId))
                    .col(string(CertificateShares::TokenHash).unique_key())
                    .col(string(CertificateShares::SealedToken))
                    .col(string(CertificateShares::Recipient))
                    .col(big_integer(CertificateShares::CreatedAt))
                    .col(big_integer(CertificateShares::ExpiresAt))
                    .col(big_integer_null(CertificateShares::RevokedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("certificate_shares_student")
                    .table(CertificateShares::Table)
                    .col(CertificateShares::TenantId)
                    .col(CertificateShares::StudentId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CertificateShareViews::Table)
                    .col(pk_auto(CertificateShareViews::Id))
                    .col(integer(CertificateShareViews::ShareId))
                    .col(big_integer(CertificateShareViews::At))
                    .col(string(CertificateShareViews::Outcome))
                    .col(string(CertificateShareViews::Address))
                    .col(string(CertificateShareViews::Browser))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("certificate_share_views_share")
                    .table(CertificateShareViews::Table)
                    .col(CertificateShareViews::ShareId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CertificateShareViews::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(CertificateShares::Table).to_owned())
            .await
    }
}
