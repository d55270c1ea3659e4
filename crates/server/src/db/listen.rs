//! Hearing other instances' writes on PostgreSQL: `LISTEN civickit_reports`.
//!
//! Every write path that changes a report calls `Db::report_changed`, which on PostgreSQL sends
//! `pg_notify('civickit_reports', '<tenant_id>:<report_id>')` after its commit. Each `serve`
//! keeps one connection listening (outside the `Any` pool: a pooled connection would be handed
//! to queries and lose its LISTEN) and re-reads the named report into its own map index, so a
//! change made through another instance, or by the CLI, shows within moments. Its own
//! notifications come back too; re-reading an already current report is harmless.
//!
//! Notifications sent while the connection is down are lost, so after every (re)connect the
//! whole index is dropped (`map.clear()`) and read again (`mapindex::load_all`, which on
//! PostgreSQL is therefore started here and not beside it). Both come after the LISTEN, so
//! that a change is either in what is read or in a notification that follows; notifications
//! arriving during the read wait in the connection and are applied after it.

use super::reports::CHANGES_CHANNEL;
use super::Db;
use sqlx::postgres::PgListener;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Listens until `stop` is cancelled, reconnecting after a lost connection (every few seconds
/// while the database is away). Meanwhile the index is read on first use and kept current by
/// this instance's own writes only: the warning in the log says so.
pub async fn run(db: Db, url: String, stop: CancellationToken) {
    let mut retry = Duration::from_millis(500);
    while !stop.is_cancelled() {
        match listen(&db, &url, &stop).await {
            // Stopped, or the connection was up and then lost: try again at once.
            Ok(()) => retry = Duration::from_millis(500),
            Err(e) => {
                tracing::warn!(
                    "cannot listen for other instances' changes ({e}): until it works, their \
                     changes do not show on this instance's map; retrying in {retry:?}"
                );
                tokio::select! {
                    () = stop.cancelled() => return,
                    () = tokio::time::sleep(retry) => {}
                }
                retry = (retry * 2).min(Duration::from_secs(10));
            }
        }
    }
}

/// One connection's life: Ok when stopped or when the connection is lost after it was up.
async fn listen(db: &Db, url: &str, stop: &CancellationToken) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect(url).await?;
    listener.listen(CHANGES_CHANNEL).await?;
    tracing::info!("listening for other instances' report changes");
    db.map.clear();
    crate::mapindex::load_all(db.clone()).await;
    loop {
        let received = tokio::select! {
            () = stop.cancelled() => return Ok(()),
            received = listener.try_recv() => received?,
        };
        let Some(notification) = received else {
            tracing::warn!("lost the connection listening for other instances' changes");
            return Ok(());
        };
        match parse(notification.payload()) {
            Some((tenant_id, report_id)) => {
                if let Err(e) = db.refresh_map_report(tenant_id, report_id).await {
                    // The index may now miss this change: start it afresh instead.
                    tracing::error!("refreshing report {report_id} of tenant {tenant_id}: {e}");
                    db.map.clear();
                }
            }
            None => tracing::warn!("ignoring the notification {:?}", notification.payload()),
        }
    }
}

/// `"<tenant_id>:<report_id>"`.
fn parse(payload: &str) -> Option<(i64, i64)> {
    let (tenant, report) = payload.split_once(':')?;
    Some((tenant.parse().ok()?, report.parse().ok()?))
}

#[cfg(test)]
mod tests {
    #[test]
    fn payloads_name_a_tenant_and_a_report() {
        assert_eq!(super::parse("3:1042"), Some((3, 1042)));
        assert_eq!(super::parse("3"), None);
        assert_eq!(super::parse("x:1"), None);
    }
}
