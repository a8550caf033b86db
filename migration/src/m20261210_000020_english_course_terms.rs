//! Course results keep the term's and the category's names in English too (issue #16,
//! transcripts in English): an English transcript prints them, where the grade file gives them.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CourseResults {
    Table,
    TermEn,
    CategoryEn,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one column at a time.
        for column in [CourseResults::TermEn, CourseResults::CategoryEn] {
            manager
                .alter_table(
                    Table::alter()
                        .table(CourseResults::Table)
                        .add_column(string_null(column))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [CourseResults::TermEn, CourseResults::CategoryEn] {
            manager
                .alter_table(
                    Table::alter().table(CourseResults::Table).drop_column(column).to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
