//! The statistics' own style rules, adopted into the widget's shadow root beside the shared
//! civic.css (which the loader adopts before mounting).
//!
//! Why not in civic.css like the other widgets' rules: every widget downloads civic.css, and
//! these rules (0.3 KB brotli) would have been paid by `<civic-reports>`, half a kilobyte
//! under its 150 KB budget, and by the mailbox and the poll too. Here only `<civic-stats>` carries them. A
//! constructed stylesheet, as the loader uses for civic.css, is allowed under the strict
//! Content-Security-Policy the README documents (no inline `<style>`, no style attributes).
//!
//! Written compactly on purpose: these bytes are not minified by the build.

use js_sys::{Array, Reflect};
use wasm_bindgen::{JsCast, JsValue};

const CSS: &str = "\
.civic-kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(10em,1fr));gap:.5em;margin:.6em 0}\
.civic-kpis div{background:#f3f7fa;border-radius:var(--radius);padding:.5em .7em}\
.civic-kpis dt{font-size:.9em;color:#4a545b}\
.civic-kpis dd{margin:.1em 0 0;font-size:1.3em;font-weight:700}\
.civic-stats-part{margin:1.2em 0 .6em}\
.civic-chart{margin:.5em 0;max-width:44em}\
.civic-chart-item{display:grid;grid-template-columns:minmax(6em,35%) 1fr 5.5em;gap:.5em;align-items:center;margin:.3em 0;font-size:.92em}\
.civic-chart-label{overflow-wrap:anywhere}\
.civic-chart-value{font-weight:600}\
.civic-chart svg{display:block;width:100%;height:14px;background:#eceff1}\
.civic-chart rect{fill:var(--accent)}\
.civic-cols{display:flex;gap:2px;align-items:flex-end}\
.civic-cols .civic-chart-item{display:flex;flex-direction:column;flex:1 1 0;min-width:0;gap:.15em;text-align:center;font-size:.8em}\
.civic-cols .civic-chart-value{order:-1}.civic-cols .civic-chart-label{order:1}\
.civic-cols svg{height:7em;background:none;border-bottom:1px solid #5f6b73}\
@media (forced-colors:active){.civic-chart rect{fill:CanvasText}}\
.civic-table{overflow-x:auto;margin:.5em 0}\
.civic-table table{border-collapse:collapse;font-size:.92em}\
.civic-table caption{text-align:left;font-weight:600;padding:.2em 0}\
.civic-table th,.civic-table td{padding:.3em .6em;border-bottom:1px solid #c4c9cc;text-align:right;vertical-align:top}\
.civic-table th[scope=row],.civic-table thead th:first-child{text-align:left}\
.civic-table thead th{vertical-align:bottom}";

/// Adds the rules to the shadow root that holds `target` (nothing if the browser cannot
/// construct stylesheets: the figures are then unstyled, but all there).
pub fn adopt(target: &web_sys::HtmlElement) {
    let root = target.get_root_node();
    let key = JsValue::from_str("adoptedStyleSheets");
    let (Ok(sheet), Ok(list)) = (web_sys::CssStyleSheet::new(), Reflect::get(&root, &key)) else {
        return;
    };
    if sheet.replace_sync(CSS).is_ok() {
        if let Some(list) = list.dyn_ref::<Array>() {
            let _ = Reflect::set(&root, &key, &list.concat(&Array::of1(&sheet)));
        }
    }
}
