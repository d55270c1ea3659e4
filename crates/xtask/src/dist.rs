//! The last steps before the server embeds `target/dist/`: write the widgets' content
//! versions into the loader and minify it, then precompress every compressible file with brotli and gzip.

use crate::util::{note, step, Result};
use crate::wasm::{widgets_dist, WIDGETS};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::Path;

/// What www/civic.js holds until the build fills it in.
const VERSIONS_PLACEHOLDER: &str = "var VERSIONS = {};";
/// Files that shrink when compressed; the server treats the same list the same way.
const COMPRESSIBLE: &[&str] = &[
    "js", "mjs", "css", "wasm", "html", "svg", "json", "txt", "xml", "map",
];
const BROTLI_QUALITY: u32 = 11;
const BROTLI_WINDOW_BITS: u32 = 22;

pub fn finish() -> Result {
    step("versioning and minifying the loader, precompressing the bundle (brotli 11, gzip 9)");
    version_loader()?;
    let started = std::time::Instant::now();
    let written = precompress(&crate::dist_dir())?;
    note(&format!(
        "{written} new files compressed in {:.1}s",
        started.elapsed().as_secs_f64()
    ));
    Ok(())
}

/// Writes `{"civic_reports.js": "<hash>", …}` into `widgets/civic.js`: the loader then asks
/// for `civic_reports.js?v=<hash>`, which the server answers as `immutable` because the hash
/// is the one it computes from the bytes (16 hex digits of SHA-256, `http/assets/mod.rs`).
fn version_loader() -> Result {
    let dist = widgets_dist();
    let mut versions = serde_json::Map::new();
    for widget in WIDGETS {
        for file in [
            format!("civic_{}.js", widget.name),
            format!("civic_{}_bg.wasm", widget.name),
        ] {
            version(&mut versions, &dist, file)?;
        }
    }
    // The proof-of-work solver, loaded by civic.js on a widget's first write.
    version(&mut versions, &dist, crate::wasm::POW_FILE.into())?;
    let loader = dist.join("civic.js");
    let text =
        std::fs::read_to_string(&loader).map_err(|e| format!("{}: {e}", loader.display()))?;
    if !text.contains(VERSIONS_PLACEHOLDER) {
        return Err(format!(
            "{} has no `{VERSIONS_PLACEHOLDER}` to fill in (www/civic.js changed?)",
            loader.display()
        ));
    }
    let filled = text.replacen(
        VERSIONS_PLACEHOLDER,
        &format!("var VERSIONS = {};", serde_json::Value::Object(versions)),
        1,
    );
    // Minified only now, with its versions in (the placeholder would be renamed away).
    let versioned = crate::util::root().join("target/wasm/civic.versioned.js");
    write(&versioned, filled.as_bytes())?;
    crate::wasm::minify(&versioned, &loader)
}

/// Adds `file`'s content hash (16 hex digits of SHA-256) to `versions`.
fn version(
    versions: &mut serde_json::Map<String, serde_json::Value>,
    dist: &Path,
    file: String,
) -> Result {
    let path = dist.join(&file);
    let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    versions.insert(file, hex(&Sha256::digest(&bytes)[..8]).into());
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes `FILE.br` (brotli 11) and `FILE.gz` (gzip 9) beside every compressible file below
/// `dir` that lacks a fresh pair: the size budget is about bytes on the wire, compressing once
/// at build time is free, and the server embeds and serves them without compressing anything.
fn precompress(dir: &Path) -> Result<usize> {
    let mut written = 0;
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            written += precompress(&path)?;
            continue;
        }
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        if !COMPRESSIBLE.contains(&ext) {
            continue;
        }
        let br = path.with_extension(format!("{ext}.br"));
        let gz = path.with_extension(format!("{ext}.gz"));
        if newer(&br, &path) && newer(&gz, &path) {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        // The office folder is rebuilt from scratch every time; brotli 11 on its wasm takes
        // many seconds, so compressed bytes are kept by content hash across builds.
        let cache = crate::util::root()
            .join("target/precompressed")
            .join(hex(&Sha256::digest(&bytes)));
        let (cached_br, cached_gz) = (cache.with_extension("br"), cache.with_extension("gz"));
        if !(cached_br.is_file() && cached_gz.is_file()) {
            std::fs::create_dir_all(cache.parent().unwrap()).map_err(|e| e.to_string())?;
            write(&cached_br, &brotli(&bytes))?;
            write(&cached_gz, &gzip(&bytes))?;
            written += 1;
        }
        for (from, to) in [(&cached_br, &br), (&cached_gz, &gz)] {
            std::fs::copy(from, to).map_err(|e| format!("{}: {e}", to.display()))?;
        }
    }
    Ok(written)
}

/// Brotli 11 as the server sends it (also what `cargo xtask size` counts).
pub(crate) fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut w =
            brotli::CompressorWriter::new(&mut out, 4096, BROTLI_QUALITY, BROTLI_WINDOW_BITS);
        w.write_all(bytes).expect("writing to memory");
    }
    out
}

pub(crate) fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).expect("writing to memory");
    enc.finish().expect("writing to memory")
}

fn write(path: &Path, bytes: &[u8]) -> Result {
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// Is `a` there and at least as new as `b`?
pub(crate) fn newer(a: &Path, b: &Path) -> bool {
    let modified = |p: &Path| p.metadata().and_then(|m| m.modified()).ok();
    matches!((modified(a), modified(b)), (Some(a), Some(b)) if a >= b)
}
