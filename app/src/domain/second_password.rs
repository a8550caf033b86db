use crate::i18n::Msg;
use secrecy::{ExposeSecret, SecretString};

/// The service's own password, following the manual's rule: half-width, at least 8
/// characters, mixing upper case, lower case and digits. Checks that need the directory
/// (not the university password) or the account (not the user ID) are the server's.
#[derive(Clone, Debug)]
pub struct SecondPassword(SecretString);

impl SecondPassword {
    pub const MIN_LEN: usize = 8;
    /// Bounds the work a single hash can cost.
    pub const MAX_LEN: usize = 128;

    pub fn parse(input: &str) -> Result<Self, Msg> {
        if input.is_empty() {
            return Err(Msg::Required);
        }
        if !input.chars().all(|c| c.is_ascii_graphic()) {
            return Err(Msg::PasswordNotHalfWidth);
        }
        if input.len() < Self::MIN_LEN {
            return Err(Msg::PasswordTooShort);
        }
        if input.len() > Self::MAX_LEN {
            return Err(Msg::PasswordTooLong);
        }
        let has_upper = input.chars().any(|c| c.is_ascii_uppercase());
        let has_lower = input.chars().any(|c| c.is_ascii_lowercase());
        let has_digit = input.chars().any(|c| c.is_ascii_digit());
        if !(has_upper && has_lower && has_digit) {
            return Err(Msg::PasswordNeedsMix);
        }
        Ok(Self(SecretString::from(input.to_owned())))
    }

    pub fn secret(&self) -> &SecretString {
        &self.0
    }

    pub fn equals_ignoring_case(&self, other: &str) -> bool {
        self.0.expose_secret().eq_ignore_ascii_case(other)
    }
}

/// The confirmation field must repeat the password exactly.
pub fn passwords_match(password: &str, confirmation: &str) -> Result<(), Msg> {
    if confirmation.is_empty() {
        Err(Msg::Required)
    } else if password == confirmation {
        Ok(())
    } else {
        Err(Msg::PasswordMismatch)
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
            Msg::PasswordTooShort
        );
    }

    #[test]
    fn a_password_without_each_kind_of_character_is_refused() {
        for bad in ["shomei2026", "SHOMEI2026", "ShomeiShomei"] {
            assert_eq!(
                SecondPassword::parse(bad).unwrap_err(),
                Msg::PasswordNeedsMix,
                "{bad}"
            );
        }
    }

    #[test]
    fn full_width_characters_and_spaces_are_refused() {
        assert_eq!(
            SecondPassword::parse("Ｓhomei2026").unwrap_err(),
            Msg::PasswordNotHalfWidth
        );
        assert_eq!(
            SecondPassword::parse("Shomei 2026").unwrap_err(),
            Msg::PasswordNotHalfWidth
        );
    }

    #[test]
    fn an_overlong_password_is_refused() {
        let long = format!("Aa1{}", "x".repeat(200));
        assert_eq!(
            SecondPassword::parse(&long).unwrap_err(),
            Msg::PasswordTooLong
        );
    }

    #[test]
    fn a_confirmation_must_repeat_the_password_exactly() {
        assert_eq!(
            passwords_match("Shomei2026", "shomei2026"),
            Err(Msg::PasswordMismatch)
        );
        assert_eq!(passwords_match("Shomei2026", "Shomei2026"), Ok(()));
    }
}
