//! The operator's commands for the universities' signing keys: `keys rotate|list`. A rotation
//! makes a new current key and retires the old one, whose public key stays published (what it
//! signed still verifies). The private keys open only with the configured key secret
//! (`SHOMEI_KEYS_SECRET`).

use anyhow::Context;
use backend::certificates::{KeySecret, SigningKeys};
use backend::platform::clock::{to_jst, Clock};
use backend::platform::settings::Settings;
use backend::tenancy;
use clap::Subcommand;
use sea_orm::DatabaseConnection;

#[derive(Subcommand)]
pub enum KeysCommand {
    /// Make a new current signing key for a university; the old one is retired, never deleted.
    Rotate {
        #[arg(long)]
        tenant: String,
    },
    /// List a university's public keys, current and retired.
    List {
        #[arg(long)]
        tenant: String,
    },
}

pub async fn keys(
    db: &DatabaseConnection,
    settings: &Settings,
    command: KeysCommand,
) -> anyhow::Result<()> {
    let keys = SigningKeys {
        db: db.clone(),
        clock: Clock::system(),
        secret: settings.keys_secret.as_ref().and_then(KeySecret::new),
    };
    match command {
        KeysCommand::Rotate { tenant } => {
            let tenant = tenancy::find(db, &tenant)
                .await?
                .with_context(|| format!("no tenant {tenant:?}"))?;
            let operator = backend::platform::audit::Actor::new("operator".to_owned(), "");
            let key = keys.rotate(tenant.id, &operator).await.with_context(|| {
                "set SHOMEI_KEYS_SECRET (32 characters or more) to the key secret the server uses"
            })?;
            println!(
                "{}: new signing key {} (the one before it is retired and stays published)",
                tenant.slug, key.kid
            );
            Ok(())
        }
        KeysCommand::List { tenant } => {
            let tenant = tenancy::find(db, &tenant)
                .await?
                .with_context(|| format!("no tenant {tenant:?}"))?;
            for key in keys.public_keys(Some(tenant.id)).await? {
                let made = to_jst(key.created_at).format("%Y-%m-%d %H:%M JST");
                let state = key.retired_at.map_or_else(
                    || "current".to_owned(),
                    |at| format!("retired {}", to_jst(at).format("%Y-%m-%d %H:%M JST")),
                );
                println!("{}  made {made}  {state}  x={}", key.kid, key.x());
            }
            Ok(())
        }
    }
}
