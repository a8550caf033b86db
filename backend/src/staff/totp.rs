//! Time-based one-time codes (TOTP, RFC 6238 over HOTP, RFC 4226) as every authenticator app
//! makes them: HMAC-SHA1, 30-second steps, 6 digits. A code is accepted one step early or
//! late (a phone's clock drifts, and typing takes time), and each step is accepted once: the
//! caller stores the step a code matched and passes it back as `used_up_to`.

use data_encoding::BASE32_NOPAD;
use hmac::{Hmac, Mac};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretBox, SecretString};
use sha1::Sha1;

pub const STEP_SECONDS: i64 = 30;
pub const DIGITS: u32 = 6;
/// Steps accepted either side of now.
const DRIFT_STEPS: i64 = 1;

/// A shared secret: 20 random bytes (160 bits, RFC 4226's recommendation).
pub struct TotpSecret(SecretBox<[u8; 20]>);

impl TotpSecret {
    pub fn generate() -> Self {
        let mut bytes = [0u8; 20];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self(SecretBox::new(Box::new(bytes)))
    }

    /// From its Base32 text (as stored, or as an app shows it).
    pub fn from_base32(text: &str) -> Option<Self> {
        let bytes = BASE32_NOPAD.decode(text.trim_end_matches('=').as_bytes()).ok()?;
        let bytes: [u8; 20] = bytes.try_into().ok()?;
        Some(Self(SecretBox::new(Box::new(bytes))))
    }

    /// Base32 without padding, as authenticator apps take it typed in.
    pub fn to_base32(&self) -> SecretString {
        SecretString::from(BASE32_NOPAD.encode(self.0.expose_secret()))
    }

    /// The `otpauth://` URI that a QR code carries to the app (Key Uri Format).
    pub fn uri(&self, issuer: &str, account: &str) -> SecretString {
        let label = format!("{issuer}:{account}");
        let mut uri = url::Url::parse("otpauth://totp/").expect("a fixed URI parses");
        uri.set_path(&label);
        uri.query_pairs_mut()
            .append_pair("secret", self.to_base32().expose_secret())
            .append_pair("issuer", issuer)
            .append_pair("algorithm", "SHA1")
            .append_pair("digits", &DIGITS.to_string())
            .append_pair("period", &STEP_SECONDS.to_string());
        SecretString::from(uri.to_string())
    }

    /// The code of one time step.
    pub fn code_at_step(&self, step: i64) -> String {
        let mut mac =
            Hmac::<Sha1>::new_from_slice(self.0.expose_secret()).expect("HMAC takes any key");
        mac.update(&(step as u64).to_be_bytes());
        let digest = mac.finalize().into_bytes();
        // Dynamic truncation, RFC 4226 section 5.3.
        let offset = usize::from(digest[19] & 0x0f);
        let binary = u32::from_be_bytes([
            digest[offset] & 0x7f,
            digest[offset + 1],
            digest[offset + 2],
            digest[offset + 3],
        ]);
        format!(
            "{:0width$}",
            binary % 10u32.pow(DIGITS),
            width = DIGITS as usize
        )
    }

    /// The step `code` belongs to, if it is the code of a step near `now_ms` that is later
    /// than `used_up_to` (a code already used, or an older one, is refused). Every candidate
    /// is compared in constant time.
    pub fn verify(&self, code: &str, now_ms: i64, used_up_to: Option<i64>) -> Option<i64> {
        let now_step = now_ms.div_euclid(1000 * STEP_SECONDS);
        let mut matched = None;
        for step in now_step - DRIFT_STEPS..=now_step + DRIFT_STEPS {
            let expected = self.code_at_step(step);
            if constant_time_eq(expected.as_bytes(), code.as_bytes())
                && used_up_to.is_none_or(|used| step > used)
            {
                matched = Some(step);
            }
        }
        matched
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B's SHA-1 secret ("12345678901234567890") and its 8-digit codes,
    /// whose last 6 digits are the 6-digit codes.
    fn rfc_secret() -> TotpSecret {
        TotpSecret::from_base32(&BASE32_NOPAD.encode(b"12345678901234567890")).unwrap()
    }

    #[test]
    fn codes_match_the_test_vectors_of_rfc_6238() {
        let secret = rfc_secret();
        for (seconds, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_111_111_111, "050471"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
            (20_000_000_000, "353130"),
        ] {
            assert_eq!(
                secret.code_at_step(seconds / STEP_SECONDS),
                code,
                "{seconds}"
            );
        }
    }

    #[test]
    fn a_code_is_accepted_one_step_either_side_and_not_further() {
        let secret = rfc_secret();
        let now_ms = 1_234_567_890_000;
        let step = now_ms / 1000 / STEP_SECONDS;
        for (offset, accepted) in [(-2, false), (-1, true), (0, true), (1, true), (2, false)] {
            let code = secret.code_at_step(step + offset);
            assert_eq!(
                secret.verify(&code, now_ms, None).is_some(),
                accepted,
                "{offset}"
            );
        }
    }

    #[test]
    fn a_used_step_and_the_steps_before_it_are_refused() {
        let secret = rfc_secret();
        let now_ms = 1_234_567_890_000;
        let step = now_ms / 1000 / STEP_SECONDS;
        let code = secret.code_at_step(step);
        assert_eq!(secret.verify(&code, now_ms, None), Some(step));
        assert_eq!(secret.verify(&code, now_ms, Some(step)), None);
        let earlier = secret.code_at_step(step - 1);
        assert_eq!(secret.verify(&earlier, now_ms, Some(step)), None);
    }

    #[test]
    fn the_secret_survives_base32_and_the_uri_names_issuer_and_account() {
        let secret = TotpSecret::generate();
        let text = secret.to_base32();
        let again = TotpSecret::from_base32(text.expose_secret()).unwrap();
        assert_eq!(again.code_at_step(7), secret.code_at_step(7));
        let uri = secret.uri("shomei デモ大学", "kyomu01");
        let uri = uri.expose_secret();
        assert!(uri.starts_with("otpauth://totp/shomei%20"), "{uri}");
        assert!(uri.contains(&format!("secret={}", text.expose_secret())));
        assert!(uri.contains("period=30"));
    }
}
