//! Configuration: defaults, then an optional TOML file (`SHOMEI_CONFIG`), then environment
//! variables. Secrets (the SMTP URL may hold a password) stay in `SecretString`.

use backend::platform::settings::{ProxyNet, Settings};
use secrecy::SecretString;
use serde::Deserialize;
use std::path::Path;
use url::Url;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("could not read the configuration file {path}: {reason}")]
    File { path: String, reason: String },
    #[error("{name} is not valid: {reason}")]
    Invalid { name: &'static str, reason: String },
}

/// The keys of the configuration file; each has an environment variable `SHOMEI_<KEY>`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    database_url: Option<String>,
    public_url: Option<String>,
    smtp_url: Option<String>,
    dev_mailbox: Option<bool>,
    mail_from: Option<String>,
    token_ttl_seconds: Option<i64>,
    session_idle_seconds: Option<i64>,
    session_absolute_seconds: Option<i64>,
    hash_concurrency: Option<usize>,
    hash_queue: Option<usize>,
    login_free_failures: Option<i64>,
    login_delay_seconds: Option<i64>,
    login_max_delay_seconds: Option<i64>,
    login_device_failures: Option<i64>,
    client_requests_per_minute: Option<i64>,
    /// Addresses or networks, separated by commas or spaces.
    trusted_proxies: Option<String>,
    login_page_cache_seconds: Option<i64>,
    request_deadline_seconds: Option<i64>,
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
            Err(_) => FileConfig::default(),
        };
        Self::from_sources(file, |name| std::env::var(name).ok(), site_addr)
    }

    fn from_sources(
        file: FileConfig,
        env: impl Fn(&str) -> Option<String>,
        site_addr: &str,
    ) -> Result<Self, ConfigError> {
        let string = |name: &'static str, from_file: Option<String>| {
            env(name).filter(|v| !v.trim().is_empty()).or(from_file)
        };
        let number = |name: &'static str,
                      from_file: Option<i64>|
         -> Result<Option<i64>, ConfigError> {
            match env(name).filter(|v| !v.trim().is_empty()) {
                Some(value) => value.trim().parse().map(Some).map_err(|_| ConfigError::Invalid {
                    name,
                    reason: format!("{value:?} is not a whole number"),
                }),
                None => Ok(from_file),
            }
        };

        let public_url_text = string("SHOMEI_PUBLIC_URL", file.public_url)
            .unwrap_or_else(|| format!("http://{site_addr}"));
        let public_url = Url::parse(&public_url_text).map_err(|err| ConfigError::Invalid {
            name: "SHOMEI_PUBLIC_URL",
            reason: err.to_string(),
        })?;
        if !matches!(public_url.scheme(), "http" | "https") {
            return Err(ConfigError::Invalid {
                name: "SHOMEI_PUBLIC_URL",
                reason: "must start with http:// or https://".to_owned(),
            });
        }
        let mut settings = Settings::new(public_url);

        if let Some(smtp) = string("SHOMEI_SMTP_URL", file.smtp_url) {
            let parsed = Url::parse(&smtp).map_err(|err| ConfigError::Invalid {
                name: "SHOMEI_SMTP_URL",
                reason: err.to_string(),
            })?;
            if !matches!(parsed.scheme(), "smtp" | "smtps") {
                return Err(ConfigError::Invalid {
                    name: "SHOMEI_SMTP_URL",
                    reason: "must start with smtp:// or smtps://".to_owned(),
                });
            }
            settings.smtp_url = Some(SecretString::from(smtp));
        }
        settings.dev_mailbox = match env("SHOMEI_DEV_MAILBOX").filter(|v| !v.trim().is_empty()) {
            Some(value) => match value.trim() {
                "1" | "true" | "on" | "yes" => true,
                "0" | "false" | "off" | "no" => false,
                other => {
                    return Err(ConfigError::Invalid {
                        name: "SHOMEI_DEV_MAILBOX",
                        reason: format!("{other:?} is neither on nor off (1 or 0)"),
                    })
                }
            },
            None => file.dev_mailbox.unwrap_or(false),
        };
        if settings.dev_mailbox && settings.secure_cookies() {
            // An https public URL means real students: every mail's live link must never be
            // one page away from them.
            return Err(ConfigError::Invalid {
                name: "SHOMEI_DEV_MAILBOX",
                reason: "the development mailbox cannot be on when SHOMEI_PUBLIC_URL is https"
                    .to_owned(),
            });
        }
        if let Some(from) = string("SHOMEI_MAIL_FROM", file.mail_from) {
            if from.parse::<lettre::message::Mailbox>().is_err() {
                return Err(ConfigError::Invalid {
                    name: "SHOMEI_MAIL_FROM",
                    reason: format!("{from:?} is not a mail address"),
                });
            }
            settings.mail_from = from;
        }
        let positive = |name: &'static str, value: Option<i64>, into: &mut i64| match value {
            Some(v) if v <= 0 => Err(ConfigError::Invalid {
                name,
                reason: "must be greater than zero".to_owned(),
            }),
            Some(v) => {
                *into = v;
                Ok(())
            }
            None => Ok(()),
        };
        positive(
            "SHOMEI_TOKEN_TTL_SECONDS",
            number("SHOMEI_TOKEN_TTL_SECONDS", file.token_ttl_seconds)?,
            &mut settings.token_ttl_seconds,
        )?;
        positive(
            "SHOMEI_SESSION_IDLE_SECONDS",
            number("SHOMEI_SESSION_IDLE_SECONDS", file.session_idle_seconds)?,
            &mut settings.session_idle_seconds,
        )?;
        positive(
            "SHOMEI_SESSION_ABSOLUTE_SECONDS",
            number(
                "SHOMEI_SESSION_ABSOLUTE_SECONDS",
                file.session_absolute_seconds,
            )?,
            &mut settings.session_absolute_seconds,
        )?;
        let mut concurrency = settings.hash_concurrency as i64;
        positive(
            "SHOMEI_HASH_CONCURRENCY",
            number(
                "SHOMEI_HASH_CONCURRENCY",
                file.hash_concurrency.map(|n| n as i64),
            )?,
            &mut concurrency,
        )?;
        settings.hash_concurrency = concurrency as usize;
        let at_least_zero = |name: &'static str, value: Option<i64>| match value {
            Some(v) if v < 0 => Err(ConfigError::Invalid {
                name,
                reason: "must not be negative".to_owned(),
            }),
            other => Ok(other),
        };
        let to_i64 = |v: Option<usize>| v.map(|n| n as i64);
        if let Some(queue) = at_least_zero(
            "SHOMEI_HASH_QUEUE",
            number("SHOMEI_HASH_QUEUE", to_i64(file.hash_queue))?,
        )? {
            settings.hash_queue = queue as usize;
        }
        let throttle = &mut settings.login_throttle;
        if let Some(free) = at_least_zero(
            "SHOMEI_LOGIN_FREE_FAILURES",
            number("SHOMEI_LOGIN_FREE_FAILURES", file.login_free_failures)?,
        )? {
            throttle.free_failures = free.min(1000) as i32;
        }
        positive(
            "SHOMEI_LOGIN_DELAY_SECONDS",
            number("SHOMEI_LOGIN_DELAY_SECONDS", file.login_delay_seconds)?,
            &mut throttle.base_delay_seconds,
        )?;
        positive(
            "SHOMEI_LOGIN_MAX_DELAY_SECONDS",
            number(
                "SHOMEI_LOGIN_MAX_DELAY_SECONDS",
                file.login_max_delay_seconds,
            )?,
            &mut throttle.max_delay_seconds,
        )?;
        if let Some(failures) = at_least_zero(
            "SHOMEI_LOGIN_DEVICE_FAILURES",
            number("SHOMEI_LOGIN_DEVICE_FAILURES", file.login_device_failures)?,
        )? {
            settings.login_throttle.device_failures = failures.min(1000) as i32;
        }
        if let Some(per_minute) = at_least_zero(
            "SHOMEI_CLIENT_REQUESTS_PER_MINUTE",
            number(
                "SHOMEI_CLIENT_REQUESTS_PER_MINUTE",
                file.client_requests_per_minute,
            )?,
        )? {
            settings.client_requests_per_minute = per_minute.min(u32::MAX as i64) as u32;
        }
        if let Some(seconds) = at_least_zero(
            "SHOMEI_LOGIN_PAGE_CACHE_SECONDS",
            number(
                "SHOMEI_LOGIN_PAGE_CACHE_SECONDS",
                file.login_page_cache_seconds,
            )?,
        )? {
            settings.login_page_cache_seconds = seconds as u64;
        }
        let mut deadline_seconds = settings.request_deadline.as_secs() as i64;
        positive(
            "SHOMEI_REQUEST_DEADLINE_SECONDS",
            number(
                "SHOMEI_REQUEST_DEADLINE_SECONDS",
                file.request_deadline_seconds,
            )?,
            &mut deadline_seconds,
        )?;
        settings.request_deadline = std::time::Duration::from_secs(deadline_seconds as u64);
        if let Some(list) = string("SHOMEI_TRUSTED_PROXIES", file.trusted_proxies) {
            settings.trusted_proxies = list
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|item| !item.is_empty())
                .map(|item| {
                    ProxyNet::parse(item).ok_or_else(|| ConfigError::Invalid {
                        name: "SHOMEI_TRUSTED_PROXIES",
                        reason: format!("{item:?} is not an address or network like 10.0.0.0/8"),
                    })
                })
                .collect::<Result<_, _>>()?;
        }

        let database_url = string("SHOMEI_DATABASE_URL", file.database_url)
            .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned());
        Ok(Self {
            database_url: SecretString::from(database_url),
            settings,
        })
    }
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

fn read_file(path: &Path) -> Result<FileConfig, ConfigError> {
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
    use std::collections::HashMap;

    fn load(file: &str, env: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let env: HashMap<String, String> =
            env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_sources(
            toml::from_str(file).unwrap(),
            |name| env.get(name).cloned(),
            "127.0.0.1:3000",
        )
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
        let from_file = load("dev_mailbox = true", &[]).unwrap();
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
    fn the_environment_overrides_the_file() {
        let config = load(
            "public_url = \"https://file.example\"\ntoken_ttl_seconds = 600",
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
            "trusted_proxies = \"10.0.0.0/8, ::1\"\nlogin_free_failures = 2\nlogin_device_failures = 1",
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
            "trusted_proxies = \"10.0.0.1\"",
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
}
