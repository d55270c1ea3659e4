//! A small static map of a report's place: 3×2 of the town's tiles at zoom 17 around a
//! position, as plain `<img>` elements, with a pin on top. No script and no map library, so
//! a page shows and prints the same in every browser; the tiles come from the URL the widget
//! uses ([`crate::http::tiles::widget_tile_url`]): our own demo tiles, or an external tile
//! server through our caching proxy, never a third party's URL in the page.
//!
//! Two pages draw it: the printed work order ([`Layout::Fit`], the whole excerpt scaled to
//! its box) and the reporter's tracking page on a phone ([`Layout::Centred`], the tiles at
//! their own size, clipped to the box around the pin, so street names stay readable).

use civickit_model::LatLng;
use quick_xml::escape::escape;
use std::fmt::Write;

/// Close enough to see the houses and the street names, far enough to find the place.
pub const ZOOM: u32 = 17;
const TILE: f64 = 256.0;
const COLUMNS: i64 = 3;
const ROWS: i64 = 2;

/// Which tiles to show and where the position lies on them.
#[derive(Debug, Clone, PartialEq)]
pub struct Excerpt {
    /// The top-left tile's column and row.
    pub x0: i64,
    pub y0: i64,
    /// The position in pixels from the top-left corner of the 768×512 excerpt.
    pub px: f64,
    pub py: f64,
}

/// The Web Mercator pixel of a position at `zoom` (the tile scheme of OpenStreetMap and
/// Leaflet).
fn world_pixel(at: LatLng, zoom: u32) -> (f64, f64) {
    let size = TILE * f64::from(1u32 << zoom);
    let lat = at.lat.clamp(-85.051_128, 85.051_128).to_radians();
    let x = (at.lng + 180.0) / 360.0 * size;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0 * size;
    (x, y)
}

/// The position always lies in the middle column and in the middle half of the height, so
/// the pin never sits at an edge of the excerpt.
pub fn excerpt(at: LatLng) -> Excerpt {
    let (x, y) = world_pixel(at, ZOOM);
    let tiles = 1i64 << ZOOM;
    let (tx, ty) = ((x / TILE).floor() as i64, (y / TILE).floor() as i64);
    let x0 = tx - 1;
    let upper_half = y / TILE - (ty as f64) < 0.5;
    let y0 = if upper_half { ty - 1 } else { ty }.clamp(0, tiles - ROWS);
    Excerpt {
        x0,
        y0,
        px: x - x0 as f64 * TILE,
        py: y - y0 as f64 * TILE,
    }
}

/// One tile's URL from a `{z}/{x}/{y}` template (Leaflet's `{s}` and `{r}` filled as Leaflet
/// does for one server and normal resolution).
fn tile_url(template: &str, x: i64, y: i64) -> String {
    let tiles = 1i64 << ZOOM;
    template
        .replace("{z}", &ZOOM.to_string())
        .replace("{x}", &x.rem_euclid(tiles).to_string())
        .replace("{y}", &y.to_string())
        .replace("{s}", "a")
        .replace("{r}", "")
}

/// How the excerpt fills the page's box; the page's CSS styles `.map`, `.tiles` and `.pin`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// All six tiles, scaled to the width of `.tiles` (a grid of three columns); the pin is
    /// placed in percent.
    Fit,
    /// The tiles at 256 px each, moved so that the pin sits in the middle of `.tiles` (a box
    /// with `overflow:hidden` of at most 512×256 px: the excerpt covers that much around the
    /// pin wherever it lies, see [`excerpt`]).
    Centred,
}

/// The map as HTML: a box of six tiles, the pin in the report's colour, the attribution.
/// `label` names the map for screen readers ("Karte: 50.55090, 9.67180").
pub fn html(template: &str, at: LatLng, colour: &str, label: &str, attribution: &str) -> String {
    html_in(Layout::Fit, template, at, colour, label, attribution)
}

/// [`html`] in the given [`Layout`].
pub fn html_in(
    layout: Layout,
    template: &str,
    at: LatLng,
    colour: &str,
    label: &str,
    attribution: &str,
) -> String {
    let e = excerpt(at);
    let mut out = String::with_capacity(1500);
    let _ = write!(
        out,
        "<figure class=map><div class=tiles role=img aria-label=\"{}\">",
        escape(label)
    );
    if layout == Layout::Centred {
        // One block of 768×512 whose point (px, py) lies on the box's centre.
        let _ = write!(
            out,
            "<div class=sheet style=\"left:calc(50% - {:.0}px);top:calc(50% - {:.0}px)\">",
            e.px, e.py
        );
    }
    for row in 0..ROWS {
        for col in 0..COLUMNS {
            let _ = write!(
                out,
                "<img src=\"{}\" alt=\"\" width=256 height=256>",
                escape(tile_url(template, e.x0 + col, e.y0 + row))
            );
        }
    }
    let (left, top) = match layout {
        Layout::Fit => (
            e.px / (TILE * COLUMNS as f64) * 100.0,
            e.py / (TILE * ROWS as f64) * 100.0,
        ),
        Layout::Centred => {
            out.push_str("</div>");
            (50.0, 50.0)
        }
    };
    // A pin whose tip is the position: the SVG is drawn above the point (translate -50%/-100%).
    let _ = write!(
        out,
        "<svg class=pin style=\"left:{left:.2}%;top:{top:.2}%\" viewBox=\"0 0 24 36\" width=24 height=36 aria-hidden=true>\
         <path d=\"M12 35C12 35 1 20 1 12a11 11 0 0 1 22 0c0 8-11 23-11 23z\" fill=\"{}\" stroke=\"#fff\" stroke-width=2/>\
         <circle cx=12 cy=12 r=4.5 fill=\"#fff\"/></svg></div>",
        escape(colour),
    );
    if !attribution.is_empty() {
        let _ = write!(out, "<figcaption>{}</figcaption>", escape(attribution));
    }
    out.push_str("</figure>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_position_lies_in_the_middle_of_the_excerpt() {
        for at in [
            LatLng::new(50.5509, 9.6718),
            LatLng::new(50.5530, 9.6790),
            LatLng::new(48.0, 11.0),
        ] {
            let e = excerpt(at);
            assert!((256.0..512.0).contains(&e.px), "{at:?}: {e:?}");
            assert!((128.0..384.0).contains(&e.py), "{at:?}: {e:?}");
        }
    }

    #[test]
    fn tiles_are_the_ones_a_tile_server_numbers() {
        // 50.5509 N, 9.6718 E lies in tile 69057/44138 at zoom 17, 53% down that tile (the
        // standard slippy-map formula): the excerpt starts a column left, on that row.
        let (x, y) = world_pixel(LatLng::new(50.5509, 9.6718), 17);
        assert_eq!(((x / 256.0) as i64, (y / 256.0) as i64), (69057, 44138));
        let html = html(
            "http://h/tiles/{z}/{x}/{y}.svg",
            LatLng::new(50.5509, 9.6718),
            "#c62828",
            "Karte <&>",
            "© OSM",
        );
        assert_eq!(html.matches("<img ").count(), 6);
        assert!(
            html.contains("src=\"http://h/tiles/17/69056/44138.svg\""),
            "{html}"
        );
        assert!(
            html.contains("src=\"http://h/tiles/17/69058/44139.svg\""),
            "{html}"
        );
        assert!(html.contains("Karte &lt;&amp;&gt;"));
        assert!(html.contains("<figcaption>© OSM</figcaption>"));
    }

    #[test]
    fn a_centred_excerpt_puts_the_position_in_the_middle_of_the_box() {
        let at = LatLng::new(50.5509, 9.6718);
        let e = excerpt(at);
        let html = html_in(
            Layout::Centred,
            "/t/{z}/{x}/{y}.svg",
            at,
            "#c62828",
            "Karte",
            "",
        );
        assert_eq!(html.matches("<img ").count(), 6);
        assert!(
            html.contains(&format!(
                "left:calc(50% - {:.0}px);top:calc(50% - {:.0}px)",
                e.px, e.py
            )),
            "{html}"
        );
        assert!(html.contains("left:50.00%;top:50.00%"), "{html}");
        assert!(!html.contains("figcaption"));
    }
}
