//! Pieces more than one screen uses: the page frame, form fields, the gates that decide what
//! a visitor may see, and the notices. Pages never import each other; what two need is here.

mod field;
mod frame;
mod gate;
mod loaded;
mod money;
mod notice;
mod table;

pub use field::{
    refusal, server_messages, Check, CheckedField, CurrentPasswordField, FieldPair, FieldSpec,
    FormAlert, Pair, NEW_PASSWORD_FIELDS,
};
pub use frame::{ErrorView, ForbiddenView, Frame, NotFoundView};
pub use gate::{use_tenant_slug, ConfirmLinkView, LinkGate, LinkPageTexts, StageGate, TenantGate};
pub use loaded::{page_behind, signed_in_page, signed_in_page_or, staff_page};
pub use money::{movements_table, yen, SettleWatch};
pub use notice::{ButtonLink, Notes, NoticePage};
pub use table::{
    pager, query_encoded, scroll_table, sortable_table, Column, PagerTexts, RegionName, SortLink,
};
