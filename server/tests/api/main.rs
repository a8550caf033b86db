//! Integration tests: the real server on a random port, a fresh database (SQLite, or
//! PostgreSQL when `SHOMEI_TEST_DATABASE=postgres`), and a real SMTP sink.

// Leptos view types nest deeply; computing their layout needs a deeper limit.
#![recursion_limit = "256"]

mod helpers;
mod smtp_sink;

mod application_payments;
mod applications;
mod assets;
mod audit;
mod campus_print;
mod catalogue;
mod certificate_types;
mod credentials;
mod csrf;
mod email_change;
mod email_registration;
mod faults;
mod login;
mod login_page_cache;
mod machines;
mod mail;
mod manual;
mod password_rules;
mod public_keys;
mod registry;
mod routes;
mod seal;
mod second_password;
mod second_password_change;
mod second_password_reset;
mod security_headers;
mod sessions;
mod shares;
mod staff;
mod staff_catalogue;
mod throttling;
mod top_ups;
mod verification;
