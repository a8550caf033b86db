//! Universities served by this deployment and their settings.

pub mod settings;

use crate::entities::tenant;
use crate::platform::clock::now_ms;
use crate::platform::settings::Settings;
use crate::platform::{storage, StorageError};
use domain::i18n::Lang;
use domain::{PasswordPolicy, TenantId, TenantSlug};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

#[derive(Clone, Debug, Default)]
pub struct NewTenant {
    pub slug: String,
    pub name: String,
    pub name_en: Option<String>,
    pub notes_ja: Option<String>,
    pub notes_en: Option<String>,
    pub helpdesk_ja: Option<String>,
    pub helpdesk_en: Option<String>,
    pub token_ttl_seconds: Option<i64>,
    /// Origins of the university portal allowed to frame the login page.
    pub portal_origins: Vec<String>,
    pub password_policy: Option<PasswordPolicy>,
}

/// Settings an operator changes on an existing university; `None` leaves one as it is.
#[derive(Clone, Debug, Default)]
pub struct TenantChanges {
    pub portal_origins: Option<Vec<String>>,
    pub password_policy: Option<PasswordPolicy>,
    /// What the university calls its card (`M.I.C`); an empty name goes back to the default.
    pub card_name: Option<String>,
    pub top_up_min: Option<i64>,
    pub top_up_max: Option<i64>,
    pub balance_max: Option<i64>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TenantError {
    #[error("a tenant slug is 2 to 32 characters of a-z, 0-9 and '-', starting with a letter")]
    BadSlug,
    #[error("the tenant name must not be empty")]
    EmptyName,
    #[error("a tenant with slug {0:?} already exists")]
    Exists(String),
    #[error("the token lifetime must be between 5 seconds and 7 days")]
    BadTokenTtl,
    #[error("{0:?} is not an origin like https://portal.example.ac.jp (scheme, host, optional port, no path)")]
    BadPortalOrigin(String),
    #[error("the top-up limits must be whole yen with 0 < minimum ≤ maximum ≤ maximum balance")]
    BadCardLimits,
    #[error("no tenant with slug {0:?}")]
    Unknown(String),
    #[error("storage failed")]
    Storage,
}

impl From<StorageError> for TenantError {
    fn from(StorageError: StorageError) -> Self {
        TenantError::Storage
    }
}

/// Checks and normalises portal origins to what browsers compare in `frame-ancestors`.
pub fn parse_portal_origins(origins: &[String]) -> Result<Vec<String>, TenantError> {
    origins
        .iter()
        .map(|text| {
            let bad = || TenantError::BadPortalOrigin(text.clone());
            let url = url::Url::parse(text.trim()).map_err(|_| bad())?;
            let bare = url.path() == "/"
                && url.query().is_none()
                && url.fragment().is_none()
                && url.username().is_empty();
            if !matches!(url.scheme(), "http" | "https") || !bare || url.host().is_none() {
                return Err(bad());
            }
            Ok(url.origin().ascii_serialization())
        })
        .collect()
}

/// The portal origins that may frame this university's login page.
pub fn portal_origins(tenant: &tenant::Model) -> Vec<&str> {
    tenant
        .portal_origins
        .as_deref()
        .unwrap_or_default()
        .split_whitespace()
        .collect()
}

pub fn id(tenant: &tenant::Model) -> TenantId {
    TenantId(tenant.id)
}

/// The university's rule for second passwords.
pub fn password_policy(tenant: &tenant::Model) -> PasswordPolicy {
    tenant.password_policy.unwrap_or_default()
}

/// Lifetime of this university's one-time URLs.
pub fn token_ttl_seconds(settings: &Settings, tenant: &tenant::Model) -> i64 {
    tenant.token_ttl_seconds.unwrap_or(settings.token_ttl_seconds)
}

/// What the university calls its student card (`M.I.C`), or the card, in `lang`.
pub fn card_name(tenant: &tenant::Model, lang: Lang) -> &str {
    match (&tenant.card_name, lang) {
        (Some(name), _) => name,
        (None, Lang::Ja) => "学生証",
        (None, Lang::En) => "student card",
    }
}

/// The university's name in `lang`, for mails.
pub fn display_name(tenant: &tenant::Model, lang: Lang) -> &str {
    match lang {
        Lang::En => tenant.name_en.as_deref().unwrap_or(&tenant.name),
        Lang::Ja => &tenant.name,
    }
}

pub async fn find(
    db: &impl ConnectionTrait,
    slug: &str,
) -> Result<Option<tenant::Model>, StorageError> {
    if !TenantSlug::is_valid(slug) {
        return Ok(None);
    }
    tenant::Entity::find()
        .filter(tenant::Column::Slug.eq(slug))
        .one(db)
        .await
        .map_err(storage("reading a tenant"))
}

pub async fn find_by_id(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<tenant::Model>, StorageError> {
    tenant::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(storage("reading a tenant"))
}

/// The tenant, or `Unknown` for a slug no university has.
pub async fn require(db: &impl ConnectionTrait, slug: &str) -> Result<tenant::Model, TenantError> {
    find(db, slug).await?.ok_or_else(|| TenantError::Unknown(slug.to_owned()))
}

pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<tenant::Model>, StorageError> {
    tenant::Entity::find()
        .order_by_asc(tenant::Column::Slug)
        .all(db)
        .await
        .map_err(storage("listing tenants"))
}

pub async fn add(db: &impl ConnectionTrait, new: NewTenant) -> Result<tenant::Model, TenantError> {
    if !TenantSlug::is_valid(&new.slug) {
        return Err(TenantError::BadSlug);
    }
    if new.name.trim().is_empty() {
        return Err(TenantError::EmptyName);
    }
    if new.token_ttl_seconds.is_some_and(|ttl| !(5..=7 * 24 * 3600).contains(&ttl)) {
        return Err(TenantError::BadTokenTtl);
    }
    if find(db, &new.slug).await?.is_some() {
        return Err(TenantError::Exists(new.slug));
    }
    let portal_origins = parse_portal_origins(&new.portal_origins)?;
    let non_empty = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    tenant::ActiveModel {
        slug: Set(new.slug),
        name: Set(new.name.trim().to_owned()),
        name_en: Set(non_empty(new.name_en)),
        notes_ja: Set(non_empty(new.notes_ja)),
        notes_en: Set(non_empty(new.notes_en)),
        helpdesk_ja: Set(non_empty(new.helpdesk_ja)),
        helpdesk_en: Set(non_empty(new.helpdesk_en)),
        token_ttl_seconds: Set(new.token_ttl_seconds),
        portal_origins: Set(Some(portal_origins.join(" ")).filter(|o| !o.is_empty())),
        password_policy: Set(new.password_policy),
        created_at: Set(now_ms()),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|err| {
        tracing::error!(error = %err, "adding a tenant");
        TenantError::Storage
    })
}

pub async fn change(
    db: &impl ConnectionTrait,
    slug: &str,
    changes: TenantChanges,
) -> Result<tenant::Model, TenantError> {
    let found = require(db, slug).await?;
    let found_limits = (found.top_up_min, found.top_up_max, found.balance_max);
    let mut update: tenant::ActiveModel = found.into();
    if let Some(origins) = changes.portal_origins {
        let origins = parse_portal_origins(&origins)?;
        update.portal_origins = Set(Some(origins.join(" ")).filter(|o| !o.is_empty()));
    }
    if let Some(policy) = changes.password_policy {
        update.password_policy = Set(Some(policy));
    }
    if let Some(name) = changes.card_name {
        update.card_name = Set(Some(name.trim().to_owned()).filter(|n| !n.is_empty()));
    }
    let min = changes.top_up_min.unwrap_or(found_limits.0);
    let max = changes.top_up_max.unwrap_or(found_limits.1);
    let balance_max = changes.balance_max.unwrap_or(found_limits.2);
    if !(0 < min && min <= max && max <= balance_max && balance_max <= 10_000_000) {
        return Err(TenantError::BadCardLimits);
    }
    update.top_up_min = Set(min);
    update.top_up_max = Set(max);
    update.balance_max = Set(balance_max);
    update.update(db).await.map_err(|err| {
        tracing::error!(error = %err, "changing a tenant");
        TenantError::Storage
    })
}

#[cfg(test)]
mod tests {
    use super::{parse_portal_origins, TenantError};

    #[test]
    fn portal_origins_are_bare_origins() {
        let ok = parse_portal_origins(&[
            "https://portal.example.ac.jp/".into(),
            "http://127.0.0.1:8080".into(),
        ]);
        assert_eq!(
            ok.unwrap(),
            ["https://portal.example.ac.jp", "http://127.0.0.1:8080"]
        );
        for bad in [
            "https://portal.example/login",
            "portal.example",
            "javascript:alert(1)",
            "https://a.example *",
        ] {
            assert!(
                matches!(
                    parse_portal_origins(&[bad.into()]),
                    Err(TenantError::BadPortalOrigin(_))
                ),
                "{bad}"
            );
        }
    }
}
