//! Plain axum handlers for what is not a page or a server function: the campus machines' API
//! (JSON, problem documents, its own authentication), the payment gateway's notices, and the
//! development gateway's own pages.

pub mod card_history;
pub mod dev_gateway;
pub mod machine_api;
pub mod webhooks;
