//! The operator's commands for money: `ledger verify|balance|adjust` and
//! `machine add|list|revoke`.

use anyhow::Context;
use backend::machines::Machines;
use backend::platform::audit::{self, Actor, Event, Subject};
use backend::platform::clock::Clock;
use backend::platform::clock::{jst, to_jst};
use backend::platform::Db;
use backend::registry;
use backend::tenancy;
use backend::wallet::dev_gateway::DevGateway;
use backend::wallet::{ledger, Wallet};
use chrono::{NaiveDate, TimeZone};
use clap::Subcommand;
use domain::{UserId, Yen};
use secrecy::{ExposeSecret, SecretString};

#[derive(Subcommand)]
pub enum LedgerCommand {
    /// Recompute every card balance from the postings and check that every transaction
    /// balances; exits non-zero on any difference.
    Verify,
    /// The unused card balance of a university at the end of a day (JST), as reported under
    /// the Payment Services Act for 31 March and 30 September.
    Balance {
        #[arg(long)]
        tenant: String,
        /// The day, YYYY-MM-DD.
        #[arg(long)]
        at: NaiveDate,
    },
    /// Correct a card balance: a new transaction against the adjustments account, never an
    /// edit. A positive amount adds to the card, a negative one takes from it.
    Adjust {
        #[arg(long)]
        tenant: String,
        #[arg(long = "user-id")]
        user_id: String,
        #[arg(long, allow_hyphen_values = true)]
        amount: i64,
        /// Why, in words the student's history may show.
        #[arg(long)]
        reason: String,
        /// The transaction this one corrects, if any.
        #[arg(long)]
        corrects: Option<i32>,
    },
}

#[derive(Subcommand)]
pub enum MachineCommand {
    /// Add a campus machine and print its API key (shown this once only).
    Add {
        #[arg(long)]
        tenant: String,
        /// Where it stands, e.g. "図書館1F".
        #[arg(long)]
        name: String,
    },
    /// List a university's machines (never their keys).
    List {
        #[arg(long)]
        tenant: String,
    },
    /// Revoke a machine's key for good.
    Revoke {
        #[arg(long)]
        tenant: String,
        id: i32,
    },
}

#[derive(Subcommand)]
pub enum DevGatewayCommand {
    /// Pay a konbini slip as if at the store (the running server then sends the notice).
    Pay {
        /// The payment number the student was given (12 digits), or the payment id (`pay_…`).
        payment: String,
    },
}

fn operator() -> Actor {
    Actor::new("operator".to_owned(), "shomei CLI")
}

async fn tenant(db: &Db, slug: &str) -> anyhow::Result<backend::entities::tenant::Model> {
    tenancy::find(db, slug).await?.with_context(|| format!("no tenant {slug:?}"))
}

pub async fn ledger(db: &Db, command: LedgerCommand) -> anyhow::Result<()> {
    match command {
        LedgerCommand::Verify => {
            let found = ledger::verify(db).await?;
            audit::record(db, &operator(), Event::LedgerVerified, Subject::default()).await;
            if found.is_empty() {
                println!("ledger sound: every transaction balances, every card balance is the sum of its postings");
                return Ok(());
            }
            for discrepancy in &found {
                println!("{discrepancy}");
            }
            anyhow::bail!("{} difference(s) in the ledger", found.len())
        }
        LedgerCommand::Balance { tenant: slug, at } => {
            let tenant = tenant(db, &slug).await?;
            let next_day = at.succ_opt().context("a date after that day")?;
            let until = jst()
                .from_local_datetime(&next_day.and_hms_opt(0, 0, 0).context("midnight")?)
                .single()
                .context("midnight in JST")?
                .timestamp_millis();
            let total = ledger::total_balance_until(db, tenant.id, until).await?;
            println!(
                "{}: unused card balance at the end of {at} (JST): {} yen",
                tenant.slug, total
            );
            Ok(())
        }
        LedgerCommand::Adjust {
            tenant: slug,
            user_id,
            amount,
            reason,
            corrects,
        } => {
            let tenant = tenant(db, &slug).await?;
            let reason = reason.trim();
            anyhow::ensure!(!reason.is_empty(), "a reason is required");
            anyhow::ensure!(
                amount.checked_abs().and_then(Yen::new).is_some(),
                "{amount} is not an amount of yen"
            );
            let user = UserId::parse(&user_id)
                .map_err(|_| anyhow::anyhow!("{user_id:?} is not a user ID"))?;
            let student = registry::by_user_id(db, tenant.id, &user)
                .await?
                .with_context(|| format!("no student {user_id:?} at {slug}"))?;
            let wallet = Wallet::new(db.clone());
            let id = wallet
                .adjust(tenant.id, student.id, amount, reason, "operator", corrects)
                .await?;
            audit::record(
                db,
                &operator(),
                Event::CardAdjusted,
                Subject {
                    tenant_id: Some(tenant.id),
                    user_id_key: Some(&user.key()),
                    ..Default::default()
                },
            )
            .await;
            let balance = wallet.balance(tenant.id, student.id).await?;
            println!(
                "transaction #{id}: {amount} yen on {user_id}'s card; balance now {balance} yen"
            );
            Ok(())
        }
    }
}

pub async fn machine(db: &Db, command: MachineCommand) -> anyhow::Result<()> {
    let machines = Machines::new(db.clone(), Wallet::new(db.clone()));
    match command {
        MachineCommand::Add { tenant: slug, name } => {
            let tenant = tenant(db, &slug).await?;
            anyhow::ensure!(!name.trim().is_empty(), "a machine needs a name");
            let (machine, key) = machines.add(tenant.id, &name).await?;
            println!(
                "added machine #{} ({}) at {}",
                machine.id, machine.name, tenant.slug
            );
            println!("API key (shown this once; keep it in the machine's configuration):");
            println!("{}", key.expose_secret());
            Ok(())
        }
        MachineCommand::List { tenant: slug } => {
            let tenant = tenant(db, &slug).await?;
            for machine in machines.list(tenant.id).await? {
                let state = match machine.revoked_at {
                    Some(at) => format!("revoked {}", to_jst(at).format("%Y-%m-%d %H:%M JST")),
                    None => "active".to_owned(),
                };
                println!(
                    "#{} {} (added {}, {state})",
                    machine.id,
                    machine.name,
                    to_jst(machine.created_at).format("%Y-%m-%d %H:%M JST")
                );
            }
            Ok(())
        }
        MachineCommand::Revoke { tenant: slug, id } => {
            let tenant = tenant(db, &slug).await?;
            machines
                .revoke(tenant.id, id)
                .await
                .with_context(|| format!("machine #{id} of {slug}"))?;
            println!("machine #{id} revoked: its key is refused from now on");
            Ok(())
        }
    }
}

pub async fn dev_gateway(db: &Db, command: DevGatewayCommand) -> anyhow::Result<()> {
    match command {
        DevGatewayCommand::Pay { payment } => {
            // Paying needs no signing key: the notice is signed when the server sends it.
            let gateway = DevGateway::new(
                db.clone(),
                Clock::system(),
                SecretString::from(String::new()),
            );
            anyhow::ensure!(
                gateway.pay_konbini(&payment).await?,
                "{payment} is no konbini payment waiting to be paid (unknown, paid, or past its deadline)"
            );
            audit::record(db, &operator(), Event::DevGatewayPaid, Subject::default()).await;
            println!("{payment} paid; the running server sends its notice to shomei shortly");
            Ok(())
        }
    }
}
