//! The one place where page paths live. Every page of a university is a `Page`: links,
//! redirects, mail links and the server's middleware take its path from here. The router's
//! `path!` patterns must be literals; a server test checks that they register exactly these
//! pages (`every_page_of_routes_rs_is_routed`).

/// A page of a university, below `/{tenant}/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Page {
    Login,
    EmailRegister,
    EmailSent,
    EmailConfirm,
    EmailDone,
    SecondPasswordSetup,
    SecondPasswordDone,
    Home,
    EmailChange,
    EmailChangeSent,
    EmailChangeConfirm,
    EmailChangeDone,
    SecondPasswordChange,
    SecondPasswordChanged,
    SecondPasswordForgot,
    SecondPasswordForgotSent,
    SecondPasswordReset,
    SecondPasswordResetDone,
    Manual,
    Card,
    CardConfirm,
    CardTopUp,
    CardHistory,
    Certificates,
    CertificatesConfirm,
    CertificatesHistory,
    CertificatesApplication,
    CertificatesShares,
    StaffSignIn,
    StaffSetUp,
    StaffFactor,
    StaffRecoveryCodes,
    StaffHome,
    StaffStudent,
    StaffMembers,
    StaffSettings,
    StaffAudit,
    StaffImport,
    StaffApplications,
    StaffApplication,
    StaffCalendar,
    StaffCatalogue,
}

/// A signed-in student's card history as CSV (a download, not a page), below `/{tenant}/`.
pub const CARD_HISTORY_CSV: &str = "card/history.csv";

/// The audit log as CSV for a signed-in staff member (a download), below `/{tenant}/`, with
/// the page's filter in its query.
pub const STAFF_AUDIT_CSV: &str = "staff/audit.csv";

/// The queue of certificate applications as CSV (the page's filter in its query), below
/// `/{tenant}/`: the day's post with its addresses, for a signed-in staff member.
pub const STAFF_APPLICATIONS_CSV: &str = "staff/applications.csv";

/// An issued certificate's PDF (`?no=00000012&line=1`), below `/{tenant}/`: for its student
/// while the application stands issued.
pub const CERTIFICATE_PDF: &str = "certificates/pdf";

/// The Verifiable Credential of the same certificate, for its student.
pub const CERTIFICATE_CREDENTIAL: &str = "certificates/credential";

/// The same PDF for a signed-in staff member of the university.
pub const STAFF_CERTIFICATE_PDF: &str = "staff/application.pdf";

/// The seal certificates print: an admin's upload or removal (a multipart `POST`), below
/// `/{tenant}/`.
pub const STAFF_SEAL: &str = "staff/seal";

/// The seal's image for a signed-in staff member, below `/{tenant}/`.
pub const STAFF_SEAL_IMAGE: &str = "staff/seal.png";

/// The address of line `index` (0-based, as listed) of application `number`'s PDF, below
/// `path` (`CERTIFICATE_PDF` or `STAFF_CERTIFICATE_PDF`), or its credential's
/// (`CERTIFICATE_CREDENTIAL`).
pub fn certificate_pdf_href(slug: &str, path: &str, number: &str, index: usize) -> String {
    format!("/{slug}/{path}?no={number}&line={}", index + 1)
}

/// The public verification page of an issued certificate, outside every university (a
/// university's slug is at least two characters, so `/v/` is never one).
pub const VERIFICATION: &str = "/v/:document";

/// The verification page of document `id` (the backend prints the same in the QR code).
pub fn verification_href(id: &str) -> String {
    format!("/v/{id}")
}

/// A share's page for its recipient, outside every university, and its PDF below it.
pub const SHARE: &str = "/s/:token";

/// The page of share `token`.
pub fn share_href(token: &str) -> String {
    format!("/s/{token}")
}

/// The PDF of share `token`.
pub fn share_pdf_href(token: &str) -> String {
    format!("/s/{token}/pdf")
}

/// The Verifiable Credential of a shared certificate.
pub fn share_credential_href(token: &str) -> String {
    format!("/s/{token}/credential")
}

/// The development mailbox, a page outside every university.
pub const DEV_MAILBOX: &str = "/dev/mailbox";

impl Page {
    pub const ALL: [Page; 42] = [
        Page::Login,
        Page::EmailRegister,
        Page::EmailSent,
        Page::EmailConfirm,
        Page::EmailDone,
        Page::SecondPasswordSetup,
        Page::SecondPasswordDone,
        Page::Home,
        Page::EmailChange,
        Page::EmailChangeSent,
        Page::EmailChangeConfirm,
        Page::EmailChangeDone,
        Page::SecondPasswordChange,
        Page::SecondPasswordChanged,
        Page::SecondPasswordForgot,
        Page::SecondPasswordForgotSent,
        Page::SecondPasswordReset,
        Page::SecondPasswordResetDone,
        Page::Manual,
        Page::Card,
        Page::CardConfirm,
        Page::CardTopUp,
        Page::CardHistory,
        Page::Certificates,
        Page::CertificatesConfirm,
        Page::CertificatesHistory,
        Page::CertificatesApplication,
        Page::CertificatesShares,
        Page::StaffSignIn,
        Page::StaffSetUp,
        Page::StaffFactor,
        Page::StaffRecoveryCodes,
        Page::StaffHome,
        Page::StaffStudent,
        Page::StaffMembers,
        Page::StaffSettings,
        Page::StaffAudit,
        Page::StaffImport,
        Page::StaffApplications,
        Page::StaffApplication,
        Page::StaffCalendar,
        Page::StaffCatalogue,
    ];

    /// The path below `/{tenant}/`.
    pub fn below_tenant(self) -> &'static str {
        match self {
            Page::Login => "login",
            Page::EmailRegister => "email/register",
            Page::EmailSent => "email/sent",
            Page::EmailConfirm => "email/confirm",
            Page::EmailDone => "email/done",
            Page::SecondPasswordSetup => "second-password/setup",
            Page::SecondPasswordDone => "second-password/done",
            Page::Home => "home",
            Page::EmailChange => "email/change",
            Page::EmailChangeSent => "email/change/sent",
            Page::EmailChangeConfirm => "email/change/confirm",
            Page::EmailChangeDone => "email/change/done",
            Page::SecondPasswordChange => "second-password/change",
            Page::SecondPasswordChanged => "second-password/changed",
            Page::SecondPasswordForgot => "second-password/forgot",
            Page::SecondPasswordForgotSent => "second-password/forgot/sent",
            Page::SecondPasswordReset => "second-password/reset",
            Page::SecondPasswordResetDone => "second-password/reset/done",
            Page::Manual => "manual",
            Page::Card => "card",
            Page::CardConfirm => "card/confirm",
            Page::CardTopUp => "card/top-up",
            Page::CardHistory => "card/history",
            Page::Certificates => "certificates",
            Page::CertificatesConfirm => "certificates/confirm",
            Page::CertificatesHistory => "certificates/history",
            Page::CertificatesApplication => "certificates/application",
            Page::CertificatesShares => "certificates/shares",
            Page::StaffSignIn => "staff/login",
            Page::StaffSetUp => "staff/setup",
            Page::StaffFactor => "staff/factor",
            Page::StaffRecoveryCodes => "staff/recovery-codes",
            Page::StaffHome => "staff",
            Page::StaffStudent => "staff/student",
            Page::StaffMembers => "staff/members",
            Page::StaffSettings => "staff/settings",
            Page::StaffAudit => "staff/audit",
            Page::StaffImport => "staff/import",
            Page::StaffApplications => "staff/applications",
            Page::StaffApplication => "staff/application",
            Page::StaffCalendar => "staff/calendar",
            Page::StaffCatalogue => "staff/catalogue",
        }
    }

    /// The page's path at the university `tenant` (its slug).
    pub fn href(self, tenant: &str) -> String {
        format!("/{tenant}/{}", self.below_tenant())
    }

    /// The router's pattern of the page, as `path!` writes it.
    pub fn pattern(self) -> String {
        format!("/:tenant/{}", self.below_tenant())
    }

    /// The university slug and the page, when `path` is exactly a page (the slug is not
    /// checked here: `tenants::slug_is_valid` says whether it can be one).
    pub fn of_path(path: &str) -> Option<(&str, Page)> {
        let (slug, below) = path.strip_prefix('/')?.split_once('/')?;
        let page = Page::ALL.into_iter().find(|p| p.below_tenant() == below)?;
        Some((slug, page))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_is_found_again_from_its_own_path() {
        for page in Page::ALL {
            assert_eq!(Page::of_path(&page.href("demo")), Some(("demo", page)));
        }
        assert_eq!(Page::of_path("/demo/login/x"), None);
        assert_eq!(Page::of_path("/demo"), None);
    }
}
