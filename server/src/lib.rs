//! The shomei server: configuration, startup shared by the binary and the integration
//! tests, middleware, the mail worker and the operator's commands.

// Leptos view types nest deeply; computing their layout needs a deeper limit.
#![recursion_limit = "256"]

pub mod assets;
pub mod catalogue_commands;
pub mod config;
pub mod demo;
pub mod dev_gateway_worker;
pub mod http;
pub mod keys_commands;
pub mod login_page;
pub mod middleware;
pub mod money_commands;
pub mod outbox;
pub mod staff_commands;

use app::web::links::RoutedLinkPages;
use app::web::state::AppState;
use app::{shell, App};
use axum::serve::ListenerExt;
use axum::Router;
use backend::account::Accounts;
use backend::platform::clock::Clock;
use backend::platform::passwords::Passwords;
use backend::platform::secrets::random_secret;
use backend::platform::settings::{PaymentGateway, Settings};
use backend::staff::Staff;
use backend::wallet::dev_gateway::DevGateway;
use backend::wallet::gateway::Gateway;
use backend::wallet::top_ups::TopUps;
use backend::wallet::Wallet;
use leptos::prelude::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use sea_orm::DatabaseConnection;
use secrecy::SecretString;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::compression::Predicate;

/// What the server logs unless `SHOMEI_LOG` says otherwise. Statement logging stays off: a
/// queued mail's insert would carry its one-time URL.
pub const DEFAULT_LOG_FILTER: &str = "info,sqlx=warn,sea_orm=warn";

pub use backend::platform::db::connect_and_migrate;

/// The largest request body accepted (413 beyond): the longest form, every field at its
/// longest, is under 2 KiB; nothing a student sends needs more.
pub const REQUEST_BODY_LIMIT: usize = 16 * 1024;

pub use backend::account::RESET_REQUESTS_PER_CLIENT;

/// Everything the handlers share. Fails only when the certificates' font cannot be read: a
/// service that could take applications but never issue them should not start.
pub fn build_state(
    leptos_options: LeptosOptions,
    db: DatabaseConnection,
    settings: Settings,
) -> Result<AppState, shomei_pdf::FontError> {
    let renderer = Arc::new(shomei_pdf::PdfRenderer::from_file(&settings.pdf_font)?);
    let passwords = Passwords::new(settings.hash_concurrency, settings.hash_queue);
    let settings = Arc::new(settings);
    let accounts = Accounts::new(
        db.clone(),
        settings.clone(),
        passwords,
        Arc::new(RoutedLinkPages),
    );
    let wallet = Wallet::new(db.clone());
    let dev_gateway = match settings.payment_gateway {
        Some(PaymentGateway::Dev) => {
            // Signed and checked in this one process: a secret made up at start will do.
            let secret = settings
                .webhook_secret
                .clone()
                .unwrap_or_else(|| SecretString::from(random_secret()));
            Some(DevGateway::new(db.clone(), Clock::system(), secret))
        }
        None => None,
    };
    let mut top_ups = TopUps {
        db: db.clone(),
        clock: Clock::system(),
        gateway: dev_gateway.clone().map(|gateway| Arc::new(gateway) as Arc<dyn Gateway>),
        outbox: accounts.outbox.clone(),
        applications: None,
    };
    let staff = staff_handle(
        &db,
        &settings,
        accounts.passwords.clone(),
        accounts.outbox.clone(),
    );
    // The applications open their payments through the top-ups' gateway, and the top-ups'
    // notices settle the applications: each holds the other (this handle of the top-ups only
    // opens checkouts, so it needs none).
    let applications =
        backend::certificates::Applications::new(db.clone(), wallet.clone(), renderer)
            .with_payments(top_ups.clone())
            .with_issuing(issuing(&db, &settings));
    let verifications = backend::certificates::Verifications {
        db: db.clone(),
        clock: Clock::system(),
        keys: applications.issuing.keys.clone(),
        public_url: applications.issuing.public_url.clone(),
    };
    top_ups.applications = Some(Arc::new(applications.clone()));
    Ok(AppState {
        leptos_options,
        db,
        settings,
        accounts,
        wallet,
        top_ups,
        applications,
        shares: backend::certificates::Shares {
            verifications: verifications.clone(),
        },
        verifications,
        staff,
        dev_gateway,
    })
}

/// What signs issued certificates: the universities' keys, opened with the configured key
/// secret, and this deployment's address for the verification page.
pub fn issuing(db: &DatabaseConnection, settings: &Settings) -> backend::certificates::Issuing {
    backend::certificates::Issuing {
        keys: backend::certificates::SigningKeys {
            db: db.clone(),
            clock: Clock::system(),
            secret: settings.keys_secret.as_ref().and_then(backend::certificates::KeySecret::new),
        },
        public_url: settings.public_url.clone(),
    }
}

/// The staff context's handle: the set-up links in its mails point at this deployment's
/// set-up page.
pub fn staff_handle(
    db: &DatabaseConnection,
    settings: &Settings,
    passwords: Passwords,
    outbox: backend::platform::outbox::Outbox,
) -> Staff {
    let public_url = settings.public_url.clone();
    let mut staff = Staff::new(
        db.clone(),
        passwords,
        outbox,
        Arc::new(move |slug: &str| {
            let path = app::routes::Page::StaffSetUp.href(slug);
            public_url.join(&path).map(String::from).unwrap_or(path)
        }),
    );
    staff.throttle = settings.login_throttle.clone();
    staff
}

pub fn router(mut state: AppState) -> Router {
    let assets = {
        let options = &state.leptos_options;
        assets::Assets::load(
            std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref()),
        )
    };
    link_hashed_assets(&mut state.leptos_options, &assets);
    let routes = generate_route_list(App);
    let public_origin: Arc<str> = state.settings.public_origin().into();
    let trusted_proxies = Arc::new(state.settings.trusted_proxies.clone());
    let client_limit =
        middleware::ClientLimit::per_minute(state.settings.client_requests_per_minute);
    let header_policy = middleware::HeaderPolicy {
        db: state.db.clone(),
        https: state.settings.secure_cookies(),
    };
    let context_state = state.clone();
    // Assets need only the headers of every answer: nothing is posted to them, nothing there
    // depends on the client, the language or a token. Outside the other layers they are
    // answered as fast as the kept login page.
    let assets = static_files(assets).layer(axum::middleware::from_fn_with_state(
        header_policy.clone(),
        middleware::security_headers,
    ));
    let assets_path = format!("/{}", state.leptos_options.site_pkg_dir);
    let outer = OuterLayers {
        trusted_proxies,
        deadline: state.settings.request_deadline,
        header_policy: header_policy.clone(),
    };
    let machine_api = machine_api(&state, &outer);
    let webhooks = outer.wrap(http::webhooks::router(state.top_ups.clone()).layer(
        tower_http::limit::RequestBodyLimitLayer::new(REQUEST_BODY_LIMIT),
    ));
    let app = Router::new()
        .leptos_routes_with_context(
            &state,
            routes,
            move || leptos::prelude::provide_context(context_state.clone()),
            {
                let options = state.leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .route(
            http::public_keys::JWKS,
            axum::routing::get(http::public_keys::jwks),
        )
        .route(
            http::public_keys::SERVICE_DID,
            axum::routing::get(http::public_keys::service_did),
        )
        .route(
            "/{tenant}/did.json",
            axum::routing::get(http::public_keys::university_did),
        )
        .route(
            &format!("/{{tenant}}/{}", app::routes::CARD_HISTORY_CSV),
            axum::routing::get(http::card_history::download),
        )
        .route(
            &format!("/{{tenant}}/{}", app::routes::STAFF_AUDIT_CSV),
            axum::routing::get(http::staff_audit::download),
        )
        .route(
            &format!("/{{tenant}}/{}", app::routes::STAFF_APPLICATIONS_CSV),
            axum::routing::get(http::staff_applications::download),
        )
        .route(
            &format!("/{{tenant}}/{}", app::routes::CERTIFICATE_PDF),
            axum::routing::get(http::certificate_pdf::for_student),
        )
        .route(
            &format!("/{{tenant}}/{}", app::routes::STAFF_CERTIFICATE_PDF),
            axum::routing::get(http::certificate_pdf::for_staff),
        )
        .route(
            "/s/{token}/pdf",
            axum::routing::get(http::certificate_pdf::for_share),
        )
        .route(
            &format!("/{{tenant}}/{}", app::routes::CERTIFICATE_CREDENTIAL),
            axum::routing::get(http::credentials::for_student),
        )
        .route(
            "/s/{token}/credential",
            axum::routing::get(http::credentials::for_share),
        )
        .route(
            &format!(
                "/{{tenant}}/{}/{{list}}",
                backend::certificates::STATUS_LIST_PATH
            ),
            axum::routing::get(http::credentials::status_list),
        )
        .route(
            &format!("/{{tenant}}/{}", app::routes::STAFF_SEAL_IMAGE),
            axum::routing::get(http::staff_seal::image),
        )
        .nest_service(
            backend::wallet::dev_gateway::PREFIX,
            match state.dev_gateway.clone() {
                Some(gateway) => http::dev_gateway::router(gateway),
                None => Router::new(),
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        // Innermost first: a request passes these from the bottom up.
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            REQUEST_BODY_LIMIT,
        ))
        // The console's uploads, added after the forms' limit so that only their own holds (a
        // layer wraps the routes added before it).
        .route(
            &format!(
                "/{{tenant}}/{}",
                app::routes::Page::StaffImport.below_tenant()
            ),
            axum::routing::post(http::staff_import::upload).layer(
                axum::extract::DefaultBodyLimit::max(http::staff_import::BODY_LIMIT),
            ),
        )
        .route(
            &format!("/{{tenant}}/{}", app::routes::STAFF_SEAL),
            axum::routing::post(http::staff_seal::change).layer(
                axum::extract::DefaultBodyLimit::max(http::staff_seal::BODY_LIMIT),
            ),
        )
        .layer(axum::middleware::from_fn_with_state(
            state.settings.clone(),
            middleware::remember_language,
        ))
        .layer(axum::middleware::from_fn_with_state(
            middleware::LinkPages {
                accounts: state.accounts.clone(),
                staff: state.staff.clone(),
            },
            middleware::take_token_from_address,
        ))
        .layer(axum::middleware::from_fn_with_state(
            public_origin,
            middleware::refuse_foreign_origin,
        ))
        .layer(axum::middleware::from_fn_with_state(
            client_limit,
            middleware::limit_clients,
        ));
    let app = outer.wrap(app);
    let cache = login_page::LoginPageCache::new(Duration::from_secs(
        state.settings.login_page_cache_seconds,
    ));
    // Around the whole application, not inside it: a kept login page already carries every
    // header above and is answered before routing, which clones the matched route's state
    // (the application state and Leptos' options) for every request.
    Router::new()
        .nest_service(&assets_path, assets)
        .nest(middleware::MACHINE_API_PREFIX, machine_api)
        .nest(http::webhooks::PREFIX, webhooks)
        .fallback_service(app.with_state(state))
        .layer(axum::middleware::from_fn_with_state(
            cache,
            login_page::serve_login_page,
        ))
        .layer(compressed_pages())
}

/// What every answer passes, pages and API alike (outermost first): the headers of every
/// answer, the deadline, and who the client is.
struct OuterLayers {
    trusted_proxies: Arc<Vec<backend::platform::settings::ProxyNet>>,
    deadline: Duration,
    header_policy: middleware::HeaderPolicy,
}

impl OuterLayers {
    fn wrap<S: Clone + Send + Sync + 'static>(&self, router: Router<S>) -> Router<S> {
        router
            .layer(axum::middleware::from_fn_with_state(
                self.trusted_proxies.clone(),
                middleware::identify_client,
            ))
            .layer(axum::middleware::from_fn_with_state(
                self.deadline,
                middleware::limit_request_time,
            ))
            .layer(axum::middleware::from_fn_with_state(
                self.header_policy.clone(),
                middleware::security_headers,
            ))
    }
}

/// The campus machines' API, beside the pages rather than inside their layers: a machine
/// authenticates with its key on every request, so the same-site rule for browsers' POSTs and
/// the per-client request limit (a machine is one client sending many) do not apply to it; the
/// body limit and the outer layers do.
fn machine_api(state: &AppState, outer: &OuterLayers) -> Router {
    let wallet = backend::wallet::Wallet::new(state.db.clone());
    let machines = backend::machines::Machines::new(state.db.clone(), wallet)
        .with_prints(state.applications.clone());
    outer.wrap(http::machine_api::router(machines).layer(
        tower_http::limit::RequestBodyLimitLayer::new(REQUEST_BODY_LIMIT),
    ))
}

/// Pages go out compressed to a browser that accepts it (the login page from 6.6 KB to about
/// 2 KB). Only HTML: the assets carry their own `.br` and `.gz`, and server functions answer a
/// few bytes. No page carries a secret that lasts beyond its response (the CSP nonce is new
/// each time, tokens never reach a page), so compression gives BREACH nothing to recover.
fn compressed_pages() -> tower_http::compression::CompressionLayer<impl Predicate> {
    use axum::http::{header::CONTENT_TYPE, Extensions, HeaderMap, StatusCode, Version};
    use tower_http::compression::{predicate::SizeAbove, CompressionLayer, CompressionLevel};
    let html = |_: StatusCode, _: Version, headers: &HeaderMap, _: &Extensions| {
        headers
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with("text/html"))
    };
    CompressionLayer::new()
        .quality(CompressionLevel::Fastest)
        .compress_when(SizeAbove::new(1024).and(html))
}

/// The CSS, JS and WASM of the site, read into memory at start (see `assets`). A release
/// built with `cargo leptos build --release --precompress` has `.br` and `.gz` beside each
/// file; a browser that accepts them gets those (the WASM shrinks to about a quarter).
fn static_files(assets: assets::Assets) -> Router {
    Router::new()
        .route("/{name}", axum::routing::get(assets::serve))
        .with_state(assets)
}

/// Pages link the JS, WASM and CSS under names that carry their content's hash, so browsers
/// may keep them for good. Leptos reads the hashes from a file at `hash_file` (joined to the
/// executable's folder; an absolute path stands), written here from the files as loaded, into
/// a new file of the temporary folder: created exclusively, so a file or link planted under
/// that name by someone else is never written through.
fn link_hashed_assets(options: &mut LeptosOptions, assets: &assets::Assets) {
    use std::io::Write;
    let Some(text) = assets.leptos_hash_file(&options.output_name) else {
        return;
    };
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    let name = format!("shomei-assets-{}-{started}.txt", std::process::id());
    let path = std::env::temp_dir().join(name);
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut file| file.write_all(text.as_bytes()));
    match written {
        Ok(()) => {
            options.hash_files = true;
            options.hash_file = path.display().to_string().into();
        }
        Err(err) => tracing::warn!(error = %err, "assets keep their plain names"),
    }
}

/// Starts the mail worker when SMTP is configured. Without SMTP, mails stay in the outbox
/// (and the development mailbox shows them, if the operator turned it on).
pub fn spawn_mail_worker(state: &AppState) -> Result<(), String> {
    let Some(smtp_url) = state.settings.smtp_url.as_ref() else {
        if state.settings.dev_mailbox_enabled() {
            tracing::info!(
                "no SMTP server configured: mails are shown at /dev/mailbox to this machine only"
            );
        } else {
            tracing::warn!("no SMTP server configured (SHOMEI_SMTP_URL): mails wait in the outbox until one is");
        }
        return Ok(());
    };
    let transport = outbox::transport(smtp_url).map_err(|err| format!("SHOMEI_SMTP_URL: {err}"))?;
    let from = state
        .settings
        .mail_from
        .parse()
        .map_err(|err| format!("SHOMEI_MAIL_FROM: {err}"))?;
    tokio::spawn(outbox::run(
        state.db.clone(),
        transport,
        from,
        state.accounts.outbox.clone(),
    ));
    Ok(())
}

/// Once an hour, forgets the idempotency keys past their keeping time.
async fn forget_old_idempotency_keys(wallet: Wallet) {
    let hour = Duration::from_secs(3600);
    // The first sweep an hour after start, not during it.
    let mut hourly = tokio::time::interval_at(tokio::time::Instant::now() + hour, hour);
    loop {
        hourly.tick().await;
        match wallet.forget_old_keys().await {
            Ok(0) => {}
            Ok(forgotten) => tracing::info!(forgotten, "old idempotency keys forgotten"),
            Err(err) => tracing::warn!(error = %err, "could not forget old idempotency keys"),
        }
    }
}

/// Sends the refunds owed through the gateway (cancelled applications paid by card or
/// konbini), each until the gateway takes it.
async fn send_refunds(top_ups: TopUps) {
    let mut every = tokio::time::interval(Duration::from_secs(2));
    loop {
        every.tick().await;
        match top_ups.send_due_refunds().await {
            Ok(0) => {}
            Ok(sent) => tracing::info!(sent, "refunds sent to the payment gateway"),
            Err(err) => tracing::warn!(error = %err, "could not send the refunds owed"),
        }
    }
}

/// Serves until the process is stopped.
pub async fn serve(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    spawn_mail_worker(&state).map_err(std::io::Error::other)?;
    tokio::spawn(forget_old_idempotency_keys(state.wallet.clone()));
    if let Some(gateway) = state.dev_gateway.clone() {
        tracing::warn!("the development payment gateway is on: test card numbers top up any card");
        tokio::spawn(dev_gateway_worker::run(gateway));
    }
    if state.top_ups.gateway.is_some() {
        tokio::spawn(send_refunds(state.top_ups.clone()));
    }
    // Static files are written as headers, then body. With Nagle's algorithm on, the body of
    // the second request on a kept-alive connection waited for the client's delayed ACK
    // (about 40 ms each); nothing here gains from coalescing small writes.
    let listener = listener.tap_io(|tcp| {
        if let Err(err) = tcp.set_nodelay(true) {
            tracing::debug!(error = %err, "could not set TCP_NODELAY");
        }
    });
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .await
}
