//! Table mappings. Behaviour lives in the contexts, not here. Each table is written by one
//! context only; others read it through that context's functions.
//!
//! | table | owner |
//! |---|---|
//! | `tenants` | `tenancy` |
//! | `students` | `registry` |
//! | `accounts`, `login_failures`, `trusted_devices` | `account` |
//! | `sessions`, `one_time_tokens`, `outbox`, `audit_events` | `platform` |
//! | `ledger_accounts`, `card_balances`, `ledger_transactions`, `ledger_postings`, `idempotency_keys`, `top_ups`, `payment_notices`, `dev_gateway_payments`, `dev_gateway_notices` | `wallet` |
//! | `machines` | `machines` |

pub mod account;
pub mod audit_event;
pub mod card_balance;
pub mod dev_gateway_notice;
pub mod dev_gateway_payment;
pub mod idempotency_key;
pub mod ledger_account;
pub mod ledger_posting;
pub mod ledger_transaction;
pub mod login_failure;
pub mod machine;
pub mod one_time_token;
pub mod outbox;
pub mod payment_notice;
pub mod session;
pub mod student;
pub mod tenant;
pub mod top_up;
pub mod trusted_device;
