//! Applications paid through the payment gateway (issue #16, point 3): an application says
//! how it is paid (`pay_by`: the card's balance, a credit card, a konbini slip), and the
//! gateway's payment of one is a row of `top_ups` that names it (`application_id`, one payment
//! per application). A cancelled application paid that way is refunded through the gateway:
//! the refund is written as due in the cancellation's transaction and sent by a worker until
//! the gateway takes it (`refund_state`: due → done).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Applications {
    Table,
    /// A `PayBy` code.
    PayBy,
}

#[derive(DeriveIden)]
enum TopUps {
    Table,
    ApplicationId,
    /// `due` once a refund is owed, `done` once the gateway took it; null: none.
    RefundState,
    RefundAttempts,
    RefundNextAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one change at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(Applications::Table)
                    .add_column(string(Applications::PayBy).default("balance"))
                    .to_owned(),
            )
            .await?;
        let top_up_columns = [
            integer_null(TopUps::ApplicationId),
            string_null(TopUps::RefundState),
            integer(TopUps::RefundAttempts).default(0).to_owned(),
            big_integer_null(TopUps::RefundNextAt),
        ];
        for column in top_up_columns {
            manager
                .alter_table(Table::alter().table(TopUps::Table).add_column(column).to_owned())
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("top_ups_application")
                    .table(TopUps::Table)
                    .col(TopUps::ApplicationId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("top_ups_refund_state")
                    .table(TopUps::Table)
                    .col(TopUps::RefundState)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for index in ["top_ups_refund_state", "top_ups_application"] {
            manager
                .drop_index(Index::drop().name(index).table(TopUps::Table).to_owned())
                .await?;
        }
        for column in [
            TopUps::RefundNextAt,
            TopUps::RefundAttempts,
            TopUps::RefundState,
            TopUps::ApplicationId,
        ] {
            manager
                .alter_table(Table::alter().table(TopUps::Table).drop_column(column).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Applications::Table)
                    .drop_column(Applications::PayBy)
                    .to_owned(),
            )
            .await
    }
}
