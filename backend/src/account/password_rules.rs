//! The server's checks of a new second password beyond the shared parser: the university's
//! policy, the blocklist of common passwords, and the student's own identifiers.

use domain::i18n::FieldMsg;
use domain::{PasswordPolicy, SecondPassword};
use secrecy::ExposeSecret;
use std::collections::HashSet;
use std::sync::LazyLock;

static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../data/common-passwords.txt")
        .lines()
        .filter(|line| !line.is_empty())
        .collect()
});

/// Whether `password` is among the 10,000 most common passwords, ignoring case.
pub fn is_common(password: &str) -> bool {
    COMMON.contains(password.to_lowercase().as_str())
}

/// The student's identifiers a second password must not repeat.
pub struct Identifiers<'a> {
    pub user_id_key: &'a str,
    pub student_number: Option<&'a str>,
}

/// Parses under `policy` and refuses common passwords and the student's identifiers, with
/// the message that says which rule was broken.
pub fn check(
    policy: PasswordPolicy,
    input: &str,
    identifiers: &Identifiers<'_>,
) -> Result<SecondPassword, FieldMsg> {
    let candidate = SecondPassword::parse_under(policy, input)?;
    let text = candidate.secret().expose_secret();
    if text.eq_ignore_ascii_case(identifiers.user_id_key) {
        return Err(FieldMsg::PasswordEqualsUserId);
    }
    if identifiers
        .student_number
        .is_some_and(|number| !number.is_empty() && text.eq_ignore_ascii_case(number))
    {
        return Err(FieldMsg::PasswordEqualsStudentNumber);
    }
    if is_common(text) {
        return Err(FieldMsg::PasswordCommon);
    }
    Ok(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STUDENT: Identifiers<'static> = Identifiers {
        user_id_key: "s2400123",
        student_number: Some("24A0123X"),
    };

    fn refusal(policy: PasswordPolicy, input: &str) -> Option<FieldMsg> {
        check(policy, input, &STUDENT).err()
    }

    #[test]
    fn the_list_holds_ten_thousand_passwords() {
        assert_eq!(COMMON.len(), 10_000);
        assert!(is_common("password"));
    }

    #[test]
    fn a_common_password_is_refused_whatever_its_case() {
        assert_eq!(
            refusal(PasswordPolicy::Manual, "Password1"),
            Some(FieldMsg::PasswordCommon)
        );
        assert_eq!(
            refusal(PasswordPolicy::Manual, "Qwerty123"),
            Some(FieldMsg::PasswordCommon)
        );
    }

    #[test]
    fn the_user_id_and_the_student_number_are_refused() {
        let with_upper = Identifiers {
            user_id_key: "abcdef12x",
            student_number: Some("Ab12Cd34Ef"),
        };
        let refused = |input| check(PasswordPolicy::Manual, input, &with_upper).err();
        assert_eq!(refused("ABCdef12x"), Some(FieldMsg::PasswordEqualsUserId));
        assert_eq!(
            refused("aB12cD34eF"),
            Some(FieldMsg::PasswordEqualsStudentNumber)
        );
    }

    #[test]
    fn the_long_policy_also_refuses_common_passwords() {
        // One of the few listed passwords of 15 characters.
        assert_eq!(
            refusal(PasswordPolicy::Long, "mailcreated5240"),
            Some(FieldMsg::PasswordCommon)
        );
        assert_eq!(
            refusal(PasswordPolicy::Long, "Shomei2026"),
            Some(FieldMsg::PasswordTooShortLong)
        );
        assert_eq!(
            refusal(PasswordPolicy::Long, "a walk along the kamo river"),
            None
        );
    }

    #[test]
    fn an_uncommon_password_under_the_manual_rule_passes() {
        assert_eq!(refusal(PasswordPolicy::Manual, "Kamogawa2026"), None);
    }
}
