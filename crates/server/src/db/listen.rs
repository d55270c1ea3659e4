//! Hearing other processes' writes: on PostgreSQL `LISTEN civickit_reports` (below), on
//! SQLite the change log `map_changes` read every second (`follow_log`), where the other
//! process is the CLI on the same file (`civickit report set-status`).
//!
//! Every write path that changes a report calls `Db::report_changed`, which on PostgreSQL sends
//! `pg_notify('civickit_reports', '<tenant_id>:<report_id>')` after its commit. Each `serve`
//! keeps one connection listening (outside the `Any` pool: a pooled connection would be handed
//! to queries and lose its LISTEN) and re-reads the named report into its own map index, so a
//! change made through another instance, or by the CLI, shows within moments. Its own
//! notifications come back too; re-reading an already current report is harmless.
//!
//! Notifications sent while the connection is down are lost, so after every (re)connect every
//! town's index is read again and swapped in (`mapindex::load_all`, which on
//! PostgreSQL is therefore started here and not beside it; the old index answers meanwhile).
//! It comes after the LISTEN, so
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
    // An index read from now on misses no change; older ones are read again.
    let since = db.map.next_epoch();
    crate::mapindex::load_all(db.clone(), since).await;
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

/// How often a server on SQLite reads the change log: a change by the CLI shows on the map
/// within this.
const LOG_POLL: Duration = Duration::from_secs(1);

/// SQLite: reads the index at start, then applies the change log's new entries every second
/// (its own writes come back too; re-reading a current report is harmless) until `stop`.
pub async fn follow_log(db: Db, stop: CancellationToken) {
    // Taken before the epoch starts: an index read from then on holds every change up to
    // `last`, and the log brings the later ones.
    let mut last = db.last_map_change().await.unwrap_or(0);
    let since = db.map.next_epoch();
    crate::mapindex::load_all(db.clone(), since).await;
    let mut tick = tokio::time::interval(LOG_POLL);
    let mut rounds = 0u32;
    loop {
        tokio::select! {
            () = stop.cancelled() => return,
            _ = tick.tick() => {}
        }
        match db.map_changes_since(last).await {
            Ok(changes) => {
                for (id, tenant_id, report_id) in changes {
                    if let Err(e) = db.refresh_map_report(tenant_id, report_id).await {
                        tracing::error!("refreshing report {report_id} of tenant {tenant_id}: {e}");
                        db.map.clear();
                    }
                    last = id;
                }
            }
            Err(e) => tracing::warn!("reading the map's change log: {e}"),
        }
        rounds += 1;
        // One server reads a SQLite file's log, so what it has applied is no longer needed.
        if rounds.is_multiple_of(60) {
            if let Err(e) = db.forget_map_changes(last).await {
                tracing::warn!("trimming the map's change log: {e}");
            }
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
