//! Plain axum handlers for what is not a page or a server function: the campus machines' API
//! (JSON, problem documents, its own authentication).

pub mod machine_api;
