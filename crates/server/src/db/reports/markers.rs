//! The office map: the inbox's reports as points, under the very same conditions as the list
//! (`listing::office_where`), only those with a position, newest first.

use super::listing::office_where;
use super::OfficeFilter;
use crate::db::{Db, DbError};
use civickit_model::{LatLng, Status};
use sqlx::Row;

/// One report on the office map: what its marker and its tooltip show.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    pub reference: String,
    pub status: Status,
    pub category_name: String,
    /// The first 80 characters of the description.
    pub summary: String,
    pub position: LatLng,
    pub address: Option<String>,
}

/// How much of the description a marker carries.
const SUMMARY_CHARS: usize = 80;

impl Db {
    /// The reports `filter` finds that have a position (its sort, limit and offset are not
    /// used), at most `limit` of them, newest first; the bool says whether more matched.
    pub async fn office_markers(
        &self,
        tenant_id: i64,
        filter: &OfficeFilter,
        limit: usize,
    ) -> Result<(Vec<Marker>, bool), DbError> {
        let mut w = office_where(tenant_id, filter);
        w.push("r.lat IS NOT NULL AND r.lng IS NOT NULL", vec![]);
        // Only the columns a marker needs, and only the start of the description: a full
        // answer of 5000 markers stays a few hundred KB however long the texts are.
        let sql = format!(
            "SELECT r.ref, r.status, c.name AS category_name, \
             SUBSTR(r.description, 1, {SUMMARY_CHARS}) AS summary, r.lat, r.lng, r.address \
             FROM reports r JOIN categories c ON c.id = r.category_id \
             WHERE {} ORDER BY r.created_at DESC, r.id DESC LIMIT {}",
            w.sql(),
            limit + 1
        );
        let rows = w.bind(sqlx::query(&sql)).fetch_all(&self.pool).await?;
        let more = rows.len() > limit;
        let mut markers = Vec::with_capacity(rows.len().min(limit));
        for row in rows.iter().take(limit) {
            let status: String = row.try_get("status")?;
            let summary: String = row.try_get("summary")?;
            markers.push(Marker {
                reference: row.try_get("ref")?,
                status: Status::parse(&status)
                    .ok_or_else(|| DbError::Decode(format!("unknown status {status:?}").into()))?,
                category_name: row.try_get("category_name")?,
                summary: summary.chars().take(SUMMARY_CHARS).collect(),
                position: LatLng::new(row.try_get("lat")?, row.try_get("lng")?),
                address: row.try_get("address")?,
            });
        }
        Ok((markers, more))
    }
}
