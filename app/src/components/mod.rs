//! Pieces every screen uses: the page frame, form fields, and the notes block.

mod field;
mod frame;
mod gate;

pub use field::{
    refusal, server_messages, Check, CheckedField, FieldPair, FieldSpec, FormAlert, Pair,
};
pub use frame::{Frame, NotFoundView};
pub use gate::{use_tenant_slug, TenantGate};
