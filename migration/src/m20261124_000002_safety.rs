//! What the abuse limits and the audit trail need: per-account login failures, the audit
//! log, and two tenant settings (portal origins that may frame the login page, and the
//! second-password policy).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Tenants {
    Table,
    PortalOrigins,
    PasswordPolicy,
}

#[derive(DeriveIden)]
enum LoginFailures {
    Table,
    Id,
    TenantId,
    UserIdKey,
    Failures,
    LastFailureAt,
    BlockedUntil,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    At,
    TenantId,
    AccountId,
    UserIdKey,
    Event,
    ClientAddress,
    UserAgent,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        manager
            .alter_table(
                Table::alter()
                    .table(Tenants::Table)
                    .add_column(text_null(Tenants::PortalOrigins))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Tenants::Table)
                    .add_column(string_null(Tenants::PasswordPolicy))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LoginFailures::Table)
                    .col(pk_auto(LoginFailures::Id))
                    .col(integer(LoginFailures::TenantId))
                    .col(string(LoginFailures::UserIdKey))
                    .col(integer(LoginFailures::Failures))
                    .col(big_integer(LoginFailures::LastFailureAt))
                    .col(big_integer_null(LoginFailures::BlockedUntil))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("login_failures_tenant_user_id_key")
                    .table(LoginFailures::Table)
                    .col(LoginFailures::TenantId)
                    .col(LoginFailures::UserIdKey)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditEvents::Table)
                    .col(pk_auto(AuditEvents::Id))
                    .col(big_integer(AuditEvents::At))
                    .col(integer_null(AuditEvents::TenantId))
                    .col(integer_null(AuditEvents::AccountId))
                    .col(string_null(AuditEvents::UserIdKey))
                    .col(string(AuditEvents::Event))
                    .col(string(AuditEvents::ClientAddress))
                    .col(string(AuditEvents::UserAgent))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("audit_events_tenant_at")
                    .table(AuditEvents::Table)
                    .col(AuditEvents::TenantId)
                    .col(AuditEvents::At)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(AuditEvents::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(LoginFailures::Table).to_owned()).await?;
        for column in [Tenants::PasswordPolicy, Tenants::PortalOrigins] {
            manager
                .alter_table(Table::alter().table(Tenants::Table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
