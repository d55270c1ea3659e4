use serde::{Deserialize, Serialize};

/// A WGS84 position. Serialised as `{"lat": …, "lng": …}`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LatLng {
    pub lat: f64,
    pub lng: f64,
}

impl LatLng {
    pub fn new(lat: f64, lng: f64) -> LatLng {
        LatLng { lat, lng }
    }

    /// Finite and within the WGS84 ranges.
    pub fn is_valid(&self) -> bool {
        self.lat.is_finite()
            && self.lng.is_finite()
            && (-90.0..=90.0).contains(&self.lat)
            && (-180.0..=180.0).contains(&self.lng)
    }

    /// Great-circle distance in metres (haversine; plenty for "within 250 m").
    pub fn distance_m(&self, other: &LatLng) -> f64 {
        const EARTH_RADIUS_M: f64 = 6_371_008.8;
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lng - self.lng).to_radians();
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * a.sqrt().asin()
    }

    /// The bounding box of a circle, for an index-friendly pre-filter before `distance_m`.
    pub fn bbox_around(&self, radius_m: f64) -> BBox {
        let dlat = radius_m / 111_320.0;
        let dlng = radius_m / (111_320.0 * self.lat.to_radians().cos().max(0.01));
        BBox {
            south: self.lat - dlat,
            west: self.lng - dlng,
            north: self.lat + dlat,
            east: self.lng + dlng,
        }
    }
}

/// A map viewport or any axis-aligned box in degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BBox {
    pub south: f64,
    pub west: f64,
    pub north: f64,
    pub east: f64,
}

impl BBox {
    /// Parses the `west,south,east,north` order that Leaflet's `toBBoxString()` produces.
    pub fn parse(s: &str) -> Option<BBox> {
        let parts: Vec<f64> = s
            .split(',')
            .map(|p| p.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .ok()?;
        let [west, south, east, north] = parts[..] else {
            return None;
        };
        let b = BBox {
            south,
            west,
            north,
            east,
        };
        b.is_valid().then_some(b)
    }

    pub fn is_valid(&self) -> bool {
        LatLng::new(self.south, self.west).is_valid()
            && LatLng::new(self.north, self.east).is_valid()
            && self.south <= self.north
            && self.west <= self.east
    }

    pub fn contains(&self, p: &LatLng) -> bool {
        (self.south..=self.north).contains(&p.lat) && (self.west..=self.east).contains(&p.lng)
    }

    pub fn center(&self) -> LatLng {
        LatLng::new(
            (self.south + self.north) / 2.0,
            (self.west + self.east) / 2.0,
        )
    }
}

pub use crate::area::{Area, Polygon};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_must_be_wgs84() {
        assert!(LatLng::new(52.5, 13.4).is_valid());
        assert!(!LatLng::new(91.0, 13.4).is_valid());
        assert!(!LatLng::new(52.5, 181.0).is_valid());
        assert!(!LatLng::new(f64::INFINITY, 0.0).is_valid());
    }

    #[test]
    fn bbox_parses_leaflet_order() {
        let b = BBox::parse("10.1,50.2,10.3,50.4").unwrap();
        assert_eq!((b.west, b.south, b.east, b.north), (10.1, 50.2, 10.3, 50.4));
        assert!(
            BBox::parse("10.3,50.2,10.1,50.4").is_none(),
            "west east swapped"
        );
        assert!(BBox::parse("1,2,3").is_none());
        assert!(BBox::parse("a,b,c,d").is_none());
    }

    #[test]
    fn distances() {
        let a = LatLng::new(50.0, 10.0);
        let b = LatLng::new(50.001, 10.0);
        let d = a.distance_m(&b);
        assert!((d - 111.2).abs() < 1.0, "{d}");
        let bb = a.bbox_around(250.0);
        assert!(bb.contains(&LatLng::new(50.002, 10.003)));
        assert!(!bb.contains(&LatLng::new(50.003, 10.0)));
    }
}
