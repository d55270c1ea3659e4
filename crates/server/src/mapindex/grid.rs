//! One town's map index: its public, placed reports sorted along a Z-order (Morton) curve
//! over Web-Mercator coordinates, with running totals per state and of the coordinates.
//!
//! Why this shape: every slippy-map tile, and every quarter of a tile (a cluster cell), is one
//! contiguous run of the sorted array. So "how many reports, of which states, at what mean
//! position" for a cell is two binary searches and a subtraction of running totals, whether
//! the cell holds one report or a million; a view costs the same at any density. A change
//! moves one entry (an O(n) shift and re-summing behind it: about a millisecond at a
//! million reports, and reports change a few hundred times a day, not a second).
//! Filtered views (a state or category chosen) walk the entries of their tiles instead.
//!
//! Pure: no I/O, no locks; `mod.rs` keeps it equal to the database.

use civickit_model::api::widget::{
    MapAnswer, MapCluster, MapPoint, CELLS_PER_TILE_AXIS, POINTS_MAX,
};
use civickit_model::{BBox, LatLng, Status};
use std::collections::HashMap;

/// A report as the index needs it, read from the database.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub id: i64,
    pub reference: String,
    pub status: Status,
    pub category: String,
    pub position: LatLng,
    pub created: i64,
}

#[derive(Debug, Clone, PartialEq)]
struct Entry {
    key: u64,
    id: i64,
    created: i64,
    position: LatLng,
    /// Index into `Status::PUBLIC`.
    state: u8,
    /// Index into `TownMap::categories`.
    category: u32,
    reference: Box<str>,
}

/// The index of one town. Holds only what the public may see: the caller passes only rows
/// that are public (not hidden, not awaiting moderation) and placed.
#[derive(Debug, Default)]
pub struct TownMap {
    /// Sorted by `(key, id)`.
    entries: Vec<Entry>,
    /// Where each report sits on the curve, to find it again.
    keys: HashMap<i64, u64>,
    categories: Vec<String>,
    category_index: HashMap<String, u32>,
    /// `counts[i]` / `sums[i]`: per state / of (lat, lng) over `entries[..i]`.
    counts: Vec<[u32; 4]>,
    sums: Vec<(f64, f64)>,
}

/// What a view asks for besides its tiles; empty means everything public.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct MapFilter {
    pub statuses: Vec<Status>,
    pub categories: Vec<String>,
}

impl MapFilter {
    fn is_empty(&self) -> bool {
        self.statuses.is_empty() && self.categories.is_empty()
    }
}

/// A filter resolved against one town's interned categories.
struct Matcher {
    states: [bool; 4],
    categories: Option<Vec<u32>>,
}

impl Matcher {
    fn matches(&self, e: &Entry) -> bool {
        self.states[e.state as usize]
            && self
                .categories
                .as_ref()
                .is_none_or(|c| c.contains(&e.category))
    }
}

impl TownMap {
    pub fn from_rows(rows: impl IntoIterator<Item = Row>) -> TownMap {
        let mut map = TownMap::default();
        for row in rows {
            let entry = map.entry(row);
            map.keys.insert(entry.id, entry.key);
            map.entries.push(entry);
        }
        map.entries.sort_unstable_by_key(|e| (e.key, e.id));
        map.resum_from(0);
        map
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Puts a report in (or moves it), or takes it out when `row` is `None` (hidden, awaiting
    /// moderation, unplaced or gone).
    pub fn set(&mut self, id: i64, row: Option<Row>) {
        let mut first_changed = usize::MAX;
        if let Some(key) = self.keys.remove(&id) {
            let at = self.position_of(key, id);
            if self.entries.get(at).is_some_and(|e| e.id == id) {
                self.entries.remove(at);
                first_changed = at;
            }
        }
        if let Some(row) = row {
            let entry = self.entry(row);
            let at = self.position_of(entry.key, entry.id);
            self.keys.insert(entry.id, entry.key);
            self.entries.insert(at, entry);
            first_changed = first_changed.min(at);
        }
        if first_changed != usize::MAX {
            self.resum_from(first_changed);
        }
    }

    fn entry(&mut self, row: Row) -> Entry {
        let category = match self.category_index.get(&row.category) {
            Some(i) => *i,
            None => {
                let i = self.categories.len() as u32;
                self.category_index.insert(row.category.clone(), i);
                self.categories.push(row.category);
                i
            }
        };
        let (x, y) = world(row.position);
        Entry {
            key: interleave(x, y),
            id: row.id,
            created: row.created,
            position: row.position,
            state: public_index(row.status),
            category,
            reference: row.reference.into_boxed_str(),
        }
    }

    fn position_of(&self, key: u64, id: i64) -> usize {
        self.entries.partition_point(|e| (e.key, e.id) < (key, id))
    }

    fn resum_from(&mut self, from: usize) {
        let n = self.entries.len();
        self.counts.resize(n + 1, [0; 4]);
        self.sums.resize(n + 1, (0.0, 0.0));
        for i in from..n {
            let e = &self.entries[i];
            let mut c = self.counts[i];
            c[e.state as usize] += 1;
            self.counts[i + 1] = c;
            let (la, ln) = self.sums[i];
            self.sums[i + 1] = (la + e.position.lat, ln + e.position.lng);
        }
    }

    fn matcher(&self, filter: &MapFilter) -> Matcher {
        let mut states = [filter.statuses.is_empty(); 4];
        for s in &filter.statuses {
            if let Some(i) = Status::PUBLIC.iter().position(|p| p == s) {
                states[i] = true;
            }
        }
        let categories = (!filter.categories.is_empty()).then(|| {
            filter
                .categories
                .iter()
                .filter_map(|c| self.category_index.get(c).copied())
                .collect()
        });
        Matcher { states, categories }
    }

    /// The entries of one cell of the grid with `2^zoom` cells per axis: a half-open range.
    fn cell(&self, zoom: u8, x: u32, y: u32) -> (usize, usize) {
        let shift = 64 - 2 * u32::from(zoom);
        let (x, y) = (u64::from(x), u64::from(y));
        let prefix = (spread(x) | (spread(y) << 1)) as u128;
        let start = prefix << shift;
        let end = (prefix + 1) << shift;
        let lo = self.entries.partition_point(|e| u128::from(e.key) < start);
        let hi = lo + self.entries[lo..].partition_point(|e| u128::from(e.key) < end);
        (lo, hi)
    }

    fn point(&self, e: &Entry) -> MapPoint {
        MapPoint {
            reference: e.reference.to_string(),
            status: Status::PUBLIC[e.state as usize],
            category: self.categories[e.category as usize].clone(),
            lat: round(e.position.lat, 1e6),
            lng: round(e.position.lng, 1e6),
        }
    }

    /// What the map draws over tiles `xs × ys` at `zoom` (ranges checked by the caller).
    pub fn answer(
        &self,
        zoom: u8,
        xs: std::ops::RangeInclusive<u32>,
        ys: std::ops::RangeInclusive<u32>,
        filter: &MapFilter,
    ) -> MapAnswer {
        let matcher = (!filter.is_empty()).then(|| self.matcher(filter));
        let count = |(lo, hi): (usize, usize)| -> usize {
            match &matcher {
                None => hi - lo,
                Some(m) => self.entries[lo..hi].iter().filter(|e| m.matches(e)).count(),
            }
        };
        let mut tiles = Vec::new();
        let mut total = 0;
        for y in ys.clone() {
            for x in xs.clone() {
                let range = self.cell(zoom, x, y);
                let n = count(range);
                if n > 0 {
                    total += n;
                    tiles.push((x, y, range));
                }
            }
        }
        let mut answer = MapAnswer {
            total: total as u64,
            points: Vec::new(),
            clusters: Vec::new(),
        };
        let passes = |e: &Entry| matcher.as_ref().is_none_or(|m| m.matches(e));
        if total <= POINTS_MAX {
            for (_, _, (lo, hi)) in tiles {
                let found = self.entries[lo..hi].iter().filter(|e| passes(e));
                answer.points.extend(found.map(|e| self.point(e)));
            }
            return answer;
        }
        let cell_zoom = zoom + CELLS_PER_TILE_AXIS.trailing_zeros() as u8;
        for (tx, ty, _) in tiles {
            for j in 0..CELLS_PER_TILE_AXIS {
                for i in 0..CELLS_PER_TILE_AXIS {
                    let (cx, cy) = (tx * CELLS_PER_TILE_AXIS + i, ty * CELLS_PER_TILE_AXIS + j);
                    let (lo, hi) = self.cell(cell_zoom, cx, cy);
                    if lo == hi {
                        continue;
                    }
                    let (counts, sums, single) = match &matcher {
                        None => {
                            let (a, b) = (self.counts[lo], self.counts[hi]);
                            let counts = [b[0] - a[0], b[1] - a[1], b[2] - a[2], b[3] - a[3]];
                            let (sa, sb) = (self.sums[lo], self.sums[hi]);
                            (counts, (sb.0 - sa.0, sb.1 - sa.1), &self.entries[lo])
                        }
                        Some(m) => {
                            let mut counts = [0u32; 4];
                            let mut sums = (0.0, 0.0);
                            let mut single = None;
                            for e in self.entries[lo..hi].iter().filter(|e| m.matches(e)) {
                                counts[e.state as usize] += 1;
                                sums = (sums.0 + e.position.lat, sums.1 + e.position.lng);
                                single.get_or_insert(e);
                            }
                            let Some(single) = single else { continue };
                            (counts, sums, single)
                        }
                    };
                    let n: u32 = counts.iter().sum();
                    if n == 1 {
                        answer.points.push(self.point(single));
                    } else {
                        let n = f64::from(n);
                        answer.clusters.push(MapCluster {
                            lat: round(sums.0 / n, 1e5),
                            lng: round(sums.1 / n, 1e5),
                            counts,
                        });
                    }
                }
            }
        }
        answer
    }

    /// The ids of the reports in `bbox` passing `filter`, newest first, `offset` skipped and at
    /// most `limit`; and how many there are in all.
    pub fn newest_in(
        &self,
        bbox: &BBox,
        filter: &MapFilter,
        offset: usize,
        limit: usize,
    ) -> (Vec<i64>, usize) {
        let matcher = self.matcher(filter);
        let (x0, y0) = world(LatLng::new(bbox.north, bbox.west));
        let (x1, y1) = world(LatLng::new(bbox.south, bbox.east));
        // The finest grid on which the box spans at most about 8 cells per axis.
        let span = u64::from((x1 - x0).max(y1 - y0)) / 8 + 1;
        let bits = 64 - (span - 1).leading_zeros();
        let zoom = (32 - bits.min(32)).min(24) as u8;
        let shift = 32 - u32::from(zoom);
        let cells = |a: u32, b: u32| (a >> shift)..=(b >> shift);
        let mut found: Vec<(i64, i64)> = Vec::new();
        for cy in cells(y0, y1) {
            for cx in cells(x0, x1) {
                let (lo, hi) = self.cell(zoom, cx, cy);
                found.extend(
                    self.entries[lo..hi]
                        .iter()
                        .filter(|e| bbox.contains(&e.position) && matcher.matches(e))
                        .map(|e| (e.created, e.id)),
                );
            }
        }
        let total = found.len();
        let wanted = (offset + limit).min(total);
        let newest_first = |a: &(i64, i64), b: &(i64, i64)| b.cmp(a);
        if wanted < total && wanted > 0 {
            found.select_nth_unstable_by(wanted - 1, newest_first);
        }
        found.truncate(wanted);
        found.sort_unstable_by(newest_first);
        let ids = found.into_iter().skip(offset).map(|(_, id)| id).collect();
        (ids, total)
    }

    /// The rows as the index holds them, by id: for comparing with the database.
    pub fn rows(&self) -> Vec<Row> {
        let mut rows: Vec<Row> = self
            .entries
            .iter()
            .map(|e| Row {
                id: e.id,
                reference: e.reference.to_string(),
                status: Status::PUBLIC[e.state as usize],
                category: self.categories[e.category as usize].clone(),
                position: e.position,
                created: e.created,
            })
            .collect();
        rows.sort_by_key(|r| r.id);
        rows
    }
}

fn public_index(status: Status) -> u8 {
    Status::PUBLIC
        .iter()
        .position(|s| *s == status)
        .unwrap_or(0) as u8
}

fn round(v: f64, scale: f64) -> f64 {
    (v * scale).round() / scale
}

/// Web-Mercator world coordinates in 2^32 units per axis (as Leaflet projects, y downwards),
/// so the top bits of x and y are the tile column and row at every zoom.
pub fn world(p: LatLng) -> (u32, u32) {
    const MAX_LAT: f64 = 85.051_128_779_806_59;
    const SCALE: f64 = 4_294_967_296.0;
    let x = (p.lng + 180.0) / 360.0;
    let sin = p.lat.clamp(-MAX_LAT, MAX_LAT).to_radians().sin();
    let y = 0.5 - ((1.0 + sin) / (1.0 - sin)).ln() / (4.0 * std::f64::consts::PI);
    let unit = |v: f64| (v * SCALE).clamp(0.0, SCALE - 1.0) as u32;
    (unit(x), unit(y))
}

/// The bits of `v` (32 used) moved to the even positions of a u64.
fn spread(v: u64) -> u64 {
    let mut v = v & 0xffff_ffff;
    v = (v | (v << 16)) & 0x0000_ffff_0000_ffff;
    v = (v | (v << 8)) & 0x00ff_00ff_00ff_00ff;
    v = (v | (v << 4)) & 0x0f0f_0f0f_0f0f_0f0f;
    v = (v | (v << 2)) & 0x3333_3333_3333_3333;
    (v | (v << 1)) & 0x5555_5555_5555_5555
}

fn interleave(x: u32, y: u32) -> u64 {
    spread(u64::from(x)) | (spread(u64::from(y)) << 1)
}

/// The tile column and row of `p` at `zoom`.
pub fn tile_of(p: LatLng, zoom: u8) -> (u32, u32) {
    let (x, y) = world(p);
    let shift = 32 - u32::from(zoom);
    (
        x.checked_shr(shift).unwrap_or(0),
        y.checked_shr(shift).unwrap_or(0),
    )
}

#[cfg(test)]
#[path = "grid_tests.rs"]
mod tests;
