//! `cargo xtask size`: the gzipped bytes each widget downloads on first load.

use crate::util::Result;

pub fn run() -> Result {
    Err("size is not measured yet".into())
}
