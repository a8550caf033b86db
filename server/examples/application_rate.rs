//! Certificate applications accepted per second on a database, paid from the balance: the
//! certificates context's `apply` (the application row, the ledger transaction, the lines,
//! the first status, the audit event, in one transaction) with as many at once as the
//! yardstick (`insert_rate`) runs. Without HTTP: the page around it is measured apart.
//! Usage: application_rate DATABASE_URL TENANT CONCURRENCY SECONDS. The university's students
//! `b0001`… (as many as `BENCH_STUDENTS`, default 100) need balances that outlast the run, and
//! the university a catalogue with `enrollment` by `pdf`. Used by `bench/applications.sh`.

use backend::certificates::{ApplicationRequest, Applications, ApplyError};
use backend::platform::audit::Actor;
use backend::wallet::{IdempotencyKey, Wallet};
use domain::i18n::Lang;
use domain::{CatalogueCode, OrderLine, UserId};
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (url, slug, concurrency, seconds) = match args.as_slice() {
        [_, url, slug, concurrency, seconds] => (
            url.clone(),
            slug.clone(),
            concurrency.parse::<usize>().expect("a number of workers"),
            seconds.parse::<u64>().expect("a number of seconds"),
        ),
        _ => panic!("usage: application_rate DATABASE_URL TENANT CONCURRENCY SECONDS"),
    };
    let count: usize =
        std::env::var("BENCH_STUDENTS").ok().and_then(|n| n.parse().ok()).unwrap_or(100);
    let db = server::connect_and_migrate(&url.into()).await.expect("the database");
    let tenant = backend::tenancy::require(&db, &slug).await.expect("the university");
    let mut students = Vec::with_capacity(count);
    for n in 1..=count {
        let user_id = UserId::parse(&format!("b{n:04}")).expect("a user ID");
        let found = backend::registry::by_user_id(&db, tenant.id, &user_id)
            .await
            .expect("the registry")
            .expect("a bench student");
        students.push(found.id);
    }
    let font = backend::platform::settings::IPAEX_MINCHO;
    let renderer =
        std::sync::Arc::new(shomei_pdf::PdfRenderer::from_file(font.as_ref()).expect("the font"));
    let applications = Applications::new(db.clone(), Wallet::new(db.clone()), renderer);
    let request = ApplicationRequest {
        lines: vec![OrderLine {
            code: CatalogueCode::parse("enrollment").expect("a code"),
            lang: Lang::Ja,
            copies: 1,
        }],
        purpose: None,
        delivery: CatalogueCode::parse("pdf").expect("a code"),
        address: None,
        lang: Lang::Ja,
    };
    let run = std::process::id();
    let until = Instant::now() + Duration::from_secs(seconds);
    let workers: Vec<_> = (0..concurrency)
        .map(|worker| {
            let (applications, tenant, request, students) = (
                applications.clone(),
                tenant.clone(),
                request.clone(),
                students.clone(),
            );
            tokio::spawn(async move {
                let actor = Actor::new("192.0.2.50".to_owned(), "bench");
                let (mut latencies, mut refused) = (Vec::new(), 0_u64);
                let mut n = 0_usize;
                while Instant::now() < until {
                    let student = students[(worker + n * concurrency) % students.len()];
                    let key = IdempotencyKey::parse(&format!("bench-{run}-{worker:03}-{n:09}"))
                        .expect("a key");
                    let started = Instant::now();
                    match applications.apply(&actor, &tenant, student, &request, &key).await {
                        Ok(_) => latencies.push(started.elapsed()),
                        Err(ApplyError::InsufficientBalance { .. }) => refused += 1,
                        Err(other) => panic!("an application failed: {other}"),
                    }
                    n += 1;
                }
                (latencies, refused)
            })
        })
        .collect();
    let (mut latencies, mut refused) = (Vec::new(), 0);
    for worker in workers {
        let (done, short) = worker.await.expect("a worker");
        latencies.extend(done);
        refused += short;
    }
    latencies.sort();
    let at = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    println!("applications {}", latencies.len());
    println!("refused {refused}");
    println!("per_second {:.1}", latencies.len() as f64 / seconds as f64);
    println!("p50_ms {:.2}", at(0.50).as_secs_f64() * 1000.0);
    println!("p99_ms {:.2}", at(0.99).as_secs_f64() * 1000.0);
}
