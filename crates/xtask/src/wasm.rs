//! Builds the citizen widgets to wasm and assembles the bundle the server serves at /widgets/.
//!
//! One wasm per widget (decision): `crates/widgets` has a cargo feature per widget and is
//! built once per entry of [`WIDGETS`] with `--no-default-features --features <widget>`. Each
//! build is bound by wasm-bindgen to `civic_<widget>.js` + `civic_<widget>_bg.wasm`, so that
//! `<civic-mailbox>`, `<civic-poll>` and `<civic-stats>` never download the map code of
//! `<civic-reports>`.
//! Adding a widget: a feature + module in crates/widgets, an entry here, a line in civic.js.
//!
//! Output (`target/dist/`):
//! - `widgets/`: `civic.js` (loader), `civic.css`, `civic_<w>.js` + `civic_<w>_bg.wasm`,
//!   `leaflet.js` (the citizens' Leaflet, built from Leaflet's sources by esbuild: only what
//!   `<civic-reports>` uses, see www/leaflet-widgets.mjs), `leaflet-full.js` (Leaflet's own
//!   dist/leaflet.js, for the office), `leaflet.css`, `images/` (Leaflet's), `pow.js` (the
//!   proof-of-work client and solver, www/pow.mjs with @noble/hashes, and the flag form)
//! - `demo/`: the demo town's pages from www/demo/

use crate::setup::{WasmToolchain, WASM_TARGET};
use crate::util::{note, root, run, step, which, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Widget {
    /// The element is `<civic-NAME>`, the files `civic_NAME.js` / `civic_NAME_bg.wasm`.
    pub name: &'static str,
    /// Whether it needs Leaflet (loaded by civic.js before the wasm).
    pub map: bool,
    /// First-load budget in bytes on the wire with brotli 11 (SPEC.md: reports ≤ 150 KB with
    /// Leaflet, mailbox and poll ≤ 60 KB, stats ≤ 40 KB (issue 17); KB = 1024 bytes), checked
    /// by `cargo xtask size`.
    pub budget: u64,
}

pub const WIDGETS: &[Widget] = &[
    Widget {
        name: "reports",
        map: true,
        budget: 150 * 1024,
    },
    Widget {
        name: "mailbox",
        map: false,
        budget: 60 * 1024,
    },
    Widget {
        name: "poll",
        map: false,
        budget: 60 * 1024,
    },
    // Issue 17: charts and tables of figures, no form; a tighter budget than the forms'.
    Widget {
        name: "stats",
        map: false,
        budget: 40 * 1024,
    },
];

/// Files every widget downloads besides its own wasm and glue.
pub const SHARED_FILES: &[&str] = &["civic.js", "civic.css"];
/// What a map widget downloads in addition.
pub const LEAFLET_FILES: &[&str] = &["leaflet.js", "leaflet.css"];
/// Leaflet's complete build, for the office (leaflet.markercluster, GeoJSON, SVG paths).
const LEAFLET_FULL: &str = "leaflet-full.js";
/// The entry of the citizens' Leaflet build (www/).
const LEAFLET_ENTRY: &str = "leaflet-widgets.mjs";

/// The proof-of-work client and solver and the flag form (www/pow.mjs bundled), loaded by
/// civic.js only when a form first needs them, so no widget's first load carries them.
pub const POW_FILE: &str = "pow.js";
const POW_ENTRY: &str = "pow.mjs";

const PROFILE: &str = "wasm-release";
/// binaryen's features that rustc's wasm32 output uses (see TOOLCHAIN.md), then the passes.
/// Each measured on `<civic-reports>` (brotli 11 of the wasm; ARCHITECTURE.md has the table):
/// - `--remove-exports` of wasm-streams' `IntoUnderlying*` (server_fn, a dependency of Leptos,
///   exports them for streaming server functions; the widgets have none): −1.3 KB. Their
///   classes stay in the glue, unused (they are only made from Rust).
/// - `--converge` (run `-Oz` until nothing shrinks): −0.7 KB.
/// - `-O3`, `-Os` instead of `-Oz`: no smaller after brotli (+0.1 KB, −0.05 KB).
const WASM_OPT_FLAGS: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-reference-types",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-multivalue",
    "--remove-exports",
    "--pass-arg=remove-exports@*intounderlying*",
    "-Oz",
    "--converge",
];

pub fn widgets_dist() -> PathBuf {
    crate::dist_dir().join("widgets")
}

fn wasm_target_dir() -> PathBuf {
    root().join("target/wasm")
}

/// Builds crates/widgets for wasm32, binds it with wasm-bindgen, shrinks it with wasm-opt and
/// assembles `target/dist/widgets/` (loader, wasm, glue, CSS, Leaflet) and `target/dist/demo/`.
pub fn build_bundle(toolchain: WasmToolchain) -> Result {
    step(&format!("widget bundle ({toolchain:?})"));
    let dist = widgets_dist();
    std::fs::create_dir_all(&dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    let www = root().join("www");
    let wasm_opt = www.join("node_modules/.bin/wasm-opt");
    if !wasm_opt.exists() {
        return Err(format!(
            "{} is missing: run `cargo xtask setup` (npm ci in www/)",
            wasm_opt.display()
        ));
    }
    let bindgen = which("wasm-bindgen")
        .or_else(|| {
            let home = std::env::var_os("CARGO_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
            Some(home.join("bin/wasm-bindgen")).filter(|p| p.is_file())
        })
        .ok_or("wasm-bindgen CLI not found: run `cargo xtask setup`")?;

    // The widgets share one target dir, so every feature switch recompiles the crate (~10 s
    // with LTO); skip a widget entirely when its output is newer than every input.
    let inputs = newest_input();
    for widget in WIDGETS {
        note(&format!("<civic-{}>", widget.name));
        let out_wasm = dist.join(format!("civic_{}_bg.wasm", widget.name));
        let out_glue = dist.join(format!("civic_{}.js", widget.name));
        if let Some(inputs) = inputs {
            if [&out_wasm, &out_glue]
                .iter()
                .all(|f| modified(f).is_some_and(|m| m > inputs))
            {
                note("up to date");
                continue;
            }
        }
        run(&mut cargo_wasm(toolchain, widget))?;
        let built = wasm_target_dir()
            .join(WASM_TARGET)
            .join(PROFILE)
            .join("civickit_widgets.wasm");
        if newer(&out_wasm, &built) && newer(&out_glue, &built) {
            note("wasm-bindgen + wasm-opt output is up to date");
            continue;
        }
        let bound = wasm_target_dir().join("bindgen").join(widget.name);
        let _ = std::fs::remove_dir_all(&bound);
        run(Command::new(&bindgen)
            .args(["--target", "web", "--no-typescript", "--out-name"])
            .arg(format!("civic_{}", widget.name))
            .arg("--out-dir")
            .arg(&bound)
            .arg(&built))?;
        run(Command::new(&wasm_opt)
            .args(WASM_OPT_FLAGS)
            .arg(bound.join(format!("civic_{}_bg.wasm", widget.name)))
            .arg("-o")
            .arg(&out_wasm))?;
        // Short import names in the wasm and the glue (short_imports.rs), then the glue minified.
        let glue_path = bound.join(format!("civic_{}.js", widget.name));
        let (wasm, glue) = crate::short_imports::shorten(
            &read(&out_wasm)?,
            &String::from_utf8(read(&glue_path)?).map_err(|e| e.to_string())?,
            &format!("./civic_{}_bg.js", widget.name),
        )
        .map_err(|e| format!("{}: {e}", out_wasm.display()))?;
        write(&out_wasm, &wasm)?;
        let short_glue = bound.join(format!("civic_{}.short.js", widget.name));
        write(&short_glue, glue.as_bytes())?;
        minify(&short_glue, &out_glue)?;
        let snippets = bound.join("snippets");
        if snippets.is_dir() {
            copy_dir(&snippets, &dist.join("snippets"))?;
        }
    }

    note("loader, CSS, Leaflet, demo pages");
    // civic.js is minified by dist.rs once its versions are filled in.
    copy(&www.join("civic.js"), &dist.join("civic.js"))?;
    minify(&www.join("civic.css"), &dist.join("civic.css"))?;
    let leaflet = www.join("node_modules/leaflet/dist");
    build_leaflet(&www, &dist.join(LEAFLET_FILES[0]))?;
    build_pow(&www, &dist.join(POW_FILE))?;
    minify(&leaflet.join("leaflet.css"), &dist.join(LEAFLET_FILES[1]))?;
    copy(&leaflet.join("leaflet.js"), &dist.join(LEAFLET_FULL))?;
    copy_dir(&leaflet.join("images"), &dist.join("images"))?;
    copy_dir(&www.join("demo"), &crate::dist_dir().join("demo"))?;
    note(&format!("bundle ready in {}", crate::dist_dir().display()));
    Ok(())
}

fn esbuild() -> Result<PathBuf> {
    let esbuild = root().join("www/node_modules/.bin/esbuild");
    if esbuild.exists() {
        Ok(esbuild)
    } else {
        Err(format!(
            "{} is missing: run `cargo xtask setup` (npm ci in www/)",
            esbuild.display()
        ))
    }
}

/// Writes `from` minified to `to` with esbuild (JS by the name's `.js`, else CSS): whitespace,
/// comments and local names only, so wasm-bindgen's glue keeps its exports and import names,
/// and `/*! … */` headers (licences, the loader's usage) stay. Saves about a fifth of the
/// glue's brotli bytes (8.7 → 6.8 KB for reports); see ARCHITECTURE.md.
pub(crate) fn minify(from: &Path, to: &Path) -> Result {
    let name = from.file_name().unwrap_or_default().to_string_lossy();
    let mut cmd = Command::new(esbuild()?);
    cmd.arg(from)
        .args(["--minify", "--log-level=warning", "--legal-comments=inline"])
        .arg(format!("--outfile={}", to.display()));
    if name.ends_with(".js") {
        // The glue is an ES module (ES2020 keeps its `import.meta.url`); the loader is a
        // classic script for any host page, so no newer syntax (`??`, `?.`) goes into it.
        // Text outside ASCII comes out escaped: a classic script is read in the host page's
        // encoding, which need not be UTF-8.
        let glue = name.starts_with("civic_");
        cmd.arg(if glue {
            "--target=es2020"
        } else {
            "--target=es2017"
        });
    }
    run(&mut cmd)
}

/// Bundles www/leaflet-widgets.mjs (Leaflet's ES module sources, only the parts the widget
/// uses) with esbuild (pinned in www/package.json) into one script that sets the global `L`
/// as Leaflet's own build does, with Leaflet's licence header kept on top.
fn build_leaflet(www: &Path, out: &Path) -> Result {
    let entry = www.join(LEAFLET_ENTRY);
    let esbuild = esbuild()?;
    // No up-to-date check: esbuild takes a tenth of a second, and a copy of Leaflet's full
    // build left in dist/ by an older xtask would look newer than the entry.
    let version = std::fs::read_to_string(www.join("node_modules/leaflet/package.json"))
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .and_then(|v| v["version"].as_str().map(str::to_string))
        .ok_or("www/node_modules/leaflet/package.json has no version (run `cargo xtask setup`)")?;
    // Leaflet's own header (BSD-2-Clause: the copyright notice stays with the code).
    let banner = format!(
        "/* @preserve\n * Leaflet {version}, a JS library for interactive maps. https://leafletjs.com\n * \
         (c) 2010-2023 Vladimir Agafonkin, (c) 2010-2011 CloudMade\n * Only the parts that \
         <civic-reports> uses; the complete build is {LEAFLET_FULL} beside this file.\n */"
    );
    run(Command::new(&esbuild)
        .current_dir(www)
        .arg(&entry)
        .args([
            "--bundle",
            "--minify",
            "--format=iife",
            "--global-name=L",
            "--target=es2017",
            "--legal-comments=none",
            "--log-level=warning",
        ])
        .arg(format!("--banner:js={banner}"))
        .arg(format!("--outfile={}", out.display())))
}

/// Bundles www/pow.mjs (the proof-of-work client and solver with @noble/hashes' SHA-256, pinned
/// in www/package.json, and www/flag.mjs, the flag form) into one minified script that hands
/// its `solve` (with `solve.challenge` and `solve.flag`) to `window.__civickit.pow`.
/// ES2020: the browsers that run the widgets' wasm all have it, and @noble/hashes needs it.
fn build_pow(www: &Path, out: &Path) -> Result {
    run(Command::new(esbuild()?)
        .current_dir(www)
        .arg(www.join(POW_ENTRY))
        .args([
            "--bundle",
            "--minify",
            "--format=iife",
            "--target=es2020",
            "--legal-comments=inline",
            "--log-level=warning",
        ])
        .arg(format!("--outfile={}", out.display())))
}

/// `cargo build` of crates/widgets for wasm32 with the given toolchain.
fn cargo_wasm(toolchain: WasmToolchain, widget: &Widget) -> Command {
    let mut cmd = match toolchain {
        WasmToolchain::Rustup => {
            let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
            c.args(["build"]);
            c
        }
        WasmToolchain::DebianBuildStd => {
            // We run under rustup's cargo (`cargo xtask`): it exported its toolchain, its
            // rustc and its own paths. Drop all of that so that Debian's cargo really uses
            // Debian's rustc-web and std sources.
            let mut c = Command::new("/usr/bin/cargo");
            for (key, _) in std::env::vars_os() {
                let key = key.to_string_lossy().into_owned();
                let outer_cargo = key.starts_with("CARGO") && key != "CARGO_HOME";
                if outer_cargo
                    || key.starts_with("RUSTUP_TOOLCHAIN")
                    || key.starts_with("RUSTC")
                    || key.starts_with("RUSTDOC")
                    || key == "RUSTFLAGS"
                {
                    c.env_remove(&key);
                }
            }
            let path = std::env::var("PATH").unwrap_or_default();
            c.env("PATH", format!("/usr/bin:{path}"))
                .env("RUSTC", "/usr/bin/rustc")
                .env("RUSTC_BOOTSTRAP", "1")
                .args(["build", "-Z", "build-std=std,panic_abort"]);
            c
        }
    };
    cmd.current_dir(root())
        .args(["--profile", PROFILE, "--target", WASM_TARGET])
        .args(["--package", "civickit-widgets", "--no-default-features"])
        .args(["--features", widget.name])
        .arg("--target-dir")
        .arg(wasm_target_dir());
    cmd
}

fn modified(p: &Path) -> Option<std::time::SystemTime> {
    p.metadata().and_then(|m| m.modified()).ok()
}

/// The newest modification time of everything a widget's wasm is built from (None if unsure).
fn newest_input() -> Option<std::time::SystemTime> {
    fn walk(dir: &Path, newest: &mut std::time::SystemTime) -> Option<()> {
        for entry in std::fs::read_dir(dir).ok()? {
            let path = entry.ok()?.path();
            if path.is_dir() {
                walk(&path, newest)?;
            } else {
                *newest = (*newest).max(modified(&path)?);
            }
        }
        Some(())
    }
    let root = root();
    let mut newest = std::time::SystemTime::UNIX_EPOCH;
    for dir in ["crates/widgets", "crates/model"] {
        walk(&root.join(dir), &mut newest)?;
    }
    for file in ["Cargo.lock", "Cargo.toml"] {
        newest = newest.max(modified(&root.join(file))?);
    }
    Some(newest)
}

/// Is `a` there and at least as new as `b`?
fn newer(a: &Path, b: &Path) -> bool {
    match (
        a.metadata().and_then(|m| m.modified()),
        b.metadata().and_then(|m| m.modified()),
    ) {
        (Ok(a), Ok(b)) => a >= b,
        _ => false,
    }
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, bytes: &[u8]) -> Result {
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

fn copy(from: &Path, to: &Path) -> Result {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("copying {} to {}: {e}", from.display(), to.display()))
}

fn copy_dir(from: &Path, to: &Path) -> Result {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    let entries = std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| e.to_string())?;
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target)?;
        } else {
            copy(&path, &target)?;
        }
    }
    Ok(())
}
