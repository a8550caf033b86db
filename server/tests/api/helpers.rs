use crate::smtp_sink::SmtpSink;
pub use app::routes::Page;
use backend::platform::settings::Settings;
use backend::registry::{import_csv, Directory, DirectoryError, DirectoryStudent};
use backend::tenancy::{self, NewTenant};
pub use backend::testing::TestDatabase;
use leptos::prelude::LeptosOptions;
use reqwest::header::{HeaderMap, SET_COOKIE};
use reqwest::StatusCode;
use sea_orm::DatabaseConnection;
use secrecy::SecretString;
use server::{build_state, connect_and_migrate, serve};

/// The key secret of the HTTP tests' servers (in the source: never a deployment's).
pub const TEST_KEY_SECRET: &str = "the key secret of shomei's HTTP tests, 40+";
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

pub const TENANT: &str = "test-u";
pub const PASSWORD: &str = "campus-Pass-1";
pub const SECOND_PASSWORD: &str = "Shomei2026x";

/// The registry directory with a count of the passwords it was asked to check: the real
/// directory, observed, so a test can tell whether a request reached it.
struct CountingDirectory {
    inner: Arc<dyn Directory>,
    authentications: Arc<AtomicUsize>,
    /// How long the university's directory takes to answer (a slow LDAP server).
    delay: std::time::Duration,
}

#[async_trait::async_trait]
impl Directory for CountingDirectory {
    async fn authenticate(
        &self,
        tenant: &backend::entities::tenant::Model,
        user_id: &domain::UserId,
        password: &SecretString,
    ) -> Result<Option<DirectoryStudent>, DirectoryError> {
        self.authentications.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(self.delay).await;
        self.inner.authenticate(tenant, user_id, password).await
    }

    async fn find(
        &self,
        tenant: &backend::entities::tenant::Model,
        user_id_key: &str,
    ) -> Result<Option<DirectoryStudent>, DirectoryError> {
        self.inner.find(tenant, user_id_key).await
    }
}

pub struct TestApp {
    pub base: String,
    /// How many times the university directory was asked to check a password.
    pub directory_authentications: Arc<AtomicUsize>,
    /// The server's password hasher, to count what a request cost.
    pub passwords: backend::platform::passwords::Passwords,
    pub db: DatabaseConnection,
    pub smtp: Option<SmtpSink>,
    pub client: reqwest::Client,
    pub tenant_id: i32,
    pub settings: Settings,
    database: TestDatabase,
}

pub struct Options {
    pub with_smtp: bool,
    /// An SMTP port with nothing listening yet (the test starts the sink later).
    pub smtp_port: Option<u16>,
    /// Changes to the settings the server starts with.
    pub configure: fn(&mut Settings),
    /// Changes to the test university.
    pub tenant: fn(&mut NewTenant),
    /// The site root with `pkg/` (CSS, JS, WASM); none by default.
    pub site_root: Option<std::path::PathBuf>,
    /// How long the university's directory takes to check a password; none by default.
    pub directory_delay: std::time::Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            with_smtp: true,
            smtp_port: None,
            configure: |_| {},
            tenant: |_| {},
            site_root: None,
            directory_delay: std::time::Duration::ZERO,
        }
    }
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(Options::default()).await
    }

    pub async fn spawn_with(options: Options) -> Self {
        let database = TestDatabase::create().await;
        let db = connect_and_migrate(&SecretString::from(database.url.clone()))
            .await
            .expect("migrate the test database");

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr: SocketAddr = listener.local_addr().unwrap();
        let base = format!("http://{addr}");
        let mut settings = Settings::new(base.parse().unwrap());
        settings.hash_concurrency = 2;
        // Every test client is 127.0.0.1; the tests of the limit switch it on themselves.
        settings.client_requests_per_minute = 0;
        settings.keys_secret = Some(SecretString::from(TEST_KEY_SECRET.to_owned()));
        let smtp = match (options.with_smtp, options.smtp_port) {
            (_, Some(port)) => {
                settings.smtp_url = Some(SecretString::from(format!("smtp://127.0.0.1:{port}")));
                None
            }
            (true, None) => {
                let sink = SmtpSink::start().await;
                settings.smtp_url = Some(SecretString::from(format!(
                    "smtp://127.0.0.1:{}",
                    sink.port
                )));
                Some(sink)
            }
            (false, None) => None,
        };
        (options.configure)(&mut settings);
        let mut site = leptos_options(addr);
        if let Some(root) = &options.site_root {
            site.site_root = root.display().to_string().into();
        }
        let mut state =
            build_state(site, db.clone(), settings.clone()).expect("the certificate font");
        let directory_authentications = Arc::new(AtomicUsize::new(0));
        state.accounts.directory = Arc::new(CountingDirectory {
            inner: state.accounts.directory.clone(),
            authentications: directory_authentications.clone(),
            delay: options.directory_delay,
        });
        let passwords = state.accounts.passwords.clone();
        tokio::spawn(serve(listener, state));

        let mut new_tenant = NewTenant {
            slug: TENANT.to_owned(),
            name: "テスト大学".to_owned(),
            name_en: Some("Test University".to_owned()),
            notes_ja: Some("テスト大学の注意事項です。".to_owned()),
            helpdesk_ja: Some("テスト大学 学生課 電話 000-1111-2222".to_owned()),
            ..Default::default()
        };
        (options.tenant)(&mut new_tenant);
        let tenant = tenancy::add(&db, new_tenant).await.unwrap();
        let csv = format!(
            "user_id,name,name_en,student_number,faculty,department,status,card_number,password\n\
             s1,山田 花子,Hanako Yamada,1001,文学部,日本文学科,enrolled,C1001,{PASSWORD}\n\
             s2,佐藤 太郎,Taro Sato,1002,理工学部,情報工学科,enrolled,C1002,{PASSWORD}\n\
             s3,鈴木 一郎,Ichiro Suzuki,1003,経済学部,経済学科,graduated,C1003,{PASSWORD}\n"
        );
        import_csv(&db, tenant.id, csv.as_bytes()).await.unwrap();

        Self {
            base,
            directory_authentications,
            passwords,
            db,
            smtp,
            client: client(),
            tenant_id: tenant.id,
            settings,
            database,
        }
    }

    /// A second university, `other-u`, for tests that one never reaches another's data.
    pub async fn add_other_university(&self) -> backend::entities::tenant::Model {
        tenancy::add(
            &self.db,
            NewTenant {
                slug: "other-u".into(),
                name: "別の大学".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap()
    }

    /// How many passwords the university directory has checked so far.
    pub fn directory_checks(&self) -> usize {
        self.directory_authentications.load(Ordering::SeqCst)
    }

    /// Another server on the same database, as after a restart or beside this one behind a
    /// load balancer. Returns its base URL.
    pub async fn another_instance(&self) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut settings = self.settings.clone();
        settings.public_url = format!("http://{addr}").parse().unwrap();
        let state = build_state(leptos_options(addr), self.db.clone(), settings).expect("the font");
        tokio::spawn(serve(listener, state));
        format!("http://{addr}")
    }

    /// The database this app runs on, for another process (the CLI, a restarted server).
    pub fn database_url(&self) -> &str {
        &self.database.url
    }

    /// Runs the operator CLI (the real `shomei` binary) against this app's database.
    pub fn cli(&self, args: &[&str]) -> std::process::Output {
        self.shomei_command().args(args).output().expect("run the shomei CLI")
    }

    /// The real `shomei` binary on this app's database, quiet, ignoring any config file.
    pub fn shomei_command(&self) -> std::process::Command {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_shomei"));
        command
            .env_remove("SHOMEI_CONFIG")
            .env("SHOMEI_DATABASE_URL", self.database_url())
            // Links in mails the CLI queues point at this app.
            .env("SHOMEI_PUBLIC_URL", &self.base)
            .env("SHOMEI_LOG", "error");
        command
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Calls a server function as the browser's WASM does (form-encoded, not asking for HTML).
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> ServerFnAnswer {
        self.call_with(&self.client, endpoint, form).await
    }

    pub async fn call_with(
        &self,
        client: &reqwest::Client,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> ServerFnAnswer {
        let response = client
            .post(self.url(&format!("/api/{endpoint}")))
            .header("origin", &self.base)
            .form(form)
            .send()
            .await
            .expect("the server answers");
        ServerFnAnswer::read(response).await
    }

    /// Asks, in this app's session, for the address to change to `new`.
    pub async fn request_email_change(&self, new: &str, current: &str) -> ServerFnAnswer {
        let form = [
            ("tenant", TENANT),
            ("new_email", new),
            ("new_email_confirmation", new),
            ("current_second_password", current),
        ];
        self.call("request_email_change", &form).await
    }

    /// Asks, signed in with `SECOND_PASSWORD`, for the address to change to `new`, and
    /// returns the link mailed there (its first mail).
    pub async fn email_change_link(&self, new: &str) -> String {
        self.request_email_change(new, SECOND_PASSWORD)
            .await
            .expect_page(Page::EmailChangeSent);
        link_in(&self.smtp().wait_for(new, 1).await.text())
    }

    /// Posts every form to `endpoint` truly at once: each on its own task and client, held
    /// at a barrier until all are ready to send.
    pub async fn call_at_once(
        &self,
        endpoint: &str,
        forms: Vec<Vec<(&'static str, String)>>,
    ) -> Vec<ServerFnAnswer> {
        let barrier = Arc::new(tokio::sync::Barrier::new(forms.len()));
        let url = self.url(&format!("/api/{endpoint}"));
        let requests = forms.into_iter().map(|form| {
            let request = client().post(&url).header("origin", &self.base).form(&form);
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                ServerFnAnswer::read(request.send().await.expect("the server answers")).await
            })
        });
        futures::future::join_all(requests)
            .await
            .into_iter()
            .map(|answer| answer.expect("a request task ends"))
            .collect()
    }

    pub async fn login(&self, user_id: &str, password: &str, second: &str) -> ServerFnAnswer {
        self.login_with(&self.client, user_id, password, second).await
    }

    pub async fn login_with(
        &self,
        client: &reqwest::Client,
        user_id: &str,
        password: &str,
        second: &str,
    ) -> ServerFnAnswer {
        self.call_with(client, "login", &login_form(user_id, password, second)).await
    }

    /// GETs a page. A one-time URL is first answered with a redirect that moves its token
    /// into a cookie; that redirect is followed, as a browser does.
    pub async fn get(&self, path: &str) -> (StatusCode, String) {
        let mut response = self.client.get(self.url(path)).send().await.unwrap();
        if response.status() == StatusCode::SEE_OTHER && path.contains("token=") {
            let location = response.headers()["location"].to_str().unwrap().to_owned();
            response = self.client.get(self.url(&location)).send().await.unwrap();
        }
        let status = response.status();
        (status, response.text().await.unwrap())
    }

    pub fn smtp(&self) -> &SmtpSink {
        self.smtp.as_ref().expect("this app has an SMTP sink")
    }

    /// Walks 2.1: first login, registration form, mail, confirmation. Returns the link.
    pub async fn register_email(&self, user_id: &str, email: &str) -> String {
        self.login(user_id, PASSWORD, "").await.expect_page(Page::EmailRegister);
        let count = self.smtp().mails_to(email).len();
        self.call(
            "register_email",
            &[
                ("tenant", TENANT),
                ("email", email),
                ("email_confirmation", email),
            ],
        )
        .await
        .expect_page(Page::EmailSent);
        let mail = self.smtp().wait_for(email, count + 1).await;
        link_in(&mail.text())
    }

    pub async fn confirm_link(&self, link: &str) -> ServerFnAnswer {
        let token = token_of(link);
        self.call("confirm_email", &[("tenant", TENANT), ("token", &token)]).await
    }

    /// 2.4b for the signed-in student, the new password repeated in its confirmation.
    pub async fn change_second_password(&self, current: &str, new: &str) -> ServerFnAnswer {
        self.call(
            "change_second_password",
            &[
                ("tenant", TENANT),
                ("current_second_password", current),
                ("new_second_password", new),
                ("new_second_password_confirmation", new),
            ],
        )
        .await
    }

    /// Walks 2.1 and 2.2 and logs in: the student is on the home page.
    pub async fn signed_in(&self, user_id: &str, email: &str) {
        self.complete_first_login(user_id, email).await;
        self.login(user_id, PASSWORD, SECOND_PASSWORD).await.expect_page(Page::Home);
    }

    /// Sends the development gateway's card form on its payment page `page` (a path).
    pub async fn pay_on_gateway_page(&self, page: &str, card_number: &str) -> reqwest::Response {
        self.client
            .post(self.url(page))
            .header("origin", &self.base)
            .form(&[("card_number", card_number)])
            .send()
            .await
            .unwrap()
    }

    /// The certificates' services beside the server, on its database, issuing real PDFs.
    pub fn applications(&self) -> backend::certificates::Applications {
        let renderer = shomei_pdf::PdfRenderer::from_file(&self.settings.pdf_font).unwrap();
        backend::certificates::Applications::new(
            self.db.clone(),
            backend::wallet::Wallet::new(self.db.clone()),
            std::sync::Arc::new(renderer),
        )
        .with_issuing(server::issuing(&self.db, &self.settings))
    }

    /// A student of a university's registry, by user ID.
    pub async fn student_id(&self, tenant_id: i32, user_id: &str) -> domain::StudentId {
        let user_id = domain::UserId::parse(user_id).unwrap();
        backend::registry::by_user_id(&self.db, tenant_id, &user_id)
            .await
            .unwrap()
            .expect("a student")
            .id
    }

    /// Puts `yen` on a student's card (negative: takes it off), as the operator's correction.
    pub async fn put_on_card(&self, tenant_id: i32, user_id: &str, yen: i64, reason: &str) {
        let student = self.student_id(tenant_id, user_id).await;
        backend::wallet::Wallet::new(self.db.clone())
            .adjust(tenant_id, student, yen, reason, "operator", None)
            .await
            .unwrap();
    }

    /// A student's card balance, in yen.
    pub async fn card_balance(&self, tenant_id: i32, user_id: &str) -> i64 {
        let student = self.student_id(tenant_id, user_id).await;
        backend::wallet::ledger::balance(&self.db, tenant_id, student)
            .await
            .unwrap()
            .get()
    }

    /// The outbox rows addressed to `to` (what was queued, sent or not).
    pub async fn queued_to(&self, to: &str) -> Vec<backend::entities::outbox::Model> {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        backend::entities::outbox::Entity::find()
            .filter(backend::entities::outbox::Column::Recipient.eq(to))
            .all(&self.db)
            .await
            .unwrap()
    }

    /// Walks 2.1 and 2.2 for `user_id`: afterwards the student logs in with three fields.
    /// Returns the (used) registration link.
    pub async fn complete_first_login(&self, user_id: &str, email: &str) -> String {
        let link = self.register_email(user_id, email).await;
        self.confirm_link(&link).await.expect_page(Page::EmailDone);
        self.login(user_id, PASSWORD, "").await.expect_page(Page::SecondPasswordSetup);
        self.call(
            "setup_second_password",
            &[
                ("tenant", TENANT),
                ("second_password", SECOND_PASSWORD),
                ("second_password_confirmation", SECOND_PASSWORD),
            ],
        )
        .await
        .expect_page(Page::SecondPasswordDone);
        link
    }
}

fn leptos_options(addr: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("shomei")
        .site_root("target/site")
        .site_addr(addr)
        .build()
}

/// The user agent the tests' requests name, for the audit log.
pub const USER_AGENT: &str = "shomei-integration-tests/1";

pub fn client() -> reqwest::Client {
    // A request the server never answers fails the test instead of hanging the run.
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .timeout(std::time::Duration::from_secs(30))
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// One part of a multipart form: its name, the file's name and type for a file, its bytes.
pub struct FormPart<'a> {
    pub name: &'a str,
    pub file: Option<(&'a str, &'a str)>,
    pub body: &'a [u8],
}

impl TestApp {
    /// `parts` posted to `path` as a browser posts a native multipart form (with its origin,
    /// from the signed-in client); where the answer sends the browser, or its status.
    pub async fn post_multipart(&self, path: &str, parts: &[FormPart<'_>]) -> String {
        let boundary = "shomei-test-boundary";
        let mut body = Vec::new();
        for part in parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let disposition = match part.file {
                Some((file_name, content_type)) => format!(
                    "Content-Disposition: form-data; name=\"{}\"; filename=\"{file_name}\"\r\n\
                     Content-Type: {content_type}\r\n\r\n",
                    part.name
                ),
                None => format!(
                    "Content-Disposition: form-data; name=\"{}\"\r\n\r\n",
                    part.name
                ),
            };
            body.extend_from_slice(disposition.as_bytes());
            body.extend_from_slice(part.body);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let response = self
            .client
            .post(self.url(path))
            .header("origin", &self.base)
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
            .await
            .unwrap();
        response
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .map(str::to_owned)
            .unwrap_or_else(|| format!("status {}", response.status()))
    }
}

/// The text of a PDF as a person reads it, by `pdftotext`.
pub fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("certificate.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (scripts/setup.sh installs poppler-utils)");
    String::from_utf8(out.stdout).unwrap()
}

/// The login form of the test university, as the page sends it.
pub fn login_form<'a>(
    user_id: &'a str,
    password: &'a str,
    second_password: &'a str,
) -> [(&'static str, &'a str); 4] {
    [
        ("tenant", TENANT),
        ("user_id", user_id),
        ("password", password),
        ("second_password", second_password),
    ]
}

pub fn link_in(text: &str) -> String {
    text.split_whitespace()
        .find(|word| word.starts_with("http://") || word.starts_with("https://"))
        .expect("a link in the mail")
        .to_owned()
}

pub fn token_of(link: &str) -> String {
    link.split_once("token=").expect("a token in the link").1.to_owned()
}

#[derive(Debug)]
pub struct ServerFnAnswer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl ServerFnAnswer {
    async fn read(response: reqwest::Response) -> Self {
        Self {
            status: response.status(),
            headers: response.headers().clone(),
            body: response.text().await.unwrap(),
        }
    }

    pub fn location(&self) -> Option<&str> {
        self.headers.get("location").and_then(|v| v.to_str().ok())
    }

    /// A redirect to exactly `page` of the test university.
    pub fn expect_page(&self, page: Page) -> &Self {
        let href = page.href(TENANT);
        assert!(
            self.status.is_success() && self.location() == Some(href.as_str()),
            "expected a redirect to {href}, got {} {:?} {}",
            self.status,
            self.location(),
            self.body
        );
        self
    }

    pub fn error(&self) -> app::error::AppError {
        assert!(
            !self.status.is_success(),
            "expected an error, got {} {}",
            self.status,
            self.body
        );
        serde_json::from_str(&self.body)
            .unwrap_or_else(|_| panic!("an AppError, got {}", self.body))
    }

    pub fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("shomei_session=") && !c.starts_with("shomei_session=;"))
            .map(str::to_owned)
    }
}

/// The first `Set-Cookie` of `headers` whose text contains `name=`.
pub fn set_cookie_named(headers: &HeaderMap, name: &str) -> Option<String> {
    let wanted = format!("{name}=");
    headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.contains(&wanted))
        .map(str::to_owned)
}
