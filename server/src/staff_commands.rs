//! The operator's commands for staff: `staff add|list|disable|reset-factor`. Adding a member
//! and resetting a second factor mail a one-time set-up link; nothing secret is printed.

use anyhow::Context;
use backend::platform::audit::Actor;
use backend::platform::clock::to_jst;
use backend::platform::outbox::Outbox;
use backend::platform::passwords::Passwords;
use backend::platform::settings::Settings;
use backend::platform::Db;
use backend::staff::{NewStaff, Staff, StaffError};
use backend::tenancy;
use clap::Subcommand;
use domain::i18n::Lang;
use domain::StaffRole;

#[derive(Subcommand)]
pub enum StaffCommand {
    /// Add a staff member and mail them a one-time link to choose their password; the
    /// authenticator is set up at their first sign-in.
    Add {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        login: String,
        /// viewer (reads), clerk (also acts on students), admin (also staff and settings).
        #[arg(long)]
        role: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
    },
    /// List a university's staff members.
    List {
        #[arg(long)]
        tenant: String,
    },
    /// Disable a member for good (someone who left): their sessions end at once.
    Disable {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        login: String,
    },
    /// A lost authenticator: void it and the recovery codes, and mail a new set-up link.
    ResetFactor {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        login: String,
    },
}

fn operator() -> Actor {
    Actor::new("operator".to_owned(), "")
}

/// The service's words for a refusal, for the operator's terminal.
fn refusal(err: StaffError) -> anyhow::Error {
    match err {
        StaffError::Invalid { field, msg } => {
            anyhow::anyhow!("{field:?}: {}", msg.text(Lang::En))
        }
        other => anyhow::anyhow!("{other}"),
    }
}

pub async fn staff(db: &Db, settings: &Settings, command: StaffCommand) -> anyhow::Result<()> {
    let passwords = Passwords::new(settings.hash_concurrency, settings.hash_queue);
    let staff = crate::staff_handle(db, settings, passwords, Outbox::default());
    let find = |slug: String| async move {
        tenancy::find(db, &slug).await?.with_context(|| format!("no tenant {slug:?}"))
    };
    let member = |staff: Staff, tenant_id: i32, login: String| async move {
        staff
            .by_login_id(tenant_id, &login)
            .await
            .map_err(refusal)?
            .with_context(|| format!("no staff member {login:?}"))
    };
    match command {
        StaffCommand::Add {
            tenant,
            login,
            role,
            email,
            name,
        } => {
            let tenant = find(tenant).await?;
            let role = StaffRole::from_code(&role)
                .with_context(|| format!("no role {role:?}: viewer, clerk or admin"))?;
            let new = NewStaff {
                tenant_id: tenant.id,
                login_id: &login,
                name: &name,
                email: &email,
                role,
            };
            let link = staff.add(None, &operator(), new).await.map_err(refusal)?;
            println!(
                "staff member {login} ({}) added; a set-up link was mailed to {} (usable until {})",
                role.code(),
                link.email,
                to_jst(link.expires_at).format("%Y-%m-%d %H:%M JST")
            );
            Ok(())
        }
        StaffCommand::List { tenant } => {
            let tenant = find(tenant).await?;
            for row in staff.rows(tenant.id).await.map_err(refusal)? {
                let state = match (
                    row.disabled_at,
                    row.password_hash.is_some(),
                    row.totp_enabled_at,
                ) {
                    (Some(at), _, _) => format!("disabled {}", to_jst(at).format("%Y-%m-%d")),
                    (None, false, _) => "waiting for its set-up link".to_owned(),
                    (None, true, None) => "authenticator not set up".to_owned(),
                    (None, true, Some(_)) => "active".to_owned(),
                };
                println!(
                    "{} {} <{}> {} ({state})",
                    row.login_id, row.name, row.email, row.role
                );
            }
            Ok(())
        }
        StaffCommand::Disable { tenant, login } => {
            let tenant = find(tenant).await?;
            let found = member(staff.clone(), tenant.id, login.clone()).await?;
            staff.disable(None, &operator(), tenant.id, found.id).await.map_err(refusal)?;
            println!("staff member {login} disabled; their sessions have ended");
            Ok(())
        }
        StaffCommand::ResetFactor { tenant, login } => {
            let tenant = find(tenant).await?;
            let found = member(staff.clone(), tenant.id, login.clone()).await?;
            let link = staff
                .reset_second_factor(None, &operator(), tenant.id, found.id)
                .await
                .map_err(refusal)?;
            println!(
                "second factor of {login} reset; a new set-up link was mailed to {}",
                link.email
            );
            Ok(())
        }
    }
}
