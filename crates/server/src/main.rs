//! `civickit`: the one binary of the civickit backend.

use civickit_server::cli;
use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
