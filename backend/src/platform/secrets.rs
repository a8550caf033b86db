//! Random secrets (session ids, one-time tokens, device cookies) and the digest under which
//! the database keeps them: a stolen table holds nothing a browser could present.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// 32 bytes from the operating system's CSPRNG, base64url without padding (43 characters).
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn sha256_hex(value: impl AsRef<[u8]>) -> String {
    Sha256::digest(value.as_ref()).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_43_characters_and_differ() {
        let a = random_secret();
        assert_eq!(a.len(), 43);
        assert!(domain::OneTimeToken::parse(&a).is_ok());
        assert_ne!(a, random_secret());
    }
}
