//! Services tested without HTTP: each test gets a database of its own (SQLite, or PostgreSQL
//! with `SHOMEI_TEST_DATABASE=postgres`), a university with two students, and a clock it
//! moves instead of waiting. The HTTP suite (`server/tests/api/`) keeps the flows and the
//! security properties.

mod application_payments;
mod applications;
mod audit_log;
mod catalogue;
mod catalogue_console;
mod corrections;
mod eligibility;
mod grades;
mod help_desk;
mod links;
mod login_delays;
mod registry;
mod registry_console;
mod sessions;
mod settings;
mod shares;
mod staff;
mod student_search;
mod top_ups;
mod verification;
mod wallet;
