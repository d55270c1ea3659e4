//! `cargo xtask bench`: measured, not hoped for. Seeds a county and a dense town with synthetic
//! public reports (1,000,000 each by default) in SQLite or in a fresh PostgreSQL database,
//! starts the release server on loopback, times the map API (`/map` by tiles, phone and
//! zoomed-out views, cold and warm) and the list beside it, then loads the map API and nginx
//! serving the very same bytes with wrk at 8 and 500 connections. Ends with the table of
//! issue 14's figures and bars. Every loop is bounded; nothing leaves 127.0.0.1.

use crate::bench_map::{self, MapFigures, Tenant, COUNTY, TOWN};
use crate::loadgen::{compare, compare_header, with_open_files, wrk_pair, Load, Nginx};
use crate::util::{note, root, run, step, Result};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Instant;

pub const HELP: &str =
    "usage: cargo xtask bench [--reports N] [--postgres URL] [--views N] [--only pow]

  --reports N      synthetic public reports per tenant (default 1000000), in a county of
                   about 40 x 40 km (landkreis) and in the 5 km demo town (musterstadt)
  --postgres URL   PostgreSQL instead of SQLite: the database URL names a throw-away
                   database (its name must contain \"bench\"), created anew and dropped at
                   the end, e.g. postgres://postgres@127.0.0.1:5432/civickit_bench
  --views N        random views timed per tenant and kind (default 300)
  --only pow       only the proof-of-work solve times in Chromium (full speed and 4x CPU
                   slowdown); needs `cargo xtask build` first, no server, no wrk

Needs wrk and nginx (`apt-get install wrk nginx-light`). Takes several minutes at 1 M.
";

/// wrk's connection counts: a handful of busy visitors, and a crowd.
const CONNECTIONS: [u32; 2] = [8, 500];

struct Options {
    reports: u64,
    postgres: Option<String>,
    views: usize,
    /// `--only pow`: the solver's figures alone.
    only_pow: bool,
}

fn options(args: &[String]) -> Result<Options> {
    let mut o = Options {
        reports: 1_000_000,
        postgres: None,
        views: 300,
        only_pow: false,
    };
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let mut value = || {
            args.next()
                .ok_or_else(|| format!("{flag} needs a value\n\n{HELP}"))
        };
        let number = |v: &String| {
            v.parse::<u64>()
                .map_err(|_| format!("{flag} {v:?} is not a number"))
        };
        match flag.as_str() {
            "--reports" => o.reports = number(value()?)?,
            "--views" => o.views = number(value()?)?.max(1) as usize,
            "--postgres" => o.postgres = Some(value()?.clone()),
            "--only" => match value()?.as_str() {
                "pow" => o.only_pow = true,
                other => return Err(format!("--only {other:?}: only `pow` is known\n\n{HELP}")),
            },
            _ => return Err(format!("unknown argument {flag:?}\n\n{HELP}")),
        }
    }
    Ok(o)
}

/// The release server; killed when the bench ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The throw-away PostgreSQL database, dropped when the bench ends.
struct PostgresDatabase<'a> {
    bin: &'a Path,
    url: String,
}

impl Drop for PostgresDatabase<'_> {
    fn drop(&mut self) {
        step("dropping the benchmark's PostgreSQL database");
        let _ =
            run(Command::new(self.bin).args(["--database", &self.url, "bench-database", "drop"]));
    }
}

fn start_server(bin: &Path, database: &str, log: &Path) -> Result<(Server, String)> {
    let log = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
    let mut child = with_open_files(bin)
        .args(["--database", database, "serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .map_err(|e| format!("starting the server: {e}"))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let server = Server(child);
    for line in BufReader::new(stdout).lines() {
        let line = line.map_err(|e| e.to_string())?;
        if let Some(host) = line.strip_prefix("civickit listening on http://") {
            return Ok((server, host.to_string()));
        }
    }
    Err("the server did not start; see target/bench/server.log".into())
}

pub fn run_bench(args: &[String]) -> Result {
    let o = options(args)?;
    if o.only_pow {
        return pow_solve();
    }
    let (wrk_bin, nginx_bin) = crate::loadgen::tools()?;
    step("release build of the server");
    run(
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .current_dir(root())
            .args(["build", "--release", "--package", "civickit-server"]),
    )?;
    let bin = root().join("target/release/civickit");
    let dir = root().join("target/bench");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;

    let (database, backend) = match &o.postgres {
        Some(url) => (url.clone(), "PostgreSQL"),
        None => (
            format!("sqlite://{}", dir.join("bench.db").display()),
            "SQLite",
        ),
    };
    let _postgres = match &o.postgres {
        Some(url) => {
            step(&format!("creating the PostgreSQL database {url}"));
            run(Command::new(&bin).args(["--database", url, "bench-database", "create"]))?;
            Some(PostgresDatabase {
                bin: &bin,
                url: url.clone(),
            })
        }
        None => None,
    };
    let mut seeding = Vec::new();
    for t in [&COUNTY, &TOWN] {
        step(&format!(
            "seeding {} synthetic reports for {} into {backend}",
            o.reports, t.slug
        ));
        let started = Instant::now();
        run(Command::new(&bin)
            .args(["--database", &database, "bench-seed", "--tenant", t.slug])
            .args(["--reports", &o.reports.to_string()]))?;
        seeding.push(format!(
            "{} {:.0} s",
            t.label,
            started.elapsed().as_secs_f64()
        ));
    }
    crate::bench_places::import(&bin, &database, &dir)?;

    let (server, host) = start_server(&bin, &database, &dir.join("server.log"))?;
    note(&format!("server on http://{host}"));
    println!(
        "\ncivickit bench: {} public reports per tenant in {backend}; release build, loopback\n\
         seeding: {}\n",
        o.reports,
        seeding.join(", ")
    );
    // The first map request of a tenant loads its index (unless the server did at start).
    for t in [&COUNTY, &TOWN] {
        let first = crate::bench_http::sequential(&host, &[t.warm_up_path()], "gzip")?;
        println!(
            "  first map request of {:<30} {:>8.0} ms (loads the index)",
            t.label,
            first.ms(0.5)
        );
    }
    println!("\nsequential requests, one keep-alive connection, times in ms, sizes as sent:");
    let county = bench_map::measure(&host, &COUNTY, o.views)?;
    let town = bench_map::measure(&host, &TOWN, o.views)?;
    crate::bench_places::measure(&host)?;
    crate::bench_stats::measure(&host, &[&COUNTY, &TOWN])?;

    let loads = load_comparison(
        &wrk_bin,
        &nginx_bin,
        &dir,
        &host,
        &[&COUNTY, &TOWN],
        &[&county.sample, &town.sample],
    )?;
    step("browser: drawing the map with 10,000 and more reports in view, beside bare Leaflet");
    run(Command::new("node")
        .arg(root().join("tests/browser/bench/map-draw.mjs"))
        .env("CIVICKIT_URL", format!("http://{host}"))
        .env("CIVICKIT_TENANT", TOWN.slug)
        .current_dir(root()))?;
    drop(server);
    pow_solve()?;
    summary(
        &format!("{} reports per tenant, {backend}", o.reports),
        &[(&COUNTY, &county), (&TOWN, &town)],
        &loads,
    );
    Ok(())
}

/// The widgets' proof-of-work in Chromium: median and p95 of 30 solves at the default
/// difficulty, at full speed and with a 4× CPU slowdown (a phone), beside crypto.subtle.
fn pow_solve() -> Result {
    step("browser: solving proof-of-work challenges (pow.js), full speed and 4x CPU slowdown");
    let pow = crate::wasm::widgets_dist().join(crate::wasm::POW_FILE);
    if !pow.is_file() {
        return Err(format!(
            "{} is missing: run `cargo xtask build` first",
            pow.display()
        ));
    }
    run(Command::new("node")
        .arg(root().join("tests/browser/bench/pow-solve.mjs"))
        .env("CIVICKIT_DIST", crate::dist_dir())
        .current_dir(root()))
}

/// wrk against civickit's map API and against nginx serving the same answer as a file, per
/// tenant and connection count; the loader civic.js alongside. Returns the map rows.
fn load_comparison(
    wrk_bin: &Path,
    nginx_bin: &Path,
    dir: &Path,
    host: &str,
    tenants: &[&Tenant],
    samples: &[&String],
) -> Result<Vec<(&'static str, u32, Load, Load)>> {
    // nginx's files: each sample answer as sent identity and gzip (`gzip_static` picks the
    // .gz for wrk's Accept-Encoding: gzip), and the bundle civickit has built in.
    let www = dir.join("www");
    std::fs::create_dir_all(&www).map_err(|e| e.to_string())?;
    std::os::unix::fs::symlink(crate::dist_dir().join("widgets"), www.join("widgets"))
        .map_err(|e| e.to_string())?;
    let mut client = crate::bench_http::Client::connect(host)?;
    let mut cases: Vec<(&'static str, String, String)> = Vec::new();
    for (t, path) in tenants.iter().zip(samples) {
        let file = format!("{}.json", t.slug);
        for (encoding, name) in [("", file.clone()), ("gzip", format!("{file}.gz"))] {
            let answer = client.get(path, encoding)?;
            std::fs::write(www.join(&name), &answer.body).map_err(|e| e.to_string())?;
        }
        cases.push((t.label, path.to_string(), format!("/{file}")));
    }
    let nginx = Nginx::start(nginx_bin, &dir.join("nginx"), &www)?;
    let nginx_host = nginx.base.trim_start_matches("http://").to_string();
    // Same bytes on both sides, checked rather than assumed.
    let mut theirs = crate::bench_http::Client::connect(&nginx_host)?;
    for (label, ours, file) in &cases {
        let (a, b) = (client.get(ours, "gzip")?, theirs.get(file, "gzip")?);
        if a.body != b.body || b.status != 200 {
            return Err(format!(
                "nginx does not send civickit's bytes for the {label} answer ({} vs {} bytes, status {})",
                a.body.len(),
                b.body.len(),
                b.status
            ));
        }
        note(&format!(
            "{label}: {ours} = {file}, {} bytes gzip",
            a.body.len()
        ));
    }
    compare_header("civickit", "nginx");
    let mut rows = Vec::new();
    for (label, ours, file) in cases {
        for c in CONNECTIONS {
            let (a, b) = wrk_pair(
                wrk_bin,
                &format!("http://{host}{ours}"),
                &format!("{}{file}", nginx.base),
                c,
            )?;
            compare(&format!("map, phone, {label}"), c, &a, &b);
            rows.push((label, c, a, b));
        }
    }
    for c in CONNECTIONS {
        let path = "/widgets/civic.js";
        let (a, b) = wrk_pair(
            wrk_bin,
            &format!("http://{host}{path}"),
            &format!("{}{path}", nginx.base),
            c,
        )?;
        compare("civic.js (the loader)", c, &a, &b);
    }
    Ok(rows)
}

/// `ok` when the goal is met, `bar` when only the bar is, `MISSED` otherwise.
fn verdict(met_goal: bool, met_bar: bool) -> &'static str {
    match (met_goal, met_bar) {
        (true, _) => "goal met",
        (false, true) => "bar met",
        _ => "MISSED",
    }
}

/// Issue 14's table with the measured figures, as Markdown for the closing note.
fn summary(what: &str, maps: &[(&Tenant, &MapFigures)], loads: &[(&'static str, u32, Load, Load)]) {
    let cold_p99 = |f: &MapFigures| f.phone_cold.ms(0.99).max(f.overview_cold.ms(0.99));
    let worst_p99 = maps.iter().map(|(_, f)| cold_p99(f)).fold(0.0, f64::max);
    let viewport = maps
        .iter()
        .map(|(t, f)| {
            format!(
                "{} {:.2} ms (warm {:.2})",
                t.label,
                cold_p99(f),
                f.phone_warm.ms(0.99).max(f.overview_warm.ms(0.99))
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let crowd: Vec<_> = loads.iter().filter(|(_, c, _, _)| *c == 500).collect();
    let ratio = |(_, _, a, b): &&(&str, u32, Load, Load)| a.requests_per_s / b.requests_per_s;
    let worst_ratio = crowd.iter().map(ratio).fold(f64::INFINITY, f64::min);
    let ratios = crowd
        .iter()
        .map(|row| format!("{} {:.3}", row.0, ratio(row)))
        .collect::<Vec<_>>()
        .join(", ");
    let worst_crowd_p99 = crowd.iter().map(|r| r.2.p99_ms).fold(0.0, f64::max);
    let errors: u64 = crowd.iter().map(|r| r.2.errors).sum();
    let crowd_p99 = crowd
        .iter()
        .map(|r| format!("{} {:.1} ms", r.0, r.2.p99_ms))
        .collect::<Vec<_>>()
        .join(", ");
    let kb = |bytes: usize| bytes as f64 / 1e3;
    let gzip_max = maps
        .iter()
        .map(|(_, f)| f.phone_cold.max_size())
        .max()
        .unwrap_or(0);
    let sizes = maps
        .iter()
        .map(|(t, f)| {
            format!(
                "{} max {:.1} KB gzip / {:.1} KB identity",
                t.label,
                kb(f.phone_cold.max_size()),
                kb(f.phone_identity.max_size())
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    println!(
        "\nsummary ({what}):\n| figure | bar | goal | measured | verdict |\n|---|---|---|---|---|\n\
         | viewport, county and dense town, p99 (cold, z16 phone and z10–13) | ≤ 10 ms | ≤ 5 ms | {viewport} | {} |\n\
         | map API ÷ nginx, same bytes, 500 connections (req/s) | ≥ 0.5 | ≥ 0.7 | {ratios} | {} |\n\
         | 500 connections, p99 (civickit map API) | < 200 ms, 0 errors | < 50 ms | {crowd_p99}, {errors} errors | {} |\n\
         | phone viewport answer (gzip, as sent; identity beside) | ≤ 30 KB | ≤ 15 KB | {sizes} | {} |",
        verdict(worst_p99 <= 5.0, worst_p99 <= 10.0),
        verdict(worst_ratio >= 0.7, worst_ratio >= 0.5),
        verdict(
            worst_crowd_p99 < 50.0 && errors == 0,
            worst_crowd_p99 < 200.0 && errors == 0
        ),
        verdict(kb(gzip_max) <= 15.0, kb(gzip_max) <= 30.0),
    );
}
