//! The operator's commands for the certificate catalogue: `catalogue import|show`. The file's
//! format is in the README ("The certificate catalogue"); `catalogues/demo.toml` is an example.

use anyhow::Context;
use backend::certificates::{self, Catalogue};
use backend::platform::audit::Actor;
use backend::platform::clock::{now_ms, to_jst};
use backend::tenancy;
use clap::Subcommand;
use sea_orm::DatabaseConnection;
use std::collections::BTreeSet;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum CatalogueCommand {
    /// Replace a university's catalogue with a TOML file, whole or not at all. Types and
    /// delivery methods the file leaves out are withdrawn (kept for past applications); the
    /// closure calendar is replaced only when the file lists closures.
    Import {
        #[arg(long)]
        tenant: String,
        file: PathBuf,
        /// Only check the file; write nothing.
        #[arg(long)]
        check: bool,
    },
    /// Print a university's catalogue, with the day each type would be ready if ordered today.
    Show {
        #[arg(long)]
        tenant: String,
    },
}

pub async fn catalogue(db: &DatabaseConnection, command: CatalogueCommand) -> anyhow::Result<()> {
    match command {
        CatalogueCommand::Import {
            tenant,
            file,
            check,
        } => {
            let text =
                std::fs::read_to_string(&file).with_context(|| file.display().to_string())?;
            let catalogue = certificates::parse(&text)
                .with_context(|| format!("{}: nothing was imported", file.display()))?;
            if check {
                println!(
                    "{}: {} certificate type(s), {} delivery method(s), no errors",
                    file.display(),
                    catalogue.types.len(),
                    catalogue.deliveries.len()
                );
                return Ok(());
            }
            let tenant = tenancy::find(db, &tenant)
                .await?
                .with_context(|| format!("no tenant {tenant:?}"))?;
            let operator = Actor::new("operator".to_owned(), "");
            let summary = certificates::import(db, &operator, tenant.id, &catalogue, now_ms())
                .await
                .with_context(|| format!("{}: nothing was imported", file.display()))?;
            println!(
                "{}: certificate types {} added, {} updated, {} withdrawn; delivery methods {} added, {} updated, {} withdrawn; {}",
                file.display(),
                summary.types_added,
                summary.types_updated,
                summary.types_withdrawn,
                summary.deliveries_added,
                summary.deliveries_updated,
                summary.deliveries_withdrawn,
                match summary.closures {
                    Some(days) => format!("closure calendar replaced ({days} day(s))"),
                    None => "closure calendar unchanged".to_owned(),
                }
            );
            Ok(())
        }
        CatalogueCommand::Show { tenant } => {
            let tenant = tenancy::find(db, &tenant)
                .await?
                .with_context(|| format!("no tenant {tenant:?}"))?;
            let today = to_jst(now_ms()).date_naive();
            let catalogue = certificates::current(db, tenant.id, today).await?;
            print!("{}", listing(&catalogue, today));
            Ok(())
        }
    }
}

/// The catalogue as the operator reads it: methods, types, and the coming closures.
fn listing(catalogue: &Catalogue, today: chrono::NaiveDate) -> String {
    let closures = catalogue.closures.clone().unwrap_or_default();
    let closed: BTreeSet<_> = closures.iter().map(|c| c.day).collect();
    let mut out = String::from("delivery methods:\n");
    for method in &catalogue.deliveries {
        out += &format!(
            "  {:<14} {:<13} {:>6} yen  {} / {}\n",
            method.code.as_str(),
            method.kind.code(),
            method.fee.get(),
            method.name_ja,
            method.name_en
        );
    }
    out += "certificate types:\n";
    for kind in &catalogue.types {
        let join = |items: Vec<&str>| items.join(",");
        out += &format!(
            "  {:<20} {:>6} yen  up to {:>3}  {} / {}\n      languages {}  statuses {}{}  deliveries {}  {} working day(s): ready {} if ordered today\n",
            kind.code.as_str(),
            kind.fee.get(),
            kind.max_copies,
            kind.name_ja,
            kind.name_en,
            join(kind.languages.iter().map(|l| l.code()).collect()),
            join(kind.statuses.iter().map(|s| s.code()).collect()),
            kind.rule.map(|r| format!("  rule {}", r.code())).unwrap_or_default(),
            join(kind.deliveries.iter().map(|d| d.as_str()).collect()),
            kind.working_days,
            certificates::expected_on(today, kind.working_days, &closed).format("%Y-%m-%d"),
        );
    }
    let rule: Vec<String> = (catalogue.gpa.iter().flatten())
        .map(|p| {
            format!(
                "{} {}.{:02}",
                p.grade,
                p.hundredths / 100,
                p.hundredths % 100
            )
        })
        .collect();
    let rule = match rule.is_empty() {
        true => "none".to_owned(),
        false => rule.join(", "),
    };
    out += &format!("GPA rule: {rule}\n");
    out += &format!(
        "closures from {}: {}\n",
        today.format("%Y-%m-%d"),
        closures.len()
    );
    for closure in closures.iter().take(10) {
        out += &format!(
            "  {} {}\n",
            closure.day.format("%Y-%m-%d (%a)"),
            closure.note
        );
    }
    out
}
