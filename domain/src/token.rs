use crate::i18n::CommonMsg;
use serde::{Deserialize, Serialize};

/// The secret part of a one-time URL: 32 random bytes, base64url without padding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OneTimeToken(String);

impl OneTimeToken {
    pub const ENCODED_LEN: usize = 43;

    pub fn parse(input: &str) -> Result<Self, CommonMsg> {
        let trimmed = input.trim();
        if trimmed.len() == Self::ENCODED_LEN
            && trimmed.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            Ok(Self(trimmed.to_owned()))
        } else {
            Err(CommonMsg::LinkUnknown)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_of_the_right_shape_is_accepted() {
        let raw = "A".repeat(43);
        assert_eq!(OneTimeToken::parse(&raw).unwrap().as_str(), raw);
    }

    #[test]
    fn truncated_or_foreign_tokens_are_unknown() {
        assert_eq!(OneTimeToken::parse("abc"), Err(CommonMsg::LinkUnknown));
        assert_eq!(
            OneTimeToken::parse(&format!("{}=", "A".repeat(42))),
            Err(CommonMsg::LinkUnknown)
        );
    }
}
