//! The wallet's mails: a receipt for each completed top-up, and a notice when a konbini slip
//! expired unpaid. Sent to the address the student registered (none: no mail), queued in the
//! transaction that moved the top-up, so a receipt goes out exactly when the money came in.

use crate::account;
use crate::entities::tenant;
use crate::platform::mail_messages::MailMsg;
use crate::platform::outbox::{enqueue, statement_mail};
use crate::platform::StorageError;
use crate::tenancy;
use domain::i18n::Lang;
use domain::{StudentId, Yen};
use sea_orm::ConnectionTrait;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TopUpMail {
    Receipt {
        amount: Yen,
        balance: Yen,
        reference: String,
    },
    KonbiniExpired {
        amount: Yen,
    },
}

/// Queues `mail` in `db` (the caller's transaction), in the language the student paid in.
pub async fn queue(
    db: &impl ConnectionTrait,
    tenant: &tenant::Model,
    student: StudentId,
    (mail, lang, at): (TopUpMail, Lang, i64),
) -> Result<(), StorageError> {
    let Some(to) = account::registered_email_of(db, tenant.id, student).await? else {
        return Ok(());
    };
    let card = tenancy::card_name(tenant, lang);
    let (subject, lead) = match &mail {
        TopUpMail::Receipt {
            amount,
            balance,
            reference,
        } => (
            MailMsg::MailTopUpSubject,
            MailMsg::MailTopUpBody
                .text(lang)
                .replace("{card}", card)
                .replace("{amount}", &amount.to_string())
                .replace("{balance}", &balance.to_string())
                .replace("{reference}", reference),
        ),
        TopUpMail::KonbiniExpired { amount } => (
            MailMsg::MailKonbiniExpiredSubject,
            MailMsg::MailKonbiniExpiredBody
                .text(lang)
                .replace("{card}", card)
                .replace("{amount}", &amount.to_string()),
        ),
    };
    let university = tenancy::display_name(tenant, lang);
    enqueue(
        db,
        statement_mail(lang, university, &to, subject, &lead, at),
        at,
    )
    .await
}
