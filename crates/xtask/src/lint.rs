//! Clippy for the browser: the wasm crates' `cfg(target_arch = "wasm32")` code (the widgets'
//! DOM glue, the office's fetch) is invisible to the workspace's native clippy run, so it is
//! linted again for `wasm32-unknown-unknown`, with the same `-D warnings`. The widgets are
//! linted once per widget feature, exactly as they are built (see `wasm.rs`): code behind one
//! feature is not compiled under another.
//!
//! With rustup's target this is a plain `cargo clippy --target wasm32-unknown-unknown`. With
//! the Debian rustc-web fallback it needs Debian's own clippy (`rust-web-clippy`, matching
//! that compiler) and `-Z build-std`; if that cannot run, the lint step fails with a message
//! that says so. It is never skipped quietly.

use crate::setup::{apt_install, WasmToolchain, WASM_TARGET};
use crate::util::{note, root, run, step, Result};
use crate::wasm::WIDGETS;
use std::path::Path;
use std::process::Command;

const DEBIAN_CLIPPY: &str = "/usr/bin/cargo-clippy";
const DEBIAN_CLIPPY_PACKAGE: &str = "rust-web-clippy";

pub fn clippy_wasm(toolchain: WasmToolchain) -> Result {
    step(&format!("clippy for {WASM_TARGET} ({toolchain:?})"));
    if toolchain == WasmToolchain::DebianBuildStd {
        debian_clippy()?;
    }
    for widget in WIDGETS {
        note(&format!("civickit-widgets, feature {}", widget.name));
        run(clippy(toolchain)
            .args(["--package", "civickit-widgets", "--no-default-features"])
            .args(["--features", widget.name])
            .args(["--", "-D", "warnings"]))
        .map_err(|e| explain(toolchain, e))?;
    }
    note("civickit-office-ui");
    run(clippy(toolchain)
        .args(["--package", "civickit-office-ui"])
        .args(["--", "-D", "warnings"]))
    .map_err(|e| explain(toolchain, e))
}

/// Makes sure Debian's clippy for rustc-web is there, or says clearly why the lint cannot run.
fn debian_clippy() -> Result {
    if Path::new(DEBIAN_CLIPPY).is_file() {
        return Ok(());
    }
    note(&format!(
        "{DEBIAN_CLIPPY} is missing: installing {DEBIAN_CLIPPY_PACKAGE}"
    ));
    apt_install(&[DEBIAN_CLIPPY_PACKAGE]).map_err(|e| {
        format!(
            "clippy cannot run for {WASM_TARGET}: the Debian rustc-web toolchain is in use and \
             its clippy ({DEBIAN_CLIPPY_PACKAGE}) could not be installed ({e}). The wasm lints \
             are part of the test run and are not skipped: install {DEBIAN_CLIPPY_PACKAGE}, or \
             give rustup the {WASM_TARGET} target"
        )
    })?;
    if Path::new(DEBIAN_CLIPPY).is_file() {
        Ok(())
    } else {
        Err(format!(
            "clippy cannot run for {WASM_TARGET}: {DEBIAN_CLIPPY_PACKAGE} is installed but \
             {DEBIAN_CLIPPY} is still missing"
        ))
    }
}

fn explain(toolchain: WasmToolchain, e: String) -> String {
    match toolchain {
        WasmToolchain::Rustup => format!("clippy for {WASM_TARGET} failed: {e}"),
        WasmToolchain::DebianBuildStd => format!(
            "clippy for {WASM_TARGET} (Debian rustc-web, -Z build-std) failed: {e}. If the \
             output above is not lints but a toolchain error, this machine cannot lint wasm32 \
             this way; the step is not skipped"
        ),
    }
}

/// `cargo clippy` for wasm32 in the wasm builds' own target dir, for the given toolchain.
fn clippy(toolchain: WasmToolchain) -> Command {
    let mut cmd = match toolchain {
        WasmToolchain::Rustup => {
            let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
            c.arg("clippy");
            c
        }
        WasmToolchain::DebianBuildStd => {
            // Debian's cargo-clippy called directly: through `cargo clippy` the rustup proxy
            // in ~/.cargo/bin could answer instead. As for the wasm builds (wasm.rs), rustup's
            // exported toolchain variables are dropped so that only Debian's tools are used.
            let mut c = Command::new(DEBIAN_CLIPPY);
            for (key, _) in std::env::vars_os() {
                let key = key.to_string_lossy().into_owned();
                if (key.starts_with("CARGO") && key != "CARGO_HOME")
                    || key.starts_with("RUSTUP_TOOLCHAIN")
                    || key.starts_with("RUSTC")
                    || key.starts_with("RUSTDOC")
                    || key == "RUSTFLAGS"
                {
                    c.env_remove(&key);
                }
            }
            let path = std::env::var("PATH").unwrap_or_default();
            c.env("PATH", format!("/usr/bin:{path}"))
                .env("CARGO", "/usr/bin/cargo")
                .env("RUSTC", "/usr/bin/rustc")
                .env("RUSTC_BOOTSTRAP", "1")
                .args(["clippy", "-Z", "build-std=std,panic_abort"]);
            c
        }
    };
    cmd.current_dir(root())
        .args(["--target", WASM_TARGET, "--target-dir"])
        .arg(root().join("target/wasm"));
    cmd
}
