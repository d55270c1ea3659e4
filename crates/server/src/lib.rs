//! The civickit backend as a library, so that the integration tests drive exactly the code the
//! `civickit` binary runs.

pub mod abuse;
pub mod backup;
pub mod cli;
pub mod config;
pub mod csv_out;
pub mod db;
pub mod demo;
pub mod http;
pub mod intake;
pub mod limits;
pub mod mail;
pub mod mapindex;
pub mod metrics;
pub mod photos;
pub mod places;
pub mod pow;
pub mod secrets;
pub mod seed;
pub mod statements;
pub mod stats;
pub mod texts;

use std::future::IntoFuture;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Binds, prints `civickit listening on http://ADDR` on stdout (tests and scripts wait for that
/// line) and serves until `shutdown` resolves. Then it stops accepting connections, closes idle
/// ones, and gives the requests in flight up to `grace` to finish; whatever still runs after
/// that is cut off (and logged), so a hung client cannot hold up a restart for ever.
pub async fn serve(
    state: Arc<http::AppState>,
    listen: &str,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    grace: Duration,
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await?;
    let addr: SocketAddr = listener.local_addr()?;
    println!("civickit listening on http://{addr}");
    use std::io::Write;
    std::io::stdout().flush()?;
    let app = http::router(state).into_make_service_with_connect_info::<SocketAddr>();
    let (stopping, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = axum::serve(listener, app).with_graceful_shutdown(async move {
        shutdown.await;
        tracing::info!("shutting down: no new connections, up to {grace:?} for requests in flight");
        let _ = stopping.send(());
    });
    let deadline = async move {
        match stopped.await {
            Ok(()) => tokio::time::sleep(grace).await,
            // The server ended by itself (an error): it is its result that counts.
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        result = server.into_future() => result,
        () = deadline => {
            tracing::warn!("requests still running after {grace:?} were cut off");
            Ok(())
        }
    }
}

/// Runs the DSGVO retention job once a day, until `stop` is cancelled: at start, then after
/// each UTC midnight. With several instances on one database only the one that claims the day
/// runs it (`db/jobs.rs`); the others log that and wait for the next day.
pub async fn retention_loop(db: db::Db, stop: CancellationToken) {
    const JOB: &str = "retention";
    loop {
        let at = db::now();
        let day = time::OffsetDateTime::from_unix_timestamp(at)
            .expect("a valid time")
            .date()
            .to_string();
        // A failed claim or run is tried again soon, not tomorrow.
        let mut next = Duration::from_secs(600);
        match db.claim_daily_job(JOB, &day).await {
            Ok(true) => match db.run_retention(at).await {
                Ok(run) => {
                    tracing::info!("retention: ran for {day}: erased {run}");
                    // Ballot secrecy: polls that ended since the last run (db/polls.rs).
                    match db.seal_and_vacuum_ended_polls(at).await {
                        Ok(sealed) if !sealed.is_empty() => tracing::info!(
                            "polls: sealed {} and vacuumed the poll tables",
                            sealed.join(", ")
                        ),
                        Ok(_) => {}
                        Err(e) => tracing::error!("polls: sealing or vacuuming: {e}"),
                    }
                    if let Err(e) = db.daily_job_finished(JOB, &day).await {
                        tracing::error!("retention: recording the run of {day}: {e}");
                    }
                    next = until_next_utc_day(at);
                }
                Err(e) => {
                    tracing::error!("retention: {e}");
                    if let Err(e) = db.release_daily_job(JOB, &day).await {
                        tracing::error!("retention: releasing {day}: {e}");
                    }
                }
            },
            Ok(false) => {
                tracing::info!("retention: {day} was already run by another instance");
                next = until_next_utc_day(at);
            }
            Err(e) => tracing::error!("retention: claiming {day}: {e}"),
        }
        tokio::select! {
            () = stop.cancelled() => return,
            () = tokio::time::sleep(next) => {}
        }
    }
}

/// From `at` (Unix seconds) to a few seconds past the next UTC midnight, when a new day's run
/// may be claimed.
fn until_next_utc_day(at: i64) -> Duration {
    Duration::from_secs((86_400 - at.rem_euclid(86_400)) as u64 + 5)
}

/// Drops idle rate-limit keys every minute, so that limiter memory follows the addresses of the
/// last few minutes, not of the whole uptime.
pub async fn forget_idle_limit_keys(state: Arc<http::AppState>) {
    let mut every = tokio::time::interval(limits::FORGET_IDLE_EVERY);
    loop {
        every.tick().await;
        state.limiter.forget_idle().await;
    }
}
