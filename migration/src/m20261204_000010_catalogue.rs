//! The certificate catalogue of each university (issue #16): its delivery methods with their
//! fees, its certificate types, and the calendar of days its office is closed. Nothing here is
//! deleted once an application may point at it: a type or method taken out of the catalogue
//! is marked withdrawn.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum DeliveryMethods {
    Table,
    Id,
    TenantId,
    Code,
    Kind,
    NameJa,
    NameEn,
    FeeYen,
    Position,
    WithdrawnAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CertificateTypes {
    Table,
    Id,
    TenantId,
    Code,
    NameJa,
    NameEn,
    /// The languages it is issued in, as codes joined by commas (`ja,en`).
    Languages,
    FeeYen,
    MaxCopies,
    /// The registry statuses that may order it, as codes joined by commas.
    Statuses,
    /// An order rule's code, if the type has one.
    Rule,
    /// The codes of the delivery methods it allows, joined by commas.
    Deliveries,
    WorkingDays,
    Position,
    WithdrawnAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ClosureDays {
    Table,
    TenantId,
    /// `YYYY-MM-DD`, a date in JST.
    Day,
    Note,
}

fn tenant_key(
    table: impl IntoIden + 'static,
    column: impl IntoIden + 'static,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(Tenants::Table, Tenants::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DeliveryMethods::Table)
                    .col(pk_auto(DeliveryMethods::Id))
                    .col(integer(DeliveryMethods::TenantId))
                    .col(string(DeliveryMethods::Code))
                    .col(string(DeliveryMethods::Kind))
                    .col(string(DeliveryMethods::NameJa))
                    .col(string(DeliveryMethods::NameEn))
                    .col(big_integer(DeliveryMethods::FeeYen))
                    .col(integer(DeliveryMethods::Position))
                    .col(big_integer_null(DeliveryMethods::WithdrawnAt))
                    .col(big_integer(DeliveryMethods::UpdatedAt))
                    .foreign_key(&mut tenant_key(
                        DeliveryMethods::Table,
                        DeliveryMethods::TenantId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("delivery_methods_code")
                    .table(DeliveryMethods::Table)
                    .col(DeliveryMethods::TenantId)
                    .col(DeliveryMethods::Code)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CertificateTypes::Table)
                    .col(pk_auto(CertificateTypes::Id))
                    .col(integer(CertificateTypes::TenantId))
                    .col(string(CertificateTypes::Code))
                    .col(string(CertificateTypes::NameJa))
                    .col(string(CertificateTypes::NameEn))
                    .col(string(CertificateTypes::Languages))
                    .col(big_integer(CertificateTypes::FeeYen))
                    .col(integer(CertificateTypes::MaxCopies))
                    .col(string(CertificateTypes::Statuses))
                    .col(string_null(CertificateTypes::Rule))
                    .col(string(CertificateTypes::Deliveries))
                    .col(integer(CertificateTypes::WorkingDays))
                    .col(integer(CertificateTypes::Position))
                    .col(big_integer_null(CertificateTypes::WithdrawnAt))
                    .col(big_integer(CertificateTypes::UpdatedAt))
                    .foreign_key(&mut tenant_key(
                        CertificateTypes::Table,
                        CertificateTypes::TenantId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("certificate_types_code")
                    .table(CertificateTypes::Table)
                    .col(CertificateTypes::TenantId)
                    .col(CertificateTypes::Code)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ClosureDays::Table)
                    .col(integer(ClosureDays::TenantId))
                    .col(string(ClosureDays::Day))
                    .col(string(ClosureDays::Note))
                    .primary_key(Index::create().col(ClosureDays::TenantId).col(ClosureDays::Day))
                    .foreign_key(&mut tenant_key(ClosureDays::Table, ClosureDays::TenantId))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ClosureDays::Table.into_iden(),
            CertificateTypes::Table.into_iden(),
            DeliveryMethods::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
