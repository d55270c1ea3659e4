//! Compression of bundle files that came without precompressed siblings (a `--dist` folder
//! not built by `cargo xtask build`). The build itself writes brotli 11 and gzip 9 files.

use axum::body::Bytes;
use std::io::Write;
use std::path::Path;

/// Extensions of files that shrink when compressed (PNG and fonts are compressed already).
const COMPRESSIBLE: &[&str] = &[
    "js", "mjs", "css", "wasm", "html", "svg", "json", "txt", "xml", "map",
];

/// Brotli quality for compressing at start: 9 is within a few percent of 11 at a tenth of
/// the time, and a `--dist` folder is a development setup (the build precompresses with 11).
const BROTLI_QUALITY_ON_LOAD: u32 = 9;
const BROTLI_WINDOW_BITS: u32 = 22;

pub fn worth_compressing(path: &str) -> bool {
    path.rsplit_once('.')
        .is_some_and(|(_, ext)| COMPRESSIBLE.contains(&ext))
}

/// `civic.js.br` → (`civic.js`, `"br"`), `civic.js.gz` → (`civic.js`, `"gzip"`).
pub fn precompressed_of(path: &str) -> Option<(&str, &'static str)> {
    if let Some(original) = path.strip_suffix(".br") {
        return Some((original, "br"));
    }
    path.strip_suffix(".gz").map(|original| (original, "gzip"))
}

/// A `.br`/`.gz` file older than the file it was made from: left over from an earlier build.
pub fn is_stale_precompressed(path: &Path) -> bool {
    let Some((original, _)) = path.to_str().and_then(precompressed_of) else {
        return false;
    };
    let modified = |p: &Path| p.metadata().and_then(|m| m.modified()).ok();
    match (modified(path), modified(Path::new(original))) {
        (Some(compressed), Some(original)) => compressed < original,
        _ => false,
    }
}

pub fn brotli(bytes: &[u8]) -> Bytes {
    brotli_at(bytes, BROTLI_QUALITY_ON_LOAD)
}

/// For answers computed on a request (the map's): quality 5 compresses 10 KB of JSON in a
/// fraction of a millisecond, within a few percent of 9 on such small bodies.
pub fn brotli_fast(bytes: &[u8]) -> Bytes {
    brotli_at(bytes, 5)
}

fn brotli_at(bytes: &[u8], quality: u32) -> Bytes {
    let mut out = Vec::with_capacity(bytes.len() / 3);
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, quality, BROTLI_WINDOW_BITS);
        writer.write_all(bytes).expect("writing to memory");
    }
    Bytes::from(out)
}

pub fn gzip(bytes: &[u8]) -> Bytes {
    gzip_at(bytes, flate2::Compression::best())
}

pub fn gzip_fast(bytes: &[u8]) -> Bytes {
    gzip_at(bytes, flate2::Compression::default())
}

fn gzip_at(bytes: &[u8], level: flate2::Compression) -> Bytes {
    let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(bytes.len() / 3), level);
    encoder.write_all(bytes).expect("writing to memory");
    Bytes::from(encoder.finish().expect("writing to memory"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_precompressed_siblings_and_what_to_compress() {
        assert_eq!(
            precompressed_of("widgets/civic.js.br"),
            Some(("widgets/civic.js", "br"))
        );
        assert_eq!(
            precompressed_of("widgets/civic.js.gz"),
            Some(("widgets/civic.js", "gzip"))
        );
        assert_eq!(precompressed_of("widgets/civic.js"), None);
        assert!(worth_compressing("widgets/civic_reports_bg.wasm"));
        assert!(!worth_compressing("widgets/images/marker-icon.png"));
    }
}
