//! The demo town Musterstadt: seeded by `civickit serve --demo` if absent, so that the demo page
//! shows a lived-in map and Open311 clients have something to read.

pub mod history;

use crate::db::tenants::{NewTenant, Tenant};
use crate::db::{now, Db, DbError};
use crate::intake::submit_report;
use crate::seed::{seed_town, Template};
use civickit_model::{Area, CloseReason, LatLng, NewReport, Status};

pub const SLUG: &str = "musterstadt";
pub const CENTER: LatLng = LatLng {
    lat: 50.5520,
    lng: 9.6770,
};

pub fn area() -> Area {
    // An irregular town boundary about 5 km across.
    let ring = [
        (50.5700, 9.6500),
        (50.5740, 9.6800),
        (50.5660, 9.7080),
        (50.5480, 9.7120),
        (50.5330, 9.6950),
        (50.5310, 9.6620),
        (50.5440, 9.6430),
    ];
    Area::new(
        ring.iter()
            .map(|&(lat, lng)| LatLng::new(lat, lng))
            .collect(),
    )
}

/// (category, lat offset, lng offset, description, days ago, final state, public note)
type Sample = (
    &'static str,
    f64,
    f64,
    &'static str,
    i64,
    Status,
    &'static str,
);
const SAMPLES: &[Sample] = &[
    (
        "strassenbeleuchtung",
        0.0012,
        -0.0021,
        "Laterne vor Hausnummer 56 in der Lindenstraße ist seit Tagen dunkel.",
        2,
        Status::Received,
        "",
    ),
    (
        "strassenschaeden",
        -0.0030,
        0.0040,
        "Tiefes Schlagloch auf dem Radweg an der Bahnhofstraße, gefährlich bei Dunkelheit.",
        5,
        Status::InProgress,
        "Der Bauhof ist informiert, die Reparatur ist für nächste Woche geplant.",
    ),
    (
        "muell",
        0.0045,
        0.0015,
        "Wilder Müll (Sperrmüll und Säcke) am Parkplatz Waldweg.",
        9,
        Status::Resolved,
        "Der Müll wurde am Dienstag vom Bauhof entfernt. Danke für den Hinweis!",
    ),
    (
        "verkehrszeichen",
        -0.0011,
        -0.0052,
        "Stoppschild an der Kreuzung Kirchweg/Mühlgasse ist umgeknickt.",
        1,
        Status::Received,
        "",
    ),
    (
        "spielplaetze",
        0.0020,
        0.0062,
        "Schaukel auf dem Spielplatz Am Anger hat eine gerissene Kette.",
        14,
        Status::InProgress,
        "Die Schaukel ist gesperrt, Ersatzteile sind bestellt.",
    ),
    (
        "strassenbeleuchtung",
        -0.0052,
        -0.0010,
        "Straßenlampe am Friedhof flackert die ganze Nacht.",
        21,
        Status::Resolved,
        "Das Leuchtmittel wurde getauscht.",
    ),
    (
        "sonstiges",
        0.0060,
        -0.0070,
        "Parkbank am Teich ist beschmiert.",
        30,
        Status::Closed,
        "Die Bank steht auf privatem Grund; wir haben den Eigentümer informiert.",
    ),
    (
        "strassenschaeden",
        0.0001,
        0.0001,
        "Gullydeckel am Marktplatz klappert laut bei jeder Überfahrt.",
        3,
        Status::Received,
        "",
    ),
    (
        "muell",
        -0.0072,
        0.0051,
        "Überquellender Papierkorb an der Bushaltestelle Schulstraße.",
        6,
        Status::InProgress,
        "Die Leerung wurde beauftragt.",
    ),
    (
        "verkehrszeichen",
        0.0035,
        -0.0040,
        "Ampel Hauptstraße/Bahnhofstraße zeigt für Fußgänger dauerhaft Rot.",
        12,
        Status::Resolved,
        "Die Steuerung wurde repariert.",
    ),
    (
        "strassenbeleuchtung",
        -0.0025,
        0.0085,
        "Laterne im Wohngebiet Sonnenhang leuchtet auch tagsüber.",
        40,
        Status::Closed,
        "Doppelte Meldung, bereits unter einer anderen Nummer in Bearbeitung.",
    ),
    (
        "spielplaetze",
        0.0052,
        0.0030,
        "Basketballkorb am Sportplatz hängt schief.",
        4,
        Status::Received,
        "",
    ),
];

pub fn new_tenant() -> NewTenant {
    NewTenant {
        slug: SLUG.into(),
        name: "Musterstadt".into(),
        center: CENTER,
        zoom: 15,
        area: area(),
        tile_url: "/tiles/{z}/{x}/{y}.svg".into(),
        tile_attribution: "Demo-Karte: civickit (keine echten Geodaten)".into(),
        privacy_url: "/demo/datenschutz.html".into(),
        imprint_url: String::new(),
        allowed_origins: "*".into(),
        premoderation: false,
        response_days: 3,
    }
}

/// Seeds Musterstadt unless it exists; returns the tenant either way.
pub async fn seed(db: &Db) -> Result<Tenant, DbError> {
    if let Some(t) = db.tenant_by_slug(SLUG).await? {
        // A demo database from before the demo had addresses gets them now.
        if db.place_import(t.id).await?.is_none() {
            seed_places(db, &t).await?;
        }
        return Ok(t);
    }
    let tenant = db.create_tenant(&new_tenant()).await?;
    // Before the sample reports, so they get their addresses like a citizen's report would.
    seed_places(db, &tenant).await?;
    // The demo's departments have addresses, so forwarding can be tried out.
    let email = |dept: &str| {
        let local = dept.to_lowercase().replace('ü', "ue");
        Some(format!("{local}@musterstadt.example"))
    };
    seed_town(db, &tenant, Template::Standard, email).await?;
    seed_polls(db, &tenant).await?;
    for (category, dlat, dlng, description, days_ago, state, note) in SAMPLES {
        let new = NewReport {
            category: (*category).into(),
            position: Some(LatLng::new(CENTER.lat + dlat, CENTER.lng + dlng)),
            address: None,
            description: (*description).into(),
            email: None,
        };
        let created = match submit_report(db, &tenant, &new, "", civickit_model::Lang::De).await {
            Ok(c) => c,
            Err(crate::intake::IntakeError::Db(e)) => return Err(e),
            Err(crate::intake::IntakeError::Invalid(errors)) => {
                panic!("demo sample {description:?} is invalid: {errors:?}")
            }
        };
        let reference = created.report.reference;
        // An hour short of whole days, so no sample sits exactly on the overdue boundary.
        db.backdate_report(tenant.id, &reference, now() - days_ago * 86_400 + 3600)
            .await?;
        if *state != Status::Received {
            let reason = (*state == Status::Closed).then_some(if note.starts_with("Doppelte") {
                CloseReason::Duplicate
            } else {
                CloseReason::NotResponsible
            });
            db.change_status(tenant.id, &reference, *state, reason, note)
                .await
                .map_err(|e| DbError::Protocol(format!("demo seed: {e}")))?;
        }
    }
    Ok(tenant)
}

async fn seed_places(db: &Db, tenant: &Tenant) -> Result<(), DbError> {
    let places = crate::places::demo::demo_places(&tenant.area);
    db.replace_places(tenant.id, &places, "demo (generated)")
        .await
        .map(drop)
}

/// The demo's officials: an admin and an editor of the Bauhof. Their passwords are new on every
/// start (and printed), so a demo left running somewhere has no well-known login.
pub async fn officials(
    db: &Db,
    tenant: &Tenant,
) -> Result<Vec<(String, &'static str, String)>, DbError> {
    use crate::db::users::Role;
    let bauhof = db.department_by_name(tenant.id, "Bauhof").await?;
    let mut logins = Vec::new();
    for (email, name, role, department) in [
        ("admin@musterstadt.example", "Anna Admin", Role::Admin, None),
        (
            "bauhof@musterstadt.example",
            "Bernd Bauhof",
            Role::Editor,
            bauhof,
        ),
    ] {
        let password = crate::secrets::new_secret()[..16].to_string();
        match db.user_by_email(tenant.id, email).await? {
            Some(user) => {
                db.set_password(tenant.id, user.id, &password).await?;
            }
            None => {
                db.create_user(tenant.id, email, name, &password, role, department)
                    .await?;
            }
        }
        logins.push((email.to_string(), role.as_str(), password));
    }
    Ok(logins)
}

pub const OPEN_POLL: &str = "sitzbaenke";
pub const CODE_POLL: &str = "spielplatz";

async fn seed_polls(db: &Db, tenant: &Tenant) -> Result<(), DbError> {
    use crate::db::audit::Actor;
    use crate::db::polls::{NewPoll, NewQuestion};
    use civickit_model::poll::{PollMode, QuestionKind, Visibility};
    let opens_at = now() - 86_400;
    let closes_at = now() + 30 * 86_400;
    let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    db.create_poll(
        tenant.id,
        &NewPoll {
            slug: Some(OPEN_POLL.into()),
            title: "Stimmungsbild: Neue Sitzbänke am Dorfplatz?".into(),
            description: "Der Ortsbeirat überlegt, drei Sitzbänke im Schatten der Linde aufzustellen. Wie sehen Sie das?".into(),
            mode: PollMode::Open,
            visibility: Visibility::AfterVoting,
            opens_at,
            closes_at,
            questions: vec![NewQuestion {
                text: "Sollen am Dorfplatz neue Sitzbänke aufgestellt werden?".into(),
                kind: QuestionKind::Single,
                min_choices: 1,
                max_choices: 1,
                options: strings(&["Ja", "Nein", "Ist mir egal"]),
            }],
        },
        &Actor::system(),
    )
    .await?;
    db.create_poll(
        tenant.id,
        &NewPoll {
            slug: Some(CODE_POLL.into()),
            title: "Abstimmung: Der neue Spielplatz Am Anger".into(),
            description: "Alle Haushalte haben einen persönlichen Code erhalten. Jeder Code gilt für eine Stimme.".into(),
            mode: PollMode::Codes,
            visibility: Visibility::Live,
            opens_at,
            closes_at,
            questions: vec![
                NewQuestion {
                    text: "Welche Spielgeräte wünschen Sie sich? (ein oder zwei)".into(),
                    kind: QuestionKind::Multiple,
                    min_choices: 1,
                    max_choices: 2,
                    options: strings(&["Kletterturm", "Wasserspielplatz", "Sandkasten mit Bagger", "Seilbahn"]),
                },
                NewQuestion {
                    text: "Soll der Spielplatz abends beleuchtet werden?".into(),
                    kind: QuestionKind::Single,
                    min_choices: 1,
                    max_choices: 1,
                    options: strings(&["Ja", "Nein"]),
                },
            ],
        },
        &Actor::system(),
    )
    .await?;
    Ok(())
}

/// Fresh invitation codes for the demo's code poll, printed at every start (only their hashes
/// are stored, so earlier ones cannot be shown again).
pub async fn fresh_codes(db: &Db, tenant: &Tenant, count: usize) -> Result<Vec<String>, DbError> {
    let poll = db
        .poll(tenant.id, CODE_POLL)
        .await?
        .ok_or(DbError::RowNotFound)?;
    db.generate_codes(tenant.id, &poll, count, &crate::db::audit::Actor::system())
        .await
}

/// A county-sized tenant (about 28 × 44 km) for `cargo xtask bench`: a million reports there
/// have the density of a real district, where Musterstadt's 5 km would be the worst case.
pub const BENCH_COUNTY: &str = "landkreis";

pub async fn seed_county(db: &Db) -> Result<Tenant, DbError> {
    if let Some(t) = db.tenant_by_slug(BENCH_COUNTY).await? {
        return Ok(t);
    }
    let mut t = new_tenant();
    t.slug = BENCH_COUNTY.into();
    t.name = "Landkreis (Benchmark)".into();
    t.area = Area::new(vec![
        LatLng::new(50.35, 9.38),
        LatLng::new(50.35, 9.98),
        LatLng::new(50.75, 9.98),
        LatLng::new(50.75, 9.38),
    ]);
    let tenant = db.create_tenant(&t).await?;
    seed_town(db, &tenant, Template::Standard, |_| None).await?;
    Ok(tenant)
}
