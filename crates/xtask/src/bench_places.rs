//! The county's addresses for `cargo xtask bench`: 100,000 synthetic house coordinates on
//! 2,000 streets, imported as an operator imports the states' "Hauskoordinaten", and the two
//! lookups citizens make with them (a tap on the map, typing an address).

use crate::bench_http::sequential;
use crate::util::{run, step, Result};
use std::path::Path;
use std::process::Command;

const LOOKUPS: usize = 300;

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

/// Imports the addresses into the county with the server's own command.
pub fn import(bin: &Path, database: &str, dir: &Path) -> Result {
    step("importing 100,000 synthetic addresses for landkreis");
    let csv = dir.join("hauskoordinaten.csv");
    std::fs::write(&csv, county_addresses()).map_err(|e| e.to_string())?;
    run(Command::new(bin)
        .args(["--database", database, "places", "import", "--tenant"])
        .arg("landkreis")
        .arg(&csv))
}

/// Times a tap beside a house (about 15 m off, as a thumb lands) and a typed address.
pub fn measure(host: &str) -> Result {
    let taps: Vec<String> = (0..LOOKUPS)
        .map(|i| {
            let (lat, lng) = county_address(i * 7 % 2000, i % 50 + 1);
            format!(
                "/api/v1/landkreis/places/reverse?lat={:.6}&lng={:.6}",
                lat + 0.00005,
                lng + 0.00015
            )
        })
        .collect();
    let typed: Vec<String> = (0..LOOKUPS)
        .map(|i| {
            let street = street_name(i * 7 % 2000).to_lowercase();
            format!(
                "/api/v1/landkreis/places/search?q={street}weg%20{}",
                i % 9 + 1
            )
        })
        .collect();
    let (taps, typed) = (
        sequential(host, &taps, "gzip")?,
        sequential(host, &typed, "gzip")?,
    );
    println!("places (100,000 addresses):");
    taps.print("place near a tap");
    typed.print("address search");
    Ok(())
}
