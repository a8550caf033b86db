//! shomei's services, by bounded context, on the platform they stand on (server only).
//!
//! - `platform`: what every context uses (transactions, clock, secrets, one-time tokens, the
//!   session store, the outbox, the audit log, rate limits, password hashing, settings). It
//!   imports no context.
//! - `tenancy` ← `registry` ← `account` ← `wallet` ← `certificates` ← `machines`: each imports
//!   only the ones to its left, through their `mod.rs`. `scripts/check-layers.sh` checks it on every test run.
//! - `staff`: university staff, their roles, sign-in and second factor; stands on `tenancy`
//!   alone.
//! - `entities`: the sea-orm entities; each table is written by one context only (listed in
//!   `entities/mod.rs`).
//!
//! Services take domain types and return their context's error enum, saying what went wrong
//! in domain words. Form fields, page paths, cookies and HTTP statuses are the adapter's
//! (`app/src/web/`).

pub mod account;
pub mod certificates;
pub mod entities;
pub mod machines;
pub mod platform;
pub mod registry;
pub mod staff;
pub mod tenancy;
#[cfg(feature = "testing")]
pub mod testing;
pub mod wallet;
