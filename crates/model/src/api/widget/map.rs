//! The map's content of a range of tiles: single reports and counted clusters
//! (`GET /api/v1/{tenant}/map`, docs/widget-api.md).

use crate::Status;
use serde::{Deserialize, Serialize};

/// Cells a 256-px tile is cut into for clustering, per axis: a cluster stands for up to
/// 64 × 64 screen pixels of reports.
pub const CELLS_PER_TILE_AXIS: u32 = 4;
/// Up to this many reports in the asked tiles are sent one by one, never clustered.
pub const POINTS_MAX: usize = 300;
/// The widest range of tiles one request may ask for, per axis (a 4K screen and a margin).
pub const TILES_MAX_PER_AXIS: u32 = 24;
/// The deepest zoom the map answers for.
pub const MAX_ZOOM: u8 = 19;

/// `GET /api/v1/{tenant}/map?z=&x=X0-X1&y=Y0-Y1`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapAnswer {
    /// Public reports in the tiles (after the filters), drawn or counted.
    pub total: u64,
    /// Reports drawn one by one.
    pub points: Vec<MapPoint>,
    /// Places where several reports are drawn as one counted circle.
    pub clusters: Vec<MapCluster>,
}

/// One report on the map. Written as an array
/// `["M-2026-00042", "received", "strassenbeleuchtung", 50.55321, 9.67492]`: a phone's view holds
/// hundreds of them, and names repeated in every entry would double the answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "PointRow", into = "PointRow")]
pub struct MapPoint {
    pub reference: String,
    pub status: Status,
    /// The category code.
    pub category: String,
    pub lat: f64,
    pub lng: f64,
}

type PointRow = (String, Status, String, f64, f64);

impl From<PointRow> for MapPoint {
    fn from((reference, status, category, lat, lng): PointRow) -> Self {
        MapPoint {
            reference,
            status,
            category,
            lat,
            lng,
        }
    }
}

impl From<MapPoint> for PointRow {
    fn from(p: MapPoint) -> Self {
        (p.reference, p.status, p.category, p.lat, p.lng)
    }
}

/// Several reports in one cell (a quarter of a tile per axis), at their mean position, with
/// how many there are of each public state, in the order of `Status::PUBLIC` (received,
/// in progress, resolved, closed). Written as `[50.5532, 9.6749, [12, 3, 40, 2]]`. The mean
/// lies inside the cell, so a client finds the cell from it (to zoom into it or list it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "ClusterRow", into = "ClusterRow")]
pub struct MapCluster {
    pub lat: f64,
    pub lng: f64,
    pub counts: [u32; 4],
}

type ClusterRow = (f64, f64, [u32; 4]);

impl From<ClusterRow> for MapCluster {
    fn from((lat, lng, counts): ClusterRow) -> Self {
        MapCluster { lat, lng, counts }
    }
}

impl From<MapCluster> for ClusterRow {
    fn from(c: MapCluster) -> Self {
        (c.lat, c.lng, c.counts)
    }
}

impl MapCluster {
    /// How many reports the circle stands for.
    pub fn count(&self) -> u32 {
        self.counts.iter().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_and_clusters_are_arrays() {
        let a = MapAnswer {
            total: 3,
            points: vec![MapPoint {
                reference: "M-2026-00042".into(),
                status: Status::InProgress,
                category: "muell".into(),
                lat: 50.55321,
                lng: 9.67492,
            }],
            clusters: vec![MapCluster {
                lat: 50.5,
                lng: 9.6,
                counts: [1, 0, 1, 0],
            }],
        };
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(
            json,
            r#"{"total":3,"points":[["M-2026-00042","in_progress","muell",50.55321,9.67492]],"clusters":[[50.5,9.6,[1,0,1,0]]]}"#
        );
        assert_eq!(serde_json::from_str::<MapAnswer>(&json).unwrap(), a);
        assert_eq!(a.clusters[0].count(), 2);
    }
}
