//! The parsers behind every form field (user ID, email address, second password under both
//! policies, with the server's blocklist and identifier checks) on any text: no panic, and
//! what one accepts it accepts again unchanged.
#![no_main]

use backend::account::password_rules::{check, Identifiers};
use domain::{emails_match, passwords_match, EmailAddress, PasswordPolicy, SecondPassword, UserId};
use libfuzzer_sys::fuzz_target;
use secrecy::ExposeSecret;

fuzz_target!(|input: (&str, &str)| {
    let (text, other) = input;
    if let Ok(email) = EmailAddress::parse(text) {
        assert!(email.as_str().is_ascii() && email.as_str().contains('@'));
        assert_eq!(EmailAddress::parse(email.as_str()).as_ref(), Ok(&email));
    }
    let _ = emails_match(text, other);
    if let Ok(user_id) = UserId::parse(text) {
        assert!(user_id.as_str().chars().count() <= UserId::MAX_LEN);
        assert_eq!(UserId::parse(user_id.as_str()).as_ref(), Ok(&user_id));
        // The key IDs are compared by does not change when taken again.
        assert_eq!(user_id.key(), user_id.key().to_lowercase());
    }
    let identifiers = Identifiers {
        user_id_key: other,
        student_number: Some(other),
    };
    for policy in [PasswordPolicy::Manual, PasswordPolicy::Long] {
        if let Ok(password) = SecondPassword::parse_under(policy, text) {
            let accepted = password.secret().expose_secret();
            assert!(SecondPassword::parse_under(policy, accepted).is_ok());
        }
        if let Ok(password) = check(policy, text, &identifiers) {
            let accepted = password.secret().expose_secret();
            assert!(!accepted.eq_ignore_ascii_case(other) || other.is_empty());
        }
    }
    let _ = passwords_match(text, other);
});
