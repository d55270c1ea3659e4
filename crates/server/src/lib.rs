//! The civickit backend as a library, so that the integration tests drive exactly the code the
//! `civickit` binary runs.

pub mod abuse;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod http;
pub mod intake;
pub mod mail;
pub mod photos;
pub mod secrets;
pub mod seed;
pub mod texts;

use std::net::SocketAddr;
use std::sync::Arc;

/// Binds, prints `civickit listening on http://ADDR` on stdout (tests and scripts wait for that
/// line) and serves until `shutdown` resolves.
pub async fn serve(
    state: Arc<http::AppState>,
    listen: &str,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await?;
    let addr: SocketAddr = listener.local_addr()?;
    println!("civickit listening on http://{addr}");
    use std::io::Write;
    std::io::stdout().flush()?;
    let app = http::router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

/// Runs the DSGVO retention job now and then once a day, for as long as the server runs.
pub async fn retention_loop(db: db::Db) {
    loop {
        match db.run_retention(db::now()).await {
            Ok(run) if run.messages_erased + run.report_addresses_erased > 0 => tracing::info!(
                "retention: erased personal data of {} messages, {} report addresses",
                run.messages_erased,
                run.report_addresses_erased
            ),
            Ok(_) => {}
            Err(e) => tracing::error!("retention: {e}"),
        }
        tokio::time::sleep(std::time::Duration::from_secs(24 * 3600)).await;
    }
}
