use super::*;

fn row(id: i64, lat: f64, lng: f64, status: Status, category: &str) -> Row {
    Row {
        id,
        reference: format!("M-2026-{id:05}"),
        status,
        category: category.into(),
        position: LatLng::new(lat, lng),
        created: 1_700_000_000 + id,
    }
}

/// A deterministic scatter of `n` reports over about 10 × 10 km around Fulda.
fn scatter(n: i64) -> Vec<Row> {
    let mut seed: u64 = 42;
    let mut next = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    (1..=n)
        .map(|id| {
            let status = Status::PUBLIC[(next() * 4.0) as usize % 4];
            let category = if next() < 0.5 { "muell" } else { "licht" };
            row(
                id,
                50.5 + next() * 0.09,
                9.6 + next() * 0.14,
                status,
                category,
            )
        })
        .collect()
}

/// Reports in the tiles, counted by brute force.
fn brute_total(rows: &[Row], zoom: u8, xs: (u32, u32), ys: (u32, u32), f: &MapFilter) -> u64 {
    rows.iter()
        .filter(|r| {
            let (x, y) = tile_of(r.position, zoom);
            (xs.0..=xs.1).contains(&x)
                && (ys.0..=ys.1).contains(&y)
                && (f.statuses.is_empty() || f.statuses.contains(&r.status))
                && (f.categories.is_empty() || f.categories.contains(&r.category))
        })
        .count() as u64
}

fn view(zoom: u8) -> ((u32, u32), (u32, u32)) {
    let (x0, y0) = tile_of(LatLng::new(50.59, 9.6), zoom);
    let (x1, y1) = tile_of(LatLng::new(50.5, 9.74), zoom);
    ((x0, x1), (y0, y1))
}

#[test]
fn tiles_match_leaflets_numbering() {
    // Fulda at zoom 16, as Leaflet/OpenStreetMap number the tile.
    assert_eq!(tile_of(LatLng::new(50.5532, 9.6749), 16), (34529, 22068));
    assert_eq!(tile_of(LatLng::new(0.0, 0.0), 1), (1, 1));
    assert_eq!(tile_of(LatLng::new(0.0, 0.0), 0), (0, 0));
}

#[test]
fn every_report_is_counted_once_at_every_zoom_and_filter() {
    let rows = scatter(5000);
    let map = TownMap::from_rows(rows.clone());
    let filters = [
        MapFilter::default(),
        MapFilter {
            statuses: vec![Status::Received, Status::Closed],
            categories: vec![],
        },
        MapFilter {
            statuses: vec![],
            categories: vec!["muell".into(), "unknown".into()],
        },
    ];
    for zoom in [8u8, 11, 13, 15, 17, 19] {
        let (xs, ys) = view(zoom);
        let (xs, ys) = ((xs.0, xs.1.min(xs.0 + 23)), (ys.0, ys.1.min(ys.0 + 23)));
        for f in &filters {
            let a = map.answer(zoom, xs.0..=xs.1, ys.0..=ys.1, f);
            let expected = brute_total(&rows, zoom, xs, ys, f);
            assert_eq!(a.total, expected, "zoom {zoom} {f:?}");
            let drawn: u64 = a.points.len() as u64
                + a.clusters.iter().map(|c| u64::from(c.count())).sum::<u64>();
            assert_eq!(
                drawn, a.total,
                "zoom {zoom} {f:?}: points and clusters add up"
            );
            if a.total as usize <= POINTS_MAX {
                assert!(a.clusters.is_empty());
            } else {
                assert!(a.clusters.iter().all(|c| c.count() > 1));
            }
            for p in &a.points {
                assert!(f.statuses.is_empty() || f.statuses.contains(&p.status));
                assert!(f.categories.is_empty() || f.categories.contains(&p.category));
            }
        }
    }
}

#[test]
fn a_dense_view_is_clustered_and_a_sparse_one_is_not() {
    let map = TownMap::from_rows(scatter(5000));
    let (xs, ys) = view(12);
    let far = map.answer(12, xs.0..=xs.1, ys.0..=ys.1, &MapFilter::default());
    assert_eq!(far.total, 5000);
    assert!(!far.clusters.is_empty());
    // Each cluster's mean lies in its cell (clients find the cell from it).
    for c in &far.clusters {
        let (x, y) = tile_of(LatLng::new(c.lat, c.lng), 14);
        assert!((xs.0 * 4..xs.1 * 4 + 4).contains(&x) && (ys.0 * 4..ys.1 * 4 + 4).contains(&y));
    }
    let one = map.answer(
        19,
        279_000..=279_000,
        179_000..=179_000,
        &MapFilter::default(),
    );
    assert!(one.clusters.is_empty());
}

#[test]
fn filtered_clusters_equal_the_unfiltered_ones_when_everything_passes() {
    let map = TownMap::from_rows(scatter(3000));
    let (xs, ys) = view(13);
    let all = MapFilter {
        statuses: Status::PUBLIC.to_vec(),
        categories: vec![],
    };
    let a = map.answer(13, xs.0..=xs.1, ys.0..=ys.1, &MapFilter::default());
    let b = map.answer(13, xs.0..=xs.1, ys.0..=ys.1, &all);
    assert_eq!(a.total, b.total);
    assert_eq!(a.points, b.points);
    assert_eq!(a.clusters.len(), b.clusters.len());
    for (x, y) in a.clusters.iter().zip(&b.clusters) {
        assert_eq!(x.counts, y.counts);
        assert!((x.lat - y.lat).abs() < 1e-4 && (x.lng - y.lng).abs() < 1e-4);
    }
}

#[test]
fn changes_keep_the_index_equal_to_one_built_afresh() {
    let mut rows = scatter(2000);
    let mut map = TownMap::from_rows(rows.clone());
    // Move one, change another's state, take one out, add one.
    rows[10].position = LatLng::new(50.51, 9.61);
    map.set(rows[10].id, Some(rows[10].clone()));
    rows[20].status = Status::Resolved;
    map.set(rows[20].id, Some(rows[20].clone()));
    let gone = rows.remove(30);
    map.set(gone.id, None);
    let new = row(9999, 50.55, 9.67, Status::InProgress, "neu");
    rows.push(new.clone());
    map.set(new.id, Some(new));
    map.set(123_456, None);
    let fresh = TownMap::from_rows(rows.clone());
    assert_eq!(map.rows(), fresh.rows());
    assert_eq!(map.counts, fresh.counts);
    let (xs, ys) = view(12);
    assert_eq!(
        map.answer(12, xs.0..=xs.1, ys.0..=ys.1, &MapFilter::default()),
        fresh.answer(12, xs.0..=xs.1, ys.0..=ys.1, &MapFilter::default())
    );
}

#[test]
fn the_list_is_the_newest_in_the_box() {
    let rows = scatter(3000);
    let map = TownMap::from_rows(rows.clone());
    let bbox = BBox {
        south: 50.52,
        west: 9.62,
        north: 50.55,
        east: 9.68,
    };
    let f = MapFilter {
        statuses: vec![Status::Received, Status::InProgress],
        categories: vec![],
    };
    let mut expected: Vec<&Row> = rows
        .iter()
        .filter(|r| bbox.contains(&r.position) && f.statuses.contains(&r.status))
        .collect();
    expected.sort_by_key(|r| std::cmp::Reverse((r.created, r.id)));
    let (ids, total) = map.newest_in(&bbox, &f, 5, 20);
    assert_eq!(total, expected.len());
    let want: Vec<i64> = expected.iter().skip(5).take(20).map(|r| r.id).collect();
    assert_eq!(ids, want);
    let (all, _) = map.newest_in(&bbox, &f, 0, 100_000);
    assert_eq!(all.len(), expected.len());
}
