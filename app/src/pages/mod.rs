//! One module per screen of the student manual, and the staff console's.

mod card;
mod certificates;
mod dev_mailbox;
mod email;
mod email_change;
mod home;
mod login;
mod manual;
mod root;
mod second_password;
mod second_password_change;
mod shares;
mod staff;
mod staff_applications;
mod staff_calendar;
mod staff_catalogue;
mod verification;

pub use card::{CardConfirmPage, CardHistoryPage, CardPage, CardTopUpPage};
pub use certificates::{
    CertificatesApplicationPage, CertificatesConfirmPage, CertificatesHistoryPage, CertificatesPage,
};
pub use dev_mailbox::DevMailboxPage;
pub use email::{ConfirmEmailPage, EmailDonePage, EmailSentPage, RegisterEmailPage};
pub use email_change::{
    ChangeEmailPage, ChangeEmailSentPage, ConfirmEmailChangePage, EmailChangedPage,
};
pub use home::HomePage;
pub use login::LoginPage;
pub use manual::ManualPage;
pub use root::RootPage;
pub use second_password::{SecondPasswordDonePage, SetupSecondPasswordPage};
pub use second_password_change::{
    ChangeSecondPasswordPage, ForgotSecondPasswordPage, ForgotSentPage, ResetDonePage,
    ResetSecondPasswordPage, SecondPasswordChangedPage,
};
pub use shares::CertificatesSharesPage;
pub use staff::{
    StaffAuditPage, StaffFactorPage, StaffHomePage, StaffImportPage, StaffMembersPage,
    StaffRecoveryCodesPage, StaffSetUpPage, StaffSettingsPage, StaffSignInPage, StaffStudentPage,
};
pub use staff_applications::{StaffApplicationPage, StaffApplicationsPage};
pub use staff_calendar::StaffCalendarPage;
pub use staff_catalogue::StaffCataloguePage;
pub use verification::{SharePage, VerificationPage};
