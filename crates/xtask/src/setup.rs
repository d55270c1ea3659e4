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
    wordpress()?;
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

/// WordPress for the plugin's test (`tests/browser/wordpress.test.mjs`): Debian's package (6.1
/// on bookworm) with its default theme, PHP's command line (its built-in server serves
/// WordPress in the test) and MySQL driver, without Recommends (all of WordPress's
/// translations). nginx, installed just before, stands in for the web server the package
/// wants, so no Apache service is installed. Then a MariaDB at 127.0.0.1:3306 and the test's
/// account on it.
fn wordpress() -> Result {
    step("WordPress, PHP and MariaDB (WordPress plugin test)");
    let wanted = [
        "wordpress",
        "wordpress-theme-twentytwentythree",
        "php-cli",
        "php-mysql",
    ];
    let missing: Vec<&str> = wanted.into_iter().filter(|p| !dpkg_has(p)).collect();
    if missing.is_empty() {
        note(&format!("present: {}", wanted.join(", ")));
    } else {
        apt_get_install(&missing, false)?;
    }
    mariadb()?;
    wordpress_account()
}

/// Where the WordPress test finds its database server.
const MARIADB: &str = "127.0.0.1:3306";

fn mariadb_answers() -> bool {
    let addr = MARIADB.parse().expect("a socket address");
    std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_ok()
}

/// A MariaDB or MySQL at 127.0.0.1:3306: the one there is kept (CI machines run one), else
/// Debian's mariadb-server is installed and started.
fn mariadb() -> Result {
    if mariadb_answers() {
        note(&format!("a MariaDB/MySQL answers at {MARIADB}"));
        return Ok(());
    }
    note(&format!(
        "nothing answers at {MARIADB}: installing and starting mariadb-server"
    ));
    if !dpkg_has("mariadb-server") {
        apt_install(&["mariadb-server"])?;
    }
    // Debian starts the service where systemd runs; in a container without it, by hand.
    let starts: [&[&str]; 3] = [
        &["systemctl", "start", "mariadb"],
        &["service", "mariadb", "start"],
        &[
            "start-stop-daemon",
            "--start",
            "--oknodo",
            "--background",
            "--exec",
            "/usr/sbin/mariadbd",
        ],
    ];
    for start in starts {
        if mariadb_answers() {
            break;
        }
        let _ = output(Command::new(start[0]).args(&start[1..]));
        for _ in 0..30 {
            if mariadb_answers() {
                break;
            }
            std::thread::sleep(Duration::from_secs(1));
        }
    }
    if mariadb_answers() {
        note(&format!("MariaDB started at {MARIADB}"));
        Ok(())
    } else {
        Err(format!(
            "MariaDB does not answer at {MARIADB} after installing mariadb-server: start it \
             (systemctl start mariadb) and run `cargo xtask setup` again"
        ))
    }
}

/// The account the WordPress test uses (tests/browser/wordpress/site.mjs): it may create and
/// drop only databases named `civickit_wp_…`, so the test needs no administrator's rights
/// and cannot touch another database. Made once by the database's administrator: root over
/// the socket (Debian's unix_socket login for the system's root), root over TCP without a
/// password (as this project's CI machines are set up), or root through sudo.
fn wordpress_account() -> Result {
    const USER: &str = "civickit_wp";
    let client = if which("mariadb").is_some() {
        "mariadb"
    } else {
        "mysql"
    };
    let works = output(Command::new(client).args([
        "--protocol=TCP",
        "-h127.0.0.1",
        "-P3306",
        &format!("-u{USER}"),
        &format!("-p{USER}"),
        "-e",
        "SELECT 1",
    ]))
    .is_some();
    if works {
        note(&format!("the test's MariaDB account {USER} works"));
        return Ok(());
    }
    let grants: String = ["127.0.0.1", "localhost"]
        .iter()
        .map(|host| {
            format!(
                "CREATE USER IF NOT EXISTS '{USER}'@'{host}' IDENTIFIED BY '{USER}'; \
                 GRANT ALL ON `civickit\\_wp\\_%`.* TO '{USER}'@'{host}'; "
            )
        })
        .collect();
    let admins: [&[&str]; 3] = [
        &[client, "-uroot"],
        &[client, "-uroot", "--protocol=TCP", "-h127.0.0.1", "-P3306"],
        &["sudo", "-n", client, "-uroot"],
    ];
    for admin in admins {
        let made = output(
            Command::new(admin[0])
                .args(&admin[1..])
                .args(["-e", &grants]),
        );
        if made.is_some() {
            note(&format!(
                "made the MariaDB account {USER} as `{}`",
                admin.join(" ")
            ));
            return Ok(());
        }
    }
    Err(format!(
        "could not make the MariaDB account {USER} for the WordPress test: run as MariaDB's \
         administrator:\n  {grants}"
    ))
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
    apt_get_install(packages, true)
}

/// `apt-get install`, with or without the packages' Recommends.
fn apt_get_install(packages: &[&str], recommends: bool) -> Result {
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
    if !recommends {
        args.push("--no-install-recommends");
    }
    args.extend_from_slice(packages);
    apt(&args)
}
