//! University staff (issue #15): staff members with their role, password and second factor,
//! their single-use recovery codes, their sessions (apart from students'), the one-time set-up
//! links, and the staff member behind an audit event. Failed sign-ins count in
//! `login_failures`, under keys no student's user ID can have.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum StaffMembers {
    Table,
    Id,
    TenantId,
    LoginId,
    LoginKey,
    Name,
    Email,
    Role,
    PasswordHash,
    TotpSecret,
    TotpEnabledAt,
    TotpUsedStep,
    DisabledAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum StaffRecoveryCodes {
    Table,
    Id,
    StaffId,
    CodeHash,
    UsedAt,
}

#[derive(DeriveIden)]
enum StaffSessions {
    Table,
    IdHash,
    TenantId,
    StaffId,
    Stage,
    CreatedAt,
    LastSeenAt,
}

#[derive(DeriveIden)]
enum StaffSetupLinks {
    Table,
    Id,
    TokenHash,
    StaffId,
    CreatedAt,
    ExpiresAt,
    UsedAt,
    VoidedAt,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    StaffId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(StaffMembers::Table)
                    .col(pk_auto(StaffMembers::Id))
                    .col(integer(StaffMembers::TenantId))
                    .col(string(StaffMembers::LoginId))
                    // Login IDs compare without case, like students' user IDs.
                    .col(string(StaffMembers::LoginKey))
                    .col(string(StaffMembers::Name))
                    .col(string(StaffMembers::Email))
                    .col(
                        string(StaffMembers::Role).check(
                            Expr::col(StaffMembers::Role).is_in(["viewer", "clerk", "admin"]),
                        ),
                    )
                    .col(string_null(StaffMembers::PasswordHash))
                    .col(string_null(StaffMembers::TotpSecret))
                    .col(big_integer_null(StaffMembers::TotpEnabledAt))
                    // The last time step a code was accepted for: no code works twice.
                    .col(big_integer_null(StaffMembers::TotpUsedStep))
                    .col(big_integer_null(StaffMembers::DisabledAt))
                    .col(big_integer(StaffMembers::CreatedAt))
                    .col(big_integer(StaffMembers::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(StaffMembers::Table, StaffMembers::TenantId)
                            .to(Tenants::Table, Tenants::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("staff_members_tenant_login")
                    .table(StaffMembers::Table)
                    .col(StaffMembers::TenantId)
                    .col(StaffMembers::LoginKey)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(StaffRecoveryCodes::Table)
                    .col(pk_auto(StaffRecoveryCodes::Id))
                    .col(integer(StaffRecoveryCodes::StaffId))
                    .col(string(StaffRecoveryCodes::CodeHash))
                    .col(big_integer_null(StaffRecoveryCodes::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(StaffRecoveryCodes::Table, StaffRecoveryCodes::StaffId)
                            .to(StaffMembers::Table, StaffMembers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("staff_recovery_codes_staff")
                    .table(StaffRecoveryCodes::Table)
                    .col(StaffRecoveryCodes::StaffId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(StaffSessions::Table)
                    .col(string(StaffSessions::IdHash).primary_key())
                    .col(integer(StaffSessions::TenantId))
                    .col(integer(StaffSessions::StaffId))
                    .col(string(StaffSessions::Stage))
                    .col(big_integer(StaffSessions::CreatedAt))
                    .col(big_integer(StaffSessions::LastSeenAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(StaffSessions::Table, StaffSessions::StaffId)
                            .to(StaffMembers::Table, StaffMembers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("staff_sessions_staff")
                    .table(StaffSessions::Table)
                    .col(StaffSessions::StaffId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(StaffSetupLinks::Table)
                    .col(pk_auto(StaffSetupLinks::Id))
                    .col(string_uniq(StaffSetupLinks::TokenHash))
                    .col(integer(StaffSetupLinks::StaffId))
                    .col(big_integer(StaffSetupLinks::CreatedAt))
                    .col(big_integer(StaffSetupLinks::ExpiresAt))
                    .col(big_integer_null(StaffSetupLinks::UsedAt))
                    .col(big_integer_null(StaffSetupLinks::VoidedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(StaffSetupLinks::Table, StaffSetupLinks::StaffId)
                            .to(StaffMembers::Table, StaffMembers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .alter_table(
                Table::alter()
                    .table(AuditEvents::Table)
                    .add_column(integer_null(AuditEvents::StaffId))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(AuditEvents::Table)
                    .drop_column(AuditEvents::StaffId)
                    .to_owned(),
            )
            .await?;
        for table in [
            StaffSetupLinks::Table.into_iden(),
            StaffSessions::Table.into_iden(),
            StaffRecoveryCodes::Table.into_iden(),
            StaffMembers::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
