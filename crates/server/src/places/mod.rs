//! Places: addresses and streets from the town's own open data, never a third party's
//! geocoder. `import` reads the files, `index` answers the lookups, `demo` makes Musterstadt's
//! list. The stored set lives in the database (`db::places`); each server keeps an index per
//! tenant in memory and rebuilds it when the import version changed (an import is run by
//! `civickit places import`, another process), which costs one small query per lookup.
//! A town without places may name a geocoder the server asks instead (`remote`, off by
//! default).

pub mod demo;
pub mod import;
pub mod index;
pub mod remote;

use crate::db::tenants::Tenant;
use crate::db::{Db, DbError};
use civickit_model::api::widget::{NearPlace, Place};
use civickit_model::LatLng;
use index::PlaceIndex;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Per tenant: the import version the index was built from, and the index.
pub type IndexCache = Arc<Mutex<HashMap<i64, (i64, Arc<PlaceIndex>)>>>;

/// The tenant's index, built on first use and after every import; `None` without places.
pub async fn index(db: &Db, tenant_id: i64) -> Result<Option<Arc<PlaceIndex>>, DbError> {
    let Some(import) = db.place_import(tenant_id).await? else {
        return Ok(None);
    };
    if let Some((version, index)) = cached(db, tenant_id) {
        if version == import.version {
            return Ok(Some(index));
        }
    }
    let set = db.places(tenant_id).await?;
    let built = Arc::new(
        tokio::task::spawn_blocking(move || PlaceIndex::new(&set))
            .await
            .expect("index build"),
    );
    db.place_indexes
        .lock()
        .expect("place index lock")
        .insert(tenant_id, (import.version, built.clone()));
    Ok(Some(built))
}

fn cached(db: &Db, tenant_id: i64) -> Option<(i64, Arc<PlaceIndex>)> {
    db.place_indexes
        .lock()
        .expect("place index lock")
        .get(&tenant_id)
        .cloned()
}

/// The place nearest to a position (see [`PlaceIndex::reverse`]); without imported places,
/// the town's geocoder's, if it named one.
pub async fn reverse(db: &Db, tenant_id: i64, at: LatLng) -> Result<Option<NearPlace>, DbError> {
    if let Some(index) = index(db, tenant_id).await? {
        return Ok(index.reverse(at));
    }
    Ok(match geocoding_tenant(db, tenant_id).await? {
        Some(tenant) => remote::reverse(db, &tenant, at).await,
        None => None,
    })
}

/// The tenant, when it has a geocoder to ask.
async fn geocoding_tenant(db: &Db, tenant_id: i64) -> Result<Option<Tenant>, DbError> {
    Ok(db
        .tenant_by_id(tenant_id)
        .await?
        .filter(|t| !t.geocoder_url.is_empty()))
}

/// The address search (see [`PlaceIndex::search`]).
pub async fn search(
    db: &Db,
    tenant_id: i64,
    text: &str,
    limit: usize,
) -> Result<Vec<Place>, DbError> {
    if let Some(index) = index(db, tenant_id).await? {
        return Ok(index.search(text, limit));
    }
    Ok(match geocoding_tenant(db, tenant_id).await? {
        Some(tenant) => remote::search(db, &tenant, text, limit).await,
        None => Vec::new(),
    })
}

/// The address stored with a new report whose citizen typed none: the nearest address or
/// street, as "Hauptstraße 12". A failed lookup never stops a report; it just has no address.
pub async fn address_for(db: &Db, tenant_id: i64, at: LatLng) -> Option<String> {
    match reverse(db, tenant_id, at).await {
        Ok(near) => near.map(|n| n.place.label),
        Err(e) => {
            tracing::warn!("address lookup failed: {e}");
            None
        }
    }
}
