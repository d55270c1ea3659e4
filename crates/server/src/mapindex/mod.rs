//! The public map of every town in memory (`grid.rs`), and the encoded answers computed from
//! it, so that a map view is answered without touching the database.
//!
//! Invariant: a loaded town's index holds exactly its public, placed reports as the database
//! has them. Kept so by `Db::report_changed`, which every write path that can change what the
//! map shows calls after its commit (it re-reads that one report), and across instances by
//! PostgreSQL notifications to the same effect. A town is loaded on first use while holding
//! its writer lock, and changes take the same lock before they re-read their report, so a
//! change committed during a load is either in the load's read or applied after it.

pub mod grid;

use crate::http::assets::Asset;
use grid::TownMap;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

/// Encoded answers kept per town; past this many the oldest version's are all dropped
/// (a town has a few popular views; a crawler walking every tile must not fill memory).
const BODIES_PER_TOWN: usize = 2048;

/// Every town's index, shared by the clones of `Db`.
#[derive(Clone, Default)]
pub struct MapIndex {
    towns: Arc<Mutex<HashMap<i64, Arc<Town>>>>,
    /// Slugs are never changed or reused, so a found tenant id stays right.
    slugs: Arc<RwLock<HashMap<String, i64>>>,
    /// Counts the moments from which changes are known to arrive (a LISTEN begun, the
    /// change log's position taken); each town remembers the one its read began in.
    epoch: Arc<AtomicU64>,
}

/// One town: its index, and its answers encoded for the current version.
#[derive(Default)]
pub struct Town {
    /// Held while loading and while applying a change (see the module's invariant).
    pub(crate) writer: tokio::sync::Mutex<()>,
    loaded: AtomicBool,
    /// The index epoch in which the installed index's read began.
    read_in: AtomicU64,
    map: RwLock<TownMap>,
    /// Bumped by every change; encoded answers of an older version are not kept.
    version: AtomicU64,
    bodies: Mutex<HashMap<String, Arc<Asset>>>,
}

impl MapIndex {
    pub fn town(&self, tenant_id: i64) -> Arc<Town> {
        self.towns
            .lock()
            .expect("map index lock")
            .entry(tenant_id)
            .or_default()
            .clone()
    }

    /// The town if its index exists already (a change to a town nobody looked at needs no work).
    pub fn existing(&self, tenant_id: i64) -> Option<Arc<Town>> {
        self.towns
            .lock()
            .expect("map index lock")
            .get(&tenant_id)
            .cloned()
    }

    /// Forgets every town's index; each is read again on next use. For when changes may have
    /// been missed (a lost connection to the other instances' notifications, a bulk import).
    pub fn clear(&self) {
        self.towns.lock().expect("map index lock").clear();
    }

    pub fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::Acquire)
    }

    /// Starts a new epoch: from now on changes are known to arrive; an index read before this
    /// may have missed one and is read again by `load_all`.
    pub fn next_epoch(&self) -> u64 {
        self.epoch.fetch_add(1, Ordering::AcqRel) + 1
    }

    pub fn tenant_id(&self, slug: &str) -> Option<i64> {
        self.slugs.read().expect("slug lock").get(slug).copied()
    }

    pub fn remember_slug(&self, slug: &str, tenant_id: i64) {
        self.slugs
            .write()
            .expect("slug lock")
            .insert(slug.to_string(), tenant_id);
    }
}

/// Reads every town's index that was not read since epoch `since` began: at start, so that
/// the first citizen of the day does not wait for a county's million reports, and after
/// changes may have been missed (a lost LISTEN connection). A town already loaded keeps
/// answering until its new index is read. The caller starts the epoch at the moment from
/// which changes are known to arrive (see `db/listen.rs`).
pub async fn load_all(db: crate::db::Db, since: u64) {
    let tenants = match db.tenants().await {
        Ok(t) => t,
        Err(e) => return tracing::warn!(error = %e, "map index: listing the towns failed"),
    };
    for t in tenants {
        db.map.remember_slug(&t.slug, t.id);
        let started = std::time::Instant::now();
        match db.reload_town_map(t.id, since).await {
            Ok(town) => tracing::info!(
                town = %t.slug,
                reports = town.read(|m| m.len()),
                ms = started.elapsed().as_millis() as u64,
                "map index loaded"
            ),
            Err(e) => tracing::warn!(town = %t.slug, error = %e, "map index: loading failed"),
        }
    }
}

impl Town {
    pub fn is_loaded(&self) -> bool {
        self.loaded.load(Ordering::Acquire)
    }

    /// The epoch in which the installed index's read began.
    pub fn read_in(&self) -> u64 {
        self.read_in.load(Ordering::Acquire)
    }

    /// Installs an index whose read began in `epoch` (the caller holds `writer`).
    pub(crate) fn install(&self, map: TownMap, epoch: u64) {
        *self.map.write().expect("town map lock") = map;
        self.read_in.store(epoch, Ordering::Release);
        self.changed();
        self.loaded.store(true, Ordering::Release);
    }

    /// Applies one report's new state (the caller holds `writer`).
    pub(crate) fn set(&self, id: i64, row: Option<grid::Row>) {
        self.map.write().expect("town map lock").set(id, row);
        self.changed();
    }

    fn changed(&self) {
        self.version.fetch_add(1, Ordering::AcqRel);
        self.bodies.lock().expect("bodies lock").clear();
    }

    pub fn read<T>(&self, f: impl FnOnce(&TownMap) -> T) -> T {
        f(&self.map.read().expect("town map lock"))
    }

    /// The encoded answer for `key`, computed by `make` unless one of this version is kept.
    pub fn body(&self, key: &str, make: impl FnOnce(&TownMap) -> Vec<u8>) -> Arc<Asset> {
        if let Some(found) = self.bodies.lock().expect("bodies lock").get(key) {
            return found.clone();
        }
        let version = self.version.load(Ordering::Acquire);
        let json = self.read(make);
        let asset = Arc::new(Asset::dynamic_json(json));
        let mut bodies = self.bodies.lock().expect("bodies lock");
        // Kept only if no change came in meanwhile: a stale answer must not outlive its version.
        if self.version.load(Ordering::Acquire) == version {
            if bodies.len() >= BODIES_PER_TOWN {
                bodies.clear();
            }
            bodies.insert(key.to_string(), asset.clone());
        }
        asset
    }
}
