//! What a new town starts with, shared by `civickit tenant add` and the demo town: the usual
//! categories routed to the usual departments, the six message kinds and text templates for
//! public notes (the 3-day response promise is the tenant's default). The demo adds its own
//! extras (addresses, polls, sample reports) on top.

use crate::db::audit::Actor;
use crate::db::tenants::Tenant;
use crate::db::{Db, DbError};
use civickit_model::Status;

/// What `civickit tenant add --template` starts a town with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// Categories, departments, message kinds and text templates: ready for citizens.
    Standard,
    /// Nothing: the town adds its own categories and kinds in the office.
    None,
}

impl Template {
    pub fn parse(s: &str) -> Option<Template> {
        match s {
            "standard" => Some(Template::Standard),
            "none" => Some(Template::None),
            _ => None,
        }
    }
}

/// The usual categories of a German town: (code, name, group, department they go to).
pub const CATEGORIES: &[(&str, &str, &str, &str)] = &[
    (
        "strassenbeleuchtung",
        "Straßenbeleuchtung",
        "Straße und Verkehr",
        "Tiefbauamt",
    ),
    (
        "verkehrszeichen",
        "Verkehrszeichen und Lichtsignalanlagen",
        "Straße und Verkehr",
        "Ordnungsamt",
    ),
    ("muell", "Verunreinigungen & Müll", "Sauberkeit", "Bauhof"),
    (
        "spielplaetze",
        "Spielplätze und Sportanlagen",
        "Freizeit",
        "Bauhof",
    ),
    (
        "strassenschaeden",
        "Straßenschäden/Schlaglöcher",
        "Straße und Verkehr",
        "Tiefbauamt",
    ),
    ("sonstiges", "Sonstiges", "Sonstiges", "Bürgerbüro"),
];

/// Text templates for public notes: (title, text, the state they go with).
pub const TEMPLATES: &[(&str, &str, Status)] = &[
    (
        "In Bearbeitung",
        "Vielen Dank für Ihre Meldung. Wir kümmern uns darum.",
        Status::InProgress,
    ),
    (
        "Auftrag erteilt",
        "Der Bauhof ist beauftragt; die Reparatur ist eingeplant.",
        Status::InProgress,
    ),
    (
        "Erledigt",
        "Der Mangel ist behoben. Vielen Dank für Ihren Hinweis!",
        Status::Resolved,
    ),
    (
        "Nicht zuständig",
        "Dafür ist die Gemeinde nicht zuständig; wir haben die zuständige Stelle informiert.",
        Status::Closed,
    ),
];

/// Fills a new town from `template`; `department_email` gives a department's address (by its
/// name), if it has one.
pub async fn seed_town(
    db: &Db,
    tenant: &Tenant,
    template: Template,
    department_email: impl Fn(&str) -> Option<String>,
) -> Result<(), DbError> {
    if template == Template::None {
        return Ok(());
    }
    let mut departments = std::collections::HashMap::new();
    for (position, (code, name, group, department)) in CATEGORIES.iter().enumerate() {
        let department_id = match departments.get(department) {
            Some(id) => *id,
            None => {
                let email = department_email(department);
                let id = db
                    .add_department(tenant.id, department, email.as_deref())
                    .await?;
                departments.insert(*department, id);
                id
            }
        };
        db.add_category(
            tenant.id,
            code,
            name,
            "",
            group,
            Some(department_id),
            position as i64,
        )
        .await?;
    }
    for (position, (code, name, _)) in civickit_model::mailbox::DEFAULT_KINDS.iter().enumerate() {
        db.add_message_kind(tenant.id, code, name, position as i64)
            .await?;
    }
    for (title, body, status) in TEMPLATES {
        db.add_template(tenant.id, title, body, Some(*status), &Actor::system())
            .await?;
    }
    Ok(())
}
