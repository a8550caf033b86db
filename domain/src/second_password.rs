use crate::i18n::FieldMsg;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

/// Which rule a university's second passwords follow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "db",
    derive(sea_orm::DeriveValueType),
    sea_orm(value_type = "String")
)]
pub enum PasswordPolicy {
    /// The manual's rule: half-width, at least 8 characters, upper case, lower case and
    /// digits mixed. Students and help desks know it from the manual.
    #[default]
    Manual,
    /// OWASP ASVS 5.0 / NIST SP 800-63B-4: at least 15 characters of any kind, no
    /// composition rules.
    Long,
}

impl PasswordPolicy {
    pub fn code(self) -> &'static str {
        match self {
            PasswordPolicy::Manual => "manual",
            PasswordPolicy::Long => "long",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "manual" => Some(PasswordPolicy::Manual),
            "long" => Some(PasswordPolicy::Long),
            _ => None,
        }
    }

    /// The rule as the form shows it under the field.
    pub fn hint(self) -> FieldMsg {
        match self {
            PasswordPolicy::Manual => FieldMsg::SecondPasswordRule,
            PasswordPolicy::Long => FieldMsg::SecondPasswordRuleLong,
        }
    }
}

/// The service's own password under the university's policy. Checks that need the directory
/// (not the university password), the account (not the user ID or student number) or the
/// blocklist of common passwords are the server's.
#[derive(Clone, Debug)]
pub struct SecondPassword(SecretString);

impl SecondPassword {
    pub const MIN_LEN: usize = 8;
    pub const MIN_LEN_LONG: usize = 15;
    /// Bounds the work a single hash can cost.
    pub const MAX_LEN: usize = 128;

    /// Parses under the manual's rule.
    pub fn parse(input: &str) -> Result<Self, FieldMsg> {
        Self::parse_under(PasswordPolicy::Manual, input)
    }

    pub fn parse_under(policy: PasswordPolicy, input: &str) -> Result<Self, FieldMsg> {
        if input.is_empty() {
            return Err(FieldMsg::Required);
        }
        if policy == PasswordPolicy::Long {
            return Self::parse_long(input);
        }
        if !input.chars().all(|c| c.is_ascii_graphic()) {
            return Err(FieldMsg::PasswordNotHalfWidth);
        }
        if input.len() < Self::MIN_LEN {
            return Err(FieldMsg::PasswordTooShort);
        }
        if input.len() > Self::MAX_LEN {
            return Err(FieldMsg::PasswordTooLong);
        }
        let has_upper = input.chars().any(|c| c.is_ascii_uppercase());
        let has_lower = input.chars().any(|c| c.is_ascii_lowercase());
        let has_digit = input.chars().any(|c| c.is_ascii_digit());
        if !(has_upper && has_lower && has_digit) {
            return Err(FieldMsg::PasswordNeedsMix);
        }
        Ok(Self(SecretString::from(input.to_owned())))
    }

    /// Any characters, spaces and kana included, counted as characters, not bytes; only
    /// control characters are refused (they cannot be typed the same way twice).
    fn parse_long(input: &str) -> Result<Self, FieldMsg> {
        if input.chars().any(char::is_control) {
            return Err(FieldMsg::PasswordHasControl);
        }
        let length = input.chars().count();
        if length < Self::MIN_LEN_LONG {
            return Err(FieldMsg::PasswordTooShortLong);
        }
        if length > Self::MAX_LEN {
            return Err(FieldMsg::PasswordTooLong);
        }
        Ok(Self(SecretString::from(input.to_owned())))
    }

    pub fn secret(&self) -> &SecretString {
        &self.0
    }
}

/// The confirmation field must repeat the password exactly.
pub fn passwords_match(password: &str, confirmation: &str) -> Result<(), FieldMsg> {
    if confirmation.is_empty() {
        Err(FieldMsg::Required)
    } else if password == confirmation {
        Ok(())
    } else {
        Err(FieldMsg::PasswordMismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_mixing_cases_and_digits_is_accepted() {
        assert!(SecondPassword::parse("Shomei2026").is_ok());
    }

    #[test]
    fn a_short_password_is_refused() {
        assert_eq!(
            SecondPassword::parse("Ab1").unwrap_err(),
            FieldMsg::PasswordTooShort
        );
    }

    #[test]
    fn a_password_without_each_kind_of_character_is_refused() {
        for bad in ["shomei2026", "SHOMEI2026", "ShomeiShomei"] {
            assert_eq!(
                SecondPassword::parse(bad).unwrap_err(),
                FieldMsg::PasswordNeedsMix,
                "{bad}"
            );
        }
    }

    #[test]
    fn full_width_characters_and_spaces_are_refused() {
        assert_eq!(
            SecondPassword::parse("Ｓhomei2026").unwrap_err(),
            FieldMsg::PasswordNotHalfWidth
        );
        assert_eq!(
            SecondPassword::parse("Shomei 2026").unwrap_err(),
            FieldMsg::PasswordNotHalfWidth
        );
    }

    #[test]
    fn an_overlong_password_is_refused() {
        let long = format!("Aa1{}", "x".repeat(200));
        assert_eq!(
            SecondPassword::parse(&long).unwrap_err(),
            FieldMsg::PasswordTooLong
        );
    }

    #[test]
    fn the_long_policy_wants_fifteen_characters_of_any_kind_and_no_mix() {
        let policy = PasswordPolicy::Long;
        assert_eq!(
            SecondPassword::parse_under(policy, "Shomei2026").unwrap_err(),
            FieldMsg::PasswordTooShortLong
        );
        assert!(SecondPassword::parse_under(policy, "correct horse battery").is_ok());
        assert!(SecondPassword::parse_under(policy, "しょうめいのぱすわーどです").is_err());
        assert!(SecondPassword::parse_under(policy, "しょうめいのながいぱすわーどです").is_ok());
        assert_eq!(
            SecondPassword::parse_under(policy, "tab\tinside a long one").unwrap_err(),
            FieldMsg::PasswordHasControl
        );
    }

    #[test]
    fn a_confirmation_must_repeat_the_password_exactly() {
        assert_eq!(
            passwords_match("Shomei2026", "shomei2026"),
            Err(FieldMsg::PasswordMismatch)
        );
        assert_eq!(passwords_match("Shomei2026", "Shomei2026"), Ok(()));
    }
}
