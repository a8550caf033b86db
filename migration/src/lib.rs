//! The schema's single source of truth. Migrations use only backend-neutral schema helpers
//! and never import the application's entities, so an old migration keeps its meaning.

pub use sea_orm_migration::prelude::*;

mod m20261124_000001_foundation;
mod m20261124_000002_safety;
mod m20261130_000003_attacker_review;
mod m20261130_000004_mail_html;
mod m20261201_000005_wallet;
mod m20261201_000006_top_ups;
mod m20261202_000007_staff;
mod m20261203_000008_audit_detail;
mod m20261203_000009_registry_uploads;
mod m20261204_000010_catalogue;
mod m20261204_000011_registry_records;
mod m20261204_000012_grade_points;
mod m20261205_000013_applications;
mod m20261206_000014_issued_documents;
mod m20261207_000015_application_payments;
mod m20261208_000016_upload_kinds;
mod m20261209_000017_catalogue_drafts;
mod m20261209_000018_catalogue_stamps;
mod m20261210_000019_english_affiliation;
mod m20261210_000020_english_course_terms;
mod m20261211_000021_signing_keys;
mod m20261212_000022_validity;
mod m20261213_000023_shares;
mod m20261214_000024_campus_prints;
mod m20261215_000025_university_seals;
mod m20261216_000026_status_indexes;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_foundation::Migration),
            Box::new(m20261124_000002_safety::Migration),
            Box::new(m20261130_000003_attacker_review::Migration),
            Box::new(m20261130_000004_mail_html::Migration),
            Box::new(m20261201_000005_wallet::Migration),
            Box::new(m20261201_000006_top_ups::Migration),
            Box::new(m20261202_000007_staff::Migration),
            Box::new(m20261203_000008_audit_detail::Migration),
            Box::new(m20261203_000009_registry_uploads::Migration),
            Box::new(m20261204_000010_catalogue::Migration),
            Box::new(m20261204_000011_registry_records::Migration),
            Box::new(m20261204_000012_grade_points::Migration),
            Box::new(m20261205_000013_applications::Migration),
            Box::new(m20261206_000014_issued_documents::Migration),
            Box::new(m20261207_000015_application_payments::Migration),
            Box::new(m20261208_000016_upload_kinds::Migration),
            Box::new(m20261209_000017_catalogue_drafts::Migration),
            Box::new(m20261209_000018_catalogue_stamps::Migration),
            Box::new(m20261210_000019_english_affiliation::Migration),
            Box::new(m20261210_000020_english_course_terms::Migration),
            Box::new(m20261211_000021_signing_keys::Migration),
            Box::new(m20261212_000022_validity::Migration),
            Box::new(m20261213_000023_shares::Migration),
            Box::new(m20261214_000024_campus_prints::Migration),
            Box::new(m20261215_000025_university_seals::Migration),
            Box::new(m20261216_000026_status_indexes::Migration),
        ]
    }
}
