//! The bench's sequential client: a minimal keep-alive HTTP/1.1 client, so that single-request
//! figures measure the server, not a client library, and the statistics over its timings.
//! (Load under many connections is wrk's job, see loadgen.rs.)

use crate::util::Result;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

pub struct Client {
    stream: BufReader<TcpStream>,
    host: String,
}

/// One answer: status and body as sent (compressed when asked so).
pub struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Client {
    pub fn connect(host: &str) -> Result<Client> {
        let stream = TcpStream::connect(host).map_err(|e| format!("connecting to {host}: {e}"))?;
        stream.set_nodelay(true).map_err(|e| e.to_string())?;
        stream
            .set_read_timeout(Some(Duration::from_secs(120)))
            .map_err(|e| e.to_string())?;
        Ok(Client {
            stream: BufReader::new(stream),
            host: host.to_string(),
        })
    }

    /// GET with `Accept-Encoding: encoding` (none when empty).
    pub fn get(&mut self, path: &str, encoding: &str) -> Result<Answer> {
        let accept = if encoding.is_empty() {
            String::new()
        } else {
            format!("Accept-Encoding: {encoding}\r\n")
        };
        let req = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\n{accept}Connection: keep-alive\r\n\r\n",
            self.host
        );
        let io = |e: std::io::Error| format!("GET {path}: {e}");
        self.stream
            .get_mut()
            .write_all(req.as_bytes())
            .map_err(io)?;
        let mut line = String::new();
        self.stream.read_line(&mut line).map_err(io)?;
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("GET {path}: bad status line {line:?}"))?;
        let (mut length, mut chunked) = (0usize, false);
        loop {
            line.clear();
            self.stream.read_line(&mut line).map_err(io)?;
            if line == "\r\n" || line.is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                let v = v.trim();
                if k.eq_ignore_ascii_case("content-length") {
                    length = v.parse().map_err(|_| "bad content-length")?;
                } else if k.eq_ignore_ascii_case("transfer-encoding") {
                    chunked = v.eq_ignore_ascii_case("chunked");
                }
            }
        }
        let mut body = Vec::with_capacity(length);
        if chunked {
            loop {
                line.clear();
                self.stream.read_line(&mut line).map_err(io)?;
                let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
                    .map_err(|_| format!("GET {path}: bad chunk size {line:?}"))?;
                let mut chunk = vec![0; size + 2];
                self.stream.read_exact(&mut chunk).map_err(io)?;
                if size == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..size]);
            }
        } else {
            body.resize(length, 0);
            self.stream.read_exact(&mut body).map_err(io)?;
        }
        Ok(Answer { status, body })
    }
}

/// Timings and sizes of a run of sequential requests.
pub struct Run {
    pub times: Vec<Duration>,
    pub sizes: Vec<usize>,
}

impl Run {
    /// The p-quantile in milliseconds (nearest rank).
    pub fn ms(&self, p: f64) -> f64 {
        let mut sorted = self.times.clone();
        sorted.sort();
        sorted[((sorted.len() - 1) as f64 * p).round() as usize].as_secs_f64() * 1e3
    }

    pub fn median_size(&self) -> usize {
        let mut sorted = self.sizes.clone();
        sorted.sort();
        sorted[sorted.len() / 2]
    }

    pub fn max_size(&self) -> usize {
        self.sizes.iter().copied().max().unwrap_or(0)
    }

    /// One line: count, p50/p95/p99 and the answer sizes.
    pub fn print(&self, label: &str) {
        println!(
            "  {label:<46} n={:<4} p50 {:>7.2}  p95 {:>7.2}  p99 {:>7.2} ms   {}",
            self.times.len(),
            self.ms(0.5),
            self.ms(0.95),
            self.ms(0.99),
            sizes(self),
        );
    }
}

/// "12.3 KB (max 20.1 KB)"
pub fn sizes(run: &Run) -> String {
    format!(
        "{:.1} KB (max {:.1})",
        run.median_size() as f64 / 1e3,
        run.max_size() as f64 / 1e3
    )
}

/// Each path once, in order, on one keep-alive connection; any status but 200 stops the bench.
pub fn sequential(host: &str, paths: &[String], encoding: &str) -> Result<Run> {
    let mut client = Client::connect(host)?;
    let mut run = Run {
        times: Vec::with_capacity(paths.len()),
        sizes: Vec::with_capacity(paths.len()),
    };
    for p in paths {
        let start = Instant::now();
        let answer = client.get(p, encoding)?;
        run.times.push(start.elapsed());
        if answer.status != 200 {
            return Err(format!(
                "GET {p} answered {}: {}",
                answer.status,
                String::from_utf8_lossy(&answer.body)
            ));
        }
        run.sizes.push(answer.body.len());
    }
    Ok(run)
}
