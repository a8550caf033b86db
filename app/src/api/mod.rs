//! Server functions by feature: thin adapters that take what the request carries, call a
//! service, and answer with a view or an `AppError`.

pub mod certificates;
pub mod dev_mailbox;
pub mod email;
pub mod home;
pub mod links;
pub mod login;
pub mod manual;
pub mod second_password;
pub mod shares;
pub mod staff;
pub mod staff_applications;
pub mod staff_calendar;
pub mod staff_catalogue;
pub mod tenants;
pub mod verification;
pub mod views;
pub mod wallet;
