//! Settings: a command-line flag wins over the environment (`CIVICKIT_…`), which wins over the
//! TOML file (`--config FILE` or `CIVICKIT_CONFIG`), which wins over the defaults.

use serde::Deserialize;
use std::path::{Path, PathBuf};

pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
pub const DEFAULT_DATABASE: &str = "sqlite://civickit.db";

/// The TOML file; every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSettings {
    pub listen: Option<String>,
    pub database_url: Option<String>,
    pub dist: Option<PathBuf>,
    pub public_url: Option<String>,
    pub smtp_url: Option<String>,
    pub mail_from: Option<String>,
}

impl FileSettings {
    pub fn load(path: Option<&Path>) -> Result<FileSettings, String> {
        let Some(path) = path else {
            return Ok(FileSettings::default());
        };
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read config file {}: {e}", path.display()))?;
        toml::from_str(&text).map_err(|e| format!("config file {}: {e}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_toml_and_refuses_typos() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.toml");
        std::fs::write(
            &good,
            "listen = \"0.0.0.0:9000\"\ndatabase_url = \"postgres://db/civickit\"\n",
        )
        .unwrap();
        let s = FileSettings::load(Some(&good)).unwrap();
        assert_eq!(s.listen.as_deref(), Some("0.0.0.0:9000"));
        assert_eq!(s.database_url.as_deref(), Some("postgres://db/civickit"));
        let bad = dir.path().join("bad.toml");
        std::fs::write(&bad, "databse_url = \"x\"\n").unwrap();
        let err = FileSettings::load(Some(&bad)).unwrap_err();
        assert!(err.contains("databse_url"), "{err}");
    }
}
