//! What browser and server share: input parsers (a value of these types has passed its rule;
//! nothing else makes one), the ids and statuses that services and pages both name, and the
//! message catalogue. No I/O, so the same code gives the instant message under a field in the
//! browser and the authoritative answer on the server.

mod applications;
mod certificates;
mod email;
pub mod i18n;
mod ids;
mod money;
mod second_password;
mod staff;
mod status;
mod token;
mod user_id;
mod verification;

pub use applications::{
    application_number, copies, parse_application_number, postal_code, purpose, Address,
    AddressField, AddressForm, ApplicationStatus, OrderLine, PayBy, MAX_LINES, MAX_PURPOSE_CHARS,
    PREFECTURES,
};
pub use certificates::{
    fiscal_year, CatalogueCode, CertificateContent, DeliveryKind, OrderRefusal, OrderRule,
};
pub use email::{emails_match, EmailAddress};
pub use ids::{AccountId, StudentId, TenantId, TenantSlug};
pub use money::{AmountError, Yen};
pub use second_password::{passwords_match, PasswordPolicy, SecondPassword};
pub use staff::{Permission, StaffMember, StaffRole, StudentSort, StudentSortKey};
pub use status::{LinkState, Stage, StudentStatus, UnknownCode};
pub use token::OneTimeToken;
pub use user_id::UserId;
pub use verification::{DocumentId, RevocationReason, ShareToken, VerificationCode};
