use crate::i18n::FieldMsg;
use serde::{Deserialize, Serialize};

/// An email address in the plain `local@domain` form that mail systems of universities and
/// phone carriers accept. Stored lower-cased, so one address cannot be registered twice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub const MAX_LEN: usize = 254;

    pub fn parse(input: &str) -> Result<Self, FieldMsg> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(FieldMsg::Required);
        }
        if !trimmed.is_ascii() {
            // Japanese input methods often leave a full-width ＠ or letters behind.
            return Err(FieldMsg::EmailFullWidth);
        }
        if trimmed.len() > Self::MAX_LEN {
            return Err(FieldMsg::EmailTooLong);
        }
        let (local, domain) = trimmed.split_once('@').ok_or(FieldMsg::EmailInvalid)?;
        if !local_part_is_valid(local) || !domain_is_valid(domain) {
            return Err(FieldMsg::EmailInvalid);
        }
        Ok(Self(trimmed.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn local_part_is_valid(local: &str) -> bool {
    // Japanese carriers issued addresses with consecutive or trailing dots for years, so
    // dots are not policed beyond "not only dots".
    !local.is_empty()
        && local.len() <= 64
        && local.chars().any(|c| c != '.')
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c))
}

fn domain_is_valid(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// The confirmation field must repeat the address exactly (after trimming).
pub fn emails_match(address: &str, confirmation: &str) -> Result<(), FieldMsg> {
    if confirmation.trim().is_empty() {
        Err(FieldMsg::Required)
    } else if address.trim().eq_ignore_ascii_case(confirmation.trim()) {
        Ok(())
    } else {
        Err(FieldMsg::EmailMismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_address_is_accepted_and_lower_cased() {
        let email = EmailAddress::parse(" Hanako.Yamada@Example.AC.jp ").unwrap();
        assert_eq!(email.as_str(), "hanako.yamada@example.ac.jp");
    }

    #[test]
    fn a_full_width_at_sign_gets_its_own_message() {
        assert_eq!(
            EmailAddress::parse("hanako＠example.ac.jp"),
            Err(FieldMsg::EmailFullWidth)
        );
    }

    #[test]
    fn addresses_without_a_domain_are_refused() {
        for bad in [
            "hanako",
            "hanako@",
            "@example.jp",
            "hanako@localhost",
            "a@b..jp",
        ] {
            assert_eq!(
                EmailAddress::parse(bad),
                Err(FieldMsg::EmailInvalid),
                "{bad}"
            );
        }
    }

    #[test]
    fn an_empty_address_is_required() {
        assert_eq!(EmailAddress::parse(""), Err(FieldMsg::Required));
    }

    #[test]
    fn an_overlong_address_is_refused() {
        let long = format!("{}@example.ac.jp", "a".repeat(250));
        assert_eq!(EmailAddress::parse(&long), Err(FieldMsg::EmailTooLong));
    }

    #[test]
    fn a_confirmation_that_differs_is_refused() {
        assert_eq!(
            emails_match("a@example.jp", "b@example.jp"),
            Err(FieldMsg::EmailMismatch)
        );
        assert_eq!(emails_match("a@example.jp", "A@example.jp "), Ok(()));
    }
}
