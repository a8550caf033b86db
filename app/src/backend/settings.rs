//! Typed settings the services read. Loading them (defaults, file, environment) is the
//! server binary's job.

use secrecy::SecretString;
use url::Url;

#[derive(Clone, Debug)]
pub struct Settings {
    /// Base of every link in mails, and the origin mutating requests must come from.
    pub public_url: Url,
    /// `smtp://host:port` (or `smtps://`, with credentials if needed). `None` enables the
    /// development mailbox instead of sending.
    pub smtp_url: Option<SecretString>,
    pub mail_from: String,
    /// Lifetime of one-time URLs unless the tenant sets its own.
    pub token_ttl_seconds: i64,
    pub session_idle_seconds: i64,
    pub session_absolute_seconds: i64,
    /// How many password hashes may run at once (defaults to the number of cores).
    pub hash_concurrency: usize,
}

impl Settings {
    pub fn new(public_url: Url) -> Self {
        Self {
            public_url,
            smtp_url: None,
            mail_from: "shomei <no-reply@localhost>".to_owned(),
            token_ttl_seconds: 30 * 60,
            session_idle_seconds: 30 * 60,
            session_absolute_seconds: 12 * 3600,
            hash_concurrency: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2),
        }
    }

    pub fn secure_cookies(&self) -> bool {
        self.public_url.scheme() == "https"
    }

    /// `scheme://host[:port]`, as browsers send it in the `Origin` header.
    pub fn public_origin(&self) -> String {
        self.public_url.origin().ascii_serialization()
    }

    pub fn dev_mailbox_enabled(&self) -> bool {
        self.smtp_url.is_none()
    }

    /// An absolute URL below the public base, e.g. `link("/demo/login")`.
    pub fn link(&self, path_and_query: &str) -> String {
        let base = self.public_url.as_str().trim_end_matches('/');
        format!("{base}{path_and_query}")
    }
}
