//! `cargo xtask size`: the gzipped bytes each widget downloads on first load, split by file,
//! against the budgets of SPEC.md (reports ≤ 200 KB including Leaflet; mailbox/poll ≤ 80 KB).

use crate::util::{step, Result};
use crate::wasm::{widgets_dist, LEAFLET_FILES, SHARED_FILES, WIDGETS};
use std::io::Write;

fn gzipped(bytes: &[u8]) -> u64 {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).expect("writing to memory");
    enc.finish().expect("writing to memory").len() as u64
}

fn kb(n: u64) -> String {
    format!("{:.1} KB", n as f64 / 1024.0)
}

pub fn run() -> Result {
    let dist = widgets_dist();
    let mut over = Vec::new();
    for widget in WIDGETS {
        step(&format!(
            "<civic-{}>: first load, gzip -9 (budget {})",
            widget.name,
            kb(widget.budget)
        ));
        let glue = format!("civic_{}.js", widget.name);
        let wasm = format!("civic_{}_bg.wasm", widget.name);
        let mut files: Vec<(&str, String)> = vec![
            ("loader", SHARED_FILES[0].to_string()),
            ("wasm", wasm),
            ("glue", glue),
            ("CSS", SHARED_FILES[1].to_string()),
        ];
        if widget.map {
            files.push(("Leaflet JS", LEAFLET_FILES[0].to_string()));
            files.push(("Leaflet CSS", LEAFLET_FILES[1].to_string()));
        }
        let mut total = 0;
        for (what, file) in &files {
            let path = dist.join(file);
            let bytes = std::fs::read(&path)
                .map_err(|e| format!("{}: {e} (run `cargo xtask build` first)", path.display()))?;
            let gz = gzipped(&bytes);
            total += gz;
            println!(
                "  {what:<12} {file:<26} {:>10} raw {:>10} gzip",
                kb(bytes.len() as u64),
                kb(gz)
            );
        }
        let verdict = if total <= widget.budget {
            "within budget"
        } else {
            over.push(widget.name);
            "OVER BUDGET"
        };
        println!(
            "  {:<12} {:<26} {:>10}     {:>10} gzip  ({verdict}: {})",
            "total",
            "",
            "",
            kb(total),
            kb(widget.budget)
        );
    }
    if over.is_empty() {
        Ok(())
    } else {
        Err(format!("over the size budget: {}", over.join(", ")))
    }
}
