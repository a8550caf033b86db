//! The message catalogues live in `domain`; pages find their language and text here.

pub use domain::i18n::{
    AccountMsg, CertificateMsg, CommonMsg, FieldMsg, Lang, Msg, StaffMsg, WalletMsg, LANG_COOKIE,
};

/// The language of the page being rendered.
pub fn use_lang() -> Lang {
    // Islands run in the browser without the server's context; they read `<html lang>`.
    leptos::prelude::use_context::<Lang>().unwrap_or_else(crate::page_lang)
}

/// Shorthand for a message of any page catalogue in the current page's language. Pages
/// only: an island that called it would link every page catalogue into the WASM.
pub fn t(msg: impl Into<Msg>) -> &'static str {
    msg.into().text(use_lang())
}
