//! Input parsers shared by the browser (instant messages under each field) and the server
//! (the authority). A value of these types has passed its rule; nothing else makes one.

mod email;
mod second_password;
mod token;
mod user_id;

pub use email::{emails_match, EmailAddress};
pub use second_password::{passwords_match, PasswordPolicy, SecondPassword};
pub use token::OneTimeToken;
pub use user_id::UserId;
