//! CMS integrations built from `www/integrations/`: the WordPress plugin as the zip that
//! WordPress's "Upload Plugin" takes, `target/dist/integrations/civickit-wordpress.zip`. The
//! server embeds it with the rest of `target/dist/` and serves it at that path, so a town's
//! office page links the plugin that fits its own server.

mod gettext;
mod zip;

use crate::util::{note, root, step, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The plugin's folder; its name is the folder inside the zip, which WordPress keeps.
const PLUGIN: &str = "www/integrations/wordpress/civickit";
pub const ZIP_NAME: &str = "civickit-wordpress.zip";
const DOMAIN: &str = "civickit";

pub fn build() -> Result {
    step("WordPress plugin (www/integrations/wordpress/civickit → dist/integrations/)");
    let source = root().join(PLUGIN);
    let files = plugin_files(&source)?;
    let mut zip = zip::ZipWriter::default();
    let mut folders = std::collections::BTreeSet::new();
    let mut php = String::new();
    let mut mo_files = Vec::new();
    for (relative, bytes) in &files {
        for (i, _) in relative.match_indices('/') {
            folders.insert(relative[..=i].to_string());
        }
        if relative.ends_with(".php") {
            php += &String::from_utf8_lossy(bytes);
        }
        if let Some(stem) = relative.strip_suffix(".po") {
            let po = std::str::from_utf8(bytes).map_err(|e| format!("{relative}: {e}"))?;
            let entries = gettext::parse_po(po).map_err(|e| format!("{relative}: {e}"))?;
            mo_files.push((format!("{stem}.mo"), entries));
        }
    }
    let block = block_texts(&source)?;
    for (mo, entries) in &mo_files {
        let missing: Vec<String> = gettext::php_texts(&php, DOMAIN)
            .into_iter()
            .chain(block.iter().cloned())
            .filter(|k| !entries.contains_key(k))
            .collect();
        if !missing.is_empty() {
            return Err(format!(
                "{PLUGIN}/{mo}: no translation for {} text(s) of the plugin (add them to the .po):\n  {}",
                missing.len(),
                missing.join("\n  ").replace('\u{4}', " | ")
            ));
        }
    }
    zip.folder("civickit/");
    for folder in &folders {
        zip.folder(&format!("civickit/{folder}"));
    }
    let mut all: BTreeMap<String, Vec<u8>> = files.into_iter().collect();
    for (mo, entries) in &mo_files {
        all.insert(mo.clone(), gettext::write_mo(entries));
    }
    for (relative, bytes) in &all {
        zip.file(&format!("civickit/{relative}"), bytes);
    }
    let out = crate::dist_dir().join("integrations").join(ZIP_NAME);
    std::fs::create_dir_all(out.parent().unwrap()).map_err(|e| e.to_string())?;
    let bytes = zip.finish();
    // Written only when it changed, so the server's build script does not embed anew.
    if std::fs::read(&out).ok().as_deref() != Some(&bytes[..]) {
        std::fs::write(&out, &bytes).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    note(&format!(
        "{} files, {} bytes: {}",
        all.len(),
        bytes.len(),
        out.display()
    ));
    Ok(())
}

/// Every file below the plugin's folder: path relative to it (with `/`) and bytes, sorted.
fn plugin_files(source: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) -> Result {
        let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in entries {
            let path: PathBuf = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                walk(root, &path, out)?;
                continue;
            }
            let relative = path.strip_prefix(root).map_err(|e| e.to_string())?;
            let relative = relative.to_string_lossy().replace('\\', "/");
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            out.push((relative, bytes));
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(source, source, &mut files)?;
    files.sort();
    Ok(files)
}

/// The block's title and description as WordPress translates them (with their contexts).
fn block_texts(source: &Path) -> Result<Vec<String>> {
    let path = source.join("blocks/widget/block.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok([
        ("title", "block title"),
        ("description", "block description"),
    ]
    .into_iter()
    .filter_map(|(field, context)| json[field].as_str().map(|t| gettext::key(Some(context), t)))
    .collect())
}
