//! The yardstick of the money benchmark: plain transactions that insert one row each, on the
//! same database, with as many at once as the debits had. Prints `key value` lines.
//! Usage: insert_rate DATABASE_URL CONCURRENCY SECONDS. Used by `bench/money.sh`.

use sea_orm::{ConnectionTrait, Statement, TransactionTrait};
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (url, concurrency, seconds) = match args.as_slice() {
        [_, url, concurrency, seconds] => (
            url.clone(),
            concurrency.parse::<usize>().expect("a number of workers"),
            seconds.parse::<u64>().expect("a number of seconds"),
        ),
        _ => panic!("usage: insert_rate DATABASE_URL CONCURRENCY SECONDS"),
    };
    // The server's own connection settings (pool size, no ping before each use).
    let db = server::connect_and_migrate(&url.into()).await.expect("the database");
    let backend = db.get_database_backend();
    db.execute_unprepared(
        "CREATE TABLE IF NOT EXISTS bench_rows (id BIGSERIAL PRIMARY KEY, at BIGINT NOT NULL, note TEXT NOT NULL)",
    )
    .await
    .expect("the table");
    let until = Instant::now() + Duration::from_secs(seconds);
    let workers: Vec<_> = (0..concurrency)
        .map(|worker| {
            let db = db.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                while Instant::now() < until {
                    let started = Instant::now();
                    let txn = db.begin().await.expect("a transaction");
                    txn.execute(Statement::from_sql_and_values(
                        backend,
                        "INSERT INTO bench_rows (at, note) VALUES ($1, $2)",
                        [
                            (started.elapsed().as_nanos() as i64).into(),
                            format!("worker {worker}").into(),
                        ],
                    ))
                    .await
                    .expect("an insert");
                    txn.commit().await.expect("a commit");
                    latencies.push(started.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for worker in workers {
        latencies.extend(worker.await.expect("a worker"));
    }
    latencies.sort();
    let at = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    println!("transactions {}", latencies.len());
    println!("per_second {:.1}", latencies.len() as f64 / seconds as f64);
    println!("p50_ms {:.2}", at(0.50).as_secs_f64() * 1000.0);
    println!("p99_ms {:.2}", at(0.99).as_secs_f64() * 1000.0);
    db.execute_unprepared("DROP TABLE bench_rows").await.ok();
}
