//! Ids that cross from one context to another: a bare `i32` says nothing of whose id it is.

use serde::{Deserialize, Serialize};

/// A university of this deployment (the `tenants` row).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TenantId(pub i32);

/// A student's account with this service (the `accounts` row).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AccountId(pub i32);

/// A student of a university's registry (the `students` row): whose card a balance is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StudentId(pub i32);

/// A university's name in addresses (`/demo/login`): 2 to 32 characters of a–z, 0–9 and `-`,
/// starting with a letter.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TenantSlug(String);

impl TenantSlug {
    pub fn parse(text: &str) -> Option<TenantSlug> {
        Self::is_valid(text).then(|| TenantSlug(text.to_owned()))
    }

    pub fn is_valid(text: &str) -> bool {
        (2..=32).contains(&text.len())
            && text.starts_with(|c: char| c.is_ascii_lowercase())
            && text.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for TenantSlug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::TenantSlug;

    #[test]
    fn slugs_are_short_lower_case_words() {
        assert!(TenantSlug::parse("demo").is_some());
        assert!(TenantSlug::parse("osaka-u2").is_some());
        for bad in ["Demo", "2demo", "d", "de mo", "demo/x", ""] {
            assert!(TenantSlug::parse(bad).is_none(), "{bad}");
        }
    }
}
