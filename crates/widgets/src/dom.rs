//! A tiny DOM builder for the parts that are rebuilt from data (list, details, popups, nearby
//! reports). Text always goes in as text nodes, never as HTML. Plain DOM instead of Leptos
//! views here because every distinct Leptos view type costs wasm bytes, and these parts are
//! simply rebuilt whenever their data changes anyway. Clicks are handled by one delegated
//! listener per container that reads `data-action` / `data-ref` of the clicked button.

use civickit_model::{Marker, Status};
use wasm_bindgen::JsCast;

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

pub struct El(pub web_sys::Element);

impl El {
    pub fn new(tag: &str) -> El {
        El(document().create_element(tag).expect("an element"))
    }

    pub fn class(self, class: &str) -> El {
        self.0.set_class_name(class);
        self
    }

    pub fn attr(self, key: &str, value: &str) -> El {
        let _ = self.0.set_attribute(key, value);
        self
    }

    pub fn text(self, text: &str) -> El {
        let _ = self
            .0
            .append_child(&document().create_text_node(text).into());
        self
    }

    pub fn child(self, child: El) -> El {
        let _ = self.0.append_child(&child.0);
        self
    }

    pub fn opt(self, child: Option<El>) -> El {
        match child {
            Some(c) => self.child(c),
            None => self,
        }
    }

    /// A button that the container's delegated click listener recognises: `data-action` says
    /// what it does, `data-for` which report it is about.
    pub fn button(label: &str, action: &str, reference: &str, primary: bool) -> El {
        El::new("button")
            .class(if primary {
                "civic-button civic-primary"
            } else {
                "civic-button"
            })
            .attr("type", "button")
            .attr("data-action", action)
            .attr("data-for", reference)
            .text(label)
    }
}

/// The state's shape in its colour, as SVG markup (the same shapes as on the map; legend,
/// filters, lists). Markup from constants only, never from anything typed; the browser parses
/// it. One string is much less wasm than a dozen DOM calls per shape or Leptos's SVG view
/// types.
pub fn shape_markup(status: Status) -> String {
    let shape = match status.marker() {
        Marker::Triangle => r#"polygon points="10,1 19,18 1,18""#,
        Marker::Diamond => r#"polygon points="10,1 19,10 10,19 1,10""#,
        Marker::Circle => r#"circle cx="10" cy="10" r="8.5""#,
        Marker::Square => r#"rect x="2" y="2" width="16" height="16""#,
    };
    [
        r#"<svg class="civic-shape" viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false"><"#,
        shape,
        r#" fill=""#,
        status.light().hex(),
        r##"" stroke="#fff" stroke-width="1.5"/></svg>"##,
    ]
    .concat()
}

/// The state's shape as an element (see [`shape_markup`]).
pub fn shape(status: Status) -> El {
    let holder = El::new("span").0;
    holder.set_inner_html(&shape_markup(status));
    El(holder.first_element_child().unwrap_or(holder))
}

/// Replaces the children of `container` with `children`.
pub fn replace(container: &web_sys::Element, children: Vec<El>) {
    container.set_text_content(None);
    for c in children {
        let _ = container.append_child(&c.0);
    }
}

/// For a delegated click: the `(action, ref)` of the button that was clicked, if any
/// (`data-for` rather than `data-ref`, which marks the list item a button belongs to).
pub fn clicked(ev: &web_sys::Event) -> Option<(String, String)> {
    let target = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    let button = target.closest("[data-action]").ok()??;
    Some((
        button.get_attribute("data-action")?,
        button.get_attribute("data-for").unwrap_or_default(),
    ))
}

/// `x` with `digits` decimals (`Number.prototype.toFixed`). The browser formats the numbers the
/// widgets show: Rust's float formatting (core's Grisu and Dragon4 with their tables) is more
/// than 10 KB of wasm, which the report widget's budget cannot spare.
pub fn fixed(x: f64, digits: u8) -> String {
    js_sys::Number::from(x)
        .to_fixed(digits)
        .map(String::from)
        .unwrap_or_default()
}

/// `x` as the shortest text that reads back as the same number (`Number.prototype.toString`;
/// the same text as Rust's `{}` for coordinates and radii, which never need an exponent).
pub fn number(x: f64) -> String {
    js_sys::Number::from(x)
        .to_string_with_radix(10)
        .map(String::from)
        .unwrap_or_default()
}
