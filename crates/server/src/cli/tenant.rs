//! `civickit tenant add/set/show/list`: a town from nothing to working, and every setting it
//! changes later, checked by the same rules as the office's town page and audited as done by
//! the command line.

use crate::db::audit::Actor;
use crate::db::tenants::{is_valid_slug, NewTenant, Tenant};
use crate::db::users::Role;
use crate::db::Db;
use crate::seed::{seed_town, Template};
use civickit_model::privacy::{Retention, RetentionChange};
use civickit_model::town::{self, parse_origins, TownProfile};
use civickit_model::{Area, Lang, LatLng};
use clap::Subcommand;
use serde_json::json;
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once at start-up
pub enum TenantCommand {
    /// Add a town, ready for citizens: categories, departments, message kinds, text templates.
    Add {
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name: String,
        /// Map centre as LAT,LNG (inside the area)
        #[arg(long)]
        center: String,
        #[command(flatten)]
        area: AreaArgs,
        #[arg(long, default_value_t = 15)]
        zoom: i64,
        #[arg(long, default_value = "https://tile.openstreetmap.org/{z}/{x}/{y}.png")]
        tile_url: String,
        #[arg(long, default_value = "© OpenStreetMap-Mitwirkende")]
        attribution: String,
        /// The town's privacy notice (the widgets link to it)
        #[arg(long, default_value = "")]
        privacy_url: String,
        /// The town's imprint (Impressum)
        #[arg(long, default_value = "")]
        imprint_url: String,
        /// Origins allowed to embed the widgets (scheme://host[:port]), comma-separated, or *
        #[arg(long, default_value = "")]
        origins: String,
        /// Days promised for a first reaction (1-60)
        #[arg(long, default_value_t = 3)]
        response_days: i64,
        /// New reports wait for an official's release before they are public
        #[arg(long)]
        premoderation: bool,
        /// standard (categories, departments, message kinds, templates) or none (empty town)
        #[arg(long, default_value = "standard")]
        template: String,
        /// Create the first admin with this e-mail address and print a one-time password
        #[arg(long)]
        admin: Option<String>,
    },
    /// Change a town's settings; what is not given stays as it is.
    Set {
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name: Option<String>,
        /// Map centre as LAT,LNG (inside the area)
        #[arg(long)]
        center: Option<String>,
        #[arg(long)]
        zoom: Option<i64>,
        #[command(flatten)]
        area: AreaArgs,
        /// Replaces the list: comma-separated scheme://host[:port], or *
        #[arg(long)]
        origins: Option<String>,
        #[arg(long)]
        tile_url: Option<String>,
        #[arg(long)]
        attribution: Option<String>,
        /// Empty removes the link
        #[arg(long)]
        privacy_url: Option<String>,
        /// Empty removes the link
        #[arg(long)]
        imprint_url: Option<String>,
        /// A Nominatim or Photon server this server asks for places while the town has
        /// imported none (no citizen data but the position); empty turns it off
        #[arg(long)]
        geocoder_url: Option<String>,
        #[arg(long)]
        response_days: Option<i64>,
        /// on or off
        #[arg(long)]
        premoderation: Option<String>,
        /// Proof-of-work difficulty: the hashes a citizen's device tries at most per write
        /// (1000 to 10000000, default 50000; raised 4x/16x by itself while writes spike)
        #[arg(long)]
        pow_max_number: Option<i64>,
        /// Flags ("Meldung melden") from distinct addresses that hide a report or photo
        /// until an official decides (1 to 50; default 3)
        #[arg(long)]
        flag_threshold: Option<i64>,
        #[command(flatten)]
        retention: RetentionArgs,
        /// While a poll is open its results move only every N votes (1 to 100; 1 shows them
        /// exactly; default 10)
        #[arg(long)]
        poll_result_step: Option<i64>,
        /// on: list the town in the county view of the processing statistics
        /// (GET /api/v1/county/stats) beside the other towns opted in; off (default): not
        #[arg(long)]
        county_stats: Option<String>,
    },
    /// Show every setting of a town, its departments, categories and message kinds.
    Show {
        #[arg(long)]
        slug: String,
    },
    /// List towns.
    List,
}

/// The town's retention periods (`civickit_model::privacy::Retention`), each left as it is
/// when not given.
#[derive(clap::Args)]
pub struct RetentionArgs {
    /// Days after a report is finished or a message closed until the citizen's contact (and
    /// what belongs to it) is erased (1-3650, default 180; the mailbox's retention days)
    #[arg(long)]
    contact_days: Option<i64>,
    /// on or off: a closed message's subject and text are erased with its contact
    #[arg(long)]
    erase_text: Option<String>,
    /// Days a sent mail stays in the outbox (1-365, default 30)
    #[arg(long)]
    outbox_days: Option<i64>,
    /// Days after a report is finished until its tracking link expires (1-3650, default 90)
    #[arg(long)]
    tracking_days: Option<i64>,
    /// Days after a report is finished until its photos are erased (1-3650; 0, the default,
    /// keeps them with the public report)
    #[arg(long)]
    photo_days: Option<i64>,
}

impl RetentionArgs {
    fn change(&self) -> Result<RetentionChange, String> {
        Ok(RetentionChange {
            contact_days: self.contact_days,
            erase_text: self
                .erase_text
                .as_deref()
                .map(|v| on_off("--erase-text", v))
                .transpose()?,
            outbox_days: self.outbox_days,
            tracking_days: self.tracking_days,
            photo_days: self.photo_days,
        })
    }
}

/// The periods before and after the change asked for, checked; `None` when nothing changes.
async fn planned_retention(
    db: &Db,
    tenant: &Tenant,
    args: &RetentionArgs,
) -> Result<Option<(Retention, Retention)>, String> {
    let change = args.change()?;
    let before = db.retention(tenant.id).await.map_err(|e| e.to_string())?;
    let after = change.apply(before);
    let errors = after.validate();
    if !errors.is_empty() {
        let lines: Vec<String> = errors
            .iter()
            .map(|e| {
                let range = match e.field.as_str() {
                    "outbox_days" => "1 to 365",
                    "photo_days" => "0 (keep) or 1 to 3650",
                    _ => "1 to 3650",
                };
                format!("--{}: use {range} days", e.field.replace('_', "-"))
            })
            .collect();
        return Err(format!("nothing changed:\n  {}", lines.join("\n  ")));
    }
    Ok((after != before).then_some((before, after)))
}

/// The names of the periods that differ (`contact_days`, …).
fn changed_periods(before: &Retention, after: &Retention) -> Vec<String> {
    let (b, a) = (json!(before), json!(after));
    a.as_object()
        .into_iter()
        .flatten()
        .filter(|(k, v)| b.get(k.as_str()) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect()
}

#[derive(clap::Args)]
pub struct AreaArgs {
    /// Boundary as LAT,LNG;LAT,LNG;… (one polygon, at least three corners)
    #[arg(long, conflicts_with = "area_file")]
    area: Option<String>,
    /// Boundary as a GeoJSON file: Polygon or MultiPolygon, or a Feature/FeatureCollection of them
    #[arg(long)]
    area_file: Option<PathBuf>,
}

impl AreaArgs {
    fn read(&self) -> Result<Option<Area>, String> {
        match (&self.area, &self.area_file) {
            (Some(inline), _) => Ok(Some(Area::new(
                inline
                    .split(';')
                    .filter(|p| !p.trim().is_empty())
                    .map(parse_point)
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| format!("--area: {e}"))?,
            ))),
            (None, Some(file)) => area_from_file(file).map(Some),
            (None, None) => Ok(None),
        }
    }
}

fn area_from_file(file: &Path) -> Result<Area, String> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("--area-file {}: {e}", file.display()))?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| format!("--area-file {}: not JSON: {e}", file.display()))?;
    Area::from_geojson(&value).map_err(|e| format!("--area-file {}: {e}", file.display()))
}

pub fn parse_point(s: &str) -> Result<LatLng, String> {
    let (lat, lng) = s
        .split_once(',')
        .ok_or_else(|| format!("{s:?} is not LAT,LNG"))?;
    let p = LatLng::new(
        lat.trim()
            .parse()
            .map_err(|_| format!("{lat:?} is not a number"))?,
        lng.trim()
            .parse()
            .map_err(|_| format!("{lng:?} is not a number"))?,
    );
    if p.is_valid() {
        Ok(p)
    } else {
        Err(format!("{s:?} is outside WGS84"))
    }
}

fn on_off(flag: &str, value: &str) -> Result<bool, String> {
    super::on_off(value).map_err(|e| format!("{flag} {e}"))
}

fn origins(list: &str) -> Result<Vec<String>, String> {
    parse_origins(list).map_err(|bad| {
        format!("--origins: {bad:?} is not an origin: use scheme://host[:port] (no path), or *")
    })
}

/// The profile's broken rules as one message, each line naming the setting.
fn check(profile: &TownProfile) -> Result<(), String> {
    let errors = profile.validate();
    if errors.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = errors
        .iter()
        .map(|e| match (e.field.as_str(), profile.area.check()) {
            // The command line can say exactly where the boundary is broken.
            ("area", Err(problem)) => format!("area: {problem}"),
            (field, _) => format!("{field}: {}", town::message(e, Lang::En)),
        })
        .collect();
    Err(format!("nothing changed:\n  {}", lines.join("\n  ")))
}

pub async fn tenant_of(db: &Db, slug: &str) -> Result<Tenant, String> {
    db.tenant_by_slug(slug)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no tenant {slug:?} (see `civickit tenant list`)"))
}

pub async fn run(db: &Db, command: TenantCommand) -> Result<(), String> {
    match command {
        TenantCommand::List => {
            for t in db.tenants().await.map_err(|e| e.to_string())? {
                println!("{}\t{}", t.slug, t.name);
            }
            Ok(())
        }
        TenantCommand::Show { slug } => super::show::show(db, &tenant_of(db, &slug).await?).await,
        TenantCommand::Add {
            slug,
            name,
            center,
            area,
            zoom,
            tile_url,
            attribution,
            privacy_url,
            imprint_url,
            origins: origin_list,
            response_days,
            premoderation,
            template,
            admin,
        } => {
            if !is_valid_slug(&slug) {
                return Err(format!(
                    "slug {slug:?}: use 2-40 lowercase letters, digits and dashes (not \"county\", \
                     the statistics' county view)"
                ));
            }
            let template = Template::parse(&template)
                .ok_or_else(|| format!("--template {template:?}: use standard or none"))?;
            let area = area
                .read()?
                .ok_or("the town needs its boundary: --area or --area-file")?;
            let profile = TownProfile {
                name,
                center: parse_point(&center).map_err(|e| format!("--center: {e}"))?,
                zoom,
                area,
                allowed_origins: origins(&origin_list)?,
                tile_url: tile_url.trim().into(),
                tile_attribution: attribution,
                privacy_url: privacy_url.trim().into(),
                imprint_url: imprint_url.trim().into(),
                geocoder_url: String::new(),
                response_days,
            };
            check(&profile)?;
            if let Some(email) = &admin {
                if !civickit_model::validate::is_valid_email(email) {
                    return Err(format!("--admin {email:?} is not an e-mail address"));
                }
            }
            if db
                .tenant_by_slug(&slug)
                .await
                .map_err(|e| e.to_string())?
                .is_some()
            {
                return Err(format!("a tenant {slug:?} exists already"));
            }
            add(db, slug, profile, premoderation, template, admin).await
        }
        TenantCommand::Set {
            slug,
            name,
            center,
            zoom,
            area,
            origins: origin_list,
            tile_url,
            attribution,
            privacy_url,
            imprint_url,
            geocoder_url,
            response_days,
            premoderation,
            pow_max_number,
            flag_threshold,
            retention,
            poll_result_step,
            county_stats,
        } => {
            let tenant = tenant_of(db, &slug).await?;
            // Checked before anything is stored, like the other settings.
            let periods = planned_retention(db, &tenant, &retention).await?;
            let range = crate::db::challenges::POW_MAX_NUMBER_RANGE;
            if let Some(n) = pow_max_number.filter(|n| !range.contains(n)) {
                return Err(format!(
                    "--pow-max-number {n}: use {} to {} (default 50000)",
                    range.start(),
                    range.end()
                ));
            }
            if let Some(n) = flag_threshold {
                if !crate::db::flags::FLAG_THRESHOLD_RANGE.contains(&n) {
                    return Err(format!("--flag-threshold must be 1 to 50, not {n}"));
                }
            }
            let steps = crate::db::polls::POLL_RESULT_STEP_RANGE;
            if let Some(n) = poll_result_step.filter(|n| !steps.contains(n)) {
                return Err(format!(
                    "--poll-result-step must be {} to {}, not {n}",
                    steps.start(),
                    steps.end()
                ));
            }
            let county_stats = county_stats
                .map(|v| on_off("--county-stats", &v))
                .transpose()?;
            let mut profile = tenant.profile();
            let premoderation = premoderation
                .map(|v| on_off("--premoderation", &v))
                .transpose()?
                .unwrap_or(tenant.premoderation);
            if let Some(name) = name {
                profile.name = name;
            }
            if let Some(center) = center {
                profile.center = parse_point(&center).map_err(|e| format!("--center: {e}"))?;
            }
            profile.zoom = zoom.unwrap_or(profile.zoom);
            if let Some(area) = area.read()? {
                profile.area = area;
            }
            if let Some(list) = origin_list {
                profile.allowed_origins = origins(&list)?;
            }
            let trimmed = |s: Option<String>| s.map(|s| s.trim().to_string());
            profile.tile_url = trimmed(tile_url).unwrap_or(profile.tile_url);
            profile.tile_attribution = attribution.unwrap_or(profile.tile_attribution);
            profile.privacy_url = trimmed(privacy_url).unwrap_or(profile.privacy_url);
            profile.imprint_url = trimmed(imprint_url).unwrap_or(profile.imprint_url);
            profile.geocoder_url = trimmed(geocoder_url).unwrap_or(profile.geocoder_url);
            profile.response_days = response_days.unwrap_or(profile.response_days);
            check(&profile)?;
            let after = db
                .update_town(tenant.id, &profile, premoderation, &Actor::cli())
                .await
                .map_err(|e| e.to_string())?;
            let (_, changed) = crate::db::town::changed_fields(&tenant.town(), &after.town());
            let mut names: Vec<&String> = changed
                .as_object()
                .map(|m| m.keys().collect())
                .unwrap_or_default();
            let pow_name = "pow_max_number".to_string();
            if let Some(n) = pow_max_number.filter(|n| *n != tenant.pow_max_number) {
                db.set_pow_max_number(tenant.id, n, &Actor::cli())
                    .await
                    .map_err(|e| e.to_string())?;
                names.push(&pow_name);
            }
            // Kept outside the town profile: it belongs to moderation, like photo release.
            let threshold_name = "flag_threshold".to_string();
            if let Some(n) = flag_threshold {
                let before = db
                    .flag_threshold(tenant.id)
                    .await
                    .map_err(|e| e.to_string())?;
                if before != n {
                    db.set_flag_threshold(tenant.id, n, &Actor::cli())
                        .await
                        .map_err(|e| e.to_string())?;
                    names.push(&threshold_name);
                }
            }
            let period_names = match periods {
                Some((before, after)) => {
                    db.set_retention(tenant.id, &after, &Actor::cli())
                        .await
                        .map_err(|e| e.to_string())?;
                    changed_periods(&before, &after)
                }
                None => Vec::new(),
            };
            names.extend(period_names.iter());
            let step_name = "poll_result_step".to_string();
            if let Some(n) = poll_result_step {
                let before = db
                    .poll_result_step(tenant.id)
                    .await
                    .map_err(|e| e.to_string())?;
                if before != n {
                    db.set_poll_result_step(tenant.id, n, &Actor::cli())
                        .await
                        .map_err(|e| e.to_string())?;
                    names.push(&step_name);
                }
            }
            let county_name = "county_stats".to_string();
            if let Some(on) = county_stats {
                let county = crate::db::tenants::TenantNumber::CountyStats;
                let before = db
                    .tenant_number(tenant.id, county)
                    .await
                    .map_err(|e| e.to_string())?;
                if before != i64::from(on) {
                    db.set_tenant_number(tenant.id, county, i64::from(on), &Actor::cli())
                        .await
                        .map_err(|e| e.to_string())?;
                    names.push(&county_name);
                }
            }
            if names.is_empty() {
                println!("{slug}: nothing changed");
            } else {
                let names: Vec<&str> = names.iter().map(|n| n.as_str()).collect();
                println!("{slug}: changed {}", names.join(", "));
            }
            warn_without_privacy(&after);
            Ok(())
        }
    }
}

fn warn_without_privacy(t: &Tenant) {
    if t.privacy_url.is_empty() {
        eprintln!(
            "warning: {} has no privacy notice of its own: the widgets link its generated notice \
             /t/{}/datenschutz, which its admins complete on the office's Datenschutz page, and a \
             town needs its own before citizens send data (DSGVO). Set it with `civickit tenant \
             set --slug {} --privacy-url https://…`.",
            t.slug, t.slug, t.slug
        );
    }
}

async fn add(
    db: &Db,
    slug: String,
    profile: TownProfile,
    premoderation: bool,
    template: Template,
    admin: Option<String>,
) -> Result<(), String> {
    let err = |e: crate::db::DbError| e.to_string();
    let t = db
        .create_tenant(&NewTenant {
            slug,
            name: civickit_model::validate::clean_text(&profile.name),
            center: profile.center,
            zoom: profile.zoom,
            area: profile.area,
            tile_url: profile.tile_url,
            tile_attribution: profile.tile_attribution,
            privacy_url: profile.privacy_url,
            imprint_url: profile.imprint_url,
            allowed_origins: profile.allowed_origins.join(" "),
            premoderation,
            response_days: profile.response_days,
        })
        .await
        .map_err(err)?;
    seed_town(db, &t, template, |_| None).await.map_err(err)?;
    let mut summary = serde_json::to_value(t.town()).expect("a town serialises");
    summary["area"] = json!(format!("{} part(s)", t.area.polygons.len()));
    summary["template"] = json!(format!("{template:?}").to_lowercase());
    db.audit_simple(t.id, &Actor::cli(), "town.add", &json!({}), &summary)
        .await
        .map_err(err)?;
    println!("added tenant {} ({})", t.slug, t.name);
    if let Some(email) = admin {
        let password = crate::secrets::new_secret();
        let user = db
            .create_user(t.id, &email, "", &password, Role::Admin, None)
            .await
            .map_err(err)?;
        db.audit_simple(
            t.id,
            &Actor::cli(),
            "user.add",
            &json!({}),
            &json!({"email": user.email, "role": "admin"}),
        )
        .await
        .map_err(err)?;
        println!("admin: {}", user.email);
        println!("one-time password (shown only now; change it with `civickit user reset-password`): {password}");
    }
    warn_without_privacy(&t);
    Ok(())
}
