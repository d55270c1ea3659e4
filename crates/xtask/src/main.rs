//! civickit's task runner: `cargo xtask <setup|build|demo|lint|test|size|bench>`.
//! Everything a fresh machine needs is set up from here, so that the README's two commands
//! (`cargo xtask demo`, `cargo xtask test`) work anywhere.

mod bench;
mod bench_http;
mod bench_map;
mod bench_places;
mod bench_stats;
mod dist;
mod integrations;
mod lint;
mod loadgen;
mod office;
mod setup;
mod short_imports;
mod size;
mod util;
mod wasm;

use std::path::PathBuf;
use std::process::{Command, ExitCode};
use util::{note, root, run, step, Result};

const USAGE: &str = "usage: cargo xtask <command>

commands:
  setup   make this machine ready (wasm toolchain, wasm-bindgen CLI, npm packages, Chromium)
  build   build the widget bundle (wasm) and the civickit server
  demo    setup + build + serve the demo town Musterstadt on http://127.0.0.1:8080
  lint    rustfmt check, clippy -D warnings natively and for wasm32 (part of `test`)
  test    setup + build + size budgets + lint + every test (unit, integration on SQLite
          and PostgreSQL, browser)
  size    the bytes each widget downloads on first load (brotli, gzip beside it); fails
          over the budgets of SPEC.md (part of `test`)
          (--network: time to usable on an emulated slow phone line, beside bare Leaflet)
  bench   the map API over 1,000,000 reports per tenant in a county and a dense town:
          viewport times, answer sizes, wrk at 8 and 500 connections beside nginx serving
          the same bytes (--reports N, --postgres URL, --views N; `bench --help`); the
          proof-of-work solve times in Chromium (`--only pow`: those alone)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::run_all().map(|_| ()),
        Some("build") => setup::run_all().and_then(build),
        Some("demo") => setup::run_all()
            .and_then(build)
            .and_then(|()| demo(&args[1..])),
        Some("test") => setup::run_all()
            .and_then(|toolchain| build(toolchain).and_then(|()| test(toolchain, &args[1..]))),
        Some("lint") => setup::wasm_toolchain().and_then(lint),
        // A figure, not a budget: the browser needs the bundle and the server built.
        Some("size") if args.get(1).map(String::as_str) == Some("--network") => setup::run_all()
            .and_then(build)
            .and_then(|()| time_to_usable()),
        Some("size") => size::run(),
        // The release server embeds `target/dist/`: without the bundle built first, a fresh
        // clone's benchmark measured 404s for civic.js.
        Some("bench") if args[1..].iter().any(|a| a == "--help" || a == "-h") => {
            print!("{}", bench::HELP);
            Ok(())
        }
        Some("bench") => setup::run_all()
            .and_then(build)
            .and_then(|()| bench::run_bench(&args[1..])),
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\x1b[1;31mxtask failed: {e}\x1b[0m");
            ExitCode::FAILURE
        }
    }
}

/// Where the assembled widget bundle, the demo page and the office end up; the server's
/// build script embeds this folder (`crates/server/build.rs`).
pub fn dist_dir() -> PathBuf {
    root().join("target/dist")
}

fn server_binary() -> PathBuf {
    root().join("target/debug/civickit")
}

fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(root());
    cmd
}

/// The bundle first, then the server, whose build script embeds `target/dist/` (so the
/// binary serves widgets, demo and office with no folder beside it).
fn build(toolchain: setup::WasmToolchain) -> Result {
    wasm::build_bundle(toolchain)?;
    office::build_office(toolchain)?;
    integrations::build()?;
    dist::finish()?;
    step("civickit server (with the bundle built in)");
    run(cargo().args(["build", "--package", "civickit-server"]))
}

fn demo(extra: &[String]) -> Result {
    step("serving the demo town Musterstadt");
    let db = root().join("target/demo/musterstadt.db");
    std::fs::create_dir_all(db.parent().unwrap()).map_err(|e| e.to_string())?;
    let mut cmd = Command::new(server_binary());
    cmd.arg("serve")
        .arg("--demo")
        .arg("--listen")
        .arg("127.0.0.1:8080")
        .arg("--database")
        .arg(format!("sqlite://{}", db.display()))
        .args(extra);
    run(&mut cmd)
}

/// rustfmt, clippy on the workspace for this machine, and clippy for the browser's wasm32.
fn lint(toolchain: setup::WasmToolchain) -> Result {
    step("formatting and lints");
    run(cargo().args(["fmt", "--all", "--", "--check"]))?;
    run(cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    lint::clippy_wasm(toolchain)
}

fn test(toolchain: setup::WasmToolchain, extra: &[String]) -> Result {
    let started = std::time::Instant::now();
    // First, as it takes a second: the bundle just built must fit the budgets on the wire.
    size::run()?;
    lint(toolchain)?;

    step("Rust tests: model, server on SQLite and PostgreSQL, Open311 conformance");
    postgres_banner()?;
    run(cargo().args(["test", "--workspace"]).args(extra))?;

    step("Open311 with an independent client (PyPI georeport, JSON and XML)");
    run(Command::new(setup::python_venv().join("bin/python"))
        .args(["-m", "unittest", "discover", "-v", "-s"])
        .arg(root().join("tests/open311_client"))
        .env("CIVICKIT_BIN", server_binary()))?;

    step("browser tests (headless Chromium against the real server)");
    let out = root().join("test-output");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    run(Command::new("node")
        .args(["--test", "--test-concurrency=1"])
        .arg(root().join("tests/browser"))
        .env("CIVICKIT_BIN", server_binary())
        .env("CIVICKIT_DIST", dist_dir())
        .env("CIVICKIT_TEST_OUTPUT", &out)
        .current_dir(root()))?;
    note(&format!("screenshots and logs: {}", out.display()));
    step(&format!(
        "all tests passed in {:.0}s",
        started.elapsed().as_secs_f64()
    ));
    Ok(())
}

/// `cargo xtask size --network`: the reports widget's time to usable on an emulated rural
/// phone line beside a bare Leaflet page (tests/browser/bench/time-to-usable.mjs).
fn time_to_usable() -> Result {
    step("time to usable on a slow phone line: <civic-reports> beside a bare Leaflet page");
    run(Command::new("node")
        .arg(root().join("tests/browser/bench/time-to-usable.mjs"))
        .env("CIVICKIT_BIN", server_binary())
        .env("CIVICKIT_DIST", dist_dir())
        .current_dir(root()))
}

/// The server tests run on PostgreSQL when one answers; say loudly up front when none does,
/// because the skipped tests themselves pass quietly. With `CIVICKIT_REQUIRE_POSTGRES=1` (as
/// `.ci/run` sets it) a missing PostgreSQL stops the run here, before the long test build; the
/// test harness would fail those tests anyway.
fn postgres_banner() -> Result {
    let url = std::env::var("CIVICKIT_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let host_port = url
        .split('@')
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or("127.0.0.1:5432");
    let reachable = std::net::ToSocketAddrs::to_socket_addrs(host_port)
        .ok()
        .and_then(|mut addrs| addrs.next())
        .is_some_and(|addr| {
            std::net::TcpStream::connect_timeout(&addr, std::time::Duration::from_secs(3)).is_ok()
        });
    let required =
        std::env::var("CIVICKIT_REQUIRE_POSTGRES").is_ok_and(|v| !v.is_empty() && v != "0");
    if reachable {
        note(&format!(
            "PostgreSQL answers at {host_port}: every server test runs on SQLite and on PostgreSQL"
        ));
    } else if required {
        return Err(format!(
            "PostgreSQL does not answer at {host_port}, and CIVICKIT_REQUIRE_POSTGRES is set: \
             the postgres::* server tests must run here (start PostgreSQL or set \
             CIVICKIT_TEST_POSTGRES to a reachable server)"
        ));
    } else {
        eprintln!(
            "\n\x1b[1;33m!!! PostgreSQL does not answer at {host_port}: the postgres::* server tests \
             will be SKIPPED (set CIVICKIT_TEST_POSTGRES to a reachable server) !!!\x1b[0m\n"
        );
    }
    Ok(())
}
