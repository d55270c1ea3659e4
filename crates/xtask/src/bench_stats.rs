//! The processing statistics at county scale for `cargo xtask bench`: the first answer of a
//! town (the server reads its year of reports) and the answers kept afterwards, for each
//! period and category filter a reader may pick.

use crate::bench_http::sequential;
use crate::bench_map::Tenant;
use crate::util::Result;

/// Requests per kept selection.
const REPEATS: usize = 50;

pub fn measure(host: &str, tenants: &[&Tenant]) -> Result {
    println!("processing statistics (<civic-stats>):");
    for t in tenants {
        let first = sequential(host, &[format!("/api/v1/{}/stats", t.slug)], "gzip")?;
        println!(
            "  first statistics of {:<27} {:>8.0} ms (reads the town's year)",
            t.label,
            first.ms(0.5)
        );
        let selections: Vec<String> = [
            "",
            "?period=3",
            "?period=6",
            "?category=strassenbeleuchtung",
        ]
        .iter()
        .map(|q| format!("/api/v1/{}/stats{q}", t.slug))
        .collect();
        // Each selection's first answer is assembled from the kept facts, the rest are kept.
        let assembled = sequential(host, &selections[1..], "gzip")?;
        assembled.print(&format!("new selection, {}", t.label));
        let kept: Vec<String> = selections
            .iter()
            .cycle()
            .take(REPEATS * 4)
            .cloned()
            .collect();
        sequential(host, &kept, "gzip")?.print(&format!("kept selection, {}", t.label));
    }
    Ok(())
}
