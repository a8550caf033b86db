//! Students' applications for certificates (issue #16): what was ordered, at which price, how
//! it is delivered, and every change of its status. Prices and names are copied into the
//! application when it is made: a later catalogue changes what is offered, never what was
//! bought. Rows are never deleted; a cancelled application keeps its lines and its history.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Students {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum DeliveryMethods {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum CertificateTypes {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Applications {
    Table,
    Id,
    TenantId,
    StudentId,
    /// An `ApplicationStatus` code.
    Status,
    DeliveryMethodId,
    DeliveryCode,
    DeliveryKind,
    DeliveryNameJa,
    DeliveryNameEn,
    DeliveryFeeYen,
    TotalYen,
    Purpose,
    /// The postal address as JSON (`domain::Address`), for post and EMS.
    Address,
    /// The language the student applied in: that of the mails about it.
    Lang,
    /// `YYYY-MM-DD` in JST: when the office expects it ready.
    ExpectedOn,
    /// The idempotency key the form carried: one application per key and student.
    RequestKey,
    /// SHA-256 of what the request asked, so the same key with another order is refused.
    RequestHash,
    /// The ledger transaction that paid it from the card.
    PaidTransactionId,
    TrackingNumber,
    CancelReason,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ApplicationLines {
    Table,
    Id,
    ApplicationId,
    Position,
    CertificateTypeId,
    TypeCode,
    NameJa,
    NameEn,
    Lang,
    Copies,
    /// Per copy, as the catalogue priced it that day.
    FeeYen,
    AmountYen,
}

/// An application checked and waiting on its confirmation page: the page's address carries
/// only its key (an address or a purpose never goes into a URL), which is also the
/// idempotency key of the application it becomes.
#[derive(DeriveIden)]
enum ApplicationDrafts {
    Table,
    Id,
    TenantId,
    StudentId,
    Key,
    /// The parsed request as JSON.
    Request,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ApplicationEvents {
    Table,
    Id,
    ApplicationId,
    Status,
    /// Who changed it (`student`, `staff:3`, `system`).
    Actor,
    Note,
    At,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Applications::Table)
                    .col(pk_auto(Applications::Id))
                    .col(integer(Applications::TenantId))
                    .col(integer(Applications::StudentId))
                    .col(string(Applications::Status))
                    .col(integer(Applications::DeliveryMethodId))
                    .col(string(Applications::DeliveryCode))
                    .col(string(Applications::DeliveryKind))
                    .col(string(Applications::DeliveryNameJa))
                    .col(string(Applications::DeliveryNameEn))
                    .col(big_integer(Applications::DeliveryFeeYen))
                    .col(big_integer(Applications::TotalYen))
                    .col(string_null(Applications::Purpose))
                    .col(text_null(Applications::Address))
                    .col(string(Applications::Lang))
                    .col(string(Applications::ExpectedOn))
                    .col(string(Applications::RequestKey))
                    .col(string(Applications::RequestHash))
                    .col(integer_null(Applications::PaidTransactionId))
                    .col(string_null(Applications::TrackingNumber))
                    .col(string_null(Applications::CancelReason))
                    .col(big_integer(Applications::CreatedAt))
                    .col(big_integer(Applications::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Applications::Table, Applications::TenantId)
                            .to(Tenants::Table, Tenants::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Applications::Table, Applications::StudentId)
                            .to(Students::Table, Students::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Applications::Table, Applications::DeliveryMethodId)
                            .to(DeliveryMethods::Table, DeliveryMethods::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("applications_request_key")
                    .table(Applications::Table)
                    .col(Applications::TenantId)
                    .col(Applications::StudentId)
                    .col(Applications::RequestKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("applications_queue")
                    .table(Applications::Table)
                    .col(Applications::TenantId)
                    .col(Applications::Status)
                    .col(Applications::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ApplicationLines::Table)
                    .col(pk_auto(ApplicationLines::Id))
                    .col(integer(ApplicationLines::ApplicationId))
                    .col(integer(ApplicationLines::Position))
                    .col(integer(ApplicationLines::CertificateTypeId))
                    .col(string(ApplicationLines::TypeCode))
                    .col(string(ApplicationLines::NameJa))
                    .col(string(ApplicationLines::NameEn))
                    .col(string(ApplicationLines::Lang))
                    .col(integer(ApplicationLines::Copies))
                    .col(big_integer(ApplicationLines::FeeYen))
                    .col(big_integer(ApplicationLines::AmountYen))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ApplicationLines::Table, ApplicationLines::ApplicationId)
                            .to(Applications::Table, Applications::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ApplicationLines::Table, ApplicationLines::CertificateTypeId)
                            .to(CertificateTypes::Table, CertificateTypes::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("application_lines_application")
                    .table(ApplicationLines::Table)
                    .col(ApplicationLines::ApplicationId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ApplicationEvents::Table)
                    .col(pk_auto(ApplicationEvents::Id))
                    .col(integer(ApplicationEvents::ApplicationId))
                    .col(string(ApplicationEvents::Status))
                    .col(string(ApplicationEvents::Actor))
                    .col(string_null(ApplicationEvents::Note))
                    .col(big_integer(ApplicationEvents::At))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ApplicationEvents::Table, ApplicationEvents::ApplicationId)
                            .to(Applications::Table, Applications::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("application_events_application")
                    .table(ApplicationEvents::Table)
                    .col(ApplicationEvents::ApplicationId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ApplicationDrafts::Table)
                    .col(pk_auto(ApplicationDrafts::Id))
                    .col(integer(ApplicationDrafts::TenantId))
                    .col(integer(ApplicationDrafts::StudentId))
                    .col(string(ApplicationDrafts::Key))
                    .col(text(ApplicationDrafts::Request))
                    .col(big_integer(ApplicationDrafts::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ApplicationDrafts::Table, ApplicationDrafts::StudentId)
                            .to(Students::Table, Students::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("application_drafts_key")
                    .table(ApplicationDrafts::Table)
                    .col(ApplicationDrafts::Key)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ApplicationDrafts::Table.into_iden(),
            ApplicationEvents::Table.into_iden(),
            ApplicationLines::Table.into_iden(),
            Applications::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
