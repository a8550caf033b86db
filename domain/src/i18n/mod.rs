//! The message catalogue: every user-visible string, in Japanese (the default) and English.
//!
//! Messages are keys, so errors cross the wire as keys and each side renders them in the
//! reader's language. Each key is written once, beside its two texts, in the catalogue of
//! its context (`catalogue!`): `fields` (what form fields say: the only catalogue the islands
//! link), `common` (the frame and errors of every page), `account` and `wallet`; the mails' catalogue
//! is the server's (`backend`). `Msg` is any one of the page catalogues' keys, for what a
//! page or an error carries without knowing whose it is.
//!
//! The language is chosen per request (`?lang=` or the `shomei_lang` cookie) and written into
//! `<html lang>`; the browser reads it back from there, so server and browser always render
//! the same text.

mod account;
mod audit;
mod certificates;
mod common;
mod fields;
mod staff;
mod wallet;

pub use account::AccountMsg;
pub use audit::AuditMsg;
pub use certificates::{CertificateMsg, DocumentMsg};
pub use common::CommonMsg;
pub use fields::FieldMsg;
pub use staff::StaffMsg;
pub use wallet::WalletMsg;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Lang {
    #[default]
    Ja,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Ja, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "ja" => Some(Lang::Ja),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language's own name, shown in the language switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Ja => "日本語",
            Lang::En => "English",
        }
    }
}

/// Name of the cookie that remembers the chosen language.
pub const LANG_COOKIE: &str = "shomei_lang";

/// Declares a catalogue: an enum of message keys, each written once beside its Japanese and
/// English texts, so a key without both texts does not compile. `ALL` lists the keys for the
/// catalogue's checks.
#[macro_export]
macro_rules! catalogue {
    (
        $(#[$attr:meta])*
        $vis:vis enum $name:ident {
            $($key:ident => ($ja:literal, $en:literal $(,)?)),* $(,)?
        }
    ) => {
        $(#[$attr])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        $vis enum $name {
            $($key),*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$key),*];

            pub fn text(self, lang: $crate::i18n::Lang) -> &'static str {
                match (self, lang) {
                    $(
                        ($name::$key, $crate::i18n::Lang::Ja) => $ja,
                        ($name::$key, $crate::i18n::Lang::En) => $en,
                    )*
                }
            }
        }
    };
}

/// A key of any page catalogue: what a page title, a notice or a refusal carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Msg {
    Field(FieldMsg),
    Common(CommonMsg),
    Account(AccountMsg),
    Wallet(WalletMsg),
    Staff(StaffMsg),
    Certificate(CertificateMsg),
}

impl Msg {
    pub fn text(self, lang: Lang) -> &'static str {
        match self {
            Msg::Field(msg) => msg.text(lang),
            Msg::Common(msg) => msg.text(lang),
            Msg::Account(msg) => msg.text(lang),
            Msg::Wallet(msg) => msg.text(lang),
            Msg::Staff(msg) => msg.text(lang),
            Msg::Certificate(msg) => msg.text(lang),
        }
    }
}

impl From<FieldMsg> for Msg {
    fn from(msg: FieldMsg) -> Self {
        Msg::Field(msg)
    }
}

impl From<CommonMsg> for Msg {
    fn from(msg: CommonMsg) -> Self {
        Msg::Common(msg)
    }
}

impl From<WalletMsg> for Msg {
    fn from(msg: WalletMsg) -> Self {
        Msg::Wallet(msg)
    }
}

impl From<StaffMsg> for Msg {
    fn from(msg: StaffMsg) -> Self {
        Msg::Staff(msg)
    }
}

impl From<CertificateMsg> for Msg {
    fn from(msg: CertificateMsg) -> Self {
        Msg::Certificate(msg)
    }
}

impl From<AccountMsg> for Msg {
    fn from(msg: AccountMsg) -> Self {
        Msg::Account(msg)
    }
}

/// Checks every catalogue, the server's included (`backend` calls it for the mails).
pub mod checks {
    use super::Lang;

    /// Why a key's texts are wrong, if they are: an empty text, or Japanese left in the
    /// English text (a translation pasted in the wrong place).
    pub fn fault(ja: &str, en: &str) -> Option<&'static str> {
        if ja.trim().is_empty() || en.trim().is_empty() {
            return Some("a text is empty");
        }
        let japanese = |c: char| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}' | '\u{ff01}'..='\u{ff5e}');
        if en.chars().any(japanese) {
            return Some("the English text holds Japanese");
        }
        if !ja.chars().any(japanese) && ja != en {
            return Some("the Japanese text holds no Japanese");
        }
        None
    }

    /// Every key of a catalogue whose texts are wrong, with why.
    pub fn faults<K: Copy + std::fmt::Debug>(
        keys: &[K],
        text: impl Fn(K, Lang) -> &'static str,
    ) -> Vec<String> {
        keys.iter()
            .filter_map(|&key| {
                fault(text(key, Lang::Ja), text(key, Lang::En)).map(|why| format!("{key:?}: {why}"))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_language_code_round_trips() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
        assert_eq!(Lang::from_code("fr"), None);
    }

    #[test]
    fn every_key_of_the_page_catalogues_has_a_japanese_and_an_english_text() {
        let mut faults = checks::faults(FieldMsg::ALL, FieldMsg::text);
        faults.extend(checks::faults(CommonMsg::ALL, CommonMsg::text));
        faults.extend(checks::faults(AccountMsg::ALL, AccountMsg::text));
        faults.extend(checks::faults(WalletMsg::ALL, WalletMsg::text));
        faults.extend(checks::faults(StaffMsg::ALL, StaffMsg::text));
        faults.extend(checks::faults(AuditMsg::ALL, AuditMsg::text));
        faults.extend(checks::faults(CertificateMsg::ALL, CertificateMsg::text));
        faults.extend(checks::faults(DocumentMsg::ALL, DocumentMsg::text));
        assert!(faults.is_empty(), "{faults:#?}");
    }

    #[test]
    fn a_catalogue_check_finds_japanese_left_in_an_english_text() {
        assert!(checks::fault("必須です", "必須です").is_some());
        assert!(checks::fault("必須です", "").is_some());
        assert_eq!(checks::fault("必須です", "Required"), None);
    }

    #[test]
    fn a_key_crosses_the_wire_as_its_catalogue_and_name() {
        let msg = Msg::from(FieldMsg::Required);
        let json = serde_json::to_string(&msg).unwrap();
        assert_eq!(json, r#"{"Field":"Required"}"#);
        assert_eq!(serde_json::from_str::<Msg>(&json).unwrap(), msg);
    }
}
