//! Synthetic reports for `cargo xtask bench` (and tests that need many): multi-row INSERTs of
//! literal values in large transactions, so that a million rows go in within a minute on
//! SQLite. Not for production data; references `M-1900-…` never collide with real ones.

use crate::db::tenants::Tenant;
use crate::db::{now, Db, DbError};
use civickit_model::{LatLng, Status};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Rows per INSERT statement (11 literal values each: no bind-parameter limit applies).
const ROWS_PER_INSERT: u64 = 1000;
/// Statements per transaction: SQLite syncs once per 100,000 rows, not once per row.
const INSERTS_PER_TRANSACTION: u64 = 100;

/// Where the synthetic reports lie.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spread {
    /// Uniformly random inside the town's boundary: a million of them in a 5 km town is the
    /// densest map there can be.
    Town,
    /// A county: most reports in and around 40 villages of different sizes, the rest scattered
    /// over the whole area (roads, fields), as a district's reports are.
    County,
}

impl Db {
    /// `count` public reports spread evenly over the tenant's area (see [`Spread::Town`]).
    pub async fn bench_seed(&self, tenant: &Tenant, count: u64) -> Result<(), DbError> {
        self.bench_seed_spread(tenant, count, Spread::Town).await
    }

    /// `count` public reports, a quarter in each public state, created within the last day,
    /// at places drawn with a fixed seed (the same database on every run).
    pub async fn bench_seed_spread(
        &self,
        tenant: &Tenant,
        count: u64,
        spread: Spread,
    ) -> Result<(), DbError> {
        let categories = self.categories(tenant.id).await?;
        let statuses = [
            Status::Received,
            Status::InProgress,
            Status::Resolved,
            Status::Closed,
        ];
        let mut places = Places::new(tenant, spread);
        let at = now();
        let mut done = 0u64;
        while done < count {
            let mut tx = self.pool.begin().await?;
            for _ in 0..INSERTS_PER_TRANSACTION {
                if done >= count {
                    break;
                }
                let n = ROWS_PER_INSERT.min(count - done);
                let mut sql = String::with_capacity(n as usize * 160);
                sql.push_str(
                    "INSERT INTO reports (tenant_id, ref, category_id, department_id, status, lat, \
                     lng, description, tracking_hash, created_at, updated_at) VALUES ",
                );
                for i in done..done + n {
                    let p = places.next();
                    let c = &categories[(i as usize) % categories.len()];
                    if i > done {
                        sql.push(',');
                    }
                    // Only numbers and our own fixed texts go into this statement.
                    sql.push_str(&format!(
                        "({t}, 'M-1900-{i:07}', {}, {}, '{}', {:.6}, {:.6}, 'Synthetische Meldung {i}', \
                         'bench-{t}-{i}', {}, {at})",
                        c.id,
                        c.department_id
                            .map_or_else(|| "NULL".into(), |d| d.to_string()),
                        statuses[(i % 4) as usize].as_str(),
                        p.lat,
                        p.lng,
                        at - (i as i64 % 86_400),
                        t = tenant.id,
                    ));
                }
                sqlx::query(&sql).execute(&mut *tx).await?;
                done += n;
            }
            tx.commit().await?;
        }
        // Too many rows to re-read one by one: the town's index is read afresh on next use.
        self.map.clear();
        Ok(())
    }
}

/// The random places of one seeding run.
struct Places<'a> {
    tenant: &'a Tenant,
    spread: Spread,
    rng: StdRng,
    /// Villages of the county: centre and radius (degrees of latitude).
    villages: Vec<(LatLng, f64)>,
}

impl<'a> Places<'a> {
    fn new(tenant: &'a Tenant, spread: Spread) -> Places<'a> {
        let mut rng = StdRng::seed_from_u64(0x0c1c_c1d5 ^ tenant.id as u64);
        let b = tenant.area.bbox();
        let villages = (0..40)
            .map(|_| {
                let centre = LatLng::new(
                    rng.gen_range(b.south..b.north),
                    rng.gen_range(b.west..b.east),
                );
                // 300 m hamlets to 3 km small towns.
                (centre, rng.gen_range(0.003..0.03))
            })
            .collect();
        Places {
            tenant,
            spread,
            rng,
            villages,
        }
    }

    fn next(&mut self) -> LatLng {
        let b = self.tenant.area.bbox();
        loop {
            let p = if self.spread == Spread::County && self.rng.gen_bool(0.75) {
                // Bigger villages have more reports: pick by radius.
                let (centre, radius) = loop {
                    let v = self.villages[self.rng.gen_range(0..self.villages.len())];
                    if self.rng.gen_range(0.0..0.03) < v.1 {
                        break v;
                    }
                };
                // Denser towards the centre: the sum of two uniforms is a triangle.
                let dy = (self.rng.gen_range(-1.0..1.0) + self.rng.gen_range(-1.0..1.0)) / 2.0;
                let dx = (self.rng.gen_range(-1.0..1.0) + self.rng.gen_range(-1.0..1.0)) / 2.0;
                LatLng::new(
                    centre.lat + dy * radius,
                    centre.lng + dx * radius / centre.lat.to_radians().cos(),
                )
            } else {
                LatLng::new(
                    self.rng.gen_range(b.south..b.north),
                    self.rng.gen_range(b.west..b.east),
                )
            };
            if self.tenant.area.contains(&p) {
                return p;
            }
        }
    }
}
