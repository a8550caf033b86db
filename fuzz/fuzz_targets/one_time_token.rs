//! The parser of the token in a one-time URL on any text: it accepts exactly 43 characters of
//! base64url (after trimming) and nothing else, and never panics.
#![no_main]

use domain::OneTimeToken;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let trimmed = text.trim();
    let well_formed = trimmed.len() == OneTimeToken::ENCODED_LEN
        && trimmed.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    match OneTimeToken::parse(text) {
        Ok(token) => {
            assert!(well_formed, "accepted {text:?}");
            assert_eq!(token.as_str(), trimmed);
        }
        Err(_) => assert!(!well_formed, "refused {text:?}"),
    }
});
