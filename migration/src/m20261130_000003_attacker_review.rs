//! What the review of the account flows as an attacker would read them (issue #11) needs:
//! browsers that logged in as a student before (device cookies), re-authentication failures per
//! session, and the university password of a first login, hashed, for the one check that needs
//! it at second-password setup.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TrustedDevices {
    Table,
    Id,
    TenantId,
    UserIdKey,
    TokenHash,
    Failures,
    CreatedAt,
    LastUsedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    CreatedAt,
    LastSeenAt,
    ReauthFailures,
    UniversityPasswordHash,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TrustedDevices::Table)
                    .col(pk_auto(TrustedDevices::Id))
                    .col(integer(TrustedDevices::TenantId))
                    .col(string(TrustedDevices::UserIdKey))
                    .col(string_uniq(TrustedDevices::TokenHash))
                    .col(integer(TrustedDevices::Failures))
                    .col(big_integer(TrustedDevices::CreatedAt))
                    .col(big_integer(TrustedDevices::LastUsedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("trusted_devices_tenant_user_id_key")
                    .table(TrustedDevices::Table)
                    .col(TrustedDevices::TenantId)
                    .col(TrustedDevices::UserIdKey)
                    .to_owned(),
            )
            .await?;
        // Every login forgets devices and sessions past their lifetime: by index, not a scan.
        manager
            .create_index(
                Index::create()
                    .name("trusted_devices_last_used_at")
                    .table(TrustedDevices::Table)
                    .col(TrustedDevices::LastUsedAt)
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("sessions_created_at", Sessions::CreatedAt),
            ("sessions_last_seen_at", Sessions::LastSeenAt),
        ] {
            manager
                .create_index(
                    Index::create().name(name).table(Sessions::Table).col(column).to_owned(),
                )
                .await?;
        }
        // SQLite adds one column per ALTER TABLE.
        manager
            .alter_table(
                Table::alter()
                    .table(Sessions::Table)
                    .add_column(integer(Sessions::ReauthFailures).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Sessions::Table)
                    .add_column(text_null(Sessions::UniversityPasswordHash))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in ["sessions_last_seen_at", "sessions_created_at"] {
            manager
                .drop_index(Index::drop().name(name).table(Sessions::Table).to_owned())
                .await?;
        }
        for column in [Sessions::UniversityPasswordHash, Sessions::ReauthFailures] {
            manager
                .alter_table(Table::alter().table(Sessions::Table).drop_column(column).to_owned())
                .await?;
        }
        manager.drop_table(Table::drop().table(TrustedDevices::Table).to_owned()).await
    }
}
