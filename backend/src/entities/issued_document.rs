use sea_orm::entity::prelude::*;

/// The PDF of one line of an application delivered as PDF or printed at a campus machine,
/// exactly as it was issued.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "issued_documents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    pub application_id: i32,
    pub position: i32,
    pub lang: String,
    /// The facts it states, as JSON (`certificates::CertificateDocument`).
    pub facts: String,
    /// The PDF as delivered; sealed with the key secret when `document_id` is set (it prints
    /// the verification code, which is otherwise stored only as `code_hash`).
    pub pdf: Vec<u8>,
    pub sha256: String,
    pub issued_at: i64,
    /// The public id of a signed certificate (`/v/{document_id}`); `None` for one issued
    /// before certificates were signed.
    pub document_id: Option<String>,
    /// The keyed hash of its verification code (`certificates::records::code_hash`).
    pub code_hash: Option<String>,
    /// The signed record, in its canonical form (RFC 8785).
    pub record: Option<String>,
    /// The record's Ed25519 signature, base64url, and the key's id.
    pub signature: Option<String>,
    pub kid: Option<String>,
    pub revoked_at: Option<i64>,
    /// The reason's category (`certificates::RevocationReason`).
    pub revoked_reason: Option<String>,
    /// A campus-printed certificate: when and by which machine it was taken, and the
    /// idempotency key it was taken with (that machine's retry gets it again).
    pub printed_at: Option<i64>,
    pub printed_by_machine: Option<i32>,
    pub print_key: Option<String>,
    /// Its entry in its university's status lists (list = index / 131,072), drawn at random
    /// at issue; unique per university. `None` for a document without a signature.
    pub status_index: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
