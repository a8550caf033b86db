//! The development gateway's sender: it expires konbini slips past their deadline and POSTs
//! each queued notice, signed, to the address the top-up named, until it is answered 2xx
//! (after 2, 4, 8 … seconds, at most an hour apart). Notices live in the database, so a
//! restart of the server sends what was not yet answered.

use backend::wallet::dev_gateway::DevGateway;
use std::time::Duration;

/// How often the sender looks for due notices.
const ROUND: Duration = Duration::from_millis(500);

pub async fn run(gateway: DevGateway) {
    let client = match reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
    {
        Ok(client) => client,
        Err(err) => {
            tracing::error!(error = %err, "the development gateway cannot send notices");
            return;
        }
    };
    loop {
        if let Err(err) = gateway.expire_due().await {
            tracing::warn!(error = ?err, "development gateway: expiring slips failed");
        }
        let due = gateway.due_notices(20).await.unwrap_or_default();
        for notice in due {
            let (id, timestamp, signature) = gateway.signed_notice(&notice.notice_id, &notice.body);
            let answered = client
                .post(&notice.notify_url)
                .header("content-type", "application/json")
                .header("webhook-id", id)
                .header("webhook-timestamp", timestamp)
                .header("webhook-signature", signature)
                .body(notice.body.clone())
                .send()
                .await
                .map(|response| response.status().is_success())
                .unwrap_or(false);
            if !answered {
                tracing::info!(notice = %notice.notice_id, attempts = notice.attempts + 1, "development gateway: notice not answered, sent again later");
            }
            if let Err(err) = gateway.delivered(&notice, answered).await {
                tracing::warn!(error = ?err, "development gateway: recording a delivery failed");
            }
        }
        tokio::time::sleep(ROUND).await;
    }
}
