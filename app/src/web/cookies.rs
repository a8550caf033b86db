//! Every cookie this service sets, with one rule for `Secure`: on whenever the public URL is
//! https.

use backend::account::{Purpose, DEVICE_LIFETIME_SECONDS};
use backend::platform::settings::Settings;
use domain::i18n::{Lang, LANG_COOKIE};

use super::links::page_path;

/// The session cookie's name over plain http (development, tests).
pub const SESSION_COOKIE: &str = "shomei_session";
/// Over https: the `__Host-` prefix makes browsers accept the cookie only with `Secure`,
/// `Path=/` and no `Domain`, so a sibling subdomain cannot plant or shadow it.
pub const SECURE_SESSION_COOKIE: &str = "__Host-shomei_session";
/// A staff member's session cookie: apart from the students' (a student's cookie opens no
/// staff page, and the other way round), under the same `Secure` rule. `Strict`: the
/// console is never entered from another site's link with a session.
pub const STAFF_SESSION_COOKIE: &str = "shomei_staff";
pub const SECURE_STAFF_SESSION_COOKIE: &str = "__Host-shomei_staff";
/// The cookie that carries a one-time URL's token once it has left the address bar.
pub const LINK_COOKIE: &str = "shomei_link";
/// The device cookie, sent only with logins (`Path=/api/login`).
pub const DEVICE_COOKIE: &str = "shomei_device";
const LOGIN_PATH: &str = "/api/login";

/// The `; Secure` attribute every cookie of this service carries over https.
fn secure(settings: &Settings) -> &'static str {
    if settings.secure_cookies() {
        "; Secure"
    } else {
        ""
    }
}

/// The name of the session cookie under these settings.
pub fn session_cookie_name(settings: &Settings) -> &'static str {
    if settings.secure_cookies() {
        SECURE_SESSION_COOKIE
    } else {
        SESSION_COOKIE
    }
}

/// `Set-Cookie` value for a new session: HttpOnly, SameSite=Lax, Secure behind https, and
/// no expiry of its own (the server's timeouts decide).
pub fn session(settings: &Settings, raw: &str) -> String {
    let name = session_cookie_name(settings);
    let secure = secure(settings);
    format!("{name}={raw}; Path=/; HttpOnly; SameSite=Lax{secure}")
}

pub fn clearing_session(settings: &Settings) -> String {
    let name = session_cookie_name(settings);
    let secure = secure(settings);
    format!("{name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
}

/// The name of the staff session cookie under these settings.
pub fn staff_session_cookie_name(settings: &Settings) -> &'static str {
    if settings.secure_cookies() {
        SECURE_STAFF_SESSION_COOKIE
    } else {
        STAFF_SESSION_COOKIE
    }
}

/// `Set-Cookie` for a staff session (`clear`: ending it).
pub fn staff_session(settings: &Settings, raw: &str, clear: bool) -> String {
    let name = staff_session_cookie_name(settings);
    let secure = secure(settings);
    let max_age = if clear { "; Max-Age=0" } else { "" };
    format!("{name}={raw}; Path=/; HttpOnly; SameSite=Strict{max_age}{secure}")
}

/// `Set-Cookie` for the token of a link page at `page`, living `max_age_seconds`. HttpOnly;
/// `Lax`, because the link is opened from a mail, a navigation from another site.
pub fn link(settings: &Settings, page: &str, token: &str, max_age_seconds: i64) -> String {
    let secure = secure(settings);
    format!(
        "{LINK_COOKIE}={token}; Path={page}; Max-Age={max_age_seconds}; HttpOnly; SameSite=Lax{secure}"
    )
}

/// Ends the link cookie of the page of `purpose` at `slug`, once its link has been used.
pub fn spent_link(settings: &Settings, slug: &str, purpose: Purpose) -> String {
    link(settings, &page_path(slug, purpose), "", 0)
}

/// `Set-Cookie` for a device cookie: sent only with logins, never readable by scripts.
pub fn device(settings: &Settings, raw: &str) -> String {
    let secure = secure(settings);
    format!(
        "{DEVICE_COOKIE}={raw}; Path={LOGIN_PATH}; Max-Age={DEVICE_LIFETIME_SECONDS}; HttpOnly; SameSite=Strict{secure}"
    )
}

/// The cookie that keeps a right verification code's grant for its document's page.
pub const VERIFIED_COOKIE: &str = "shomei_verified";

/// `Set-Cookie` for the grant to see the record of the document at `page` (`/v/{id}`): sent to
/// that page only, never readable by scripts, for as long as the grant runs. `Strict`: a page of
/// another site never opens the record by linking to it.
pub fn verified(settings: &Settings, page: &str, grant: &str, max_age_seconds: i64) -> String {
    let secure = secure(settings);
    format!(
        "{VERIFIED_COOKIE}={grant}; Path={page}; Max-Age={max_age_seconds}; HttpOnly; SameSite=Strict{secure}"
    )
}

/// `Set-Cookie` that remembers the language chosen with `?lang=` for a year. Readable by
/// nothing but the server; it holds no secret, so `Lax` is enough.
pub fn language(settings: &Settings, lang: Lang) -> String {
    let secure = secure(settings);
    let code = lang.code();
    format!("{LANG_COOKIE}={code}; Path=/; Max-Age=31536000; SameSite=Lax{secure}")
}
