//! Certificates anyone can verify (issue #17): each university's Ed25519 signing keys, the
//! private key sealed with a key from the configuration and the public key kept forever (a
//! certificate signed by a retired key still verifies); and on each issued document the
//! record that was signed, its signature, the key's id, its public document id and the keyed
//! hash of its verification code, and its revocation (when, and the reason's category).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum SigningKeys {
    Table,
    Id,
    TenantId,
    Kid,
    PublicKey,
    SealedPrivateKey,
    CreatedAt,
    RetiredAt,
}

#[derive(DeriveIden)]
enum IssuedDocuments {
    Table,
    DocumentId,
    CodeHash,
    Record,
    Signature,
    Kid,
    RevokedAt,
    RevokedReason,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SigningKeys::Table)
                    .col(pk_auto(SigningKeys::Id))
                    .col(integer(SigningKeys::TenantId))
                    .col(string(SigningKeys::Kid).unique_key())
                    .col(string(SigningKeys::PublicKey))
                    .col(string(SigningKeys::SealedPrivateKey))
                    .col(big_integer(SigningKeys::CreatedAt))
                    .col(big_integer_null(SigningKeys::RetiredAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SigningKeys::Table, SigningKeys::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One current key per university, whoever rotates at the same moment. Both databases
        // take a partial index in the same words.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX signing_keys_current ON signing_keys (tenant_id) \
                 WHERE retired_at IS NULL",
            )
            .await?;
        // One column per statement: SQLite alters a table one column at a time.
        for column in [
            IssuedDocuments::DocumentId,
            IssuedDocuments::CodeHash,
            IssuedDocuments::Record,
            IssuedDocuments::Signature,
            IssuedDocuments::Kid,
            IssuedDocuments::RevokedReason,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(IssuedDocuments::Table)
                        .add_column(string_null(column))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(IssuedDocuments::Table)
                    .add_column(big_integer_null(IssuedDocuments::RevokedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("issued_documents_document_id")
                    .table(IssuedDocuments::Table)
                    .col(IssuedDocuments::DocumentId)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("issued_documents_document_id")
                    .table(IssuedDocuments::Table)
                    .to_owned(),
            )
            .await?;
        for column in [
            IssuedDocuments::DocumentId,
            IssuedDocuments::CodeHash,
            IssuedDocuments::Record,
            IssuedDocuments::Signature,
            IssuedDocuments::Kid,
            IssuedDocuments::RevokedReason,
            IssuedDocuments::RevokedAt,
        ] {
            manager
                .alter_table(
                    Table::alter().table(IssuedDocuments::Table).drop_column(column).to_owned(),
                )
                .await?;
        }
        manager.drop_table(Table::drop().table(SigningKeys::Table).to_owned()).await
    }
}
