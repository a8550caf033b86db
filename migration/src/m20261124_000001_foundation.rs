//! Tenants, the student registry, service accounts, sessions, one-time tokens and the mail
//! outbox. Times are stored as UTC milliseconds since the epoch (`big_integer`), which compare
//! the same way on SQLite and PostgreSQL.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
    Slug,
    Name,
    NameEn,
    NotesJa,
    NotesEn,
    HelpdeskJa,
    HelpdeskEn,
    TokenTtlSeconds,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Students {
    Table,
    Id,
    TenantId,
    UserId,
    UserIdKey,
    Name,
    NameKana,
    NameEn,
    StudentNumber,
    Faculty,
    Department,
    Status,
    BirthDate,
    AdmissionDate,
    GraduationDate,
    PasswordHash,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
    TenantId,
    UserIdKey,
    Email,
    EmailVerifiedAt,
    SecondPasswordHash,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    IdHash,
    TenantId,
    AccountId,
    Stage,
    CreatedAt,
    LastSeenAt,
}

#[derive(DeriveIden)]
enum OneTimeTokens {
    Table,
    Id,
    TokenHash,
    Purpose,
    AccountId,
    Email,
    CreatedAt,
    ExpiresAt,
    UsedAt,
    VoidedAt,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    Recipient,
    Subject,
    BodyText,
    CreatedAt,
    Attempts,
    NextAttemptAt,
    LockedUntil,
    SentAt,
    FailedAt,
    LastError,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Tenants::Table)
                    .col(pk_auto(Tenants::Id))
                    .col(string_uniq(Tenants::Slug))
                    .col(string(Tenants::Name))
                    .col(string_null(Tenants::NameEn))
                    .col(text_null(Tenants::NotesJa))
                    .col(text_null(Tenants::NotesEn))
                    .col(text_null(Tenants::HelpdeskJa))
                    .col(text_null(Tenants::HelpdeskEn))
                    .col(big_integer_null(Tenants::TokenTtlSeconds))
                    .col(big_integer(Tenants::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Students::Table)
                    .col(pk_auto(Students::Id))
                    .col(integer(Students::TenantId))
                    .col(string(Students::UserId))
                    .col(string(Students::UserIdKey))
                    .col(string(Students::Name))
                    .col(string_null(Students::NameKana))
                    .col(string_null(Students::NameEn))
                    .col(string_null(Students::StudentNumber))
                    .col(string_null(Students::Faculty))
                    .col(string_null(Students::Department))
                    .col(string(Students::Status))
                    .col(string_null(Students::BirthDate))
                    .col(string_null(Students::AdmissionDate))
                    .col(string_null(Students::GraduationDate))
                    .col(string(Students::PasswordHash))
                    .col(big_integer(Students::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Students::Table, Students::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("students_tenant_user_id_key")
                    .table(Students::Table)
                    .col(Students::TenantId)
                    .col(Students::UserIdKey)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Accounts::Table)
                    .col(pk_auto(Accounts::Id))
                    .col(integer(Accounts::TenantId))
                    .col(string(Accounts::UserIdKey))
                    .col(string_null(Accounts::Email))
                    .col(big_integer_null(Accounts::EmailVerifiedAt))
                    .col(string_null(Accounts::SecondPasswordHash))
                    .col(big_integer(Accounts::CreatedAt))
                    .col(big_integer(Accounts::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Accounts::Table, Accounts::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("accounts_tenant_user_id_key")
                    .table(Accounts::Table)
                    .col(Accounts::TenantId)
                    .col(Accounts::UserIdKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // Verified addresses are unique within a tenant (a reset mail must name one account).
        manager
            .create_index(
                Index::create()
                    .name("accounts_tenant_email")
                    .table(Accounts::Table)
                    .col(Accounts::TenantId)
                    .col(Accounts::Email)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(string(Sessions::IdHash).primary_key())
                    .col(integer(Sessions::TenantId))
                    .col(integer(Sessions::AccountId))
                    .col(string(Sessions::Stage))
                    .col(big_integer(Sessions::CreatedAt))
                    .col(big_integer(Sessions::LastSeenAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Sessions::Table, Sessions::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("sessions_account")
                    .table(Sessions::Table)
                    .col(Sessions::AccountId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OneTimeTokens::Table)
                    .col(pk_auto(OneTimeTokens::Id))
                    .col(string_uniq(OneTimeTokens::TokenHash))
                    .col(string(OneTimeTokens::Purpose))
                    .col(integer(OneTimeTokens::AccountId))
                    .col(string_null(OneTimeTokens::Email))
                    .col(big_integer(OneTimeTokens::CreatedAt))
                    .col(big_integer(OneTimeTokens::ExpiresAt))
                    .col(big_integer_null(OneTimeTokens::UsedAt))
                    .col(big_integer_null(OneTimeTokens::VoidedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(OneTimeTokens::Table, OneTimeTokens::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Outbox::Table)
                    .col(pk_auto(Outbox::Id))
                    .col(string(Outbox::Recipient))
                    .col(string(Outbox::Subject))
                    .col(text(Outbox::BodyText))
                    .col(big_integer(Outbox::CreatedAt))
                    .col(integer(Outbox::Attempts).default(0))
                    .col(big_integer(Outbox::NextAttemptAt))
                    .col(big_integer_null(Outbox::LockedUntil))
                    .col(big_integer_null(Outbox::SentAt))
                    .col(big_integer_null(Outbox::FailedAt))
                    .col(text_null(Outbox::LastError))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("outbox_due")
                    .table(Outbox::Table)
                    .col(Outbox::SentAt)
                    .col(Outbox::NextAttemptAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Outbox::Table.into_iden(),
            OneTimeTokens::Table.into_iden(),
            Sessions::Table.into_iden(),
            Accounts::Table.into_iden(),
            Students::Table.into_iden(),
            Tenants::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
