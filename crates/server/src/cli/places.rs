//! `civickit places import/show`: a town's addresses from its open data. An import replaces the
//! previous one as a whole, and a file with malformed rows imports nothing unless the operator
//! says `--skip-invalid` after reading the list of what is wrong.

use super::tenant::tenant_of;
use crate::db::audit::Actor;
use crate::db::Db;
use crate::places::import::{self, Format};
use clap::{Subcommand, ValueEnum};
use std::path::PathBuf;

/// Errors listed in full up to this many; then a count.
const SHOWN_ERRORS: usize = 20;

#[derive(Subcommand)]
pub enum PlacesCommand {
    /// Replace the town's addresses and streets with those in FILE: GeoJSON (points or
    /// buildings with addr:street/addr:housenumber or street/housenumber, named LineStrings as
    /// streets) or CSV with a header naming street, housenumber, lat and lng (WGS84).
    Import {
        #[arg(long)]
        tenant: String,
        /// Import the valid rows even when some are malformed (they are listed either way)
        #[arg(long)]
        skip_invalid: bool,
        /// geojson or csv (default: by the file name, .csv is CSV)
        #[arg(long, value_enum)]
        format: Option<FileFormat>,
        file: PathBuf,
    },
    /// What the town has imported; with --near or --search, what a lookup answers.
    Show {
        #[arg(long)]
        tenant: String,
        /// LAT,LNG: the place the widget would show for this position
        #[arg(long)]
        near: Option<String>,
        /// A search text, as typed into "Adresse suchen"
        #[arg(long)]
        search: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum FileFormat {
    Geojson,
    Csv,
}

pub async fn run(db: &Db, command: PlacesCommand) -> Result<(), String> {
    match command {
        PlacesCommand::Import {
            tenant,
            skip_invalid,
            format,
            file,
        } => {
            let tenant = tenant_of(db, &tenant).await?;
            let name = file.display().to_string();
            let text = std::fs::read_to_string(&file)
                .map_err(|e| format!("cannot read {name}: {e} (the file must be UTF-8)"))?;
            let format = match format {
                Some(FileFormat::Geojson) => Format::GeoJson,
                Some(FileFormat::Csv) => Format::Csv,
                None => Format::guess(&name),
            };
            let parsed =
                import::parse(&text, format, &tenant.area).map_err(|e| format!("{name}: {e}"))?;
            for e in parsed.errors.iter().take(SHOWN_ERRORS) {
                eprintln!("{name}: line {}: {}", e.line, e.message);
            }
            if parsed.errors.len() > SHOWN_ERRORS {
                eprintln!("{name}: … and {} more", parsed.errors.len() - SHOWN_ERRORS);
            }
            if !parsed.errors.is_empty() && !skip_invalid {
                return Err(format!(
                    "{name}: {} of {} rows are malformed; nothing was imported. Fix them, or \
                     import the other rows with --skip-invalid.",
                    parsed.errors.len(),
                    parsed.rows
                ));
            }
            let set = parsed.set;
            if set.addresses.is_empty() && set.streets.is_empty() {
                return Err(format!(
                    "{name}: no addresses or named streets found in {} rows; nothing was imported \
                     (the town keeps its places)",
                    parsed.rows
                ));
            }
            let before = db
                .replace_places(tenant.id, &set, &name)
                .await
                .map_err(|e| format!("importing {name}: {e}"))?;
            let summary = serde_json::json!({
                "file": name,
                "addresses": set.addresses.len(),
                "streets": set.streets.len(),
                "skipped": parsed.errors.len(),
            });
            let previous = match &before {
                Some(b) => serde_json::json!({"addresses": b.addresses, "streets": b.streets}),
                None => serde_json::Value::Null,
            };
            db.audit_simple(
                tenant.id,
                &Actor::cli(),
                "places.import",
                &previous,
                &summary,
            )
            .await
            .map_err(|e| e.to_string())?;
            println!(
                "{}: imported {} addresses and {} streets from {name}{}{}",
                tenant.slug,
                set.addresses.len(),
                set.streets.len(),
                match &before {
                    Some(b) => format!(
                        " (replacing {} addresses and {} streets)",
                        b.addresses, b.streets
                    ),
                    None => String::new(),
                },
                if parsed.errors.is_empty() {
                    String::new()
                } else {
                    format!("; skipped {} malformed rows", parsed.errors.len())
                },
            );
            if parsed.ignored > 0 {
                println!(
                    "{} features were neither an address nor a named street and were ignored",
                    parsed.ignored
                );
            }
            Ok(())
        }
        PlacesCommand::Show {
            tenant,
            near,
            search,
        } => {
            let tenant = tenant_of(db, &tenant).await?;
            match db
                .place_import(tenant.id)
                .await
                .map_err(|e| e.to_string())?
            {
                Some(i) => println!(
                    "{}: {} addresses and {} streets, imported {} from {}",
                    tenant.slug,
                    i.addresses,
                    i.streets,
                    crate::http::rfc3339(i.imported_at),
                    i.source
                ),
                None => println!(
                    "{}: no places imported (see `civickit places import`)",
                    tenant.slug
                ),
            }
            if let Some(near) = near {
                let at = super::tenant::parse_point(&near).map_err(|e| format!("--near: {e}"))?;
                match crate::places::reverse(db, tenant.id, at)
                    .await
                    .map_err(|e| e.to_string())?
                {
                    Some(p) => println!("near {near}: {} ({} m)", p.place.label, p.distance_m),
                    None => println!("near {near}: nothing within 150 m"),
                }
            }
            if let Some(text) = search {
                for p in crate::places::search(db, tenant.id, &text, 20)
                    .await
                    .map_err(|e| e.to_string())?
                {
                    println!("{}\t{:.6},{:.6}", p.label, p.position.lat, p.position.lng);
                }
            }
            Ok(())
        }
    }
}
