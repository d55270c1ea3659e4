//! The QR code on a work order: the link to the report in the office, as inline SVG (one path
//! of dark modules), so the page needs no image request and prints sharp at any size.

use qrcode::{Color, EcLevel, QrCode};
use quick_xml::escape::escape;
use std::fmt::Write;

/// The white border the QR standard asks for, in modules.
const QUIET: usize = 4;

/// `label` is what a screen reader says instead of the picture. `None` when the text does
/// not fit a QR code (far longer than any URL of ours).
pub fn svg(text: &str, label: &str) -> Option<String> {
    // Level M survives a crumpled or stained sheet in a crew's van better than L.
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let size = width + 2 * QUIET;
    let mut path = String::with_capacity(width * width * 4);
    for (i, color) in code.to_colors().iter().enumerate() {
        if *color == Color::Dark {
            let _ = write!(path, "M{} {}h1v1h-1z", i % width + QUIET, i / width + QUIET);
        }
    }
    Some(format!(
        "<svg class=qr xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" \
         shape-rendering=crispEdges role=img aria-label=\"{}\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/>\
         <path d=\"{path}\" fill=\"#000\"/></svg>",
        escape(label)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dark_module_is_drawn_inside_the_quiet_zone() {
        let url = "https://mängelmelder.example/office/reports/M-2026-00042";
        let svg = svg(url, "QR <code>").unwrap();
        let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).unwrap();
        let dark = code
            .to_colors()
            .iter()
            .filter(|c| **c == Color::Dark)
            .count();
        assert_eq!(
            svg.matches("h1v1h-1z").count(),
            dark,
            "one square per dark module"
        );
        let size = code.width() + 8;
        assert!(svg.contains(&format!("viewBox=\"0 0 {size} {size}\"")));
        // The finder pattern's corner is the first dark module, just inside the border.
        assert!(svg.contains("d=\"M4 4h1v1h-1z"), "{svg}");
        assert!(svg.contains("aria-label=\"QR &lt;code&gt;\""));
    }
}
