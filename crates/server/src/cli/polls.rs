//! `civickit polls vacuum`: what an operator does for ballot secrecy once a poll has ended
//! (ARCHITECTURE.md, "Ballot secrecy"); the daily job in `serve` does the same when a poll
//! has ended since its last run.

use crate::db::{Backend, Db};

#[derive(clap::Subcommand)]
pub enum PollsCommand {
    /// Seal the polls that have ended (their interim counts become the final ones; on
    /// PostgreSQL their participation rows lose the order of the votes) and rewrite the poll
    /// tables, so that the database files keep no earlier counts and no order of votes:
    /// PostgreSQL CLUSTER and VACUUM FULL on the poll tables, SQLite VACUUM and an emptied WAL.
    /// Safe while serving (SQLite's VACUUM rewrites the whole file, and writes wait for it);
    /// also useful during a long poll on PostgreSQL, where it removes the old versions of the
    /// counters written so far.
    Vacuum,
}

pub async fn run(db: &Db, command: PollsCommand) -> Result<(), String> {
    match command {
        PollsCommand::Vacuum => {
            let sealed = db
                .seal_ended_polls(crate::db::now())
                .await
                .map_err(|e| format!("sealing ended polls: {e}"))?;
            if sealed.is_empty() {
                println!("polls: no poll ended since the last vacuum");
            } else {
                println!(
                    "polls: sealed {} ended poll(s): {}",
                    sealed.len(),
                    sealed.join(", ")
                );
            }
            db.vacuum_polls()
                .await
                .map_err(|e| format!("vacuuming the poll tables: {e}"))?;
            println!(
                "polls: {}",
                match db.backend {
                    Backend::Postgres =>
                        "poll_codes and poll_voters clustered on their key, polls, poll_questions and poll_options vacuumed (FULL)",
                    Backend::Sqlite => "database vacuumed, WAL emptied",
                }
            );
            Ok(())
        }
    }
}
