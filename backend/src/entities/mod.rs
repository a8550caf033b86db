//! Table mappings. Behaviour lives in the contexts, not here. Each table is written by one
//! context only; others read it through that context's functions.
//!
//! | table | owner |
//! |---|---|
//! | `tenants` | `tenancy` |
//! | `students`, `registry_uploads`, `course_results` | `registry` |
//! | `accounts`, `trusted_devices` | `account` |
//! | `sessions`, `one_time_tokens`, `outbox`, `audit_events`, `login_failures` | `platform` |
//! | `staff_members`, `staff_recovery_codes`, `staff_sessions`, `staff_setup_links` | `staff` |
//! | `ledger_accounts`, `card_balances`, `ledger_transactions`, `ledger_postings`, `idempotency_keys`, `top_ups`, `payment_notices`, `dev_gateway_payments`, `dev_gateway_notices` | `wallet` |
//! | `certificate_types`, `delivery_methods`, `closure_days`, `grade_points`, `catalogue_drafts`, `catalogue_stamps`, `applications`, `application_lines`, `application_events`, `application_drafts`, `issued_documents`, `signing_keys`, `certificate_shares`, `certificate_share_views`, `university_seals` | `certificates` |
//! | `machines` | `machines` |

pub mod account;
pub mod application;
pub mod application_draft;
pub mod application_event;
pub mod application_line;
pub mod audit_event;
pub mod card_balance;
pub mod catalogue_draft;
pub mod catalogue_stamp;
pub mod certificate_share;
pub mod certificate_share_view;
pub mod certificate_type;
pub mod closure_day;
pub mod course_result;
pub mod delivery_method;
pub mod dev_gateway_notice;
pub mod dev_gateway_payment;
pub mod grade_point;
pub mod idempotency_key;
pub mod issued_document;
pub mod ledger_account;
pub mod ledger_posting;
pub mod ledger_transaction;
pub mod login_failure;
pub mod machine;
pub mod one_time_token;
pub mod outbox;
pub mod payment_notice;
pub mod registry_upload;
pub mod session;
pub mod signing_key;
pub mod staff_member;
pub mod staff_recovery_code;
pub mod staff_session;
pub mod staff_setup_link;
pub mod student;
pub mod tenant;
pub mod top_up;
pub mod trusted_device;
pub mod university_seal;
