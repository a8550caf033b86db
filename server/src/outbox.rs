//! The mail worker: sends what the outbox holds, retrying with backoff while SMTP is down.

use backend::platform::outbox::deliver_due;
use backend::platform::outbox::Outbox;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, Tokio1Executor};
use sea_orm::DatabaseConnection;
use secrecy::{ExposeSecret, SecretString};
use std::time::Duration;

/// How often the worker looks for mails that became due (retries) without being woken.
const POLL_INTERVAL: Duration = Duration::from_millis(500);

pub fn transport(
    smtp_url: &SecretString,
) -> Result<AsyncSmtpTransport<Tokio1Executor>, lettre::transport::smtp::Error> {
    Ok(
        AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url.expose_secret())?
            .timeout(Some(Duration::from_secs(15)))
            .build(),
    )
}

/// Runs until the process ends. Woken at once when a request queues a mail.
pub async fn run(
    db: DatabaseConnection,
    smtp: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    outbox: Outbox,
) {
    loop {
        match deliver_due(&db, &smtp, &from).await {
            Ok(report) if report.sent + report.failed + report.retrying > 0 => {
                tracing::info!(?report, "outbox round");
                // More may be waiting beyond this round's batch.
                if report.sent > 0 {
                    continue;
                }
            }
            Ok(_) => {}
            Err(err) => tracing::error!(error = %err, "outbox round failed"),
        }
        tokio::select! {
            _ = outbox.woken() => {}
            _ = tokio::time::sleep(POLL_INTERVAL) => {}
        }
    }
}
