//! `cargo xtask size`: the bytes each widget downloads on first load, split by file, against the
//! budgets of SPEC.md (reports ≤ 150 KB including Leaflet; mailbox and poll ≤ 60 KB; stats
//! ≤ 40 KB, issue 17), counted
//! on the wire with brotli 11: the `.br` files `dist.rs` writes are what the server sends to
//! every browser that accepts brotli (all current ones do over HTTPS). gzip -9 is printed beside
//! it for browsers and proxies without brotli. `cargo xtask test` runs it after the build and
//! fails when a widget is over its budget; the count is deterministic (same bytes, same size).

use crate::util::{step, Result};
use crate::wasm::{widgets_dist, LEAFLET_FILES, SHARED_FILES, WIDGETS};
use std::path::Path;

/// One file of a widget's first load: what it is, its name in the bundle, its sizes.
struct Counted {
    what: &'static str,
    file: String,
    raw: u64,
    gzip: u64,
    brotli: u64,
}

fn kb(n: u64) -> String {
    format!("{:.1} KB", n as f64 / 1024.0)
}

/// The compressed sizes of `path`: its `.br` and `.gz` siblings when `dist.rs` wrote them from
/// these very bytes (the server sends exactly those), else compressed here the same way.
fn count(what: &'static str, dist: &Path, file: &str) -> Result<Counted> {
    let path = dist.join(file);
    let bytes = std::fs::read(&path)
        .map_err(|e| format!("{}: {e} (run `cargo xtask build` first)", path.display()))?;
    let sibling = |ext: &str| -> Option<u64> {
        let p = dist.join(format!("{file}.{ext}"));
        let fresh = crate::dist::newer(&p, &path);
        fresh.then(|| p.metadata().ok().map(|m| m.len())).flatten()
    };
    let brotli = sibling("br").unwrap_or_else(|| crate::dist::brotli(&bytes).len() as u64);
    let gzip = sibling("gz").unwrap_or_else(|| crate::dist::gzip(&bytes).len() as u64);
    Ok(Counted {
        what,
        file: file.to_string(),
        raw: bytes.len() as u64,
        gzip,
        brotli,
    })
}

/// The files a widget loads the first time: loader, its wasm and glue, our CSS, and Leaflet for
/// the map widget (the loader fetches exactly these; images and tiles come later).
fn first_load(name: &str, map: bool) -> Vec<(&'static str, String)> {
    let mut files = vec![
        ("loader", SHARED_FILES[0].to_string()),
        ("wasm", format!("civic_{name}_bg.wasm")),
        ("glue", format!("civic_{name}.js")),
        ("CSS", SHARED_FILES[1].to_string()),
    ];
    if map {
        files.push(("Leaflet JS", LEAFLET_FILES[0].to_string()));
        files.push(("Leaflet CSS", LEAFLET_FILES[1].to_string()));
    }
    files
}

/// The widgets whose brotli total is over their budget: `(name, total, budget)`.
fn over_budget<'a>(totals: &[(&'a str, u64, u64)]) -> Vec<&'a str> {
    totals
        .iter()
        .filter(|(_, total, budget)| total > budget)
        .map(|(name, _, _)| *name)
        .collect()
}

pub fn run() -> Result {
    let dist = widgets_dist();
    let mut totals = Vec::new();
    for widget in WIDGETS {
        step(&format!(
            "<civic-{}>: first load on the wire, brotli 11 (budget {}; gzip -9 beside it)",
            widget.name,
            kb(widget.budget)
        ));
        let mut files = Vec::new();
        for (what, file) in first_load(widget.name, widget.map) {
            files.push(count(what, &dist, &file)?);
        }
        for c in &files {
            println!(
                "  {:<12} {:<26} {:>10} raw {:>10} brotli {:>10} gzip",
                c.what,
                c.file,
                kb(c.raw),
                kb(c.brotli),
                kb(c.gzip)
            );
        }
        let sum = |f: fn(&Counted) -> u64| files.iter().map(f).sum::<u64>();
        let (brotli, gzip) = (sum(|c| c.brotli), sum(|c| c.gzip));
        let verdict = if brotli <= widget.budget {
            "within budget"
        } else {
            "OVER BUDGET"
        };
        println!(
            "  {:<12} {:<26} {:>10}     {:>10} brotli {:>10} gzip  ({verdict}: {}; {brotli} bytes)",
            "total",
            "",
            kb(sum(|c| c.raw)),
            kb(brotli),
            kb(gzip),
            kb(widget.budget)
        );
        totals.push((widget.name, brotli, widget.budget));
    }
    let over = over_budget(&totals);
    if over.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "over the size budget (brotli, SPEC.md): {}",
            over.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_widget_one_byte_over_its_budget_fails_and_one_on_it_passes() {
        let totals = [
            ("reports", 150 * 1024 + 1, 150 * 1024),
            ("mailbox", 60 * 1024, 60 * 1024),
            ("poll", 10, 60 * 1024),
            ("stats", 40 * 1024 + 1, 40 * 1024),
        ];
        assert_eq!(over_budget(&totals), vec!["reports", "stats"]);
    }

    #[test]
    fn the_map_widget_counts_leaflet_and_the_others_do_not() {
        let names =
            |map| -> Vec<String> { first_load("x", map).into_iter().map(|(_, f)| f).collect() };
        assert_eq!(
            names(false),
            ["civic.js", "civic_x_bg.wasm", "civic_x.js", "civic.css"]
        );
        assert!(names(true).contains(&"leaflet.js".to_string()));
        assert!(names(true).contains(&"leaflet.css".to_string()));
    }

    #[test]
    fn fresh_precompressed_files_are_counted_as_they_are() {
        let dir = std::env::temp_dir().join(format!("civickit-size-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let text = "civickit ".repeat(1000);
        std::fs::write(dir.join("a.js"), &text).unwrap();
        let c = count("x", &dir, "a.js").unwrap();
        assert_eq!(c.raw, 9000);
        assert_eq!(c.brotli, crate::dist::brotli(text.as_bytes()).len() as u64);
        assert!(
            c.brotli < c.gzip && c.gzip < c.raw,
            "{} {}",
            c.brotli,
            c.gzip
        );
        // A `.br` written from these bytes (after them) is what the server sends: taken as is.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(dir.join("a.js.br"), [0u8; 7]).unwrap();
        assert_eq!(count("x", &dir, "a.js").unwrap().brotli, 7);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
