//! The charts: horizontal bars (per category, per town) and columns (per month), each bar a
//! small inline SVG beside its label and its number.
//!
//! Accessibility (WCAG 1.1.1, 1.3.1), decided so: every chart is `aria-hidden="true"` and is
//! followed by a sentence and a `<table>` with the same numbers, which is its equivalent.
//! Why not `role="img"` with an `aria-label`: a label that repeats a dozen figures is read as
//! one long breath, and then the table says it all again; text drawn inside an SVG is read
//! differently by NVDA, JAWS and VoiceOver. A table is navigable cell by cell in every screen
//! reader, and axe-core checks it (headers, caption); a hidden chart holds nothing focusable,
//! so nothing is reachable that cannot be heard. Colour is never the only carrier: the number
//! stands next to every bar.
//!
//! One SVG per bar rather than one per chart: the labels stay HTML text that wraps on a phone
//! (SVG text would shrink with the drawing at 390 px), and the bars stretch with the width.
//! Only numbers go into attributes; text goes in as text nodes.

use crate::dom::number;
use crate::ui::{document, H};

const SVG: &str = "http://www.w3.org/2000/svg";

/// One bar: its label, its length (a count or a percentage; 0 for none) and its number.
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub text: String,
}

fn svg(tag: &str, attrs: &[(&str, &str)]) -> web_sys::Element {
    let el = document()
        .create_element_ns(Some(SVG), tag)
        .expect("an SVG element");
    for (k, v) in attrs {
        let _ = el.set_attribute(k, v);
    }
    el
}

/// The bars of `bars`, `max` the full length (at least 1); `columns`: upright, for a trend.
pub fn chart(bars: &[Bar], max: f64, columns: bool) -> H {
    let chart = H::new("div")
        .class(if columns {
            "civic-chart civic-cols"
        } else {
            "civic-chart"
        })
        .attr("aria-hidden", "true");
    let max = max.max(1.0);
    for b in bars {
        let len = (b.value / max).clamp(0.0, 1.0) * 100.0;
        let n = number(len);
        let (view, rect) = if columns {
            let y = number(100.0 - len);
            (
                "0 0 10 100",
                svg(
                    "rect",
                    &[
                        ("x", "1"),
                        ("width", "8"),
                        ("y", y.as_str()),
                        ("height", n.as_str()),
                    ],
                ),
            )
        } else {
            (
                "0 0 100 10",
                svg("rect", &[("width", n.as_str()), ("height", "10")]),
            )
        };
        let drawing = svg(
            "svg",
            &[
                ("viewBox", view),
                ("preserveAspectRatio", "none"),
                ("focusable", "false"),
            ],
        );
        let _ = drawing.append_child(&rect);
        let _ = chart.0.append_child(
            &H::new("div")
                .class("civic-chart-item")
                .child(&H::new("span").class("civic-chart-label").text(&b.label))
                .child(&H(drawing))
                .child(&H::new("span").class("civic-chart-value").text(&b.text))
                .0,
        );
    }
    chart
}
