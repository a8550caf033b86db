//! What pages are shown of the services' records: the views of `api::views`, built from
//! entities here, so server functions never touch an entity.

use crate::api::views::{HomeView, MailboxEntry, TenantView};
use crate::error::AppError;
use backend::entities::{account, tenant};
use backend::platform::{outbox, Db};
use backend::registry::DirectoryStudent;
use domain::i18n::Lang;

impl From<tenant::Model> for TenantView {
    fn from(tenant: tenant::Model) -> Self {
        let password_policy = backend::tenancy::password_policy(&tenant);
        let card_name_ja = backend::tenancy::card_name(&tenant, Lang::Ja).to_owned();
        let card_name_en = backend::tenancy::card_name(&tenant, Lang::En).to_owned();
        Self {
            slug: tenant.slug,
            name: tenant.name,
            name_en: tenant.name_en,
            notes_ja: tenant.notes_ja,
            notes_en: tenant.notes_en,
            helpdesk_ja: tenant.helpdesk_ja,
            helpdesk_en: tenant.helpdesk_en,
            password_policy,
            card_name_ja,
            card_name_en,
        }
    }
}

/// The signed-in student's home page: the university, the registry's data and the account's
/// address.
pub fn home(tenant: tenant::Model, account: account::Model, student: DirectoryStudent) -> HomeView {
    HomeView {
        tenant: tenant.into(),
        user_id: student.user_id,
        name: student.name,
        name_en: student.name_en,
        student_number: student.student_number,
        faculty: student.faculty,
        department: student.department,
        status: student.status,
        email: account.email,
    }
}

/// The newest mails of the outbox as the development mailbox shows them, times in `lang`.
pub async fn mailbox(db: &Db, lang: Lang) -> Result<Vec<MailboxEntry>, AppError> {
    let mails = outbox::newest(db, 100).await?;
    Ok(mails
        .into_iter()
        .map(|mail| MailboxEntry {
            id: mail.id,
            to: mail.recipient,
            subject: mail.subject,
            body_text: mail.body_text,
            created_at: outbox::format_jst(mail.created_at, lang),
        })
        .collect())
}
