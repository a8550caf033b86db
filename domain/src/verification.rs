//! What a verifier types or scans: a certificate's public document id (in the QR code's URL
//! and printed under it) and its verification code (printed, and in the URL's fragment).

use serde::{Deserialize, Serialize};

/// The 31 letters and digits codes are made of: no 0/O, 1/I/L, so what is read off paper is
/// typed right (upper case; typed in any case).
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// A certificate's public id: 20 characters of lower-case base32 (100 bits), as in
/// `/v/k3m9x2q7w4r8t6y5p2n4`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DocumentId(String);

impl DocumentId {
    pub const LEN: usize = 20;

    /// `None` unless `text` is 20 of `a-z2-7` (RFC 4648 base32, lower case).
    pub fn parse(text: &str) -> Option<Self> {
        is_base32(text, Self::LEN).then(|| Self(text.to_owned()))
    }

    /// An id from 100 random bits (the first 13 bytes' first 100).
    pub fn from_random(bytes: [u8; 13]) -> Self {
        Self(base32(&bytes, Self::LEN))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for DocumentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The first `len` characters of `bytes` in lower-case base32 (RFC 4648, no padding).
fn base32(bytes: &[u8], len: usize) -> String {
    const BASE32: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut out = String::with_capacity(len);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 && out.len() < len {
            bits -= 5;
            out.push(char::from(BASE32[((buffer >> bits) & 31) as usize]));
        }
    }
    out
}

fn is_base32(text: &str, len: usize) -> bool {
    text.len() == len && text.bytes().all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b))
}

/// The secret of a share's link (`/s/{token}`): 32 characters of lower-case base32 (160
/// bits). Whoever holds it sees the certificate until the share ends; never in a log.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareToken(String);

impl ShareToken {
    pub const LEN: usize = 32;

    pub fn parse(text: &str) -> Option<Self> {
        is_base32(text, Self::LEN).then(|| Self(text.to_owned()))
    }

    pub fn from_random(bytes: [u8; 20]) -> Self {
        Self(base32(&bytes, Self::LEN))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ShareToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ShareToken(…)")
    }
}

/// A certificate's verification code: 12 of 31 letters and digits (about 59 bits), printed
/// in groups of four (`K7MX-Q2WR-9TPA`). Typed in any case, with or without the hyphens and
/// spaces.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerificationCode(String);

impl VerificationCode {
    pub const LEN: usize = 12;

    pub fn parse(text: &str) -> Option<Self> {
        let compact: String = text
            .chars()
            .filter(|c| !matches!(c, '-' | ' ' | '\u{3000}' | 'ー' | '－'))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let valid =
            compact.len() == Self::LEN && compact.bytes().all(|b| CODE_ALPHABET.contains(&b));
        valid.then_some(Self(compact))
    }

    /// A code from 12 random bytes.
    pub fn from_random(bytes: [u8; 12]) -> Self {
        // 256 is not a multiple of 31: a byte's remainder favours the first eight letters by
        // 1/256, which costs less than a bit of the code's 59.
        let code = bytes
            .iter()
            .map(|b| char::from(CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()]))
            .collect();
        Self(code)
    }

    /// The twelve characters without hyphens (what is hashed).
    pub fn compact(&self) -> &str {
        &self.0
    }

    /// As printed: `K7MX-Q2WR-9TPA`.
    pub fn grouped(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        chars
            .chunks(4)
            .map(|group| group.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join("-")
    }
}

/// Never in a log: a code is as good as the certificate's data.
impl std::fmt::Debug for VerificationCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("VerificationCode(…)")
    }
}

/// Why a university revoked a certificate: a category, shown on the verification page in the
/// verifier's language (a free text could carry what the page must not show).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RevocationReason {
    /// What it printed was wrong.
    IssuedInError,
    /// A corrected certificate replaces it.
    Reissued,
    /// Its application was cancelled after issue.
    Cancelled,
    /// The student's registry status changed (a withdrawal, an expulsion).
    StatusChanged,
    /// It was used in a way the university did not allow.
    Misuse,
    Other,
}

impl RevocationReason {
    pub const ALL: [RevocationReason; 6] = [
        RevocationReason::IssuedInError,
        RevocationReason::Reissued,
        RevocationReason::Cancelled,
        RevocationReason::StatusChanged,
        RevocationReason::Misuse,
        RevocationReason::Other,
    ];

    /// What the database and the forms keep.
    pub fn code(self) -> &'static str {
        match self {
            RevocationReason::IssuedInError => "issued_in_error",
            RevocationReason::Reissued => "reissued",
            RevocationReason::Cancelled => "cancelled",
            RevocationReason::StatusChanged => "status_changed",
            RevocationReason::Misuse => "misuse",
            RevocationReason::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|reason| reason.code() == code)
    }

    pub fn msg(self) -> crate::i18n::CertificateMsg {
        use crate::i18n::CertificateMsg as M;
        match self {
            RevocationReason::IssuedInError => M::RevokedIssuedInError,
            RevocationReason::Reissued => M::RevokedReissued,
            RevocationReason::Cancelled => M::RevokedCancelled,
            RevocationReason::StatusChanged => M::RevokedStatusChanged,
            RevocationReason::Misuse => M::RevokedMisuse,
            RevocationReason::Other => M::RevokedOther,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_share_token_is_thirty_two_characters_of_base32_and_hidden_from_debug() {
        let token = ShareToken::from_random([0xab; 20]);
        assert_eq!(token.as_str().len(), 32);
        assert_eq!(ShareToken::parse(token.as_str()), Some(token.clone()));
        assert_eq!(ShareToken::parse("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), None);
        assert!(!format!("{token:?}").contains(token.as_str()));
    }

    #[test]
    fn a_revocation_reason_round_trips_through_its_code() {
        for reason in RevocationReason::ALL {
            assert_eq!(RevocationReason::from_code(reason.code()), Some(reason));
        }
        assert_eq!(RevocationReason::from_code("because"), None);
    }

    #[test]
    fn a_document_id_is_twenty_characters_of_lower_case_base32() {
        let id = DocumentId::from_random([0xff; 13]);
        assert_eq!(id.as_str(), "77777777777777777777");
        assert_eq!(DocumentId::parse(id.as_str()), Some(id));
        assert!(DocumentId::parse("abcdefghijklmnopqrst").is_some());
        for bad in [
            "abcdefghijklmnopqrs",
            "abcdefghijklmnopqrstu",
            "ABCDEFGHIJKLMNOPQRST",
            "abcdefghijklmnopqrs1",
            "../../etc/passwd",
        ] {
            assert_eq!(DocumentId::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_code_is_typed_in_any_case_with_or_without_hyphens_and_printed_in_fours() {
        let code = VerificationCode::parse("k7mx-q2wr 9tpa").unwrap();
        assert_eq!(code.compact(), "K7MXQ2WR9TPA");
        assert_eq!(code.grouped(), "K7MX-Q2WR-9TPA");
        assert_eq!(VerificationCode::parse("K7MXQ2WR9TPA"), Some(code));
    }

    #[test]
    fn a_code_with_a_letter_read_wrong_off_paper_or_of_the_wrong_length_is_refused() {
        for bad in [
            "K7MX-Q2WR-9TP0",
            "K7MX-Q2WR-9TPI",
            "K7MX-Q2WR-9TP",
            "K7MX-Q2WR-9TPAB",
            "",
        ] {
            assert!(VerificationCode::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn random_codes_parse_back() {
        let code = VerificationCode::from_random([200, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255]);
        assert_eq!(VerificationCode::parse(&code.grouped()), Some(code));
    }

    #[test]
    fn a_code_does_not_show_in_debug_output() {
        let code = VerificationCode::from_random([1; 12]);
        assert!(!format!("{code:?}").contains(code.compact()));
    }
}
