//! The verification page's views, built from what `Verifications` found.

use crate::api::verification::{CoursesView, DocumentView, RecordView, StandingView};
use backend::certificates::{jst_date, CertificateRecord, Standing, Viewed};
use domain::DocumentId;

/// Document `id` as the page shows it.
pub fn document_view(id: &DocumentId, viewed: Viewed) -> DocumentView {
    let Viewed { summary, record } = viewed;
    let standing = match summary.standing {
        Standing::Valid => StandingView::Valid,
        Standing::Expired { on } => StandingView::Expired { on },
        Standing::Revoked { at, reason } => StandingView::Revoked {
            on: jst_date(at).format("%Y-%m-%d").to_string(),
            reason,
        },
        Standing::SignatureInvalid => StandingView::SignatureInvalid,
    };
    DocumentView {
        document: id.to_string(),
        tenant: summary.university.into(),
        title: summary.title,
        lang: summary.lang,
        issued_on: summary.issued_on,
        valid_until: summary.valid_until,
        standing,
        record: record.map(record_view),
    }
}

fn record_view(record: CertificateRecord) -> RecordView {
    RecordView {
        number: record.number,
        facts: record.facts,
        statement: record.statement,
        courses: record.courses.map(|table| CoursesView {
            headings: table.headings,
            rows: table.rows,
            totals: table.totals,
            empty: table.empty,
        }),
        pdf_sha256: record.pdf_sha256.unwrap_or_default(),
    }
}
