//! A town's own settings (name, map, area, origins, tiles, links, response promise,
//! pre-moderation): read as the office's [`Town`], changed as one [`TownProfile`] that passed
//! its validation, and audited with before and after, by the office and the command line alike.

use super::audit::{self, Actor};
use super::tenants::Tenant;
use super::{flag, Db, DbError};
use civickit_model::api::office::Town;
use civickit_model::town::TownProfile;
use serde_json::{Map, Value};

impl Tenant {
    /// The allowed origins as a list (stored space-separated).
    pub fn origins(&self) -> Vec<String> {
        self.allowed_origins
            .split_whitespace()
            .map(str::to_string)
            .collect()
    }

    /// The settings a town may change, to be changed and validated before [`Db::update_town`].
    pub fn profile(&self) -> TownProfile {
        TownProfile {
            name: self.name.clone(),
            center: self.center,
            zoom: self.zoom,
            area: self.area.clone(),
            allowed_origins: self.origins(),
            tile_url: self.tile_url.clone(),
            tile_attribution: self.tile_attribution.clone(),
            privacy_url: self.privacy_url.clone(),
            imprint_url: self.imprint_url.clone(),
            geocoder_url: self.geocoder_url.clone(),
            response_days: self.response_days,
        }
    }

    /// `GET /office/api/town`; also what `civickit tenant show` prints.
    pub fn town(&self) -> Town {
        Town {
            slug: self.slug.clone(),
            name: self.name.clone(),
            center: self.center,
            zoom: self.zoom,
            area: self.area.to_geojson(),
            allowed_origins: self.origins(),
            tile_url: self.tile_url.clone(),
            tile_attribution: self.tile_attribution.clone(),
            privacy_url: self.privacy_url.clone(),
            imprint_url: self.imprint_url.clone(),
            geocoder_url: self.geocoder_url.clone(),
            response_days: self.response_days,
            premoderation: self.premoderation,
        }
    }
}

/// The settings that differ between `before` and `after`, as two objects for the audit log: a
/// boundary of thousands of corners is logged only when it is what changed.
pub fn changed_fields(before: &Town, after: &Town) -> (Value, Value) {
    let (Value::Object(b), Value::Object(a)) = (
        serde_json::to_value(before).expect("a town serialises"),
        serde_json::to_value(after).expect("a town serialises"),
    ) else {
        unreachable!("a struct serialises to an object")
    };
    let (mut old, mut new) = (Map::new(), Map::new());
    for (key, value) in a {
        if b.get(&key) != Some(&value) {
            old.insert(key.clone(), b.get(&key).cloned().unwrap_or(Value::Null));
            new.insert(key, value);
        }
    }
    (Value::Object(old), Value::Object(new))
}

impl Db {
    /// How much a town holds, for `civickit tenant show`: (what, how many).
    pub async fn town_counts(&self, tenant_id: i64) -> Result<Vec<(&'static str, i64)>, DbError> {
        use sqlx::Row;
        let mut counts = Vec::new();
        for (what, table) in [
            ("reports", "reports"),
            ("messages", "messages"),
            ("polls", "polls"),
            ("officials", "users"),
            ("API keys", "api_keys"),
        ] {
            let n: i64 = sqlx::query(&format!(
                "SELECT COUNT(*) AS n FROM {table} WHERE tenant_id = $1"
            ))
            .bind(tenant_id)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
            counts.push((what, n));
        }
        Ok(counts)
    }

    /// Stores a town's settings. The caller has validated `profile` (its errors name the
    /// fields); nothing is written for a tenant that does not exist. Returns the town after.
    pub async fn update_town(
        &self,
        tenant_id: i64,
        profile: &TownProfile,
        premoderation: bool,
        actor: &Actor,
    ) -> Result<Tenant, DbError> {
        let before = self
            .tenant_by_id(tenant_id)
            .await?
            .ok_or(DbError::RowNotFound)?;
        let area_json = serde_json::to_string(&profile.area).expect("an area serialises");
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE tenants SET name = $1, center_lat = $2, center_lng = $3, zoom = $4, \
             area_json = $5, allowed_origins = $6, tile_url = $7, tile_attribution = $8, \
             privacy_url = $9, imprint_url = $10, response_days = $11, premoderation = $12, \
             geocoder_url = $14 WHERE id = $13",
        )
        .bind(civickit_model::validate::clean_text(&profile.name))
        .bind(profile.center.lat)
        .bind(profile.center.lng)
        .bind(profile.zoom)
        .bind(area_json)
        .bind(profile.allowed_origins.join(" "))
        .bind(&profile.tile_url)
        .bind(civickit_model::validate::clean_text(
            &profile.tile_attribution,
        ))
        .bind(&profile.privacy_url)
        .bind(&profile.imprint_url)
        .bind(profile.response_days)
        .bind(flag(premoderation))
        .bind(tenant_id)
        .bind(&profile.geocoder_url)
        .execute(&mut *tx)
        .await?;
        let mut after = before.clone();
        after.name = civickit_model::validate::clean_text(&profile.name);
        after.center = profile.center;
        after.zoom = profile.zoom;
        after.area = profile.area.clone();
        after.allowed_origins = profile.allowed_origins.join(" ");
        after.tile_url = profile.tile_url.clone();
        after.tile_attribution = civickit_model::validate::clean_text(&profile.tile_attribution);
        after.privacy_url = profile.privacy_url.clone();
        after.imprint_url = profile.imprint_url.clone();
        after.geocoder_url = profile.geocoder_url.clone();
        after.response_days = profile.response_days;
        after.premoderation = premoderation;
        let (old, new) = changed_fields(&before.town(), &after.town());
        if new.as_object().is_some_and(|m| !m.is_empty()) {
            audit::record(
                &mut tx,
                tenant_id,
                actor,
                "town.settings",
                &before.slug,
                Some(&old),
                Some(&new),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(after)
    }
}
