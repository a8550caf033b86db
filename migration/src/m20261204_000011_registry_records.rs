//! What certificates are made of (issue #16): the registry's students gain their degree's name
//! and the fiscal year of their last cleared health check-up, and each student's course
//! results (for transcripts) are kept as the university's grade file gives them.

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
    DegreeName,
    DegreeNameEn,
    HealthCheckYear,
}

#[derive(DeriveIden)]
enum CourseResults {
    Table,
    Id,
    TenantId,
    StudentId,
    /// 年度: the fiscal year the course was taken.
    FiscalYear,
    /// 学期, as the university writes it (前期, 後期, 通年, …).
    Term,
    CourseJa,
    CourseEn,
    Credits,
    /// 評価, as the university writes it (S, A, 秀, 優, 認定, …).
    Grade,
    /// 科目区分 (必修, 選択, 教養, …).
    Category,
    /// The row's place in the student's results, as the file gave them.
    Position,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one column at a time.
        for column in [
            string_null(Students::DegreeName),
            string_null(Students::DegreeNameEn),
            integer_null(Students::HealthCheckYear),
        ] {
            manager
                .alter_table(Table::alter().table(Students::Table).add_column(column).to_owned())
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(CourseResults::Table)
                    .col(pk_auto(CourseResults::Id))
                    .col(integer(CourseResults::TenantId))
                    .col(integer(CourseResults::StudentId))
                    .col(integer(CourseResults::FiscalYear))
                    .col(string(CourseResults::Term))
                    .col(string(CourseResults::CourseJa))
                    .col(string_null(CourseResults::CourseEn))
                    .col(integer(CourseResults::Credits))
                    .col(string(CourseResults::Grade))
                    .col(string(CourseResults::Category))
                    .col(integer(CourseResults::Position))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CourseResults::Table, CourseResults::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CourseResults::Table, CourseResults::StudentId)
                            .to(Students::Table, Students::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("course_results_student")
                    .table(CourseResults::Table)
                    .col(CourseResults::StudentId)
                    .col(CourseResults::Position)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(CourseResults::Table).to_owned()).await?;
        for column in [
            Students::HealthCheckYear,
            Students::DegreeNameEn,
            Students::DegreeName,
        ] {
            manager
                .alter_table(Table::alter().table(Students::Table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
