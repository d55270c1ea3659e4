//! `civickit retention run [--as-of YYYY-MM-DD]`: the daily DSGVO retention job once, now or
//! as if it were that day (for tests, and to catch up after the server was stopped: a run
//! erases everything due by then, however late).

use crate::db::retention::kind_name;
use crate::db::Db;
use civickit_model::Lang;
use clap::Subcommand;

#[derive(Subcommand)]
pub enum RetentionCommand {
    /// Run the retention job once and print what it erased, per kind of personal data.
    Run {
        /// Run as if it were 00:00 UTC of this day (YYYY-MM-DD) instead of now: periods
        /// count up to that moment
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
        as_of: Option<i64>,
    },
}

/// `2027-12-06` → the Unix time of that day's 00:00 UTC.
fn parse_day(text: &str) -> Result<i64, String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text.trim(), &format)
        .map(|day| day.midnight().assume_utc().unix_timestamp())
        .map_err(|_| format!("{text:?} is not a day: use YYYY-MM-DD, e.g. 2027-12-06"))
}

pub async fn run(db: &Db, command: RetentionCommand) -> Result<(), String> {
    let RetentionCommand::Run { as_of } = command;
    let at = as_of.unwrap_or_else(crate::db::now);
    let run = db.run_retention(at).await.map_err(|e| e.to_string())?;
    println!("retention as of {}:", crate::http::rfc3339(at));
    for (kind, n) in &run.erased {
        println!(
            "  {:<20} {n:>6}  {}",
            kind_name(*kind),
            kind.label(Lang::En)
        );
    }
    println!("  {:<20} {:>6}", "spent_challenges", run.challenges_swept);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::parse_day;

    #[test]
    fn a_day_is_its_midnight_in_utc() {
        assert_eq!(parse_day("2027-01-01"), Ok(1_798_761_600));
        assert!(parse_day("2027-13-01").unwrap_err().contains("YYYY-MM-DD"));
        assert!(parse_day("morgen").is_err());
    }
}
