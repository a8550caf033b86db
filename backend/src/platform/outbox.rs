//! Mail goes through the outbox table: queued in the same transaction as the token it
//! carries, sent later by a worker that retries while SMTP is down. A restart loses nothing.

use super::clock::{now_ms, to_jst};
use super::mail_messages::MailMsg;
use super::{storage, StorageError};
use crate::entities::outbox;
use domain::i18n::Lang;
use lettre::message::{header::ContentType, Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::sync::Arc;
use tokio::sync::Notify;

/// The outbox as services see it: mails are queued in the caller's transaction
/// ([`enqueue`]), and once that has committed, [`Outbox::wake`] tells the delivery worker
/// not to wait for its next round.
#[derive(Clone, Default)]
pub struct Outbox {
    queued: Arc<Notify>,
}

impl Outbox {
    /// Call after the transaction that queued a mail has committed.
    pub fn wake(&self) {
        self.queued.notify_one();
    }

    /// Resolves when a mail has been queued since the worker last looked.
    pub async fn woken(&self) {
        self.queued.notified().await;
    }
}

pub struct OutgoingMail {
    pub to: String,
    pub subject: String,
    pub body_text: String,
    /// The same content as HTML; `None` for a mail with a text part only.
    pub body_html: Option<String>,
}

/// Queues `mail` at `now`, in the caller's transaction.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    mail: OutgoingMail,
    now: i64,
) -> Result<(), StorageError> {
    outbox::ActiveModel {
        recipient: Set(mail.to),
        subject: Set(mail.subject),
        body_text: Set(mail.body_text),
        body_html: Set(mail.body_html),
        created_at: Set(now),
        attempts: Set(0),
        next_attempt_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(storage("queueing a mail"))?;
    Ok(())
}

/// A mail queued by a part of one larger PostgreSQL statement (a `WITH` part), one for each
/// row of `source` (a `FROM` list, with `WHERE` conditions if any), as [`enqueue`] queues one.
/// The recipient, the subject, the two bodies and the time are SQL expressions.
pub fn postgres_enqueue_for_each(source: &str, [to, subject, text, html, at]: [&str; 5]) -> String {
    format!(
        "INSERT INTO outbox (recipient, subject, body_text, body_html, created_at, attempts, \
         next_attempt_at) \
         SELECT {to}, {subject}, {text}, {html}, {at}, 0, {at} FROM {source}"
    )
}

/// An absolute time in JST, as students read it in mails.
pub fn format_jst(ms: i64, lang: Lang) -> String {
    let time = to_jst(ms);
    match lang {
        Lang::Ja => time.format("%Y年%m月%d日 %H:%M（日本時間）").to_string(),
        Lang::En => time.format("%Y-%m-%d %H:%M JST (UTC+9)").to_string(),
    }
}

/// What a mail says, rendered by the templates in `backend/templates/mail/` as a text part and
/// an HTML part with the same content (and the same link).
struct Content<'a> {
    lang: &'a str,
    subject: &'a str,
    university: &'a str,
    lead: &'a str,
    link: Option<Link<'a>>,
    when: Option<String>,
    footer: &'a str,
}

struct Link<'a> {
    url: &'a str,
    expiry_label: &'a str,
    expiry: String,
}

#[derive(askama::Template)]
#[template(path = "mail/mail.txt")]
struct TextPart<'a>(&'a Content<'a>);

#[derive(askama::Template)]
#[template(path = "mail/mail.html")]
struct HtmlPart<'a>(&'a Content<'a>);

impl<'a> std::ops::Deref for TextPart<'a> {
    type Target = Content<'a>;
    fn deref(&self) -> &Content<'a> {
        self.0
    }
}

impl<'a> std::ops::Deref for HtmlPart<'a> {
    type Target = Content<'a>;
    fn deref(&self) -> &Content<'a> {
        self.0
    }
}

impl Content<'_> {
    fn into_mail(self, to: &str) -> OutgoingMail {
        use askama::Template;
        // The templates have no fallible parts; a failure would be a bug in them.
        let body_text = TextPart(&self).render().expect("the text template renders") + "\n";
        let body_html = HtmlPart(&self).render().expect("the HTML template renders");
        OutgoingMail {
            to: to.to_owned(),
            subject: self.subject.to_owned(),
            body_text,
            body_html: Some(body_html),
        }
    }
}

/// A mail that carries a one-time URL and its absolute expiry.
pub fn link_mail(
    lang: Lang,
    university: &str,
    to: &str,
    (subject, intro): (MailMsg, MailMsg),
    url: &str,
    expires_at: i64,
) -> OutgoingMail {
    let lead = intro.text(lang);
    link_mail_with_lead(lang, university, to, (subject, lead), url, expires_at)
}

/// A link mail whose lead has something filled in.
pub fn link_mail_with_lead(
    lang: Lang,
    university: &str,
    to: &str,
    (subject, lead): (MailMsg, &str),
    url: &str,
    expires_at: i64,
) -> OutgoingMail {
    Content {
        lang: lang.code(),
        subject: subject.text(lang),
        university,
        lead,
        link: Some(Link {
            url,
            expiry_label: MailMsg::MailExpiryLabel.text(lang),
            expiry: format_jst(expires_at, lang),
        }),
        when: None,
        footer: MailMsg::MailFooter.text(lang),
    }
    .into_mail(to)
}

/// A notice about something done to the account, with the time it was done.
pub fn notice_mail(
    lang: Lang,
    university: &str,
    to: &str,
    (subject, body): (MailMsg, MailMsg),
    at: i64,
) -> OutgoingMail {
    let footer = MailMsg::MailNotYouFooter;
    timed_mail(lang, university, to, (subject, body.text(lang), footer), at)
}

/// A mail about money: its own lead (amounts filled in), the time, and a receipt's footer.
pub fn statement_mail(
    lang: Lang,
    university: &str,
    to: &str,
    subject: MailMsg,
    lead: &str,
    at: i64,
) -> OutgoingMail {
    let footer = MailMsg::MailReceiptFooter;
    timed_mail(lang, university, to, (subject, lead, footer), at)
}

/// A mail without a link that says when what it tells happened.
fn timed_mail(
    lang: Lang,
    university: &str,
    to: &str,
    (subject, lead, footer): (MailMsg, &str, MailMsg),
    at: i64,
) -> OutgoingMail {
    Content {
        lang: lang.code(),
        subject: subject.text(lang),
        university,
        lead,
        link: None,
        when: Some(format_jst(at, lang)),
        footer: footer.text(lang),
    }
    .into_mail(to)
}

/// What one delivery round did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    pub sent: usize,
    pub retrying: usize,
    pub failed: usize,
}

/// Longest wait between two attempts of one mail.
const MAX_BACKOFF_MS: i64 = 5 * 60 * 1000;
/// How long a worker owns a mail it is sending before another may take it over.
const LEASE_MS: i64 = 2 * 60 * 1000;

fn backoff_ms(attempts: i32) -> i64 {
    let exponent = attempts.clamp(0, 16) as u32;
    (1000i64 << exponent).min(MAX_BACKOFF_MS)
}

/// Sends every due mail once. Each mail is claimed with a lease first, so two instances
/// never send the same mail at the same time.
pub async fn deliver_due(
    db: &DatabaseConnection,
    smtp: &AsyncSmtpTransport<Tokio1Executor>,
    from: &Mailbox,
) -> Result<DeliveryReport, StorageError> {
    let now = now_ms();
    let due = outbox::Entity::find()
        .filter(outbox::Column::SentAt.is_null())
        .filter(outbox::Column::FailedAt.is_null())
        .filter(outbox::Column::NextAttemptAt.lte(now))
        .filter(
            Condition::any()
                .add(outbox::Column::LockedUntil.is_null())
                .add(outbox::Column::LockedUntil.lt(now)),
        )
        .order_by_asc(outbox::Column::Id)
        .limit(50)
        .all(db)
        .await
        .map_err(storage("reading the outbox"))?;

    let mut report = DeliveryReport::default();
    for mail in due {
        let claimed = outbox::Entity::update_many()
            .col_expr(outbox::Column::LockedUntil, Expr::value(now + LEASE_MS))
            .filter(outbox::Column::Id.eq(mail.id))
            .filter(outbox::Column::SentAt.is_null())
            .filter(
                Condition::any()
                    .add(outbox::Column::LockedUntil.is_null())
                    .add(outbox::Column::LockedUntil.lt(now)),
            )
            .exec(db)
            .await
            .map_err(storage("claiming a mail"))?;
        if claimed.rows_affected != 1 {
            continue;
        }
        let attempts = mail.attempts + 1;
        let mut update: outbox::ActiveModel = mail.clone().into();
        update.attempts = Set(attempts);
        update.locked_until = Set(None);
        match send(smtp, from, &mail).await {
            Ok(()) => {
                update.sent_at = Set(Some(now_ms()));
                update.last_error = Set(None);
                // A sent mail's one-time URL lives on in the student's mailbox only: the text
                // is kept without it, the HTML part (the same content) not at all.
                update.body_text = Set(without_links(&mail.body_text));
                update.body_html = Set(None);
                report.sent += 1;
            }
            Err(SendError::Permanent(reason)) => {
                tracing::error!(mail_id = mail.id, %reason, "mail refused permanently");
                update.failed_at = Set(Some(now_ms()));
                update.last_error = Set(Some(reason));
                report.failed += 1;
            }
            Err(SendError::Transient(reason)) => {
                tracing::warn!(mail_id = mail.id, attempts, %reason, "mail will be retried");
                update.next_attempt_at = Set(now_ms() + backoff_ms(mail.attempts));
                update.last_error = Set(Some(reason));
                report.retrying += 1;
            }
        }
        update.update(db).await.map_err(storage("recording a delivery"))?;
    }
    Ok(report)
}

/// What replaces a link in a mail kept after it was sent.
pub const LINK_REMOVED: &str = "[link removed once sent]";

/// The mail's text with every URL line replaced: the outbox keeps who was told what and when,
/// but no live one-time URL once the mail has left.
pub fn without_links(body: &str) -> String {
    body.lines()
        .map(|line| {
            let trimmed = line.trim();
            if trimmed.starts_with("http://") || trimmed.starts_with("https://") {
                LINK_REMOVED
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

enum SendError {
    Permanent(String),
    Transient(String),
}

async fn send(
    smtp: &AsyncSmtpTransport<Tokio1Executor>,
    from: &Mailbox,
    mail: &outbox::Model,
) -> Result<(), SendError> {
    let to: Mailbox = mail
        .recipient
        .parse()
        .map_err(|err| SendError::Permanent(format!("bad recipient: {err}")))?;
    let builder = Message::builder().from(from.clone()).to(to).subject(mail.subject.clone());
    let message = match &mail.body_html {
        Some(html) => builder.multipart(MultiPart::alternative_plain_html(
            mail.body_text.clone(),
            html.clone(),
        )),
        None => builder.header(ContentType::TEXT_PLAIN).body(mail.body_text.clone()),
    }
    .map_err(|err| SendError::Permanent(format!("unbuildable message: {err}")))?;
    match smtp.send(message).await {
        Ok(_) => Ok(()),
        Err(err) if err.is_permanent() => Err(SendError::Permanent(err.to_string())),
        Err(err) => Err(SendError::Transient(err.to_string())),
    }
}

/// The newest `limit` mails, sent or not, newest first (for the development mailbox).
pub async fn newest(
    db: &impl ConnectionTrait,
    limit: u64,
) -> Result<Vec<outbox::Model>, StorageError> {
    outbox::Entity::find()
        .order_by_desc(outbox::Column::Id)
        .limit(limit)
        .all(db)
        .await
        .map_err(storage("reading the development mailbox"))
}

/// Mails the SMTP server refused for good, newest first (for the operator's `shomei mail
/// failed`).
pub async fn failed(db: &impl ConnectionTrait) -> Result<Vec<outbox::Model>, sea_orm::DbErr> {
    outbox::Entity::find()
        .filter(outbox::Column::FailedAt.is_not_null())
        .order_by_desc(outbox::Column::Id)
        .all(db)
        .await
}

/// Puts a refused mail back in the queue, e.g. after a full mailbox was emptied. Says whether
/// there was such a mail.
pub async fn retry_failed(db: &impl ConnectionTrait, id: i32) -> Result<bool, sea_orm::DbErr> {
    let requeued = outbox::Entity::update_many()
        .col_expr(outbox::Column::FailedAt, Expr::value(Option::<i64>::None))
        .col_expr(outbox::Column::NextAttemptAt, Expr::value(now_ms()))
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::FailedAt.is_not_null())
        .exec(db)
        .await?;
    Ok(requeued.rows_affected == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sent_mail_keeps_its_text_but_not_its_link() {
        let body = "大学\n\nintro\n\nhttps://shomei.example/demo/email/confirm?token=abc\n\nfooter";
        let kept = without_links(body);
        assert!(!kept.contains("token=") && !kept.contains("https://"));
        assert!(kept.contains("intro") && kept.contains(LINK_REMOVED));
    }

    #[test]
    fn retries_back_off_up_to_five_minutes() {
        assert_eq!(backoff_ms(0), 1000);
        assert_eq!(backoff_ms(3), 8000);
        assert_eq!(backoff_ms(30), MAX_BACKOFF_MS);
    }

    #[test]
    fn expiry_is_shown_in_japan_time() {
        // 2026-11-24 06:00 UTC is 15:00 in Japan.
        let ms = 1_795_500_000_000 - (1_795_500_000_000 % 86_400_000) + 6 * 3_600_000;
        assert!(format_jst(ms, Lang::Ja).contains("15:00（日本時間）"));
        assert!(format_jst(ms, Lang::En).ends_with("15:00 JST (UTC+9)"));
    }

    #[test]
    fn a_link_mail_reads_as_before_and_its_html_part_holds_the_same_link() {
        let url = "https://shomei.example/demo/email/confirm?token=abc_DEF-123";
        let ms = 1_795_500_000_000;
        let texts = (MailMsg::MailEmailSubject, MailMsg::MailEmailBody);

        let mail = link_mail(
            Lang::Ja,
            "デモ大学 <本校>",
            "s1@example.ac.jp",
            texts,
            url,
            ms,
        );

        let expected = format!(
            "デモ大学 <本校>\n\n{}\n\n{url}\n\n{}: {}\n\n{}\n",
            MailMsg::MailEmailBody.text(Lang::Ja),
            MailMsg::MailExpiryLabel.text(Lang::Ja),
            format_jst(ms, Lang::Ja),
            MailMsg::MailFooter.text(Lang::Ja),
        );
        assert_eq!(mail.body_text, expected);
        let html = mail.body_html.expect("an HTML part");
        assert!(html.contains(&format!("<a href=\"{url}\"")), "{html}");
        assert!(
            html.contains("デモ大学 &#60;本校&#62;") || html.contains("デモ大学 &lt;本校&gt;"),
            "{html}"
        );
        assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<html lang=\"ja\">"));
    }

    #[test]
    fn a_notice_reads_as_before_with_its_time() {
        let ms = 1_795_500_000_000;
        let texts = (MailMsg::MailResetDoneSubject, MailMsg::MailResetDoneBody);

        let mail = notice_mail(Lang::En, "Demo University", "s1@example.ac.jp", texts, ms);

        let expected = format!(
            "Demo University\n\n{}\n\n{}\n\n{}\n",
            MailMsg::MailResetDoneBody.text(Lang::En),
            format_jst(ms, Lang::En),
            MailMsg::MailNotYouFooter.text(Lang::En),
        );
        assert_eq!(mail.body_text, expected);
        assert!(mail.body_html.expect("an HTML part").contains(&format_jst(ms, Lang::En)));
    }
}
