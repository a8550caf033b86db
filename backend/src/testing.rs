//! Fixtures for tests (feature `testing`): a database of its own per test, SQLite or
//! PostgreSQL as `SHOMEI_TEST_DATABASE` says, and a university to test the services against
//! without a server, on a clock the test moves and with hashes that cost next to nothing.

use crate::account::{Accounts, Caller, LinkPages, LoggedIn, LoginAttempt, Purpose};
use crate::entities::tenant;
use crate::platform::audit::Actor;
use crate::platform::clock::Clock;
use crate::platform::db::connect_and_migrate;
use crate::platform::outbox::{self};
use crate::platform::passwords::{HashCost, Passwords};
use crate::platform::settings::Settings;
use crate::platform::Db;
use crate::registry::import_csv;
use crate::tenancy::{self, NewTenant};
use sea_orm::{ConnectionTrait, Database};
use secrecy::SecretString;
use std::sync::Arc;
use std::time::Duration;
use tempfile::TempDir;

/// A database for one test: a SQLite file in a temporary folder, or a PostgreSQL database
/// created for the test and dropped after it.
pub struct TestDatabase {
    pub url: String,
    _dir: Option<TempDir>,
    postgres: Option<(String, String)>,
}

impl TestDatabase {
    pub async fn create() -> Self {
        match std::env::var("SHOMEI_TEST_DATABASE").as_deref() {
            Ok("postgres") => {
                let admin = std::env::var("SHOMEI_TEST_POSTGRES_URL")
                    .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
                let name = format!("shomei_test_{}", uuid::Uuid::new_v4().simple());
                let conn = Database::connect(&admin).await.expect("connect to PostgreSQL");
                conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create a test database");
                conn.close().await.ok();
                let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
                Self {
                    url: format!("{base}/{name}"),
                    _dir: None,
                    postgres: Some((admin, name)),
                }
            }
            _ => {
                let dir = tempfile::tempdir().expect("a temporary folder");
                let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
                Self {
                    url,
                    _dir: Some(dir),
                    postgres: None,
                }
            }
        }
    }

    /// Opens the database and applies the migrations.
    pub async fn connect(&self) -> Db {
        connect_and_migrate(&SecretString::from(self.url.clone()))
            .await
            .expect("a migrated test database")
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.postgres.take() {
            // Drop runs outside async code: use a runtime of its own on a plain thread.
            std::thread::spawn(move || {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a runtime")
                    .block_on(async {
                        if let Ok(conn) = Database::connect(&admin).await {
                            let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                            let _ = conn.execute_unprepared(&drop).await;
                        }
                    })
            })
            .join()
            .ok();
        }
    }
}

/// Runs `n` tasks truly at once: each on its own task, all released by one barrier. Returns
/// their answers in order.
pub async fn at_once<T, F, Fut>(n: usize, task: F) -> Vec<T>
where
    T: Send + 'static,
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = T> + Send + 'static,
{
    let barrier = Arc::new(tokio::sync::Barrier::new(n));
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let (barrier, work) = (barrier.clone(), task(i));
            tokio::spawn(async move {
                barrier.wait().await;
                work.await
            })
        })
        .collect();
    let mut answers = Vec::with_capacity(n);
    for task in tasks {
        answers.push(task.await.expect("a task ends"));
    }
    answers
}

/// The university of [`World`] and the university password of its students.
pub const SLUG: &str = "test-u";
pub const PASSWORD: &str = "campus-Pass-1";

/// Link pages at fixed paths: the services only need some path to put into a mail.
struct FixedLinkPages;

impl LinkPages for FixedLinkPages {
    fn path(&self, slug: &str, purpose: Purpose) -> String {
        format!("/{slug}/link/{}", purpose.code())
    }
}

/// One university with students `s1` and `s2` (student numbers 1001 and 1002), and the
/// account services over it on a manual clock.
pub struct World {
    pub db: Db,
    pub accounts: Accounts,
    pub clock: Clock,
    pub tenant: tenant::Model,
    _database: TestDatabase,
}

impl World {
    pub async fn new() -> Self {
        Self::with_settings(|_| {}).await
    }

    pub async fn with_settings(configure: impl FnOnce(&mut Settings)) -> Self {
        let database = TestDatabase::create().await;
        let db = database.connect().await;
        let mut settings = Settings::new("http://shomei.test".parse().expect("a URL"));
        configure(&mut settings);
        let passwords = Passwords::costing(HashCost::Minimal, 2, 64);
        let clock = Clock::manual(1_800_000_000_000);
        let accounts = Accounts {
            clock: clock.clone(),
            ..Accounts::new(
                db.clone(),
                Arc::new(settings),
                passwords,
                Arc::new(FixedLinkPages),
            )
        };
        let new_tenant = NewTenant {
            slug: SLUG.to_owned(),
            name: "テスト大学".to_owned(),
            ..Default::default()
        };
        let tenant = tenancy::add(&db, new_tenant).await.expect("a university");
        let csv = format!(
            "user_id,name,student_number,status,password\n\
             s1,山田 花子,1001,enrolled,{PASSWORD}\n\
             s2,佐藤 太郎,1002,enrolled,{PASSWORD}\n"
        );
        import_csv(&db, tenant.id, csv.as_bytes()).await.expect("a registry");
        Self {
            db,
            accounts,
            clock,
            tenant,
            _database: database,
        }
    }

    /// A caller from one address, in Japanese.
    pub fn caller(&self) -> Caller {
        Caller {
            client_key: "192.0.2.1".to_owned(),
            ..Default::default()
        }
    }

    pub async fn log_in(
        &self,
        user_id: &str,
        password: &str,
        second_password: &str,
    ) -> Result<LoggedIn, crate::account::AccountError> {
        let attempt = LoginAttempt {
            user_id: user_id.to_owned(),
            password: SecretString::from(password.to_owned()),
            second_password: SecretString::from(second_password.to_owned()),
            device: None,
            sessions: Default::default(),
        };
        self.accounts.log_in(&self.caller(), SLUG, attempt).await
    }

    /// The token of the link in the newest mail of the outbox.
    pub async fn last_link_token(&self) -> String {
        let mails = outbox::newest(&self.db, 1).await.expect("the outbox");
        let body = &mails.first().expect("a mail").body_text;
        let (_, after) = body.split_once("token=").expect("a link in the mail");
        after.chars().take_while(|c| !c.is_whitespace()).collect()
    }

    /// Another university, with no students: its id.
    pub async fn add_university(&self, slug: &str) -> i32 {
        let new = crate::tenancy::NewTenant {
            slug: slug.to_owned(),
            name: format!("{slug}大学"),
            ..Default::default()
        };
        crate::tenancy::add(&self.db, new).await.expect("another university").id
    }

    /// How many rows `table` holds (to see that a refusal wrote nothing).
    pub async fn count_rows(&self, table: &str) -> i64 {
        let statement = sea_orm::Statement::from_string(
            self.db.get_database_backend(),
            format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM {table}"),
        );
        let row = self.db.query_one(statement).await.expect("a count").expect("a row");
        row.try_get("", "n").expect("a number")
    }

    pub fn advance(&self, by: Duration) {
        self.clock.advance(by);
    }

    /// Imports the demo university's catalogue (`catalogues/demo.toml`) here.
    pub async fn import_demo_catalogue(&self) {
        let operator = Actor::new("operator".to_owned(), "");
        let demo = include_str!("../../catalogues/demo.toml");
        let catalogue = crate::certificates::parse(demo).expect("the demo catalogue");
        crate::certificates::import(&self.db, &operator, self.tenant.id, &catalogue, 0)
            .await
            .expect("an import");
    }

    /// The development gateway on this world's database and clock, and the top-ups through
    /// it (settling no application).
    pub fn dev_gateway(&self) -> (crate::wallet::DevGateway, crate::wallet::TopUps) {
        let gateway = crate::wallet::DevGateway::new(
            self.db.clone(),
            self.clock.clone(),
            SecretString::from("whsec_dGVzdC1zZWNyZXQtb2YtdGhlLWRldi1nYXRld2F5".to_owned()),
        );
        let top_ups = crate::wallet::TopUps {
            db: self.db.clone(),
            clock: self.clock.clone(),
            gateway: Some(Arc::new(gateway.clone())),
            outbox: Default::default(),
            applications: None,
        };
        (gateway, top_ups)
    }

    /// Signing with a key secret of the tests, on this world's database and clock.
    pub fn issuing(&self) -> crate::certificates::Issuing {
        crate::certificates::Issuing {
            keys: crate::certificates::SigningKeys {
                db: self.db.clone(),
                clock: self.clock.clone(),
                secret: Some(test_key_secret()),
            },
            public_url: "http://127.0.0.1:3000/".parse().expect("a URL"),
        }
    }

    /// Gives s1 a verified address (`s1@example.ac.jp`), where the mails to s1 go.
    pub async fn register_s1_address(&self) {
        use sea_orm::ActiveModelTrait;
        crate::entities::account::ActiveModel {
            tenant_id: sea_orm::Set(self.tenant.id),
            user_id_key: sea_orm::Set("s1".to_owned()),
            email: sea_orm::Set(Some("s1@example.ac.jp".to_owned())),
            email_verified_at: sea_orm::Set(Some(0)),
            second_password_hash: sea_orm::Set(None),
            created_at: sea_orm::Set(0),
            updated_at: sea_orm::Set(0),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .expect("an address");
    }
}

/// The key secret of the tests (never of a deployment: it is in the source).
pub fn test_key_secret() -> crate::certificates::KeySecret {
    let text = secrecy::SecretString::from("the key secret of shomei's tests, 40 chars".to_owned());
    crate::certificates::KeySecret::new(&text).expect("a long enough secret")
}

/// Writes a certificate's document as plain text lines instead of a PDF. A stand-in for the
/// tests of this crate only: the PDF adapter (`pdf`) stands above `backend` and cannot be its
/// dependency. It is itself tested in its crate, and the server's tests issue real PDFs.
pub struct TextRenderer;

impl crate::certificates::CertificateRenderer for TextRenderer {
    fn render(
        &self,
        document: &crate::certificates::CertificateDocument,
    ) -> Result<Vec<u8>, crate::certificates::RenderError> {
        let mut lines = vec![document.university.clone(), document.title.clone()];
        lines.extend(document.facts.iter().map(|(label, value)| format!("{label}: {value}")));
        lines.push(document.statement.clone());
        if let Some(courses) = &document.courses {
            lines.extend(courses.rows.iter().map(|row| row.join(" ")));
            lines.extend(courses.totals.iter().map(|(label, value)| format!("{label}: {value}")));
        }
        lines.push(format!("{} {}", document.number_label, document.number));
        lines.push(format!(
            "{} {}",
            document.issued_on_label, document.issued_on
        ));
        if let Some(verification) = &document.verification {
            lines.push(format!("QR {}", verification.url));
            lines.push(format!("{} {}", verification.code_label, verification.code));
        }
        Ok(lines.join("\n").into_bytes())
    }
}
