//! A bare axum server that answers every GET with the bytes of one file, as HTML: the
//! yardstick the login page's throughput is compared with in `bench/run.sh`.
//! Usage: bare_page FILE ADDRESS

use axum::response::Html;
use axum::Router;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(file), Some(address)) = (args.next(), args.next()) else {
        eprintln!("usage: bare_page FILE ADDRESS");
        std::process::exit(2);
    };
    let page: &'static str =
        Box::leak(std::fs::read_to_string(&file).expect("a readable file").into_boxed_str());
    let app = Router::new().fallback(move || async move { Html(page) });
    let listener = tokio::net::TcpListener::bind(&address).await.expect("a free address");
    axum::serve(listener, app).await.expect("serving");
}
