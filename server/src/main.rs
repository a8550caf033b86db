//! `shomei`: the server and the operator's commands.

// Leptos view types nest deeply; computing their layout needs a deeper limit.
#![recursion_limit = "256"]

use anyhow::Context;
use app::routes::Page;
use backend::platform::clock::to_jst;
use backend::platform::{audit, outbox as mail};
use backend::registry::{check_csv, check_grades, import_csv, import_grades};
use backend::tenancy::{self, NewTenant, TenantChanges};
use clap::{Parser, Subcommand};
use domain::PasswordPolicy;
use leptos::config::get_configuration;
use leptos::prelude::LeptosOptions;
use server::catalogue_commands::{self, CatalogueCommand};
use server::config::Config;
use server::keys_commands::{self, KeysCommand};
use server::money_commands::{self, DevGatewayCommand, LedgerCommand, MachineCommand};
use server::staff_commands::{self, StaffCommand};
use server::{build_state, connect_and_migrate, demo, serve};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "shomei",
    version,
    about = "Certificate issuance service for universities"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web service (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Manage universities (tenants).
    Tenant {
        #[command(subcommand)]
        command: TenantCommand,
    },
    /// Manage the student registry.
    Students {
        #[command(subcommand)]
        command: StudentsCommand,
    },
    /// Students' course results, which transcripts list.
    Grades {
        #[command(subcommand)]
        command: GradesCommand,
    },
    /// Create the university `demo` with a few students and print their credentials.
    Demo,
    /// Mails the SMTP server refused for good.
    Mail {
        #[command(subcommand)]
        command: MailCommand,
    },
    /// Show a university's audit log (logins, throttling, changes of address and password).
    Audit {
        #[arg(long)]
        tenant: String,
        /// How many of the newest events to show.
        #[arg(long, default_value_t = 50)]
        limit: u64,
    },
    /// The card balances' ledger: verify it, report the unused balance, correct a card.
    Ledger {
        #[command(subcommand)]
        command: LedgerCommand,
    },
    /// The built-in development payment gateway.
    DevGateway {
        #[command(subcommand)]
        command: DevGatewayCommand,
    },
    /// Campus issuing machines and their API keys.
    Machine {
        #[command(subcommand)]
        command: MachineCommand,
    },
    /// University staff and their console accounts.
    Staff {
        #[command(subcommand)]
        command: StaffCommand,
    },
    /// The certificate catalogue: types, delivery methods and fees, the office's closures.
    Catalogue {
        #[command(subcommand)]
        command: CatalogueCommand,
    },
    /// The universities' signing keys (certificates anyone can verify).
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
}

#[derive(Subcommand)]
enum MailCommand {
    /// List mails refused permanently, with the server's answer.
    Failed,
    /// Queue a refused mail again (e.g. after the mailbox was fixed).
    Retry { id: i32 },
}

/// A portal origin list and password policy, shared by `tenant add` and `tenant set`.
#[derive(clap::Args, Default)]
struct SecurityArgs {
    /// An origin of the university portal that may show the login page in a frame
    /// (repeat for several), e.g. https://portal.example.ac.jp.
    #[arg(long = "portal-origin")]
    portal_origins: Vec<String>,
    /// `manual` (the manual's rule, the default) or `long` (ASVS 5.0 / NIST: 15+ characters).
    #[arg(long, value_parser = parse_policy)]
    password_policy: Option<PasswordPolicy>,
}

fn parse_policy(text: &str) -> Result<PasswordPolicy, String> {
    PasswordPolicy::from_code(text).ok_or_else(|| "use `manual` or `long`".to_owned())
}

/// The university's card and its top-up limits (whole yen).
#[derive(clap::Args, Default)]
struct CardArgs {
    /// What the university calls its student card, e.g. "M.I.C" (the home page then reads
    /// `M.I.Cオンラインチャージ`); "" for the default.
    #[arg(long)]
    card_name: Option<String>,
    #[arg(long)]
    top_up_min: Option<i64>,
    #[arg(long)]
    top_up_max: Option<i64>,
    /// The most a card may hold (default 30,000 yen).
    #[arg(long)]
    balance_max: Option<i64>,
}

#[derive(Subcommand)]
enum TenantCommand {
    /// Add a university. Its login page is then /<slug>/login.
    Add {
        slug: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        name_en: Option<String>,
        /// Text of the 注意事項 (notes) block, in Japanese.
        #[arg(long)]
        notes_ja: Option<String>,
        #[arg(long)]
        notes_en: Option<String>,
        /// Help-desk contact shown on every page (phone, hours), in Japanese.
        #[arg(long)]
        helpdesk_ja: Option<String>,
        #[arg(long)]
        helpdesk_en: Option<String>,
        /// Lifetime of one-time URLs for this university (default: SHOMEI_TOKEN_TTL_SECONDS).
        #[arg(long)]
        token_ttl_seconds: Option<i64>,
        #[command(flatten)]
        security: SecurityArgs,
    },
    /// Change a university's portal origins or password policy.
    Set {
        slug: String,
        #[command(flatten)]
        security: SecurityArgs,
        /// Remove every portal origin (the login page then may not be framed at all).
        #[arg(long, conflicts_with = "portal_origins")]
        no_portal_origins: bool,
        #[command(flatten)]
        card: CardArgs,
    },
}

#[derive(Subcommand)]
enum StudentsCommand {
    /// Import (add or update by user_id) students from a CSV file with a header row.
    Import {
        #[arg(long)]
        tenant: String,
        file: PathBuf,
        /// Only check the file: report its first error or its number of students.
        #[arg(long)]
        check: bool,
    },
}

#[derive(Subcommand)]
enum GradesCommand {
    /// Import course results (for transcripts) from a CSV file: each student the file names
    /// gets exactly the file's results; other students keep theirs.
    Import {
        #[arg(long)]
        tenant: String,
        file: PathBuf,
        /// Only check the file: report its first error or its number of results.
        #[arg(long)]
        check: bool,
    },
}

fn leptos_options() -> LeptosOptions {
    // cargo-leptos bakes these settings in; a plain `cargo build` falls back to the same
    // defaults as Cargo.toml's metadata.
    match get_configuration(None) {
        Ok(conf) => conf.leptos_options,
        Err(_) => LeptosOptions::builder()
            .output_name("shomei")
            .site_root(std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into()))
            .site_addr(
                std::env::var("LEPTOS_SITE_ADDR")
                    .ok()
                    .and_then(|a| a.parse::<std::net::SocketAddr>().ok())
                    .unwrap_or_else(|| ([127, 0, 0, 1], 3000).into()),
            )
            .build(),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SHOMEI_LOG")
                .unwrap_or_else(|_| server::DEFAULT_LOG_FILTER.into()),
        )
        .init();
    match run(Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // `{:#}`: what failed, then why, on one line.
            eprintln!("shomei: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let options = leptos_options();
    let config = Config::load(&options.site_addr.to_string())?;
    let db = connect_and_migrate(&config.database_url).await.map_err(anyhow::Error::msg)?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            for warning in server::config::warnings(&config.settings) {
                tracing::warn!("{warning}");
            }
            let addr = options.site_addr;
            let state = build_state(options, db, config.settings).context(
                "install fonts-ipaexfont-mincho (scripts/setup.sh does) or set SHOMEI_PDF_FONT",
            )?;
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("could not listen on {addr}"))?;
            tracing::info!("listening on http://{addr}");
            Ok(serve(listener, state).await?)
        }
        Command::Migrate => {
            println!("migrations applied");
            Ok(())
        }
        Command::Tenant {
            command:
                TenantCommand::Add {
                    slug,
                    name,
                    name_en,
                    notes_ja,
                    notes_en,
                    helpdesk_ja,
                    helpdesk_en,
                    token_ttl_seconds,
                    security,
                },
        } => {
            let tenant = tenancy::add(
                &db,
                NewTenant {
                    slug,
                    name,
                    name_en,
                    notes_ja,
                    notes_en,
                    helpdesk_ja,
                    helpdesk_en,
                    token_ttl_seconds,
                    portal_origins: security.portal_origins,
                    password_policy: security.password_policy,
                },
            )
            .await?;
            println!(
                "added {} ({}): {}",
                tenant.slug,
                tenant.name,
                config.settings.link(&Page::Login.href(&tenant.slug))
            );
            Ok(())
        }
        Command::Tenant {
            command:
                TenantCommand::Set {
                    slug,
                    security,
                    no_portal_origins,
                    card,
                },
        } => {
            let portal_origins = if no_portal_origins {
                Some(Vec::new())
            } else {
                Some(security.portal_origins).filter(|o| !o.is_empty())
            };
            let changes = TenantChanges {
                portal_origins,
                password_policy: security.password_policy,
                card_name: card.card_name,
                top_up_min: card.top_up_min,
                top_up_max: card.top_up_max,
                balance_max: card.balance_max,
            };
            let tenant = tenancy::change(&db, &slug, changes).await?;
            println!(
                "{}: portal origins [{}], password policy {}, card {:?}, top-ups {}–{} yen, balance at most {} yen",
                tenant.slug,
                tenancy::portal_origins(&tenant).join(" "),
                tenancy::password_policy(&tenant).code(),
                tenancy::card_name(&tenant, domain::i18n::Lang::Ja),
                tenant.top_up_min,
                tenant.top_up_max,
                tenant.balance_max
            );
            Ok(())
        }
        Command::Mail {
            command: MailCommand::Failed,
        } => {
            let failed = mail::failed(&db).await?;
            println!("{} mail(s) refused permanently", failed.len());
            for row in failed {
                println!(
                    "#{} {} to {} after {} attempt(s): {:?}\n    {}",
                    row.id,
                    to_jst(row.failed_at.unwrap_or_default()).format("%Y-%m-%d %H:%M:%S JST"),
                    row.recipient,
                    row.attempts,
                    row.subject,
                    row.last_error.unwrap_or_default()
                );
            }
            Ok(())
        }
        Command::Mail {
            command: MailCommand::Retry { id },
        } => {
            if mail::retry_failed(&db, id).await? {
                println!("mail #{id} queued again; a running server sends it shortly");
                Ok(())
            } else {
                anyhow::bail!("no refused mail #{id}")
            }
        }
        Command::Ledger { command } => money_commands::ledger(&db, command).await,
        Command::Machine { command } => money_commands::machine(&db, command).await,
        Command::Staff { command } => staff_commands::staff(&db, &config.settings, command).await,
        Command::Catalogue { command } => catalogue_commands::catalogue(&db, command).await,
        Command::Keys { command } => keys_commands::keys(&db, &config.settings, command).await,
        Command::DevGateway { command } => money_commands::dev_gateway(&db, command).await,
        Command::Audit { tenant, limit } => {
            let tenant = tenancy::find(&db, &tenant)
                .await?
                .with_context(|| format!("no tenant {tenant:?}"))?;
            let events = audit::recent(&db, tenant.id, limit).await?;
            for event in events.into_iter().rev() {
                println!(
                    "{} {:<32} user={} account={} staff={} from={} agent={:?}{}",
                    to_jst(event.at).format("%Y-%m-%d %H:%M:%S JST"),
                    event.event,
                    event.user_id_key.as_deref().unwrap_or("-"),
                    event.account_id.map_or("-".to_owned(), |id| id.to_string()),
                    event.staff_id.map_or("-".to_owned(), |id| id.to_string()),
                    event.client_address,
                    event.user_agent,
                    event.detail.map(|d| format!(" detail={d}")).unwrap_or_default()
                );
            }
            Ok(())
        }
        Command::Students {
            command:
                StudentsCommand::Import {
                    tenant,
                    file,
                    check,
                },
        } => {
            let tenant = tenancy::find(&db, &tenant)
                .await?
                .with_context(|| format!("no tenant {tenant:?}"))?;
            let reader = std::fs::File::open(&file).with_context(|| file.display().to_string())?;
            if check {
                let students = check_csv(reader).with_context(|| file.display().to_string())?;
                println!("{}: {students} student(s), no errors", file.display());
                return Ok(());
            }
            let summary = import_csv(&db, tenant.id, reader)
                .await
                .with_context(|| format!("{}: nothing was imported", file.display()))?;
            println!(
                "{}: {} added, {} updated",
                file.display(),
                summary.added,
                summary.updated
            );
            Ok(())
        }
        Command::Grades {
            command:
                GradesCommand::Import {
                    tenant,
                    file,
                    check,
                },
        } => {
            let csv = std::fs::read(&file).with_context(|| file.display().to_string())?;
            if check {
                let results = check_grades(&csv).with_context(|| file.display().to_string())?;
                println!("{}: {results} result(s), no errors", file.display());
                return Ok(());
            }
            let tenant = tenancy::find(&db, &tenant)
                .await?
                .with_context(|| format!("no tenant {tenant:?}"))?;
            let summary = import_grades(&db, tenant.id, &csv)
                .await
                .with_context(|| format!("{}: nothing was imported", file.display()))?;
            println!(
                "{}: {} result(s) for {} student(s)",
                file.display(),
                summary.results,
                summary.students
            );
            Ok(())
        }
        Command::Demo => {
            let summary = demo::create(&db).await?;
            println!(
                "demo university ready ({} added, {} updated): {}",
                summary.added,
                summary.updated,
                config.settings.link(&Page::Login.href(demo::SLUG))
            );
            println!("{:<10} {:<18} name", "user ID", "password");
            for student in demo::DEMO_STUDENTS {
                println!(
                    "{:<10} {:<18} {}",
                    student.user_id, student.password, student.name
                );
            }
            Ok(())
        }
    }
}
