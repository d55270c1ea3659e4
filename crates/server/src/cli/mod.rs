//! The command line: `civickit serve` plus admin chores (migrations, reports, retention, polls);
//! towns in `tenant.rs` (and `show.rs`), officials and API keys in `accounts.rs`, the privacy
//! inventory in `privacy.rs`.

mod accounts;
mod bench;
mod places;
mod polls;
mod privacy;
mod retention;
mod show;
mod tenant;

use crate::config::{FileSettings, DEFAULT_DATABASE, DEFAULT_LISTEN, DEFAULT_SHUTDOWN_TIMEOUT};
use crate::db::Db;
use crate::http::{AppState, ForwardedHeader, TrustedProxies};
use crate::{demo, serve};
use civickit_model::{CloseReason, Status};
use clap::{Args, Parser, Subcommand};
use ipnet::IpNet;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use tenant::TenantCommand;

#[derive(Parser)]
#[command(
    name = "civickit",
    version,
    about = "civickit: participation widgets for municipal websites"
)]
struct Cli {
    /// TOML settings file (keys: listen, database_url, dist, public_url, smtp_url, mail_from,
    /// trusted_proxies, forwarded_header, and the [limits] and [abuse] tables)
    #[arg(long, global = true, env = "CIVICKIT_CONFIG")]
    config: Option<PathBuf>,
    /// sqlite://FILE (default sqlite://civickit.db) or postgres://USER@HOST/DB
    #[arg(long, global = true, env = "CIVICKIT_DATABASE_URL")]
    database: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once at start-up
enum Command {
    /// Serve the widget API, Open311, the widget bundle and (with --demo) the demo town.
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate,
    /// Copy the running SQLite database, photos included, into a new file (PostgreSQL: prints
    /// the pg_dump and pg_restore commands).
    Backup {
        /// The new backup file; an existing file is never overwritten
        #[arg(long)]
        to: PathBuf,
    },
    /// Restore a backup made by `civickit backup` into a new or empty SQLite database, then
    /// migrate it. Stop the server on that database first.
    Restore {
        #[arg(long)]
        from: PathBuf,
    },
    /// Manage towns (tenants): add, set, show, list.
    #[command(subcommand)]
    Tenant(TenantCommand),
    /// A town's addresses and streets from open data: import, show.
    #[command(subcommand)]
    Places(places::PlacesCommand),
    /// Manage Open311 API keys: add, list, revoke.
    #[command(subcommand)]
    Apikey(ApikeyCommand),
    /// Work on reports from the command line.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Manage officials' accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// DSGVO retention: erase personal data whose time is up (also runs daily inside serve).
    #[command(subcommand)]
    Retention(retention::RetentionCommand),
    /// DSGVO: what personal data each town holds (inventory).
    #[command(subcommand)]
    Privacy(privacy::PrivacyCommand),
    /// Ballot secrecy after a poll: vacuum.
    #[command(subcommand)]
    Polls(polls::PollsCommand),
    /// For `cargo xtask bench`: fill a tenant with synthetic reports (not for production data).
    #[command(hide = true)]
    BenchSeed {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        reports: u64,
    },
    /// For `cargo xtask bench --postgres`: create (anew) or drop the database of --database.
    #[command(hide = true)]
    BenchDatabase {
        #[arg(value_enum)]
        action: bench::DatabaseAction,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add an official; prints a generated password unless --password-stdin is given.
    Add {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "")]
        name: String,
        /// admin (settings, users, all reports) or editor (reports of one department)
        #[arg(long)]
        role: String,
        /// The department an editor works for (its name)
        #[arg(long)]
        department: Option<String>,
        /// Read the password from standard input instead of generating one
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password (generated unless --password-stdin) and end the user's sessions.
    ResetPassword {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// List the officials of a tenant.
    List {
        #[arg(long)]
        tenant: String,
    },
    /// Disable an official (or enable again with --enable); ends their sessions.
    Disable {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        enable: bool,
    },
}

#[derive(Subcommand)]
enum ApikeyCommand {
    /// Create an Open311 API key for a tenant and print it (only this once).
    Add {
        #[arg(long)]
        tenant: String,
        #[arg(long, default_value = "open311")]
        label: String,
    },
    /// List a tenant's API keys: id, label and creation date (the keys themselves are not kept).
    List {
        #[arg(long)]
        tenant: String,
    },
    /// Revoke an API key by its id (see `apikey list`); clients using it are refused at once.
    Revoke {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        id: i64,
    },
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on (port 0 picks a free port)
    #[arg(long, env = "CIVICKIT_LISTEN")]
    listen: Option<String>,
    /// Serve the widget bundle, demo page and office from this folder (as `cargo xtask build`
    /// leaves it in target/dist) instead of the copy built into the binary: for development
    #[arg(long, env = "CIVICKIT_DIST")]
    dist: Option<PathBuf>,
    /// Public base URL when behind a proxy, e.g. https://beteiligung.example.de
    #[arg(long, env = "CIVICKIT_PUBLIC_URL")]
    public_url: Option<String>,
    /// SMTP server for citizen mail: smtp://host:port, smtp://host:587?tls=required, smtps://user:pass@host
    #[arg(long, env = "CIVICKIT_SMTP_URL")]
    smtp_url: Option<String>,
    /// Sender address of citizen mail
    #[arg(long, env = "CIVICKIT_MAIL_FROM")]
    mail_from: Option<String>,
    /// A reverse proxy whose forwarding header names the client: CIDR range or single address
    /// (repeatable; the environment takes a comma list)
    #[arg(long = "trusted-proxy", value_name = "CIDR", env = "CIVICKIT_TRUSTED_PROXIES", value_delimiter = ',',
          value_parser = TrustedProxies::parse_range)]
    trusted_proxies: Vec<IpNet>,
    /// The header trusted proxies set: x-forwarded-for (default) or forwarded (RFC 7239)
    #[arg(long, env = "CIVICKIT_FORWARDED_HEADER", value_enum)]
    forwarded_header: Option<ForwardedHeader>,
    /// Seed the demo town Musterstadt if absent; print an Open311 API key and office logins
    #[arg(long)]
    demo: bool,
    /// With --demo, when the town is first made: also a year of reports and messages for the
    /// statistics (on, default); off: only the dozen sample reports (the browser tests' town)
    #[arg(long, default_value = "on", value_parser = on_off, action = clap::ArgAction::Set)]
    demo_history: bool,
    /// Seconds to let requests in flight finish on SIGTERM before exiting (default 10)
    #[arg(long, env = "CIVICKIT_SHUTDOWN_TIMEOUT")]
    shutdown_timeout: Option<u64>,
}

#[derive(Subcommand)]
enum ReportCommand {
    /// Change a report's state with a public note.
    SetStatus {
        #[arg(long)]
        tenant: String,
        #[arg(long = "ref")]
        reference: String,
        /// received, in_progress, resolved or closed
        #[arg(long)]
        status: String,
        /// For closed: duplicate, not_responsible, not_fixable or other
        #[arg(long)]
        reason: Option<String>,
        #[arg(long)]
        note: String,
    },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("CIVICKIT_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("civickit: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Flag or environment, else the settings file; none by default.
fn trusted_proxies(
    ranges: Vec<IpNet>,
    header: Option<ForwardedHeader>,
    file_ranges: Option<Vec<String>>,
    file_header: Option<ForwardedHeader>,
) -> Result<TrustedProxies, String> {
    let ranges = if ranges.is_empty() {
        file_ranges
            .iter()
            .flatten()
            .map(|r| TrustedProxies::parse_range(r).map_err(|e| format!("config file: {e}")))
            .collect::<Result<Vec<_>, _>>()?
    } else {
        ranges
    };
    let header = header.or(file_header).unwrap_or_default();
    if !ranges.is_empty() {
        tracing::info!("trusting the {header:?} header from {ranges:?}");
    }
    Ok(TrustedProxies::new(ranges, header))
}

async fn run(cli: Cli) -> Result<(), String> {
    let file = FileSettings::load(cli.config.as_deref())?;
    let database = cli
        .database
        .or(file.database_url.clone())
        .unwrap_or_else(|| DEFAULT_DATABASE.into());
    // These two work on files and must not create or migrate a database on the way.
    match &cli.command {
        Command::Backup { to } => return crate::backup::backup(&database, to).await,
        Command::Restore { from } => return crate::backup::restore(&database, from).await,
        Command::BenchDatabase { action } => return bench::database(&database, *action).await,
        _ => {}
    }
    // The static files before the database: a wrong `--dist` is refused before anything is
    // created or migrated.
    let assets = match &cli.command {
        Command::Serve(args) => Some(match args.dist.as_ref().or(file.dist.as_ref()) {
            Some(dir) => crate::http::assets::Assets::from_dir(dir)?,
            None => crate::http::assets::Assets::embedded(),
        }),
        _ => None,
    };
    let db = Db::connect(&database)
        .await
        .map_err(|e| format!("cannot open database {database}: {e}"))?;
    db.migrate()
        .await
        .map_err(|e| format!("migrating {database}: {e}"))?;
    match cli.command {
        Command::Backup { .. } | Command::Restore { .. } | Command::BenchDatabase { .. } => {
            unreachable!("handled above")
        }
        Command::Migrate => {
            println!("database {database} is up to date");
            Ok(())
        }
        Command::Serve(args) => {
            let listen = args
                .listen
                .or(file.listen)
                .unwrap_or_else(|| DEFAULT_LISTEN.into());
            let assets = assets.expect("loaded above for serve");
            if args.demo {
                let tenant = demo::seed(&db).await.map_err(|e| e.to_string())?;
                let missing = demo::history::missing(&db, &tenant)
                    .await
                    .map_err(|e| e.to_string())?;
                if missing && args.demo_history {
                    println!("seeding a year of Musterstadt's history for the statistics …");
                    demo::history::seed(&db, &tenant, crate::db::now())
                        .await
                        .map_err(|e| e.to_string())?;
                }
                let key = db
                    .create_api_key(tenant.id, "demo")
                    .await
                    .map_err(|e| e.to_string())?;
                println!("Open311 API key for {}: {key}", tenant.slug);
                for (email, role, password) in demo::officials(&db, &tenant)
                    .await
                    .map_err(|e| e.to_string())?
                {
                    println!("Office login ({role}): {email} / {password}");
                }
                let codes = demo::fresh_codes(&db, &tenant, 5)
                    .await
                    .map_err(|e| e.to_string())?;
                println!(
                    "Invitation codes for the poll '{}': {}",
                    demo::CODE_POLL,
                    codes.join(" ")
                );
            }
            announce_assets(&assets);
            // An environment variable or the settings file, never a flag: flags show in `ps`.
            let metrics_token = std::env::var("CIVICKIT_METRICS_TOKEN")
                .ok()
                .or(file.metrics_token)
                .filter(|t| !t.is_empty());
            if let Some(token) = &metrics_token {
                crate::config::check_metrics_token(token)?;
            }
            let grace = std::time::Duration::from_secs(
                args.shutdown_timeout
                    .or(file.shutdown_timeout)
                    .unwrap_or(DEFAULT_SHUTDOWN_TIMEOUT),
            );
            let stop = tokio_util::sync::CancellationToken::new();
            let mut workers = tokio::task::JoinSet::new();
            let mail_wake = Arc::new(tokio::sync::Notify::new());
            match args.smtp_url.or(file.smtp_url) {
                Some(url) => {
                    let from = args
                        .mail_from
                        .or(file.mail_from)
                        .unwrap_or_else(|| "civickit <noreply@localhost>".into());
                    let mailer = crate::mail::Mailer::new(&url, &from)?;
                    workers.spawn(crate::mail::run_worker(
                        db.clone(),
                        mailer,
                        mail_wake.clone(),
                        stop.clone(),
                    ));
                }
                None => tracing::warn!(
                    "no SMTP server configured (--smtp-url): citizen mail is queued but not sent"
                ),
            }
            let form_key = db
                .server_secret("form-token-key")
                .await
                .map_err(|e| e.to_string())?;
            workers.spawn(crate::retention_loop(db.clone(), stop.clone()));
            let trusted_proxies = trusted_proxies(
                args.trusted_proxies,
                args.forwarded_header,
                file.trusted_proxies,
                file.forwarded_header,
            )?;
            let state = Arc::new(AppState {
                db: db.clone(),
                assets,
                public_url: args.public_url.or(file.public_url),
                mail_wake,
                limiter: crate::limits::RateLimiter::for_db(file.limits, &db),
                trusted_proxies,
                form_key,
                pow: crate::pow::Pow::new(abuse_settings(file.abuse)?),
                metrics: crate::metrics::Metrics::new(metrics_token),
                stats: Default::default(),
            });
            tokio::spawn(crate::forget_idle_limit_keys(state.clone()));
            match db.backend {
                // The listener reads the index once it hears the others (see db/listen.rs).
                crate::db::Backend::Postgres => {
                    workers.spawn(crate::db::listen::run(
                        db.clone(),
                        database.clone(),
                        stop.clone(),
                    ));
                }
                crate::db::Backend::Sqlite => {
                    workers.spawn(crate::db::listen::follow_log(db.clone(), stop.clone()));
                }
            }
            let served = serve(state, &listen, shutdown_signal(), grace)
                .await
                .map_err(|e| format!("serving on {listen}: {e}"));
            // Then the background workers: each finishes the step it is in (a mail being
            // sent, a retention run) within the same bound, and the pool closes, which also
            // checkpoints SQLite's WAL into the database file.
            stop.cancel();
            let drained = tokio::time::timeout(grace, async {
                while workers.join_next().await.is_some() {}
            })
            .await;
            if drained.is_err() {
                tracing::warn!("background work still running after {grace:?} was cut off");
            }
            // Requests cut off above may still hold a connection; do not wait for them.
            let _ = tokio::time::timeout(std::time::Duration::from_secs(5), db.pool.close()).await;
            tracing::info!("stopped");
            served
        }
        Command::Tenant(command) => tenant::run(&db, command).await,
        Command::Places(command) => places::run(&db, command).await,
        Command::Polls(command) => polls::run(&db, command).await,
        Command::Apikey(command) => accounts::apikey_command(&db, command).await,
        Command::User(command) => accounts::user_command(&db, command).await,
        Command::Privacy(command) => privacy::run(&db, command).await,
        Command::BenchSeed { tenant, reports } => bench::seed(&db, &tenant, reports).await,
        Command::Retention(command) => retention::run(&db, command).await,
        Command::Report(ReportCommand::SetStatus {
            tenant,
            reference,
            status,
            reason,
            note,
        }) => {
            let t = db
                .tenant_by_slug(&tenant)
                .await
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("no tenant {tenant:?}"))?;
            let status =
                Status::parse(&status).ok_or_else(|| format!("unknown status {status:?}"))?;
            let reason = reason
                .map(|r| CloseReason::parse(&r).ok_or_else(|| format!("unknown reason {r:?}")))
                .transpose()?;
            let r = db
                .change_status(t.id, &reference, status, reason, &note)
                .await
                .map_err(|e| format!("{reference}: {e}"))?;
            println!("{} is now {}", r.reference, r.status.as_str());
            Ok(())
        }
    }
}

/// Says where the static files come from; a binary built without `cargo xtask build` has no
/// widgets, which an operator must hear about at start rather than from a town's webmaster.
fn announce_assets(assets: &crate::http::assets::Assets) {
    use crate::http::assets::Source;
    let from = match &assets.source {
        Source::Embedded => "built into the binary".to_string(),
        Source::Folder(dir) => format!("from {} (--dist)", dir.display()),
    };
    if assets.has_bundle() {
        tracing::info!("serving {} static files {from}", assets.len());
    } else {
        tracing::warn!(
            "no widget bundle {from}: /widgets/, the demo page and the office page answer 404 \
             (the APIs work); build with `cargo xtask build`, which embeds the bundle"
        );
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

/// The `[abuse]` table, with `CIVICKIT_ABUSE_MIN_FILL_SECONDS` over its `min_fill_seconds`
/// (tests and load tests run the real binary with 0).
fn abuse_settings(
    mut settings: crate::pow::AbuseSettings,
) -> Result<crate::pow::AbuseSettings, String> {
    if let Ok(value) = std::env::var("CIVICKIT_ABUSE_MIN_FILL_SECONDS") {
        let seconds = value.trim().parse().map_err(|_| {
            format!("CIVICKIT_ABUSE_MIN_FILL_SECONDS: {value:?} is not a whole number of seconds")
        })?;
        settings.min_fill_seconds = Some(seconds);
    }
    settings.check()?;
    Ok(settings)
}

/// `on` or `off` (also true/yes, false/no) as a flag's value, for clap and for the settings
/// `tenant set` checks itself (`tenant::on_off`, which names the flag).
pub(crate) fn on_off(value: &str) -> Result<bool, String> {
    match value {
        "on" | "true" | "yes" => Ok(true),
        "off" | "false" | "no" => Ok(false),
        _ => Err(format!("{value:?}: use on or off")),
    }
}
