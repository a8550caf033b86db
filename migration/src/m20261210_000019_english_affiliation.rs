//! The registry keeps the faculty's and department's names in English too (issue #16,
//! certificates in English): an English certificate prints them, where the registry has them.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Students {
    Table,
    FacultyEn,
    DepartmentEn,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one column at a time.
        for column in [Students::FacultyEn, Students::DepartmentEn] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Students::Table)
                        .add_column(string_null(column))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Students::FacultyEn, Students::DepartmentEn] {
            manager
                .alter_table(Table::alter().table(Students::Table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
