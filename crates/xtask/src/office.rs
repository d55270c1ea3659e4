//! Builds the office page (crates/office-ui) into `target/dist/office/`, which the server serves
//! at `/office` and `/office/assets/`. Its own wasm: citizens never download it.

use crate::setup::{WasmToolchain, WASM_TARGET};
use crate::util::{note, root, run, step, which, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

const CRATE: &str = "civickit-office-ui";
/// The file stem cargo and wasm-bindgen give the crate's output.
const STEM: &str = "civickit_office_ui";
/// Static files of the page, copied as they are.
const STATIC_FILES: &[&str] = &["index.html", "office.css", "office.js"];
/// leaflet.markercluster (www/package.json pins it) for the office map's clusters: served from
/// `/office/assets/` like the page's own files, loaded with the first map of reports. Its
/// `MarkerCluster.Default.css` is left out on purpose: it colours clusters green, yellow and
/// orange by size, which would read as report states; office.css draws them neutral.
const CLUSTER_FILES: &[&str] = &["leaflet.markercluster.js", "MarkerCluster.css"];
/// binaryen's features that rustc's wasm32 output uses (see TOOLCHAIN.md).
const WASM_OPT_FLAGS: &[&str] = &[
    "-Oz",
    "--enable-bulk-memory",
    "--enable-reference-types",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-multivalue",
];
/// Compiles crates/office-ui for wasm32 (`wasm-release` profile), binds it with wasm-bindgen
/// (`--target web`), shrinks it with binaryen's wasm-opt from npm when installed, and writes
/// `target/dist/office/` (index.html, office.js, office.css, glue JS, wasm) from scratch.
pub fn build_office(toolchain: WasmToolchain) -> Result {
    step(&format!("office page ({toolchain:?})"));
    let root = root();
    let target_dir = root.join("target/wasm");
    run(&mut wasm_cargo(toolchain, &root, &target_dir))?;
    let wasm = target_dir
        .join(WASM_TARGET)
        .join("wasm-release")
        .join(format!("{STEM}.wasm"));

    let bound = target_dir.join("office-bindgen");
    let _ = std::fs::remove_dir_all(&bound);
    run(Command::new(wasm_bindgen()?)
        .args(["--target", "web", "--no-typescript", "--out-dir"])
        .arg(&bound)
        .arg(&wasm))?;

    let out = crate::dist_dir().join("office");
    if out.exists() {
        std::fs::remove_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    copy(
        &bound.join(format!("{STEM}.js")),
        &out.join(format!("{STEM}.js")),
    )?;
    let bound_wasm = bound.join(format!("{STEM}_bg.wasm"));
    let out_wasm = out.join(format!("{STEM}_bg.wasm"));
    let wasm_opt = root.join("www/node_modules/.bin/wasm-opt");
    if wasm_opt.is_file() {
        run(Command::new(&wasm_opt)
            .args(WASM_OPT_FLAGS)
            .arg(&bound_wasm)
            .arg("-o")
            .arg(&out_wasm))?;
    } else {
        note("binaryen's wasm-opt is not in www/node_modules (run `cargo xtask setup`): shipping the unoptimised wasm");
        copy(&bound_wasm, &out_wasm)?;
    }
    for file in STATIC_FILES {
        copy(&root.join("www/office").join(file), &out.join(file))?;
    }
    let cluster = root.join("www/node_modules/leaflet.markercluster/dist");
    for file in CLUSTER_FILES {
        copy(&cluster.join(file), &out.join(file))
            .map_err(|e| format!("{e} (run `cargo xtask setup`: it installs www/node_modules)"))?;
    }
    let bytes = std::fs::metadata(&out_wasm).map(|m| m.len()).unwrap_or(0);
    note(&format!(
        "office page in {} (wasm {} KB before gzip)",
        out.display(),
        bytes / 1024
    ));
    Ok(())
}

fn wasm_cargo(toolchain: WasmToolchain, root: &Path, target_dir: &Path) -> Command {
    let mut cmd = match toolchain {
        WasmToolchain::Rustup => {
            let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
            cmd.arg("build");
            cmd
        }
        WasmToolchain::DebianBuildStd => {
            // Under `cargo xtask`, rustup's cargo exported its toolchain, rustc and paths; drop
            // them so that Debian's cargo really uses Debian's rustc-web and std sources (the
            // same rule as crates/xtask/src/wasm.rs).
            let mut cmd = Command::new("/usr/bin/cargo");
            for (key, _) in std::env::vars_os() {
                let key = key.to_string_lossy().into_owned();
                if (key.starts_with("CARGO") && key != "CARGO_HOME")
                    || key.starts_with("RUSTUP_TOOLCHAIN")
                    || key.starts_with("RUSTC")
                    || key.starts_with("RUSTDOC")
                    || key == "RUSTFLAGS"
                {
                    cmd.env_remove(&key);
                }
            }
            let path = std::env::var("PATH").unwrap_or_default();
            cmd.env("PATH", format!("/usr/bin:{path}"))
                .env("RUSTC_BOOTSTRAP", "1")
                .env("RUSTC", "/usr/bin/rustc")
                .args(["build", "-Z", "build-std=std,panic_abort"]);
            cmd
        }
    };
    cmd.current_dir(root)
        .args(["--profile", "wasm-release", "--target", WASM_TARGET])
        .args(["-p", CRATE, "--target-dir"])
        .arg(target_dir);
    cmd
}

fn wasm_bindgen() -> Result<PathBuf> {
    which("wasm-bindgen")
        .or_else(|| {
            let home = std::env::var_os("CARGO_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
            Some(home.join("bin/wasm-bindgen")).filter(|p| p.is_file())
        })
        .ok_or_else(|| "wasm-bindgen CLI not found (run `cargo xtask setup`)".to_string())
}

fn copy(from: &Path, to: &Path) -> Result {
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("copy {} -> {}: {e}", from.display(), to.display()))
}
