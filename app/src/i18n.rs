//! The message catalogue lives in `domain`; pages find their language and text here.

pub use domain::i18n::{Lang, Msg, LANG_COOKIE};

/// The language of the page being rendered.
pub fn use_lang() -> Lang {
    // Islands run in the browser without the server's context; they read `<html lang>`.
    leptos::prelude::use_context::<Lang>().unwrap_or_else(crate::page_lang)
}

/// Shorthand for a message in the current page's language.
pub fn t(msg: Msg) -> &'static str {
    msg.text(use_lang())
}
