//! Table mappings. Behaviour lives in the services beside this folder, not here.

pub mod account;
pub mod audit_event;
pub mod login_failure;
pub mod one_time_token;
pub mod outbox;
pub mod session;
pub mod student;
pub mod tenant;
pub mod trusted_device;
