//! The queries behind the map, the public list, Open311 and the office's inbox.

use super::{report_from_row, Note, OfficeFilter, OfficeSort, Report, ReportFilter, REPORT_SELECT};
use crate::db::sql::{Bind, Where};
use crate::db::{Db, DbError};
use crate::mapindex::grid::MapFilter;
use civickit_model::{BBox, LatLng, Status};
use sqlx::Row;

impl Db {
    /// Public reports matching the filter, newest first; the bool says whether more matched.
    pub async fn public_reports(
        &self,
        tenant_id: i64,
        filter: &ReportFilter,
    ) -> Result<(Vec<Report>, bool), DbError> {
        if let Some(found) = self.public_reports_from_map(tenant_id, filter).await? {
            return Ok(found);
        }
        let mut w = Where::default();
        w.push("r.tenant_id = ?", vec![Bind::Int(tenant_id)]);
        w.push("r.hidden = 0", vec![]);
        w.push(
            "r.status <> ?",
            vec![Bind::Text(Status::PendingReview.as_str().into())],
        );
        if let Some(b) = filter.bbox {
            push_within(&mut w, &b);
        }
        match filter.located {
            Some(true) => w.push("r.lat IS NOT NULL", vec![]),
            Some(false) => w.push("r.lat IS NULL", vec![]),
            None => {}
        }
        if !filter.statuses.is_empty() {
            w.push_in("r.status", filter.statuses.iter().map(|s| s.as_str()));
        }
        if !filter.category_codes.is_empty() {
            let list: Vec<String> = filter
                .category_codes
                .iter()
                .map(|c| w.placeholder(c.as_str()))
                .collect();
            let tenant = w.placeholder(tenant_id);
            w.push_clause(format!(
                "r.category_id IN (SELECT id FROM categories WHERE tenant_id = {tenant} AND code IN ({}))",
                list.join(", ")
            ));
        }
        if !filter.references.is_empty() {
            w.push_in("r.ref", filter.references.iter().map(String::as_str));
        }
        if let Some(from) = filter.created_from {
            w.push("r.created_at >= ?", vec![Bind::Int(from)]);
        }
        if let Some(to) = filter.created_to {
            w.push("r.created_at <= ?", vec![Bind::Int(to)]);
        }
        let limit = filter.limit.max(1);
        // Two steps: pick the ids from the covering map index (filters and order need no table
        // rows, so the sort stays narrow), then load just those rows. With a million reports
        // this keeps a map viewport in milliseconds.
        let sql = format!(
            "SELECT r.id FROM reports r WHERE {} ORDER BY r.created_at DESC, r.id DESC LIMIT {} OFFSET {}",
            w.sql(),
            limit + 1,
            filter.offset.max(0)
        );
        let ids: Vec<i64> = w
            .bind(sqlx::query(&sql))
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| r.try_get("id"))
            .collect::<Result<_, _>>()?;
        let more = ids.len() as i64 > limit;
        let ids = &ids[..ids.len().min(limit as usize)];
        Ok((self.reports_in_order(tenant_id, ids).await?, more))
    }

    /// A box with at most state and category filters (the map's list, the duplicate hint) is
    /// answered from the town's map index: it picks the ids, the database gives their rows. At
    /// a million reports in a town that is milliseconds instead of a sort of every row in the box.
    async fn public_reports_from_map(
        &self,
        tenant_id: i64,
        filter: &ReportFilter,
    ) -> Result<Option<(Vec<Report>, bool)>, DbError> {
        let Some(bbox) = filter.bbox else {
            return Ok(None);
        };
        if filter.located == Some(false)
            || !filter.references.is_empty()
            || filter.created_from.is_some()
            || filter.created_to.is_some()
        {
            return Ok(None);
        }
        let map_filter = MapFilter {
            statuses: filter.statuses.clone(),
            categories: filter.category_codes.clone(),
        };
        let (offset, limit) = (filter.offset.max(0) as usize, filter.limit.max(1) as usize);
        let town = self.town_map(tenant_id).await?;
        let (ids, total) = town.read(|m| m.newest_in(&bbox, &map_filter, offset, limit));
        let more = total > offset + ids.len();
        let mut reports = self.reports_in_order(tenant_id, &ids).await?;
        // A report hidden between the index's answer and this read stays hidden.
        reports.retain(Report::is_public);
        Ok(Some((reports, more)))
    }

    /// The reports with these row ids, in this order.
    async fn reports_in_order(&self, tenant_id: i64, ids: &[i64]) -> Result<Vec<Report>, DbError> {
        let mut reports = self.reports_by_ids(tenant_id, ids).await?;
        let position: std::collections::HashMap<i64, usize> =
            ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        reports.sort_by_key(|r| position[&r.id]);
        Ok(reports)
    }

    /// Loads reports of a tenant by row id, in chunks that keep the statement small.
    async fn reports_by_ids(&self, tenant_id: i64, ids: &[i64]) -> Result<Vec<Report>, DbError> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let mut w = Where::default();
            w.push_in("r.id", chunk.iter().copied());
            // The unary plus keeps SQLite's planner from walking the tenant's whole index
            // instead of looking the ids up directly.
            w.push("+r.tenant_id = ?", vec![Bind::Int(tenant_id)]);
            let sql = format!("{REPORT_SELECT} WHERE {}", w.sql());
            let rows = w.bind(sqlx::query(&sql)).fetch_all(&self.pool).await?;
            for row in &rows {
                out.push(report_from_row(row)?);
            }
        }
        Ok(out)
    }

    /// The office's inbox: every report of the tenant (also pre-moderated and hidden ones),
    /// filtered; the bool says whether more matched.
    pub async fn office_reports(
        &self,
        tenant_id: i64,
        filter: &OfficeFilter,
    ) -> Result<(Vec<Report>, bool), DbError> {
        let w = office_where(tenant_id, filter);
        let order = match filter.sort {
            OfficeSort::Newest => "r.created_at DESC, r.id DESC",
            OfficeSort::Oldest => "r.created_at ASC, r.id ASC",
            OfficeSort::Updated => "r.updated_at DESC, r.id DESC",
        };
        let limit = filter.limit.max(1);
        let sql = format!(
            "{REPORT_SELECT} WHERE {} ORDER BY {order} LIMIT {} OFFSET {}",
            w.sql(),
            limit + 1,
            filter.offset.max(0)
        );
        let rows = w.bind(sqlx::query(&sql)).fetch_all(&self.pool).await?;
        let mut reports = rows
            .iter()
            .map(report_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        let more = reports.len() as i64 > limit;
        reports.truncate(limit as usize);
        Ok((reports, more))
    }

    /// Open public reports of one category near a point, nearest first, with their distance.
    pub async fn nearby_open_reports(
        &self,
        tenant_id: i64,
        category_code: &str,
        at: LatLng,
        radius_m: f64,
    ) -> Result<Vec<(Report, f64)>, DbError> {
        let filter = ReportFilter {
            bbox: Some(at.bbox_around(radius_m)),
            statuses: vec![Status::Received, Status::InProgress],
            category_codes: vec![category_code.to_string()],
            limit: 200,
            ..Default::default()
        };
        let (reports, _) = self.public_reports(tenant_id, &filter).await?;
        let mut near: Vec<(Report, f64)> = reports
            .into_iter()
            .filter_map(|r| {
                let d = r.position?.distance_m(&at);
                (d <= radius_m).then_some((r, d))
            })
            .collect();
        near.sort_by(|a, b| a.1.total_cmp(&b.1));
        Ok(near)
    }

    /// The status notes of some reports of a tenant, oldest first.
    pub async fn notes(
        &self,
        tenant_id: i64,
        report_ids: &[i64],
        public_only: bool,
    ) -> Result<Vec<Note>, DbError> {
        if report_ids.is_empty() {
            return Ok(vec![]);
        }
        let mut w = Where::default();
        w.push("tenant_id = ?", vec![Bind::Int(tenant_id)]);
        w.push_in("report_id", report_ids.iter().copied());
        if public_only {
            w.push("public = 1", vec![]);
        }
        let sql = format!(
            "SELECT report_id, created_at, status, text, public FROM report_notes WHERE {} ORDER BY id",
            w.sql()
        );
        let rows = w.bind(sqlx::query(&sql)).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                let status: String = r.try_get("status")?;
                Ok(Note {
                    report_id: r.try_get("report_id")?,
                    at: r.try_get("created_at")?,
                    status: Status::parse(&status).unwrap_or(Status::Received),
                    text: r.try_get("text")?,
                    public: r.try_get::<i64, _>("public")? != 0,
                })
            })
            .collect()
    }
}

/// Reports inside `b` (the public map's and the office map's box). A report without a
/// position is in no box.
fn push_within(w: &mut Where, b: &BBox) {
    w.push(
        "r.lat >= ? AND r.lat <= ? AND r.lng >= ? AND r.lng <= ?",
        vec![
            Bind::Float(b.south),
            Bind::Float(b.north),
            Bind::Float(b.west),
            Bind::Float(b.east),
        ],
    );
}

/// The conditions of the office's inbox, shared by its list and its map (`markers.rs`), so
/// both always show the same reports: the tenant's, narrowed by the official's filters (an
/// editor's department is already in `filter.department_id`). Needs the categories as `c`.
pub(super) fn office_where(tenant_id: i64, filter: &OfficeFilter) -> Where {
    let mut w = Where::default();
    w.push("r.tenant_id = ?", vec![Bind::Int(tenant_id)]);
    if !filter.statuses.is_empty() {
        w.push_in("r.status", filter.statuses.iter().map(|s| s.as_str()));
    }
    if !filter.category_codes.is_empty() {
        w.push_in("c.code", filter.category_codes.iter().map(String::as_str));
    }
    if let Some(d) = filter.department_id {
        w.push("r.department_id = ?", vec![Bind::Int(d)]);
    }
    if let Some(cutoff) = filter.overdue_before {
        w.push(
            "r.first_reaction_at IS NULL AND r.status IN ('received', 'pending_review') AND r.created_at < ?",
            vec![Bind::Int(cutoff)],
        );
    }
    if let Some(b) = filter.bbox {
        push_within(&mut w, &b);
    }
    if let Some(q) = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
    {
        w.push_search("r.ref", &["r.description", "COALESCE(r.address, '')"], q);
    }
    w
}
