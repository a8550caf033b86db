use sea_orm::entity::prelude::*;

/// One course a student took, as the university's grade file gives it (for transcripts).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "course_results")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    pub student_id: i32,
    /// 年度.
    pub fiscal_year: i32,
    /// 学期, as the university writes it.
    pub term: String,
    pub course_ja: String,
    pub course_en: Option<String>,
    pub credits: i32,
    /// 評価, as the university writes it.
    pub grade: String,
    /// 科目区分.
    pub category: String,
    /// The term's and the category's names in English, for English transcripts.
    pub term_en: Option<String>,
    pub category_en: Option<String>,
    /// Its place among the student's results.
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
