//! The HTTP adapter (server only): the application state, what a request carries (language,
//! cookies, client), the cookies this service sets, and how a service's answer becomes the
//! server function's. Services in `backend` know nothing of HTTP; this is where it lives.

pub mod catalogue;
pub mod certificates;
pub mod cookies;
pub mod links;
pub mod manual;
pub mod request;
pub mod respond;
pub mod seal;
pub mod shares;
pub mod staff;
pub mod state;
pub mod verification;
pub mod views;
pub mod wallet;

pub use respond::respond;
