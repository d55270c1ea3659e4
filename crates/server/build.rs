//! Embeds the built bundle into the binary, so that a copied `civickit` serves its widgets,
//! demo page and office without a folder beside it (`--dist` still overrides at run time).
//!
//! `cargo xtask build` fills `target/dist/` (wasm, loader, office, `.br`/`.gz` beside every
//! compressible file) and only then builds the server. This script lists that folder into
//! `$OUT_DIR/bundle.rs` as `include_bytes!` entries, read by `http::assets::embedded`.
//!
//! Why a build script and not `rust-embed`/`include_dir` alone: a derive macro does not notice
//! files *added* to the folder (every build adds new ones), so a build script with
//! `rerun-if-changed` on the folder was needed anyway, and once it walks the folder, writing
//! the `include_bytes!` list is a few lines more than configuring a crate to do the same.

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-env-changed=CIVICKIT_EMBED_DIST");
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap());
    let dist = std::env::var_os("CIVICKIT_EMBED_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest_dir.join("../../target/dist"));
    // Cargo reruns a script forever while a watched path is missing; an empty folder instead
    // makes a build without a bundle as cheap as any other (it is `cargo xtask build`'s output
    // folder, so nothing else lives there).
    let _ = std::fs::create_dir_all(&dist);
    println!("cargo:rerun-if-changed={}", dist.display());

    let mut files = Vec::new();
    // A half-built folder (no loader) is not a bundle: embed nothing and let the server say so.
    if dist.join("widgets/civic.js").is_file() {
        walk(&dist, &dist, &mut files);
    }
    files.sort();
    let mut code = String::from(
        "/// Every file of the bundle built by `cargo xtask build`: path below `dist/`, bytes.\n\
         pub static FILES: &[(&str, &[u8])] = &[\n",
    );
    for (relative, absolute) in &files {
        code += &format!("    ({relative:?}, include_bytes!({absolute:?})),\n");
    }
    code += "];\n";
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap()).join("bundle.rs");
    std::fs::write(&out, code).expect("writing bundle.rs");
}

fn walk(root: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(root, &path, files);
        } else if let Ok(relative) = path.strip_prefix(root) {
            let relative = relative.to_string_lossy().replace('\\', "/");
            let absolute = path.canonicalize().unwrap_or(path.clone());
            files.push((relative, absolute.to_string_lossy().into_owned()));
        }
    }
}
