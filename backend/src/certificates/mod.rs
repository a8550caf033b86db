//! Certificates (各種証明書のオンライン申請): the catalogue each university keeps, the office's
//! calendar of working days, students' applications paid from the card or through the payment gateway, the staff queue, and
//! the PDFs of certificates issued electronically or printed at campus machines.
//! Stands on `tenancy`, `registry`, `account` and `wallet`; nothing but `machines` stands on it.

mod applications;
mod apply_statement;
mod calendar;
mod campus_print;
mod catalogue;
mod catalogue_cache;
/// The catalogue in the staff console: `sheet`, `save_draft`, `preview`, `apply`.
pub mod catalogue_console;
mod closures;
mod credentials;
mod eligibility;
mod issuance;
mod processing;
mod records;
mod revocation;
mod seal;
mod shares;
mod signing;
mod transcript;
mod verification;

pub use applications::{
    jst_date, quote, ApplicationRecord, ApplicationRequest, Applications, Applied, ApplyError,
    PayWith, Quote, QuotedLine, RecordLine,
};
pub use calendar::{expected_on, is_working_day};
pub use campus_print::{PrintError, Printed, PrintingMachine, WaitingPrint};
pub use catalogue::{
    closures_from, current, grade_points, import, parse, to_toml, Catalogue, CatalogueError,
    CatalogueFault, CataloguePlace, CatalogueSummary, CertificateType, ClosureDay, DeliveryMethod,
    GradePoints,
};
pub use catalogue_cache::CatalogueCache;
pub use catalogue_console::{
    CatalogueChanges, CatalogueConsoleError, CatalogueSheet, DraftPreview, Entry, ListChanges,
    MAX_CATALOGUE_BYTES,
};
pub use closures::{calendar, close_day, parse_day, reopen_day, ClosureError};
pub use credentials::{
    secure, IssuedCredential, ProofOptions, CREDENTIALS_CONTEXT, CREDENTIAL_MEDIA_TYPE,
    CRYPTOSUITE, STATUS_LIST_ENTRIES, STATUS_LIST_PATH,
};
pub use eligibility::{offers, offers_from, refusal, Offer};
pub use issuance::{
    CertificateDocument, CertificateRenderer, CourseTable, IssuedPdf, Issuing, PrintedVerification,
    RenderError, Seal,
};
pub use processing::{ActionError, QueueFilter, QueueRow, StaffAction, QUEUE_LIMIT};
pub use records::{CertificateRecord, EmbeddedRecord, EMBEDDED_FORMAT, RECORD_FORMAT};
pub use revocation::{revocations_committed, IssuedCertificate};
pub use seal::{
    remove_seal, seal_image, seal_in_use, upload_seal, SealError, SealInUse, MAX_SEAL_BYTES,
};
pub use shares::{
    browser_of, truncated_address, ShareError, ShareOutcome, ShareRequest, ShareVisit, Shared,
    Shares, StudentShare, DEFAULT_SHARE_DAYS, MAX_SHARE_DAYS,
};
pub use signing::{
    did_web, KeyError, KeySecret, PublicKey, Signer, SigningKeys, JWKS_PATH, MIN_KEY_SECRET_CHARS,
};
pub use transcript::{totals, TranscriptTotals};
pub use verification::{
    guess_throttle, Opened, Standing, Summary, Verifications, Viewed, GRANT_SECONDS,
};
