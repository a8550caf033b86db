//! Typed settings the services read. Loading them (defaults, file, environment) is the
//! server binary's job.

use secrecy::SecretString;
use std::net::IpAddr;
use url::Url;

/// Growing delays after failed logins of one user ID. The defaults trip at the 5th failure,
/// well before a typical university directory locks an account (often 10 in 30 minutes), so
/// guessing through shomei cannot lock a student out of the university's other services.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginThrottle {
    /// Failures allowed before the first delay.
    pub free_failures: i32,
    /// The first delay; each further failure doubles it.
    pub base_delay_seconds: i64,
    pub max_delay_seconds: i64,
    /// A user ID without failures for this long starts again from zero.
    pub forget_after_seconds: i64,
    /// Wrong logins a browser that logged in as the student before may make before its
    /// device cookie is revoked; such a browser does not wait for the per-ID delay.
    pub device_failures: i32,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        Self {
            free_failures: 4,
            base_delay_seconds: 30,
            max_delay_seconds: 15 * 60,
            forget_after_seconds: 24 * 3600,
            device_failures: 3,
        }
    }
}

impl LoginThrottle {
    /// How long logins wait after the `failures`-th failure in a row.
    pub fn delay_seconds(&self, failures: i32) -> i64 {
        let over = failures - self.free_failures;
        if over <= 0 {
            return 0;
        }
        let doubled = self.base_delay_seconds.saturating_mul(1i64 << (over - 1).min(30));
        doubled.min(self.max_delay_seconds)
    }
}

/// An address or network (`10.0.0.0/8`, `::1`) whose `X-Forwarded-For` is believed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProxyNet {
    addr: IpAddr,
    prefix: u8,
}

impl ProxyNet {
    pub fn parse(text: &str) -> Option<Self> {
        let (addr, prefix) = match text.split_once('/') {
            Some((addr, prefix)) => (addr.parse::<IpAddr>().ok()?, prefix.parse::<u8>().ok()?),
            None => {
                let addr = text.parse::<IpAddr>().ok()?;
                (addr, if addr.is_ipv4() { 32 } else { 128 })
            }
        };
        let max = if addr.is_ipv4() { 32 } else { 128 };
        (prefix <= max).then_some(Self { addr, prefix })
    }

    pub fn contains(&self, other: IpAddr) -> bool {
        // A proxy may report IPv4 clients as IPv4-mapped IPv6 addresses.
        let other = match other {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(other),
            v4 => v4,
        };
        let same_prefix = |mine: u128, theirs: u128, width: u32| {
            let prefix = u32::from(self.prefix);
            prefix == 0 || (mine ^ theirs) >> (width - prefix) == 0
        };
        match (self.addr, other) {
            (IpAddr::V4(mine), IpAddr::V4(theirs)) => {
                same_prefix(u32::from(mine).into(), u32::from(theirs).into(), 32)
            }
            (IpAddr::V6(mine), IpAddr::V6(theirs)) => same_prefix(mine.into(), theirs.into(), 128),
            _ => false,
        }
    }
}

/// The payment gateway that takes card top-ups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaymentGateway {
    /// The built-in development gateway: test card numbers, money for anyone. Never on by
    /// accident: only when the operator names it, and never with an https public URL.
    Dev,
}

impl PaymentGateway {
    pub fn from_code(code: &str) -> Option<PaymentGateway> {
        match code.trim() {
            "dev" => Some(PaymentGateway::Dev),
            _ => None,
        }
    }
}

/// Where Debian installs IPAex Mincho, the certificates' default type.
pub const IPAEX_MINCHO: &str = "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf";

#[derive(Clone, Debug)]
pub struct Settings {
    /// Base of every link in mails, and the origin mutating requests must come from.
    pub public_url: Url,
    /// `smtp://host:port` (or `smtps://`, with credentials if needed). `None`: mails stay in
    /// the outbox (shown by the development mailbox, if it is on).
    pub smtp_url: Option<SecretString>,
    /// The development mailbox at `/dev/mailbox`: on only when the operator says so, served
    /// only to this machine, never with an https public URL (see the server's configuration).
    pub dev_mailbox: bool,
    pub mail_from: String,
    /// Lifetime of one-time URLs unless the tenant sets its own.
    pub token_ttl_seconds: i64,
    pub session_idle_seconds: i64,
    pub session_absolute_seconds: i64,
    /// How many password hashes may run at once: the threads that hash (defaults to one per
    /// core; each takes the next waiting hash itself, so the cores stay busy in a login storm;
    /// see docs/PERFORMANCE.md).
    pub hash_concurrency: usize,
    /// How many more may wait; beyond that, 503 with `Retry-After`.
    pub hash_queue: usize,
    pub login_throttle: LoginThrottle,
    /// Mutating requests one client address may send per minute (0: no limit).
    pub client_requests_per_minute: u32,
    /// Proxies whose `X-Forwarded-For` names the client; nobody else's is believed.
    pub trusted_proxies: Vec<ProxyNet>,
    /// How long a rendered login page is served from memory (0: render every time).
    pub login_page_cache_seconds: u64,
    /// How long one request may take before it is abandoned with 503.
    pub request_deadline: std::time::Duration,
    /// Where card top-ups are paid; `None`: online top-up is not offered yet.
    pub payment_gateway: Option<PaymentGateway>,
    /// The secret the gateway signs its notices with. The development gateway makes one up
    /// at each start when none is set (it signs and checks in this one process).
    pub webhook_secret: Option<SecretString>,
    /// The TrueType font certificates are set in (IPAex Mincho from Debian's
    /// `fonts-ipaexfont-mincho` unless configured).
    pub pdf_font: std::path::PathBuf,
    /// What the universities' signing keys are sealed with and verification codes keyed
    /// with (32 characters or more). `None`: nothing can be signed, so no PDF certificate can
    /// be issued.
    pub keys_secret: Option<SecretString>,
}

impl Settings {
    pub fn new(public_url: Url) -> Self {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        Self {
            public_url,
            smtp_url: None,
            dev_mailbox: false,
            mail_from: "shomei <no-reply@localhost>".to_owned(),
            token_ttl_seconds: 30 * 60,
            session_idle_seconds: 30 * 60,
            session_absolute_seconds: 12 * 3600,
            hash_concurrency: cores,
            hash_queue: 8 * cores,
            login_throttle: LoginThrottle::default(),
            // Generous: a campus network may put many students behind one address.
            client_requests_per_minute: 300,
            trusted_proxies: Vec::new(),
            login_page_cache_seconds: 5,
            request_deadline: std::time::Duration::from_secs(30),
            payment_gateway: None,
            webhook_secret: None,
            pdf_font: std::path::PathBuf::from(IPAEX_MINCHO),
            keys_secret: None,
        }
    }

    /// Whether cookies must carry `Secure`: the public URL is https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.scheme() == "https"
    }

    /// `scheme://host[:port]`, as browsers send it in the `Origin` header.
    pub fn public_origin(&self) -> String {
        self.public_url.origin().ascii_serialization()
    }

    pub fn dev_mailbox_enabled(&self) -> bool {
        self.dev_mailbox
    }

    /// An absolute URL below the public base, e.g. `link("/demo/login")`.
    pub fn link(&self, path_and_query: &str) -> String {
        let base = self.public_url.as_str().trim_end_matches('/');
        format!("{base}{path_and_query}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proxy_network_contains_its_addresses_only() {
        let net = ProxyNet::parse("10.1.0.0/16").unwrap();
        assert!(net.contains("10.1.200.3".parse().unwrap()));
        assert!(net.contains("::ffff:10.1.0.9".parse().unwrap()));
        assert!(!net.contains("10.2.0.1".parse().unwrap()));
        let one = ProxyNet::parse("::1").unwrap();
        assert!(one.contains("::1".parse().unwrap()));
        assert!(!one.contains("127.0.0.1".parse().unwrap()));
        assert!(ProxyNet::parse("10.0.0.0/33").is_none());
        assert!(ProxyNet::parse("proxy.example").is_none());
    }

    #[test]
    fn delays_start_after_the_free_failures_and_double_up_to_the_cap() {
        let throttle = LoginThrottle::default();
        let delays: Vec<i64> = (1..=11).map(|n| throttle.delay_seconds(n)).collect();
        assert_eq!(delays, [0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900]);
        assert_eq!(throttle.delay_seconds(i32::MAX), 900);
    }
}
