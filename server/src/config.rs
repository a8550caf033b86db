//! Configuration: defaults, then an optional TOML file (`SHOMEI_CONFIG`), then environment
//! variables. Each key is declared once, as a field of its section below: `[section] key` in
//! the file is `SHOMEI_SECTION_KEY` in the environment (`[login] free_failures` is
//! `SHOMEI_LOGIN_FREE_FAILURES`), and the field's type carries its check. Secrets (the SMTP URL
//! may hold a password) stay in `SecretString`.

use backend::platform::settings::{PaymentGateway, ProxyNet, Settings};
use secrecy::SecretString;
use serde::Deserialize;
use std::path::Path;
use std::time::Duration;
use url::Url;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("could not read the configuration file {path}: {reason}")]
    File { path: String, reason: String },
    #[error("{name} ([{section}] {key} in the file) is not valid: {reason}")]
    Invalid {
        name: String,
        section: String,
        key: String,
        reason: String,
    },
    #[error("the configuration is not valid: {0}")]
    Shape(String),
}

/// Every key, by section. A key left out keeps the default of `Settings`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Sections {
    database: DatabaseSection,
    public: PublicSection,
    smtp: SmtpSection,
    mail: MailSection,
    dev: DevSection,
    token: TokenSection,
    session: SessionSection,
    hash: HashSection,
    login: LoginSection,
    client: ClientSection,
    trusted: TrustedSection,
    request: RequestSection,
    payment: PaymentSection,
    webhook: WebhookSection,
    pdf: PdfSection,
    keys: KeysSection,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct KeysSection {
    /// What the universities' signing keys are sealed with and verification codes keyed with.
    secret: Option<KeySecretText>,
}

/// A key secret: 32 characters or more.
#[derive(Debug, Deserialize)]
#[serde(try_from = "String")]
struct KeySecretText(SecretString);

impl TryFrom<String> for KeySecretText {
    type Error = String;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        let secret = SecretString::from(text);
        match backend::certificates::KeySecret::new(&secret) {
            Some(_) => Ok(Self(secret)),
            None => Err(format!(
                "must be {} characters or more",
                backend::certificates::MIN_KEY_SECRET_CHARS
            )),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct PdfSection {
    /// The TrueType font certificates are set in (subset into each PDF).
    font: Option<std::path::PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct PaymentSection {
    /// The gateway of card top-ups: `dev` (the built-in development gateway). Unset: online
    /// top-up is not offered.
    gateway: Option<GatewayName>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct WebhookSection {
    /// The secret the gateway signs its notices with.
    secret: Option<SecretText>,
}

/// A payment gateway this build knows.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(try_from = "String")]
struct GatewayName(PaymentGateway);

impl TryFrom<String> for GatewayName {
    type Error = String;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        PaymentGateway::from_code(&text)
            .map(Self)
            .ok_or_else(|| format!("{text:?} is no payment gateway of this build (built in: dev)"))
    }
}

/// A secret of at least 16 characters.
#[derive(Clone, Debug, Deserialize)]
#[serde(try_from = "String")]
struct SecretText(SecretString);

impl TryFrom<String> for SecretText {
    type Error = String;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        if text.trim().len() < 16 {
            return Err("must be at least 16 characters".to_owned());
        }
        Ok(Self(SecretString::from(text.trim().to_owned())))
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct DatabaseSection {
    /// `sqlite://path?mode=rwc` or `postgres://user@host/db`.
    url: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct PublicSection {
    /// The base of the links in mails and the only origin allowed to POST.
    url: Option<WebUrl>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct SmtpSection {
    url: Option<SmtpUrl>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct MailSection {
    from: Option<MailFrom>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct DevSection {
    /// The development mailbox at `/dev/mailbox`.
    mailbox: Option<Switch>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct TokenSection {
    ttl_seconds: Option<Positive>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct SessionSection {
    idle_seconds: Option<Positive>,
    absolute_seconds: Option<Positive>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct HashSection {
    concurrency: Option<Positive>,
    queue: Option<Count>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct LoginSection {
    free_failures: Option<Count>,
    delay_seconds: Option<Positive>,
    max_delay_seconds: Option<Positive>,
    device_failures: Option<Count>,
    page_cache_seconds: Option<Count>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct ClientSection {
    requests_per_minute: Option<Count>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct TrustedSection {
    /// Addresses or networks, separated by commas or spaces.
    proxies: Option<Proxies>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RequestSection {
    deadline_seconds: Option<Positive>,
}

impl Sections {
    /// Puts every value that is set into `settings`, keeping the defaults of the others.
    fn apply(self, settings: &mut Settings) {
        fn set<T>(value: Option<T>, into: &mut T) {
            if let Some(value) = value {
                *into = value;
            }
        }
        let throttle = &mut settings.login_throttle;
        set(self.smtp.url.map(|url| Some(url.0)), &mut settings.smtp_url);
        set(self.dev.mailbox.map(|on| on.0), &mut settings.dev_mailbox);
        set(
            self.payment.gateway.map(|name| Some(name.0)),
            &mut settings.payment_gateway,
        );
        set(
            self.webhook.secret.map(|secret| Some(secret.0)),
            &mut settings.webhook_secret,
        );
        set(self.mail.from.map(|from| from.0), &mut settings.mail_from);
        set(self.pdf.font, &mut settings.pdf_font);
        set(
            self.keys.secret.map(|secret| Some(secret.0)),
            &mut settings.keys_secret,
        );
        set(
            self.token.ttl_seconds.map(|n| n.0),
            &mut settings.token_ttl_seconds,
        );
        set(
            self.session.idle_seconds.map(|n| n.0),
            &mut settings.session_idle_seconds,
        );
        set(
            self.session.absolute_seconds.map(|n| n.0),
            &mut settings.session_absolute_seconds,
        );
        set(
            self.hash.concurrency.map(|n| n.0 as usize),
            &mut settings.hash_concurrency,
        );
        set(
            self.hash.queue.map(|n| n.0 as usize),
            &mut settings.hash_queue,
        );
        set(
            self.login.free_failures.map(|n| n.at_most(1000) as i32),
            &mut throttle.free_failures,
        );
        set(
            self.login.delay_seconds.map(|n| n.0),
            &mut throttle.base_delay_seconds,
        );
        set(
            self.login.max_delay_seconds.map(|n| n.0),
            &mut throttle.max_delay_seconds,
        );
        set(
            self.login.device_failures.map(|n| n.at_most(1000) as i32),
            &mut throttle.device_failures,
        );
        set(
            self.login.page_cache_seconds.map(|n| n.0 as u64),
            &mut settings.login_page_cache_seconds,
        );
        set(
            self.client.requests_per_minute.map(|n| n.at_most(u32::MAX as i64) as u32),
            &mut settings.client_requests_per_minute,
        );
        set(
            self.trusted.proxies.map(|list| list.0),
            &mut settings.trusted_proxies,
        );
        set(
            self.request.deadline_seconds.map(|n| Duration::from_secs(n.0 as u64)),
            &mut settings.request_deadline,
        );
    }
}

/// A whole number greater than zero.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(try_from = "i64")]
struct Positive(i64);

impl TryFrom<i64> for Positive {
    type Error = &'static str;
    fn try_from(value: i64) -> Result<Self, Self::Error> {
        if value > 0 {
            Ok(Self(value))
        } else {
            Err("must be greater than zero")
        }
    }
}

/// A whole number, zero or more.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(try_from = "i64")]
struct Count(i64);

impl Count {
    fn at_most(self, most: i64) -> i64 {
        self.0.min(most)
    }
}

impl TryFrom<i64> for Count {
    type Error = &'static str;
    fn try_from(value: i64) -> Result<Self, Self::Error> {
        if value >= 0 {
            Ok(Self(value))
        } else {
            Err("must not be negative")
        }
    }
}

/// On or off: `true`/`false` in the file; `1`/`0`, `on`/`off`, `yes`/`no` too in either.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(try_from = "toml::Value")]
struct Switch(bool);

impl TryFrom<toml::Value> for Switch {
    type Error = String;
    fn try_from(value: toml::Value) -> Result<Self, Self::Error> {
        let on = match &value {
            toml::Value::Boolean(on) => Some(*on),
            toml::Value::Integer(1) => Some(true),
            toml::Value::Integer(0) => Some(false),
            toml::Value::String(text) => match text.trim().to_ascii_lowercase().as_str() {
                "1" | "true" | "on" | "yes" => Some(true),
                "0" | "false" | "off" | "no" => Some(false),
                _ => None,
            },
            _ => None,
        };
        on.map(Self).ok_or_else(|| format!("{value} is neither on nor off (1 or 0)"))
    }
}

/// An `http://` or `https://` address.
#[derive(Clone, Debug, Deserialize)]
#[serde(try_from = "String")]
struct WebUrl(Url);

impl TryFrom<String> for WebUrl {
    type Error = String;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        let url = Url::parse(&text).map_err(|err| err.to_string())?;
        match url.scheme() {
            "http" | "https" => Ok(Self(url)),
            _ => Err("must start with http:// or https://".to_owned()),
        }
    }
}

/// An `smtp://` or `smtps://` address, which may hold a password.
#[derive(Clone, Debug, Deserialize)]
#[serde(try_from = "String")]
struct SmtpUrl(SecretString);

impl TryFrom<String> for SmtpUrl {
    type Error = String;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        let url = Url::parse(&text).map_err(|err| err.to_string())?;
        match url.scheme() {
            "smtp" | "smtps" => Ok(Self(SecretString::from(text))),
            _ => Err("must start with smtp:// or smtps://".to_owned()),
        }
    }
}

/// The sender of every mail: an address, optionally with a name (`shomei <no-reply@…>`).
#[derive(Clone, Debug, Deserialize)]
#[serde(try_from = "String")]
struct MailFrom(String);

impl TryFrom<String> for MailFrom {
    type Error = String;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        match text.parse::<lettre::message::Mailbox>() {
            Ok(_) => Ok(Self(text)),
            Err(_) => Err(format!("{text:?} is not a mail address")),
        }
    }
}

/// Addresses or networks (`10.0.0.0/8, ::1`), separated by commas or spaces.
#[derive(Clone, Debug, Deserialize)]
#[serde(try_from = "String")]
struct Proxies(Vec<ProxyNet>);

impl TryFrom<String> for Proxies {
    type Error = String;
    fn try_from(list: String) -> Result<Self, Self::Error> {
        list.split(|c: char| c == ',' || c.is_whitespace())
            .filter(|item| !item.is_empty())
            .map(|item| {
                ProxyNet::parse(item)
                    .ok_or_else(|| format!("{item:?} is not an address or network like 10.0.0.0/8"))
            })
            .collect::<Result<_, _>>()
            .map(Self)
    }
}

#[derive(Clone, Debug)]
pub struct Config {
    pub database_url: SecretString,
    pub settings: Settings,
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://shomei.db?mode=rwc";

impl Config {
    /// Reads the file named by `SHOMEI_CONFIG` (if any) and the environment.
    pub fn load(site_addr: &str) -> Result<Self, ConfigError> {
        let file = match std::env::var("SHOMEI_CONFIG") {
            Ok(path) => read_file(Path::new(&path))?,
            Err(_) => toml::Table::new(),
        };
        Self::from_sources(file, std::env::vars(), site_addr)
    }

    fn from_sources(
        file: toml::Table,
        env: impl IntoIterator<Item = (String, String)>,
        site_addr: &str,
    ) -> Result<Self, ConfigError> {
        let sections: Sections =
            serde_path_to_error::deserialize(layered(file, env)).map_err(|err| {
                let keys: Vec<String> = err
                    .path()
                    .iter()
                    .filter_map(|segment| match segment {
                        serde_path_to_error::Segment::Map { key } => Some(key.clone()),
                        _ => None,
                    })
                    .collect();
                match keys.as_slice() {
                    [section, key] => invalid(section, key, err.inner().message()),
                    _ => ConfigError::Shape(format!("{}: {}", err.path(), err.inner().message())),
                }
            })?;

        let public_url = match &sections.public.url {
            Some(url) => url.0.clone(),
            None => {
                let url = format!("http://{site_addr}");
                Url::parse(&url).map_err(|err| invalid("public", "url", &err.to_string()))?
            }
        };
        let database_url = sections.database.url.clone();
        let mut settings = Settings::new(public_url);
        sections.apply(&mut settings);
        if settings.dev_mailbox && settings.secure_cookies() {
            // An https public URL means real students: every mail's live link must never be
            // one page away from them.
            return Err(invalid(
                "dev",
                "mailbox",
                "the development mailbox cannot be on when SHOMEI_PUBLIC_URL is https",
            ));
        }
        if settings.payment_gateway == Some(PaymentGateway::Dev) && settings.secure_cookies() {
            // The development gateway credits any test card number: with real students it
            // would mint money.
            return Err(invalid(
                "payment",
                "gateway",
                "the development gateway cannot be used when SHOMEI_PUBLIC_URL is https",
            ));
        }
        Ok(Self {
            database_url: SecretString::from(
                database_url.unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned()),
            ),
            settings,
        })
    }
}

fn invalid(section: &str, key: &str, reason: &str) -> ConfigError {
    ConfigError::Invalid {
        name: format!("SHOMEI_{section}_{key}").to_ascii_uppercase(),
        section: section.to_owned(),
        key: key.to_owned(),
        reason: reason.to_owned(),
    }
}

/// The file's table with every `SHOMEI_<SECTION>_<KEY>` variable of the environment laid over
/// it. Variables of no section (`SHOMEI_LOG`, `SHOMEI_CONFIG`) are not configuration keys;
/// an empty variable counts as unset, as it always has.
fn layered(mut file: toml::Table, env: impl IntoIterator<Item = (String, String)>) -> toml::Value {
    let sections = section_names();
    for (name, value) in env {
        let Some(rest) = name.strip_prefix("SHOMEI_") else {
            continue;
        };
        let rest = rest.to_ascii_lowercase();
        let found = sections.iter().find_map(|section| {
            let key = rest.strip_prefix(section)?.strip_prefix('_')?;
            Some((*section, key.to_owned()))
        });
        let (Some((section, key)), false) = (found, value.trim().is_empty()) else {
            continue;
        };
        let value = match value.trim().parse::<i64>() {
            Ok(number) => toml::Value::Integer(number),
            Err(_) => toml::Value::String(value),
        };
        let table = file.entry(section).or_insert_with(|| toml::Value::Table(toml::Table::new()));
        if let toml::Value::Table(table) = table {
            table.insert(key, value);
        }
    }
    toml::Value::Table(file)
}

/// The section names, as serde's derive of `Sections` lists its fields: read once from the
/// derive, so a new section needs no second mention here.
fn section_names() -> &'static [&'static str] {
    use serde::de::{Error, Visitor};

    #[derive(Debug)]
    struct Listed;
    impl std::fmt::Display for Listed {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("fields listed")
        }
    }
    impl std::error::Error for Listed {}
    impl Error for Listed {
        fn custom<T: std::fmt::Display>(_: T) -> Self {
            Listed
        }
    }
    /// A deserializer that only notes which fields the struct asks for.
    struct FieldNames<'a>(&'a mut &'static [&'static str]);
    impl<'de> serde::Deserializer<'de> for FieldNames<'_> {
        type Error = Listed;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Listed> {
            Err(Listed)
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            fields: &'static [&'static str],
            _visitor: V,
        ) -> Result<V::Value, Listed> {
            *self.0 = fields;
            Err(Listed)
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }
    let mut names: &'static [&'static str] = &[];
    let _ = Sections::deserialize(FieldNames(&mut names));
    names
}

/// What the operator should hear at start: settings that are allowed but most likely wrong.
pub fn warnings(settings: &Settings) -> Vec<&'static str> {
    let mut warnings = Vec::new();
    if settings.secure_cookies() && settings.trusted_proxies.is_empty() {
        // https is almost always ended by a proxy in front; without it listed, every client
        // has the proxy's address and shares one per-address limit and one audit address.
        warnings.push(
            "SHOMEI_PUBLIC_URL is https but SHOMEI_TRUSTED_PROXIES is empty: behind a proxy, \
             every client shares the proxy's address (one rate limit, one audit address)",
        );
    }
    warnings
}

fn read_file(path: &Path) -> Result<toml::Table, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|err| ConfigError::File {
        path: path.display().to_string(),
        reason: err.to_string(),
    })?;
    toml::from_str(&text).map_err(|err| ConfigError::File {
        path: path.display().to_string(),
        reason: err.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    fn load(file: &str, env: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let env = env.iter().map(|(k, v)| (k.to_string(), v.to_string()));
        Config::from_sources(toml::from_str(file).unwrap(), env, "127.0.0.1:3000")
    }

    #[test]
    fn without_settings_it_runs_on_a_sqlite_file_and_the_development_mailbox_is_off() {
        let config = load("", &[]).unwrap();
        assert_eq!(config.database_url.expose_secret(), DEFAULT_DATABASE_URL);
        assert_eq!(
            config.settings.public_url.as_str(),
            "http://127.0.0.1:3000/"
        );
        assert!(!config.settings.dev_mailbox_enabled());
    }

    #[test]
    fn the_development_mailbox_is_on_only_when_asked_and_never_over_https() {
        let on = load("", &[("SHOMEI_DEV_MAILBOX", "1")]).unwrap();
        assert!(on.settings.dev_mailbox_enabled());
        let from_file = load("[dev]\nmailbox = true", &[]).unwrap();
        assert!(from_file.settings.dev_mailbox_enabled());

        let over_https = load(
            "",
            &[
                ("SHOMEI_DEV_MAILBOX", "1"),
                ("SHOMEI_PUBLIC_URL", "https://shomei.example.ac.jp"),
            ],
        )
        .unwrap_err();
        assert!(over_https.to_string().starts_with("SHOMEI_DEV_MAILBOX"));
        let unclear = load("", &[("SHOMEI_DEV_MAILBOX", "maybe")]).unwrap_err();
        assert!(unclear.to_string().starts_with("SHOMEI_DEV_MAILBOX"));
    }

    #[test]
    fn the_development_gateway_is_on_only_when_named_and_never_over_https() {
        assert_eq!(load("", &[]).unwrap().settings.payment_gateway, None);
        let named = load("", &[("SHOMEI_PAYMENT_GATEWAY", "dev")]).unwrap();
        assert_eq!(named.settings.payment_gateway, Some(PaymentGateway::Dev));

        let over_https = load(
            "",
            &[
                ("SHOMEI_PAYMENT_GATEWAY", "dev"),
                ("SHOMEI_PUBLIC_URL", "https://shomei.example.ac.jp"),
            ],
        )
        .unwrap_err();
        assert!(over_https.to_string().starts_with("SHOMEI_PAYMENT_GATEWAY"));
        let unknown = load("", &[("SHOMEI_PAYMENT_GATEWAY", "paypay")]).unwrap_err();
        assert!(unknown.to_string().contains("built in: dev"), "{unknown}");
        let short = load("", &[("SHOMEI_WEBHOOK_SECRET", "short")]).unwrap_err();
        assert!(short.to_string().starts_with("SHOMEI_WEBHOOK_SECRET"));
        let short_keys = load(
            "",
            &[("SHOMEI_KEYS_SECRET", "thirty-one characters, no more")],
        );
        assert!(short_keys.unwrap_err().to_string().starts_with("SHOMEI_KEYS_SECRET"));
        let keys = load("", &[("SHOMEI_KEYS_SECRET", &"k".repeat(32))]).unwrap();
        assert!(keys.settings.keys_secret.is_some());
    }

    #[test]
    fn the_environment_overrides_the_file() {
        let config = load(
            "[public]\nurl = \"https://file.example\"\n[token]\nttl_seconds = 600",
            &[("SHOMEI_PUBLIC_URL", "https://env.example")],
        )
        .unwrap();
        assert_eq!(config.settings.public_origin(), "https://env.example");
        assert_eq!(config.settings.token_ttl_seconds, 600);
        assert!(config.settings.secure_cookies());
    }

    #[test]
    fn limits_and_trusted_proxies_are_read() {
        let config = load(
            "[trusted]\nproxies = \"10.0.0.0/8, ::1\"\n[login]\nfree_failures = 2\ndevice_failures = 1",
            &[
                ("SHOMEI_CLIENT_REQUESTS_PER_MINUTE", "0"),
                ("SHOMEI_HASH_QUEUE", "3"),
                ("SHOMEI_REQUEST_DEADLINE_SECONDS", "12"),
                ("SHOMEI_LOGIN_PAGE_CACHE_SECONDS", "0"),
            ],
        )
        .unwrap();
        let settings = config.settings;
        assert_eq!(settings.trusted_proxies.len(), 2);
        assert_eq!(settings.login_throttle.free_failures, 2);
        assert_eq!(settings.login_throttle.device_failures, 1);
        assert_eq!(settings.client_requests_per_minute, 0);
        assert_eq!(settings.hash_queue, 3);
        assert_eq!(settings.request_deadline.as_secs(), 12);
        assert_eq!(settings.login_page_cache_seconds, 0);
        let err = load("", &[("SHOMEI_TRUSTED_PROXIES", "proxy.example")]).unwrap_err();
        assert!(err.to_string().starts_with("SHOMEI_TRUSTED_PROXIES"));
    }

    #[test]
    fn https_without_a_trusted_proxy_is_warned_about() {
        let https = load("", &[("SHOMEI_PUBLIC_URL", "https://shomei.example.ac.jp")]).unwrap();
        let proxied = load(
            "[trusted]\nproxies = \"10.0.0.1\"",
            &[("SHOMEI_PUBLIC_URL", "https://shomei.example.ac.jp")],
        )
        .unwrap();
        let local = load("", &[]).unwrap();

        assert_eq!(warnings(&https.settings).len(), 1);
        assert!(warnings(&https.settings)[0].contains("SHOMEI_TRUSTED_PROXIES"));
        assert!(warnings(&proxied.settings).is_empty());
        assert!(warnings(&local.settings).is_empty());
    }

    #[test]
    fn a_bad_value_names_its_variable() {
        let err = load("", &[("SHOMEI_SMTP_URL", "http://mail")]).unwrap_err();
        assert!(err.to_string().starts_with("SHOMEI_SMTP_URL"));
        let err = load("", &[("SHOMEI_TOKEN_TTL_SECONDS", "soon")]).unwrap_err();
        assert!(err.to_string().starts_with("SHOMEI_TOKEN_TTL_SECONDS"));
    }

    #[test]
    fn a_bad_value_in_the_file_names_its_section_and_key_and_says_why() {
        let err = load("[login]\nfree_failures = -1", &[]).unwrap_err();

        let text = err.to_string();
        assert!(
            text.starts_with("SHOMEI_LOGIN_FREE_FAILURES ([login] free_failures"),
            "{text}"
        );
        assert!(text.ends_with("must not be negative"), "{text}");
    }

    #[test]
    fn a_key_the_file_does_not_know_is_refused_not_ignored() {
        let misspelt = load("[login]\nfree_failure = 2", &[]).unwrap_err();
        let flat = load("login_free_failures = 2", &[]).unwrap_err();

        assert!(misspelt.to_string().contains("free_failure"), "{misspelt}");
        assert!(flat.to_string().contains("login_free_failures"), "{flat}");
    }

    #[test]
    fn other_shomei_variables_are_not_configuration_keys() {
        let config = load(
            "",
            &[
                ("SHOMEI_LOG", "debug"),
                ("SHOMEI_CONFIG", "/etc/shomei.toml"),
                ("SHOMEI_TEST_DATABASE", "postgres"),
                ("SHOMEI_SESSION_IDLE_SECONDS", ""),
            ],
        );

        assert_eq!(config.unwrap().settings.session_idle_seconds, 1800);
    }

    #[test]
    fn every_section_is_found_for_its_variables() {
        let config = load(
            "",
            &[
                ("SHOMEI_DATABASE_URL", "postgres://db.example/shomei"),
                ("SHOMEI_SMTP_URL", "smtp://127.0.0.1:2525"),
                ("SHOMEI_MAIL_FROM", "office <office@example.ac.jp>"),
                ("SHOMEI_SESSION_ABSOLUTE_SECONDS", "7200"),
                ("SHOMEI_HASH_CONCURRENCY", "3"),
                ("SHOMEI_LOGIN_DELAY_SECONDS", "7"),
                ("SHOMEI_LOGIN_MAX_DELAY_SECONDS", "70"),
            ],
        )
        .unwrap();

        assert_eq!(
            config.database_url.expose_secret(),
            "postgres://db.example/shomei"
        );
        let settings = config.settings;
        assert!(settings.smtp_url.is_some());
        assert_eq!(settings.mail_from, "office <office@example.ac.jp>");
        assert_eq!(settings.session_absolute_seconds, 7200);
        assert_eq!(settings.hash_concurrency, 3);
        assert_eq!(settings.login_throttle.base_delay_seconds, 7);
        assert_eq!(settings.login_throttle.max_delay_seconds, 70);
    }
}
