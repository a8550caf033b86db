use domain::PasswordPolicy;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tenants")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub slug: String,
    pub name: String,
    pub name_en: Option<String>,
    pub notes_ja: Option<String>,
    pub notes_en: Option<String>,
    pub helpdesk_ja: Option<String>,
    pub helpdesk_en: Option<String>,
    pub token_ttl_seconds: Option<i64>,
    pub created_at: i64,
    /// Origins (space-separated) of the university portal that may frame the login page.
    pub portal_origins: Option<String>,
    /// `manual` or `long` (`PasswordPolicy::code`); none is the default, `manual`.
    pub password_policy: Option<PasswordPolicy>,
    /// What the university calls its student card (`M.I.C`); none: the card.
    pub card_name: Option<String>,
    /// The smallest and largest top-up, and the most a card may hold, in yen.
    pub top_up_min: i64,
    pub top_up_max: i64,
    pub balance_max: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
