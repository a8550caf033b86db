//! Pieces every screen uses: the page frame, form fields, and the notes block.

mod field;
mod frame;
mod gate;

pub use field::{EmailPair, Field, FormAlert, NewPasswordPair};
pub use frame::{Frame, NotFoundView};
pub use gate::{use_tenant_slug, TenantGate};
