//! The in-memory lookup over one tenant's places: a grid of cells (about 110 m) for the
//! nearest address, the streets sorted by folded name for the prefix search. Built from the
//! stored [`PlaceSet`] when a server first needs it and again after each import; pure, so the
//! rules are tested without a database.

use civickit_model::api::widget::{NearPlace, Place};
use civickit_model::places::{
    fold, label, PlaceSet, SearchText, ADDRESS_RADIUS_M, STREET_RADIUS_M,
};
use civickit_model::LatLng;
use std::collections::HashMap;

/// Cell size in degrees of latitude; longitude cells are as wide in metres at the town's
/// latitude, so a radius always spans a few cells.
const CELL_DEG: f64 = 0.001;
const METRES_PER_DEG: f64 = 111_195.0;

struct Address {
    street: usize,
    housenumber: String,
    folded_number: String,
    position: LatLng,
}

struct Street {
    name: String,
    folded: String,
    /// Indices into `addresses`, in house-number order.
    addresses: Vec<usize>,
    /// Lines imported for it (OpenStreetMap ways); may be empty.
    lines: Vec<Vec<LatLng>>,
}

pub struct PlaceIndex {
    addresses: Vec<Address>,
    streets: Vec<Street>,
    /// Street indices ordered by folded name, for the prefix search.
    by_name: Vec<usize>,
    cells: HashMap<(i64, i64), Vec<usize>>,
    /// Degrees of longitude per cell (wider than `CELL_DEG` away from the equator).
    lng_cell: f64,
}

impl PlaceIndex {
    pub fn new(set: &PlaceSet) -> PlaceIndex {
        let mean_lat = set
            .addresses
            .iter()
            .map(|a| a.position.lat)
            .chain(
                set.streets
                    .iter()
                    .flat_map(|s| s.points.iter().map(|p| p.lat)),
            )
            .next()
            .unwrap_or(50.0);
        let lng_cell = CELL_DEG / mean_lat.to_radians().cos().max(0.1);
        let mut streets: Vec<Street> = Vec::new();
        let mut street_ids: HashMap<String, usize> = HashMap::new();
        let mut street_id = |name: &str, streets: &mut Vec<Street>| -> usize {
            *street_ids.entry(name.to_string()).or_insert_with(|| {
                streets.push(Street {
                    name: name.to_string(),
                    folded: fold(name),
                    addresses: Vec::new(),
                    lines: Vec::new(),
                });
                streets.len() - 1
            })
        };
        let mut addresses = Vec::with_capacity(set.addresses.len());
        for a in &set.addresses {
            let street = street_id(&a.street, &mut streets);
            streets[street].addresses.push(addresses.len());
            addresses.push(Address {
                street,
                folded_number: fold(&a.housenumber),
                housenumber: a.housenumber.clone(),
                position: a.position,
            });
        }
        for line in &set.streets {
            let street = street_id(&line.name, &mut streets);
            streets[street].lines.push(line.points.clone());
        }
        for street in &mut streets {
            street.addresses.sort_by(|&a, &b| {
                number_order(&addresses[a].folded_number, &addresses[b].folded_number)
            });
        }
        let mut by_name: Vec<usize> = (0..streets.len()).collect();
        by_name.sort_by(|&a, &b| streets[a].folded.cmp(&streets[b].folded));
        let mut index = PlaceIndex {
            addresses,
            streets,
            by_name,
            cells: HashMap::new(),
            lng_cell,
        };
        for (i, a) in index.addresses.iter().enumerate() {
            let cell = index.cell(a.position);
            index.cells.entry(cell).or_default().push(i);
        }
        index
    }

    pub fn address_count(&self) -> usize {
        self.addresses.len()
    }

    fn cell(&self, p: LatLng) -> (i64, i64) {
        (
            (p.lat / CELL_DEG).floor() as i64,
            (p.lng / self.lng_cell).floor() as i64,
        )
    }

    /// The nearest address within [`ADDRESS_RADIUS_M`], else the nearest street within
    /// [`STREET_RADIUS_M`] (by its addresses or its line), else none.
    pub fn reverse(&self, at: LatLng) -> Option<NearPlace> {
        let nearest = self.nearest_address(at, STREET_RADIUS_M);
        if let Some((i, d)) = nearest.filter(|&(_, d)| d <= ADDRESS_RADIUS_M) {
            return Some(self.near_address(i, d));
        }
        let by_line = self.nearest_line(at);
        let by_address =
            nearest.map(|(i, d)| (self.addresses[i].street, self.addresses[i].position, d));
        let (street, position, d) = match (by_line, by_address) {
            (Some(l), Some(a)) => {
                if l.2 <= a.2 {
                    l
                } else {
                    a
                }
            }
            (l, a) => l.or(a)?,
        };
        Some(NearPlace {
            place: Place {
                label: self.streets[street].name.clone(),
                street: self.streets[street].name.clone(),
                housenumber: None,
                position: rounded(position),
            },
            distance_m: d.round(),
        })
    }

    fn near_address(&self, i: usize, distance: f64) -> NearPlace {
        NearPlace {
            place: self.address_place(i),
            distance_m: distance.round(),
        }
    }

    fn address_place(&self, i: usize) -> Place {
        let a = &self.addresses[i];
        let street = &self.streets[a.street].name;
        Place {
            label: label(street, Some(&a.housenumber)),
            street: street.clone(),
            housenumber: Some(a.housenumber.clone()),
            position: a.position,
        }
    }

    fn nearest_address(&self, at: LatLng, radius: f64) -> Option<(usize, f64)> {
        let dlat = radius / METRES_PER_DEG;
        let dlng = dlat / at.lat.to_radians().cos().max(0.1);
        let (lat0, lng0) = self.cell(LatLng::new(at.lat - dlat, at.lng - dlng));
        let (lat1, lng1) = self.cell(LatLng::new(at.lat + dlat, at.lng + dlng));
        let mut best: Option<(usize, f64)> = None;
        for cy in lat0..=lat1 {
            for cx in lng0..=lng1 {
                for &i in self.cells.get(&(cy, cx)).into_iter().flatten() {
                    let d = at.distance_m(&self.addresses[i].position);
                    if d <= radius && best.is_none_or(|(_, b)| d < b) {
                        best = Some((i, d));
                    }
                }
            }
        }
        best
    }

    /// The nearest point on an imported street line within [`STREET_RADIUS_M`]. Lines are
    /// few (hundreds per town), so a scan is fine and needs no second grid.
    fn nearest_line(&self, at: LatLng) -> Option<(usize, LatLng, f64)> {
        let mut best: Option<(usize, LatLng, f64)> = None;
        for (s, street) in self.streets.iter().enumerate() {
            for line in &street.lines {
                for pair in line.windows(2) {
                    let p = closest_on_segment(at, pair[0], pair[1]);
                    let d = at.distance_m(&p);
                    if d <= STREET_RADIUS_M && best.is_none_or(|(_, _, b)| d < b) {
                        best = Some((s, p, d));
                    }
                }
            }
        }
        best
    }

    /// Prefix search: streets whose name, or a word of it, starts with the text's street
    /// part (whole-name matches first); with a number, their addresses whose house number
    /// starts with it, in house-number order.
    pub fn search(&self, text: &str, limit: usize) -> Vec<Place> {
        let Some(query) = SearchText::parse(text) else {
            return Vec::new();
        };
        let word = format!(" {}", query.street);
        let starts = self
            .by_name
            .iter()
            .filter(|&&s| self.streets[s].folded.starts_with(&query.street));
        let inner = self.by_name.iter().filter(|&&s| {
            let f = &self.streets[s].folded;
            !f.starts_with(&query.street) && f.contains(&word)
        });
        let mut out = Vec::new();
        for &s in starts.chain(inner) {
            let street = &self.streets[s];
            match &query.housenumber {
                None => out.push(Place {
                    label: street.name.clone(),
                    street: street.name.clone(),
                    housenumber: None,
                    position: self.street_anchor(street),
                }),
                Some(number) => out.extend(
                    street
                        .addresses
                        .iter()
                        .filter(|&&a| self.addresses[a].folded_number.starts_with(number.as_str()))
                        .take(limit - out.len().min(limit))
                        .map(|&a| self.address_place(a)),
                ),
            }
            if out.len() >= limit {
                out.truncate(limit);
                break;
            }
        }
        out
    }

    /// Where a street is shown: its middle house number, else the middle of its first line.
    fn street_anchor(&self, street: &Street) -> LatLng {
        if let Some(&a) = street.addresses.get(street.addresses.len() / 2) {
            return self.addresses[a].position;
        }
        street
            .lines
            .first()
            .and_then(|l| l.get(l.len() / 2))
            .copied()
            .unwrap_or(LatLng::new(0.0, 0.0))
    }
}

/// House numbers in the order of the street: by their leading number, then the rest
/// (`2`, `2a`, `10`, `10-12`).
fn number_order(a: &str, b: &str) -> std::cmp::Ordering {
    let split = |s: &str| {
        let digits = s.bytes().take_while(u8::is_ascii_digit).count();
        (
            s[..digits].parse::<u64>().unwrap_or(u64::MAX),
            s[digits..].to_string(),
        )
    };
    split(a).cmp(&split(b))
}

/// Six decimals (about 10 cm): a projected point needs no more.
fn rounded(p: LatLng) -> LatLng {
    LatLng::new((p.lat * 1e6).round() / 1e6, (p.lng * 1e6).round() / 1e6)
}

/// The point of segment a–b nearest to p, on a local flat projection (fine at street scale).
fn closest_on_segment(p: LatLng, a: LatLng, b: LatLng) -> LatLng {
    let k = p.lat.to_radians().cos();
    let (ax, ay) = ((a.lng - p.lng) * k, a.lat - p.lat);
    let (bx, by) = ((b.lng - p.lng) * k, b.lat - p.lat);
    let (dx, dy) = (bx - ax, by - ay);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (-(ax * dx + ay * dy) / len2).clamp(0.0, 1.0)
    };
    LatLng::new(a.lat + t * (b.lat - a.lat), a.lng + t * (b.lng - a.lng))
}

#[cfg(test)]
mod tests {
    use super::*;
    use civickit_model::places::{AddressPoint, StreetLine};

    fn set() -> PlaceSet {
        let addr = |street: &str, n: &str, lat: f64, lng: f64| AddressPoint {
            street: street.into(),
            housenumber: n.into(),
            position: LatLng::new(lat, lng),
        };
        PlaceSet {
            addresses: vec![
                addr("Hauptstraße", "12", 50.5500, 9.6700),
                addr("Hauptstraße", "2", 50.5502, 9.6700),
                addr("Hauptstraße", "10a", 50.5504, 9.6700),
                addr("Mühlenweg", "1", 50.5600, 9.6800),
                addr("Am Mühlenbach", "3", 50.5700, 9.6900),
            ],
            streets: vec![StreetLine {
                name: "Feldweg".into(),
                points: vec![LatLng::new(50.5400, 9.6600), LatLng::new(50.5400, 9.6700)],
            }],
        }
    }

    #[test]
    fn the_nearest_address_within_75_m() {
        let index = PlaceIndex::new(&set());
        let near = index.reverse(LatLng::new(50.55002, 9.6701)).unwrap();
        assert_eq!(near.place.label, "Hauptstraße 12");
        assert!(near.distance_m < 20.0, "{}", near.distance_m);
    }

    #[test]
    fn else_the_street_within_150_m_else_nothing() {
        let index = PlaceIndex::new(&set());
        // 100 m north of Mühlenweg 1: too far for the address, near enough for its street.
        let near = index.reverse(LatLng::new(50.5609, 9.6800)).unwrap();
        assert_eq!(near.place.label, "Mühlenweg");
        assert_eq!(near.place.housenumber, None);
        // 50 m south of the Feldweg line, which has no house numbers.
        let near = index.reverse(LatLng::new(50.53955, 9.6650)).unwrap();
        assert_eq!(near.place.label, "Feldweg");
        assert!((near.distance_m - 50.0).abs() < 2.0, "{}", near.distance_m);
        assert_eq!(index.reverse(LatLng::new(50.60, 9.70)), None);
    }

    #[test]
    fn search_is_a_prefix_search_without_case_or_accents() {
        let index = PlaceIndex::new(&set());
        let labels = |text: &str| -> Vec<String> {
            index.search(text, 8).into_iter().map(|p| p.label).collect()
        };
        assert_eq!(labels("haupt"), ["Hauptstraße"]);
        assert_eq!(
            labels("HAUPTSTRASSE 1"),
            ["Hauptstraße 10a", "Hauptstraße 12"]
        );
        assert_eq!(labels("hauptstr "), ["Hauptstraße"]);
        // A word inside the name counts after whole-name matches.
        assert_eq!(labels("muhl"), ["Mühlenweg", "Am Mühlenbach"]);
        assert_eq!(labels("muhlen"), ["Mühlenweg", "Am Mühlenbach"]);
        assert_eq!(labels("mühlenb"), ["Am Mühlenbach"]);
        assert_eq!(labels("m"), ["Mühlenweg", "Am Mühlenbach"]);
        assert_eq!(labels("hauptstraße 2"), ["Hauptstraße 2"]);
        assert!(labels("12").is_empty());
        assert!(labels("zzz").is_empty());
        assert_eq!(index.search("haupt 1", 1).len(), 1);
    }

    #[test]
    fn house_numbers_sort_like_the_street() {
        let mut numbers = vec!["10", "2a", "1", "2", "10-12"];
        numbers.sort_by(|a, b| number_order(a, b));
        assert_eq!(numbers, ["1", "2", "2a", "10", "10-12"]);
    }
}
