use crate::i18n::FieldMsg;
use serde::{Deserialize, Serialize};

/// A university user ID as typed at login. The directory decides whether it exists; this
/// type only refuses what no directory could hold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserId(String);

impl UserId {
    pub const MAX_LEN: usize = 64;

    pub fn parse(input: &str) -> Result<Self, FieldMsg> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(FieldMsg::Required);
        }
        if trimmed.chars().count() > Self::MAX_LEN
            || trimmed.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(FieldMsg::UserIdInvalid);
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key user IDs are compared by: university directories treat them case-insensitively.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surrounding_spaces_are_dropped() {
        assert_eq!(UserId::parse("  s2401001 ").unwrap().as_str(), "s2401001");
    }

    #[test]
    fn an_empty_user_id_is_required() {
        assert_eq!(UserId::parse("   "), Err(FieldMsg::Required));
    }

    #[test]
    fn inner_spaces_and_overlong_ids_are_refused() {
        assert_eq!(UserId::parse("a b"), Err(FieldMsg::UserIdInvalid));
        assert_eq!(UserId::parse(&"a".repeat(65)), Err(FieldMsg::UserIdInvalid));
    }

    #[test]
    fn the_key_ignores_case() {
        assert_eq!(UserId::parse("S2401001").unwrap().key(), "s2401001");
    }
}
