//! Top-ups through a payment gateway (issue #14): the student's top-ups and their states, the
//! gateway notices already handled, and the tables of the built-in development gateway (which
//! stands in for a provider's own records).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum TopUps {
    Table,
    Id,
    TenantId,
    StudentId,
    Reference,
    Amount,
    Method,
    State,
    Gateway,
    PaymentId,
    RedirectUrl,
    KonbiniNumber,
    KonbiniDeadline,
    DeclineReason,
    TransactionId,
    Lang,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PaymentNotices {
    Table,
    Id,
    NoticeId,
    ReceivedAt,
}

#[derive(DeriveIden)]
enum DevGatewayPayments {
    Table,
    Id,
    Reference,
    Amount,
    Method,
    State,
    DeclineReason,
    KonbiniNumber,
    Deadline,
    ReturnUrl,
    NotifyUrl,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DevGatewayNotices {
    Table,
    Id,
    NoticeId,
    PaymentId,
    NotifyUrl,
    Body,
    Attempts,
    NextAttemptAt,
    DeliveredAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TopUps::Table)
                    .col(pk_auto(TopUps::Id))
                    .col(integer(TopUps::TenantId))
                    .col(integer(TopUps::StudentId))
                    .col(string_uniq(TopUps::Reference))
                    .col(big_integer(TopUps::Amount).check(Expr::col(TopUps::Amount).gt(0)))
                    .col(string(TopUps::Method))
                    .col(string(TopUps::State))
                    .col(string(TopUps::Gateway))
                    .col(string_null(TopUps::PaymentId))
                    .col(string_null(TopUps::RedirectUrl))
                    .col(string_null(TopUps::KonbiniNumber))
                    .col(big_integer_null(TopUps::KonbiniDeadline))
                    .col(string_null(TopUps::DeclineReason))
                    .col(integer_null(TopUps::TransactionId))
                    .col(string(TopUps::Lang))
                    .col(big_integer(TopUps::CreatedAt))
                    .col(big_integer(TopUps::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(TopUps::Table, TopUps::TenantId)
                            .to(Tenants::Table, Tenants::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // A notice names the gateway's payment: found by index, and one top-up per payment.
        manager
            .create_index(
                Index::create()
                    .name("top_ups_gateway_payment_id")
                    .table(TopUps::Table)
                    .col(TopUps::Gateway)
                    .col(TopUps::PaymentId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("top_ups_tenant_student")
                    .table(TopUps::Table)
                    .col(TopUps::TenantId)
                    .col(TopUps::StudentId)
                    .col(TopUps::State)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PaymentNotices::Table)
                    .col(pk_auto(PaymentNotices::Id))
                    .col(string_uniq(PaymentNotices::NoticeId))
                    .col(big_integer(PaymentNotices::ReceivedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(DevGatewayPayments::Table)
                    .col(string(DevGatewayPayments::Id).primary_key())
                    .col(string(DevGatewayPayments::Reference))
                    .col(big_integer(DevGatewayPayments::Amount))
                    .col(string(DevGatewayPayments::Method))
                    .col(string(DevGatewayPayments::State))
                    .col(string_null(DevGatewayPayments::DeclineReason))
                    .col(string_null(DevGatewayPayments::KonbiniNumber))
                    .col(big_integer_null(DevGatewayPayments::Deadline))
                    .col(string(DevGatewayPayments::ReturnUrl))
                    .col(string(DevGatewayPayments::NotifyUrl))
                    .col(big_integer(DevGatewayPayments::CreatedAt))
                    .col(big_integer(DevGatewayPayments::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DevGatewayNotices::Table)
                    .col(pk_auto(DevGatewayNotices::Id))
                    .col(string(DevGatewayNotices::NoticeId))
                    .col(string(DevGatewayNotices::PaymentId))
                    .col(string(DevGatewayNotices::NotifyUrl))
                    .col(text(DevGatewayNotices::Body))
                    .col(integer(DevGatewayNotices::Attempts))
                    .col(big_integer(DevGatewayNotices::NextAttemptAt))
                    .col(big_integer_null(DevGatewayNotices::DeliveredAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("dev_gateway_notices_due")
                    .table(DevGatewayNotices::Table)
                    .col(DevGatewayNotices::DeliveredAt)
                    .col(DevGatewayNotices::NextAttemptAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            DevGatewayNotices::Table.into_iden(),
            DevGatewayPayments::Table.into_iden(),
            PaymentNotices::Table.into_iden(),
            TopUps::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
