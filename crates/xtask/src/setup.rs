//! `cargo xtask setup`: makes a fresh machine ready to build and test civickit. Every step
//! checks first and is skipped when already satisfied, so a second run takes seconds.

use crate::util::{note, output, root, run, run_with_timeout, step, which, Result};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// How Rust reaches wasm32 on this machine (see TOOLCHAIN notes in ARCHITECTURE.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WasmToolchain {
    /// rustup's own `wasm32-unknown-unknown` target with the usual precompiled std.
    Rustup,
    /// Debian's `rustc-web` compiler, building std for wasm32 from `rust-web-src`
    /// (`-Z build-std`), for machines where rustup cannot download the target.
    DebianBuildStd,
}

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
const DEBIAN_WASM_PACKAGES: &[&str] = &["rustc-web", "cargo-web", "rust-web-src", "lld-22"];
/// Where Debian's rust-web-src puts the standard library sources that build-std needs.
const DEBIAN_STD_SRC: &str = "/usr/lib/rustlib/src/rust/library";

pub fn run_all() -> Result<WasmToolchain> {
    let started = std::time::Instant::now();
    let toolchain = wasm_toolchain()?;
    wasm_bindgen_cli()?;
    node_packages()?;
    system_packages(&[
        ("chromium", "chromium"),
        ("python3", "python3-aiosmtpd"),
        // tests/operations.rs: `systemd-analyze verify` on docs/civickit.service, the
        // pg_dump/pg_restore lines that `civickit backup` prints for PostgreSQL ...
        ("systemd-analyze", "systemd"),
        ("pg_dump", "postgresql-client"),
        // ... and a throw-away certificate for `nginx -t` on its nginx site (nginx itself
        // comes with the proxy tests' packages).
        ("openssl", "openssl"),
        // tests/browser/work-order.test.mjs reads Chromium's PDF of a work order back.
        ("pdftotext", "poppler-utils"),
    ])?;
    check_aiosmtpd()?;
    nginx()?;
    open311_client()?;
    step(&format!(
        "setup done in {:.1}s (wasm toolchain: {toolchain:?})",
        started.elapsed().as_secs_f64()
    ));
    Ok(toolchain)
}

/// Finds or installs a way to compile for wasm32: rustup's target if present or obtainable,
/// else the Debian fallback.
pub fn wasm_toolchain() -> Result<WasmToolchain> {
    step("wasm32 toolchain");
    if rustup_has_wasm_target() {
        note("rustup already has the wasm32-unknown-unknown target: using it");
        return Ok(WasmToolchain::Rustup);
    }
    if debian_fallback_ready() {
        note("Debian rustc-web with std sources is installed: building std for wasm32 from source (-Z build-std)");
        return Ok(WasmToolchain::DebianBuildStd);
    }
    if which("rustup").is_some() {
        let attempt = run_with_timeout(
            Command::new("rustup").args(["target", "add", WASM_TARGET]),
            Duration::from_secs(90),
        );
        match attempt {
            Ok(()) if rustup_has_wasm_target() => {
                note("rustup installed the wasm32 target: using it");
                return Ok(WasmToolchain::Rustup);
            }
            Ok(()) => note("rustup said yes but the target is not there"),
            Err(e) => note(&format!("rustup could not provide the target: {e}")),
        }
    }
    note("falling back to Debian's rustc-web and building std for wasm32 from source");
    apt_install(DEBIAN_WASM_PACKAGES)?;
    if !debian_fallback_ready() {
        return Err(format!(
            "installed {DEBIAN_WASM_PACKAGES:?} but /usr/bin/rustc, {DEBIAN_STD_SRC} or /usr/bin/rust-lld is still missing"
        ));
    }
    Ok(WasmToolchain::DebianBuildStd)
}

fn rustup_has_wasm_target() -> bool {
    output(Command::new("rustup").args(["target", "list", "--installed"]))
        .is_some_and(|s| s.lines().any(|l| l.trim() == WASM_TARGET))
}

fn debian_fallback_ready() -> bool {
    Path::new("/usr/bin/rustc").is_file()
        && Path::new("/usr/bin/cargo").is_file()
        && Path::new(DEBIAN_STD_SRC).is_dir()
        && Path::new("/usr/bin/rust-lld").exists()
        && output(Command::new("/usr/bin/rustc").arg("--version")).is_some()
}

/// The wasm-bindgen version pinned (with `=`) in crates/widgets/Cargo.toml; the CLI must match it
/// exactly or the generated glue does not fit the module.
pub fn pinned_wasm_bindgen_version() -> Result<String> {
    let manifest = std::fs::read_to_string(root().join("crates/widgets/Cargo.toml"))
        .map_err(|e| format!("reading crates/widgets/Cargo.toml: {e}"))?;
    manifest
        .lines()
        .find_map(|l| {
            let l = l.trim();
            l.strip_prefix("wasm-bindgen")
                .filter(|rest| rest.trim_start().starts_with('='))
                .and_then(|rest| rest.split("\"=").nth(1))
                .and_then(|v| v.split('"').next())
                .map(str::to_string)
        })
        .ok_or_else(|| {
            "crates/widgets/Cargo.toml must pin wasm-bindgen as `wasm-bindgen = \"=X.Y.Z\"`".into()
        })
}

fn wasm_bindgen_cli() -> Result {
    let wanted = pinned_wasm_bindgen_version()?;
    step(&format!("wasm-bindgen CLI {wanted}"));
    let have = output(Command::new("wasm-bindgen").arg("--version"));
    if have.as_deref() == Some(&format!("wasm-bindgen {wanted}")) {
        note("already installed");
        return Ok(());
    }
    note(&format!(
        "found {:?}; installing the pinned version (takes a few minutes once)",
        have
    ));
    // No --locked: the locked webpki-roots of the CLI is not served by the registry here.
    run(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &wanted]))
}

fn node_packages() -> Result {
    step("Node packages (www/package.json: Leaflet, binaryen's wasm-opt, Playwright)");
    let www = root().join("www");
    if which("npm").is_none() {
        apt_install(&["nodejs", "npm"])?;
    }
    let lock = www.join("package-lock.json");
    let installed = www.join("node_modules/.package-lock.json");
    let fresh = match (lock.metadata(), installed.metadata()) {
        (Ok(l), Ok(i)) => i.modified().ok() >= l.modified().ok(),
        _ => false,
    };
    if fresh {
        note("www/node_modules is up to date with package-lock.json");
        return Ok(());
    }
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&www))
}

/// Installs Debian packages for the programs that are missing: `(program, package)` pairs.
fn system_packages(wanted: &[(&str, &str)]) -> Result {
    step("system packages");
    let missing: Vec<&str> = wanted
        .iter()
        .filter(|(program, package)| which(program).is_none() || !dpkg_has(package))
        .map(|(_, package)| *package)
        .collect();
    if missing.is_empty() {
        note(&format!(
            "present: {}",
            wanted.iter().map(|w| w.1).collect::<Vec<_>>().join(", ")
        ));
        return Ok(());
    }
    apt_install(&missing)
}

/// Where Debian puts nginx; /usr/sbin is not on every user's PATH.
pub const NGINX: &str = "/usr/sbin/nginx";

/// nginx for the reverse-proxy test (`crates/server/tests/proxy.rs`). Any nginx will do, so an
/// installed one is kept; else Debian's smallest build, `nginx-light`.
fn nginx() -> Result {
    step("nginx (reverse-proxy test)");
    let found = which("nginx").or_else(|| Path::new(NGINX).is_file().then(|| NGINX.into()));
    if let Some(found) = found {
        note(&format!("present: {}", found.display()));
        return Ok(());
    }
    note("installing nginx-light");
    apt_install(&["nginx-light"])?;
    // Debian starts the packaged service on port 80; the test runs its own instance, so the
    // service is stopped and left disabled.
    if which("systemctl").is_some()
        && output(Command::new("systemctl").args(["disable", "--now", "nginx"])).is_some()
    {
        note("stopped and disabled the nginx service Debian started (the test runs its own)");
    }
    Ok(())
}

/// Debian's own Python: the one `python3-aiosmtpd` installs into (a pyenv or other `python3`
/// earlier on PATH would not see it).
pub const SYSTEM_PYTHON: &str = "/usr/bin/python3";

/// The virtual environment with the independent Open311 client the conformance tests use.
pub fn python_venv() -> std::path::PathBuf {
    root().join("target/pyenv")
}

fn open311_client() -> Result {
    step("Python venv with the reference Open311 client (tests/open311_client/requirements.txt)");
    let venv = python_venv();
    let requirements = root().join("tests/open311_client/requirements.txt");
    let stamp = venv.join("installed-requirements.txt");
    let wanted = std::fs::read_to_string(&requirements).map_err(|e| e.to_string())?;
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str())
        && output(Command::new(venv.join("bin/python")).args(["-c", "import georeport"])).is_some()
    {
        note("up to date");
        return Ok(());
    }
    if run(Command::new(SYSTEM_PYTHON).args(["-m", "venv"]).arg(&venv)).is_err() {
        apt_install(&["python3-venv"])?;
        run(Command::new(SYSTEM_PYTHON).args(["-m", "venv"]).arg(&venv))?;
    }
    run(Command::new(venv.join("bin/python"))
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
        ])
        .arg(&requirements))?;
    std::fs::write(&stamp, wanted).map_err(|e| e.to_string())
}

fn check_aiosmtpd() -> Result {
    if output(Command::new(SYSTEM_PYTHON).args(["-c", "import aiosmtpd"])).is_none() {
        return Err("python3 cannot import aiosmtpd (Debian package python3-aiosmtpd): the mail tests need it".into());
    }
    Ok(())
}

fn dpkg_has(package: &str) -> bool {
    output(Command::new("dpkg-query").args(["-W", "-f=${Status}", package]))
        .is_some_and(|s| s.contains("install ok installed"))
}

pub fn apt_install(packages: &[&str]) -> Result {
    if which("apt-get").is_none() {
        return Err(format!(
            "please install these packages with your system's package manager: {}",
            packages.join(" ")
        ));
    }
    let sudo: &[&str] = if output(Command::new("id").arg("-u")).as_deref() == Some("0") {
        &[]
    } else {
        &["sudo"]
    };
    let apt = |args: &[&str]| {
        let mut all: Vec<&str> = sudo.to_vec();
        all.push("apt-get");
        all.extend_from_slice(args);
        let mut cmd = Command::new(all[0]);
        cmd.args(&all[1..]).env("DEBIAN_FRONTEND", "noninteractive");
        run(&mut cmd)
    };
    apt(&["update", "-qq"])?;
    let mut args = vec!["install", "-y", "-qq"];
    args.extend_from_slice(packages);
    apt(&args)
}
