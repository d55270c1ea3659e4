//! `cargo xtask bench`: measured, not hoped for. Fills an SQLite database with synthetic
//! reports (1,000,000 by default), starts the release server on loopback, times single map
//! viewport queries, then puts civickit under `wrk` next to nginx serving the same files:
//! the built-in static assets (civic.js, the reports wasm) and a viewport's JSON as a static
//! file. Every loop is bounded in requests or seconds; nothing leaves 127.0.0.1.

use crate::loadgen::{compare, compare_header, wrk, Nginx};
use crate::util::{note, root, run, step, Result};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SEQUENTIAL_REQUESTS: usize = 300;

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A minimal keep-alive HTTP/1.1 client, so the figures measure the server, not a client library.
struct Client {
    stream: BufReader<TcpStream>,
    host: String,
}

impl Client {
    fn connect(host: &str) -> Result<Client> {
        let stream = TcpStream::connect(host).map_err(|e| format!("connecting to {host}: {e}"))?;
        stream.set_nodelay(true).map_err(|e| e.to_string())?;
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .map_err(|e| e.to_string())?;
        Ok(Client {
            stream: BufReader::new(stream),
            host: host.to_string(),
        })
    }

    fn get(&mut self, path: &str) -> Result<(u16, Vec<u8>)> {
        let req = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: keep-alive\r\n\r\n",
            self.host
        );
        self.stream
            .get_mut()
            .write_all(req.as_bytes())
            .map_err(|e| e.to_string())?;
        let mut line = String::new();
        self.stream
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or("bad status line")?;
        let mut length = 0usize;
        loop {
            line.clear();
            self.stream
                .read_line(&mut line)
                .map_err(|e| e.to_string())?;
            if line == "\r\n" || line.is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    length = v.trim().parse().map_err(|_| "bad content-length")?;
                }
            }
        }
        let mut body = vec![0; length];
        self.stream
            .read_exact(&mut body)
            .map_err(|e| e.to_string())?;
        Ok((status, body))
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn report(label: &str, mut times: Vec<Duration>, bytes: usize) {
    times.sort();
    let mean = times.iter().sum::<Duration>() / times.len() as u32;
    println!(
        "{label:<44} n={:<5} p50={:>8.3} ms  p95={:>8.3} ms  mean={:>8.3} ms  {bytes} bytes",
        times.len(),
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.95).as_secs_f64() * 1e3,
        mean.as_secs_f64() * 1e3,
    );
}

fn time_sequential(host: &str, paths: &[String]) -> Result<(Vec<Duration>, usize)> {
    let mut client = Client::connect(host)?;
    let mut times = Vec::with_capacity(paths.len());
    let mut bytes = 0;
    for p in paths {
        let start = Instant::now();
        let (status, body) = client.get(p)?;
        times.push(start.elapsed());
        if status != 200 {
            return Err(format!("GET {p} answered {status}"));
        }
        bytes = body.len();
    }
    Ok((times, bytes))
}

/// `Bca`, `Cca`…: three letters per street, distinct for the bench's 2,000.
fn street_name(i: usize) -> String {
    let letter = |n: usize| char::from(b'a' + (n % 26) as u8);
    let mut name: String = [letter(i), letter(i / 26), letter(i / 676)]
        .iter()
        .collect();
    name[..1].make_ascii_uppercase();
    name
}

/// 2,000 streets of 50 houses in a grid over the bench county (50.35–50.75, 9.38–9.98), as
/// `street;housenumber;lat;lng` with decimal commas, the states' layout.
fn county_addresses() -> String {
    let mut csv = String::from("strasse;hausnummer;lat;lng\n");
    for street in 0..2000 {
        for house in 1..=50 {
            let (lat, lng) = county_address(street, house);
            csv.push_str(&format!(
                "{}weg;{house};{};{}\n",
                street_name(street),
                format!("{lat:.6}").replace('.', ","),
                format!("{lng:.6}").replace('.', ","),
            ));
        }
    }
    csv
}

/// Where house `house` of street `street` stands: streets run north in a 40 × 50 grid.
fn county_address(street: usize, house: usize) -> (f64, f64) {
    (
        50.37 + (street / 50) as f64 * 0.0088 + house as f64 * 0.00012,
        9.40 + (street % 50) as f64 * 0.0112,
    )
}

pub fn run_bench(args: &[String]) -> Result {
    let reports: u64 = args
        .iter()
        .position(|a| a == "--reports")
        .and_then(|i| args.get(i + 1))
        .map(|n| {
            n.parse()
                .map_err(|_| format!("--reports {n:?} is not a number"))
        })
        .transpose()?
        .unwrap_or(1_000_000);
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
    let db = format!("sqlite://{}", dir.join("bench.db").display());

    for tenant in ["landkreis", "musterstadt"] {
        step(&format!(
            "seeding {reports} synthetic reports for {tenant} into SQLite"
        ));
        run(Command::new(&bin)
            .args([
                "--database",
                &db,
                "bench-seed",
                "--tenant",
                tenant,
                "--reports",
            ])
            .arg(reports.to_string()))?;
    }

    // A county's address list: 100,000 addresses on 2,000 streets, imported as an operator
    // imports the states' "Hauskoordinaten".
    step("importing 100,000 synthetic addresses for landkreis");
    let csv = dir.join("hauskoordinaten.csv");
    std::fs::write(&csv, county_addresses()).map_err(|e| e.to_string())?;
    run(Command::new(&bin)
        .args([
            "--database",
            &db,
            "places",
            "import",
            "--tenant",
            "landkreis",
        ])
        .arg(&csv))?;

    // The bundle built into the binary, as a town runs it.
    let mut child = Command::new(&bin)
        .args(["--database", &db, "serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("starting the server: {e}"))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let server = Server(child);
    let mut host = None;
    for line in BufReader::new(stdout).lines() {
        let line = line.map_err(|e| e.to_string())?;
        if let Some(url) = line.strip_prefix("civickit listening on http://") {
            host = Some(url.to_string());
            break;
        }
    }
    let host = host.ok_or("the server did not start")?;
    note(&format!("server on http://{host}"));

    // A phone's map viewport at zoom 16 covers about 1 × 0.7 km. In the county a million
    // reports have a real district's density; in the 5 km town they are the worst case.
    let viewport_in = |tenant: &'static str, south0: f64, west0: f64, step: f64| {
        move |i: usize| {
            let (south, west) = (
                south0 + (i % 20) as f64 * step,
                west0 + (i % 17) as f64 * step,
            );
            format!(
                "/api/v1/{tenant}/reports?bbox={west:.5},{south:.5},{:.5},{:.5}",
                west + 0.014,
                south + 0.006
            )
        }
    };
    let viewport = viewport_in("landkreis", 50.40, 9.45, 0.015);
    let dense = viewport_in("musterstadt", 50.535, 9.650, 0.0015);
    let paths: Vec<String> = (0..SEQUENTIAL_REQUESTS).map(viewport).collect();
    let (warm, _) = time_sequential(&host, &paths[..20])?;
    drop(warm);

    println!(
        "\ncivickit bench: {reports} reports per tenant in SQLite, release build, loopback, keep-alive\n"
    );
    let (times, bytes) = time_sequential(&host, &paths)?;
    report("viewport query, county (phone map, zoom 16)", times, bytes);
    let dense_paths: Vec<String> = (0..SEQUENTIAL_REQUESTS).map(dense).collect();
    let (times, dense_bytes) = time_sequential(&host, &dense_paths)?;
    report(
        &format!("viewport query, {reports} in one small town"),
        times,
        dense_bytes,
    );

    let whole =
        vec!["/api/v1/landkreis/reports?bbox=9.38,50.35,9.98,50.75&limit=2000".to_string(); 20];
    let (times, bytes) = time_sequential(&host, &whole)?;
    report(
        &format!("whole county at once (2000 newest of {reports})"),
        times,
        bytes,
    );

    // A reference in the middle of the seeded range, whatever `--reports` says.
    let one =
        vec![format!("/api/v1/landkreis/reports/M-1900-{:07}", reports / 2); SEQUENTIAL_REQUESTS];
    let (times, bytes) = time_sequential(&host, &one)?;
    report("one report by reference", times, bytes);

    // Where a citizen taps: beside a house somewhere in the county (about 15 m off, as a
    // thumb lands); what they type into "Adresse suchen".
    let taps: Vec<String> = (0..SEQUENTIAL_REQUESTS)
        .map(|i| {
            let (lat, lng) = county_address(i * 7 % 2000, i % 50 + 1);
            format!(
                "/api/v1/landkreis/places/reverse?lat={:.6}&lng={:.6}",
                lat + 0.00005,
                lng + 0.00015
            )
        })
        .collect();
    let (times, bytes) = time_sequential(&host, &taps)?;
    report("place near a tap, 100,000 addresses", times, bytes);
    let typed: Vec<String> = (0..SEQUENTIAL_REQUESTS)
        .map(|i| {
            let street = street_name(i * 7 % 2000).to_lowercase();
            format!(
                "/api/v1/landkreis/places/search?q={street}weg%20{}",
                i % 9 + 1
            )
        })
        .collect();
    let (times, bytes) = time_sequential(&host, &typed)?;
    report("address search, 100,000 addresses", times, bytes);

    // nginx serves the bundle (`gzip_static` finds the same .gz files civickit has built
    // in) and one viewport's JSON as a static file: the same bytes a map query answers.
    let www = dir.join("www");
    std::fs::create_dir_all(&www).map_err(|e| e.to_string())?;
    std::os::unix::fs::symlink(crate::dist_dir().join("widgets"), www.join("widgets"))
        .map_err(|e| e.to_string())?;
    let mut c = Client::connect(&host)?;
    let (_, sample) = c.get(&paths[0])?;
    std::fs::write(www.join("viewport.json"), &sample).map_err(|e| e.to_string())?;
    let nginx = Nginx::start(&nginx_bin, &dir.join("nginx"), &www)?;

    compare_header("civickit", "nginx");
    let ours = format!("http://{host}");
    for (what, path) in [
        ("civic.js (the loader)", "/widgets/civic.js"),
        ("reports wasm", "/widgets/civic_reports_bg.wasm"),
    ] {
        let (a, b) = (
            wrk(&wrk_bin, &format!("{ours}{path}"))?,
            wrk(&wrk_bin, &format!("{}{path}", nginx.base))?,
        );
        compare(what, &a, &b);
    }
    let (a, b) = (
        wrk(&wrk_bin, &format!("{ours}{}", paths[0]))?,
        wrk(&wrk_bin, &format!("{}/viewport.json", nginx.base))?,
    );
    compare("viewport query vs its JSON as a file", &a, &b);
    let (_, place) = c.get(&taps[0])?;
    std::fs::write(www.join("place.json"), &place).map_err(|e| e.to_string())?;
    let (a, b) = (
        wrk(&wrk_bin, &format!("{ours}{}", taps[0]))?,
        wrk(&wrk_bin, &format!("{}/place.json", nginx.base))?,
    );
    compare("place near a tap vs its JSON as a file", &a, &b);
    drop(nginx);
    drop(server);
    Ok(())
}
