//! Certificates (各種証明書のオンライン申請): the catalogue each university keeps, the office's
//! calendar of working days, students' applications paid from the card or through the payment gateway, the staff queue, and
//! the PDFs of certificates issued electronically.
//! Stands on `tenancy`, `registry`, `account` and `wallet`; nothing but `machines` stands on it.

mod applications;
mod apply_statement;
mod calendar;
mod catalogue;
mod catalogue_cache;
/// The catalogue in the staff console: `sheet`, `save_draft`, `preview`, `apply`.
pub mod catalogue_console;
mod closures;
mod eligibility;
mod issuance;
mod processing;
mod transcript;

pub use applications::{
    jst_date, quote, ApplicationRecord, ApplicationRequest, Applications, Applied, ApplyError,
    PayWith, Quote, QuotedLine, RecordLine,
};
pub use calendar::{expected_on, is_working_day};
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
pub use eligibility::{offers, offers_from, refusal, Offer};
pub use issuance::{CertificateDocument, CertificateRenderer, CourseTable, IssuedPdf, RenderError};
pub use processing::{ActionError, QueueFilter, QueueRow, StaffAction, QUEUE_LIMIT};
pub use transcript::{totals, TranscriptTotals};
