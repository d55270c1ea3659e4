//! What a map asks the server: the tiles a screen at a zoom touches (the slippy-map scheme of
//! `GET /api/v1/{tenant}/map`), at random places of a tenant, timed request by request,
//! first cold (the index answers) and then warm (the cached body).

use crate::bench_http::{sequential, Run};
use crate::util::Result;
use std::collections::HashSet;
use std::f64::consts::PI;

/// A benchmark tenant and the box its reports lie in.
pub struct Tenant {
    pub slug: &'static str,
    pub label: &'static str,
    south: f64,
    west: f64,
    north: f64,
    east: f64,
}

/// The county `bench-seed` creates: about 44 × 42 km.
pub const COUNTY: Tenant = Tenant {
    slug: "landkreis",
    label: "county",
    south: 50.35,
    west: 9.38,
    north: 50.75,
    east: 9.98,
};

/// The demo town Musterstadt, about 5 km across (the box of its boundary in demo.rs).
pub const TOWN: Tenant = Tenant {
    slug: "musterstadt",
    label: "dense town",
    south: 50.531,
    west: 9.643,
    north: 50.574,
    east: 9.712,
};

/// A phone held upright: 390 × 844 CSS pixels, the map at street level.
const PHONE: (f64, f64, u8) = (390.0, 844.0, 16);
/// A desktop browser's map, for the zoomed-out views.
const DESKTOP: (f64, f64) = (1920.0, 1080.0);

/// A screen's window onto the world at zoom `z`, in world pixels (256 per tile).
pub struct View {
    z: u8,
    left: f64,
    top: f64,
    width: f64,
    height: f64,
}

fn world(z: u8) -> f64 {
    256.0 * f64::from(1u32 << z)
}

impl View {
    fn around(z: u8, lat: f64, lng: f64, (width, height): (f64, f64)) -> View {
        let x = (lng + 180.0) / 360.0 * world(z);
        let s = lat.to_radians();
        let y = (1.0 - (s.tan() + 1.0 / s.cos()).ln() / PI) / 2.0 * world(z);
        View {
            z,
            left: x - width / 2.0,
            top: y - height / 2.0,
            width,
            height,
        }
    }

    /// The map request for the tiles this window touches.
    pub fn map_path(&self, tenant: &str) -> String {
        let tile = |p: f64| (p / 256.0).floor() as i64;
        format!(
            "/api/v1/{tenant}/map?z={}&x={}-{}&y={}-{}",
            self.z,
            tile(self.left),
            tile(self.left + self.width - 1.0),
            tile(self.top),
            tile(self.top + self.height - 1.0)
        )
    }

    /// The list beside the map: the newest 20 in the window itself.
    pub fn list_path(&self, tenant: &str) -> String {
        let lng = |x: f64| x / world(self.z) * 360.0 - 180.0;
        let lat = |y: f64| {
            (PI * (1.0 - 2.0 * y / world(self.z)))
                .sinh()
                .atan()
                .to_degrees()
        };
        format!(
            "/api/v1/{tenant}/reports?bbox={:.5},{:.5},{:.5},{:.5}&limit=20",
            lng(self.left),
            lat(self.top + self.height),
            lng(self.left + self.width),
            lat(self.top)
        )
    }
}

/// xorshift64*: reproducible places without a dependency.
struct Rng(u64);

impl Rng {
    fn unit(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }
}

impl Tenant {
    /// `n` windows of `size` at random places of the tenant, at a zoom from `zooms`.
    fn views(&self, n: usize, seed: u64, zooms: &[u8], size: (f64, f64)) -> Vec<View> {
        let mut rng = Rng(seed);
        (0..n)
            .map(|_| {
                let z = zooms[(rng.unit() * zooms.len() as f64) as usize % zooms.len()];
                let lat = self.south + rng.unit() * (self.north - self.south);
                let lng = self.west + rng.unit() * (self.east - self.west);
                View::around(z, lat, lng, size)
            })
            .collect()
    }

    /// Any map request that warms up the tenant (loads its index), not among the measured.
    pub fn warm_up_path(&self) -> String {
        View::around(8, self.south, self.west, (256.0, 256.0)).map_path(self.slug)
    }
}

/// Each distinct path once, in first-seen order: a repeated URL would be a warm answer.
fn distinct(paths: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen = HashSet::new();
    paths.filter(|p| seen.insert(p.clone())).collect()
}

/// The figures of one tenant.
pub struct MapFigures {
    pub phone_cold: Run,
    pub phone_warm: Run,
    /// The same phone answers uncompressed (sizes; timings warm).
    pub phone_identity: Run,
    pub overview_cold: Run,
    pub overview_warm: Run,
    pub list: Run,
    /// A phone viewport's map request of median size, for the load comparison.
    pub sample: String,
}

/// Times `n` phone viewports at zoom 16 and `n` zoomed-out desktop views (zoom 10–13) at
/// random places, each URL first cold and then warm, answers gzip-encoded as a browser gets
/// them (and once identity for the size); then the list call beside the phone's map.
pub fn measure(host: &str, t: &Tenant, n: usize) -> Result<MapFigures> {
    let phones = t.views(
        n,
        0x9e37_79b9_7f4a_7c15 ^ n as u64,
        &[PHONE.2],
        (PHONE.0, PHONE.1),
    );
    let phone_paths = distinct(phones.iter().map(|v| v.map_path(t.slug)));
    let overview_paths = distinct(
        t.views(n, 0xd1b5_4a32_d192_ed03, &[10, 11, 12, 13], DESKTOP)
            .iter()
            .map(|v| v.map_path(t.slug)),
    );
    let list_paths: Vec<String> = phones.iter().map(|v| v.list_path(t.slug)).collect();

    let phone_cold = sequential(host, &phone_paths, "gzip")?;
    // The load comparison uses a viewport of typical size: the median answer.
    let mut by_size: Vec<usize> = (0..phone_paths.len()).collect();
    by_size.sort_by_key(|&i| phone_cold.sizes[i]);
    let sample = phone_paths[by_size[by_size.len() / 2]].clone();
    let figures = MapFigures {
        phone_cold,
        phone_warm: sequential(host, &phone_paths, "gzip")?,
        phone_identity: sequential(host, &phone_paths, "")?,
        overview_cold: sequential(host, &overview_paths, "gzip")?,
        overview_warm: sequential(host, &overview_paths, "gzip")?,
        list: sequential(host, &list_paths, "gzip")?,
        sample,
    };
    println!("{} ({}):", t.label, t.slug);
    figures.phone_cold.print("phone z16 map, cold, gzip");
    figures.phone_warm.print("phone z16 map, warm, gzip");
    figures
        .phone_identity
        .print("phone z16 map, warm, identity");
    figures
        .overview_cold
        .print("desktop z10-13 map, cold, gzip");
    figures
        .overview_warm
        .print("desktop z10-13 map, warm, gzip");
    figures
        .list
        .print("phone list /reports?bbox&limit=20, gzip");
    Ok(figures)
}
