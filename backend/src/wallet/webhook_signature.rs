//! Signed notices as Standard Webhooks signs them: `webhook-id`, `webhook-timestamp` (Unix
//! seconds) and `webhook-signature: v1,<base64 of HMAC-SHA256 over "id.timestamp.body">`,
//! accepted within five minutes of the timestamp. The development gateway signs with it; a
//! real provider's adapter may use it or its own scheme.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;

/// How far a notice's timestamp may be from now, either way.
pub const TOLERANCE_SECONDS: i64 = 5 * 60;

/// The headers of a signed notice and its body, as received.
#[derive(Clone, Copy, Debug)]
pub struct SignedNotice<'a> {
    pub id: &'a str,
    pub timestamp: &'a str,
    pub signature: &'a str,
    pub body: &'a [u8],
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the signature does not match")]
    BadSignature,
    #[error("the timestamp is missing or more than five minutes away")]
    Stale,
}

/// The key: a `whsec_` secret is base64 after its prefix (as Standard Webhooks writes it);
/// any other text is used as it is.
fn key(secret: &SecretString) -> Vec<u8> {
    let secret = secret.expose_secret();
    secret
        .strip_prefix("whsec_")
        .and_then(|encoded| STANDARD.decode(encoded).ok())
        .unwrap_or_else(|| secret.as_bytes().to_vec())
}

fn mac(secret: &SecretString, id: &str, timestamp: &str, body: &[u8]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(&key(secret)).expect("HMAC takes any key length");
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The `webhook-signature` value for a notice.
pub fn sign(secret: &SecretString, id: &str, timestamp: i64, body: &[u8]) -> String {
    let tag = mac(secret, id, &timestamp.to_string(), body).finalize().into_bytes();
    format!("v1,{}", STANDARD.encode(tag))
}

/// Checks the timestamp, then the signature (any of the space-separated `v1,` values, in
/// constant time), before anything in the body is read.
pub fn verify(
    secret: &SecretString,
    notice: SignedNotice<'_>,
    now_ms: i64,
) -> Result<(), SignatureError> {
    let timestamp: i64 = notice.timestamp.trim().parse().map_err(|_| SignatureError::Stale)?;
    if (now_ms / 1000 - timestamp).abs() > TOLERANCE_SECONDS {
        return Err(SignatureError::Stale);
    }
    let matches = notice.signature.split_whitespace().any(|entry| {
        let Some(encoded) = entry.strip_prefix("v1,") else {
            return false;
        };
        let Ok(tag) = STANDARD.decode(encoded) else {
            return false;
        };
        mac(secret, notice.id, notice.timestamp.trim(), notice.body)
            .verify_slice(&tag)
            .is_ok()
    });
    if matches {
        Ok(())
    } else {
        Err(SignatureError::BadSignature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000_000;

    fn secret() -> SecretString {
        SecretString::from("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".to_owned())
    }

    fn notice<'a>(signature: &'a str, timestamp: &'a str, body: &'a [u8]) -> SignedNotice<'a> {
        SignedNotice {
            id: "msg_1",
            timestamp,
            signature,
            body,
        }
    }

    #[test]
    fn a_notice_signed_with_the_secret_is_accepted() {
        let signature = sign(&secret(), "msg_1", NOW / 1000, b"{}");
        let several = format!("v1,bm9wZQ== {signature}");
        let ts = (NOW / 1000).to_string();

        assert_eq!(
            verify(&secret(), notice(&signature, &ts, b"{}"), NOW),
            Ok(())
        );
        assert_eq!(verify(&secret(), notice(&several, &ts, b"{}"), NOW), Ok(()));
    }

    #[test]
    fn a_changed_body_id_or_secret_fails_the_signature() {
        let signature = sign(&secret(), "msg_1", NOW / 1000, b"{\"amount\":1000}");
        let ts = (NOW / 1000).to_string();
        let other_secret = SecretString::from("another-secret".to_owned());

        let changed_body = notice(&signature, &ts, b"{\"amount\":9000}");
        let changed_id = SignedNotice {
            id: "msg_2",
            ..notice(&signature, &ts, b"{\"amount\":1000}")
        };
        assert_eq!(
            verify(&secret(), changed_body, NOW),
            Err(SignatureError::BadSignature)
        );
        assert_eq!(
            verify(&secret(), changed_id, NOW),
            Err(SignatureError::BadSignature)
        );
        assert_eq!(
            verify(
                &other_secret,
                notice(&signature, &ts, b"{\"amount\":1000}"),
                NOW
            ),
            Err(SignatureError::BadSignature)
        );
        assert_eq!(
            verify(&secret(), notice("v1,not base64!", &ts, b"{}"), NOW),
            Err(SignatureError::BadSignature)
        );
    }

    #[test]
    fn a_notice_ten_minutes_old_or_ahead_is_refused_even_if_signed() {
        for seconds in [-600, 600] {
            let ts = NOW / 1000 + seconds;
            let signature = sign(&secret(), "msg_1", ts, b"{}");
            let ts = ts.to_string();
            assert_eq!(
                verify(&secret(), notice(&signature, &ts, b"{}"), NOW),
                Err(SignatureError::Stale)
            );
        }
        let ts = (NOW / 1000 - 299).to_string();
        let signature = sign(&secret(), "msg_1", NOW / 1000 - 299, b"{}");
        assert_eq!(
            verify(&secret(), notice(&signature, &ts, b"{}"), NOW),
            Ok(())
        );
    }
}
