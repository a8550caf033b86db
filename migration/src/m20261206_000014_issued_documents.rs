//! Electronic certificates (issue #16, point 6): what each certificate type says (its
//! `content`), and the PDF of each line of an application delivered as PDF, kept exactly as it
//! was issued. The document is made once, when the office marks the application issued; a later
//! change of the registry never changes a certificate already issued.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Applications {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum CertificateTypes {
    Table,
    /// A `CertificateContent` code: which facts the certificate states.
    Content,
}

#[derive(DeriveIden)]
enum IssuedDocuments {
    Table,
    Id,
    TenantId,
    ApplicationId,
    /// The application line's position: one document per line.
    Position,
    Lang,
    /// The as-issued facts as JSON (`CertificateDocument`), what the PDF was made from.
    Facts,
    Pdf,
    /// SHA-256 of the PDF, hex.
    Sha256,
    IssuedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(CertificateTypes::Table)
                    .add_column(string_null(CertificateTypes::Content))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(IssuedDocuments::Table)
                    .col(pk_auto(IssuedDocuments::Id))
                    .col(integer(IssuedDocuments::TenantId))
                    .col(integer(IssuedDocuments::ApplicationId))
                    .col(integer(IssuedDocuments::Position))
                    .col(string(IssuedDocuments::Lang))
                    .col(text(IssuedDocuments::Facts))
                    .col(blob(IssuedDocuments::Pdf))
                    .col(string(IssuedDocuments::Sha256))
                    .col(big_integer(IssuedDocuments::IssuedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(IssuedDocuments::Table, IssuedDocuments::TenantId)
                            .to(Tenants::Table, Tenants::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(IssuedDocuments::Table, IssuedDocuments::ApplicationId)
                            .to(Applications::Table, Applications::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("issued_documents_line")
                    .table(IssuedDocuments::Table)
                    .col(IssuedDocuments::ApplicationId)
                    .col(IssuedDocuments::Position)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(IssuedDocuments::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(CertificateTypes::Table)
                    .drop_column(CertificateTypes::Content)
                    .to_owned(),
            )
            .await
    }
}
