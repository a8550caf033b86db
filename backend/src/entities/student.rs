use crate::platform::passwords::PasswordHash;
use domain::StudentStatus;
use sea_orm::entity::prelude::*;

/// A row of the university's student registry (the directory for deployments without LDAP).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "students")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    pub user_id: String,
    pub user_id_key: String,
    pub name: String,
    pub name_kana: Option<String>,
    pub name_en: Option<String>,
    pub student_number: Option<String>,
    pub faculty: Option<String>,
    pub department: Option<String>,
    /// The faculty's and department's names in English, for English certificates.
    pub faculty_en: Option<String>,
    pub department_en: Option<String>,
    pub status: StudentStatus,
    pub birth_date: Option<String>,
    pub admission_date: Option<String>,
    pub graduation_date: Option<String>,
    pub password_hash: PasswordHash,
    pub updated_at: i64,
    /// The number on the student card, read by campus machines.
    pub card_number: Option<String>,
    /// The degree conferred or to be conferred (学士（文学）), as certificates print it.
    pub degree_name: Option<String>,
    pub degree_name_en: Option<String>,
    /// The fiscal year (年度) of the last health check-up recorded as cleared.
    pub health_check_year: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
