//! `civickit privacy inventory`: per town, every kind of personal data it holds, how many
//! records, the oldest, and when the next will be erased (`crate::db::inventory`), as a table
//! in English or, with `--json`, as `{slug: PrivacyInventory}`.

use crate::db::{now, Db};
use crate::http::local_time::local_time;
use civickit_model::api::office::PrivacyInventory;
use civickit_model::Lang;
use clap::Subcommand;
use std::collections::BTreeMap;

#[derive(Subcommand)]
pub enum PrivacyCommand {
    /// Every kind of personal data each town holds: records, the oldest, the next erasure.
    Inventory {
        /// One town (its slug); all towns without it
        #[arg(long)]
        tenant: Option<String>,
        /// Print `{"<slug>": PrivacyInventory, …}` as JSON (docs/office-api.md) instead
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(db: &Db, command: PrivacyCommand) -> Result<(), String> {
    let PrivacyCommand::Inventory { tenant, json } = command;
    let towns = match tenant {
        Some(slug) => vec![db
            .tenant_by_slug(&slug)
            .await
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("no tenant {slug:?}"))?],
        None => db.tenants().await.map_err(|e| e.to_string())?,
    };
    let at = now();
    let mut all = BTreeMap::new();
    for town in &towns {
        let inventory = db
            .privacy_inventory(town.id, at)
            .await
            .map_err(|e| format!("{}: {e}", town.slug))?;
        if !json {
            if !all.is_empty() {
                println!();
            }
            println!("{} ({})", town.name, town.slug);
            print!("{}", table(&inventory, at));
        }
        all.insert(town.slug.clone(), inventory);
    }
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&all).map_err(|e| e.to_string())?
        );
    }
    Ok(())
}

/// A time of the inventory in the town's local time; a due erasure says so.
fn when(rfc3339: Option<&str>, at: i64, due_mark: bool) -> String {
    let Some(unix) = rfc3339.and_then(|t| {
        time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).ok()
    }) else {
        return "-".into();
    };
    let unix = unix.unix_timestamp();
    let shown = local_time(unix, Lang::En);
    if due_mark && unix <= at {
        format!("{shown} (due)")
    } else {
        shown
    }
}

fn table(inventory: &PrivacyInventory, at: i64) -> String {
    let header = ["kind", "records", "oldest", "next erasure", "rule"].map(String::from);
    let rows: Vec<[String; 5]> = inventory
        .entries
        .iter()
        .map(|e| {
            [
                e.kind.label(Lang::En).to_string(),
                e.records.to_string(),
                when(e.oldest.as_deref(), at, false),
                when(e.next_erasure.as_deref(), at, true),
                e.kind.rule(Lang::En, &inventory.retention),
            ]
        })
        .collect();
    let mut widths = header.clone().map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
            let pad = w - cell.chars().count();
            match i {
                // Counts right-aligned, the rule (last) unpadded.
                1 => line.push_str(&format!("{}{cell}  ", " ".repeat(pad))),
                4 => line.push_str(cell),
                _ => line.push_str(&format!("{cell}{}  ", " ".repeat(pad))),
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use civickit_model::api::office::InventoryEntry;
    use civickit_model::privacy::{PersonalData, Retention};

    #[test]
    fn the_table_lines_up_and_marks_what_is_due() {
        let inventory = PrivacyInventory {
            retention: Retention::default(),
            entries: vec![
                InventoryEntry {
                    kind: PersonalData::SentMails,
                    records: 12,
                    oldest: Some("2026-01-10T09:00:00Z".into()),
                    next_erasure: Some("2026-02-09T09:00:00Z".into()),
                },
                InventoryEntry {
                    kind: PersonalData::Flags,
                    records: 0,
                    oldest: None,
                    next_erasure: None,
                },
            ],
        };
        let at = 1_800_000_000; // 2027
        let text = table(&inventory, at);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("kind "));
        assert!(
            lines[1].contains("Sent e-mails")
                && lines[1].contains("     12  2026-01-10 10:00")
                && lines[1].contains("2026-02-09 10:00 (due)")
                && lines[1].ends_with("30 days after sending"),
            "{text}"
        );
        let rule_at = lines[0].find("rule").unwrap();
        assert_eq!(lines[2].find("180 days after the decision"), Some(rule_at));
    }
}
