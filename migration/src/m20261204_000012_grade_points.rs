//! A university's GPA rule (issue #16): the grade points of each grade (評価) its transcripts
//! count. Grades without points (認定, …) earn credits but do not enter the GPA.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum GradePoints {
    Table,
    TenantId,
    Grade,
    /// The grade's points in hundredths (4.00 is 400): exact, never a float.
    Hundredths,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(GradePoints::Table)
                    .col(integer(GradePoints::TenantId))
                    .col(string(GradePoints::Grade))
                    .col(integer(GradePoints::Hundredths))
                    .primary_key(Index::create().col(GradePoints::TenantId).col(GradePoints::Grade))
                    .foreign_key(
                        ForeignKey::create()
                            .from(GradePoints::Table, GradePoints::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(GradePoints::Table).to_owned()).await
    }
}
