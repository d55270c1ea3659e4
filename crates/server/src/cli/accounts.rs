//! `civickit user …` and `civickit apikey …`: officials' accounts and Open311 API keys. Every
//! change is audited as done by the command line; a stored key or password is never shown
//! again (only hashes are kept).

use super::tenant::tenant_of;
use super::{ApikeyCommand, UserCommand};
use crate::db::audit::Actor;
use crate::db::users::{Role, MIN_PASSWORD_CHARS};
use crate::db::Db;
use serde_json::json;

fn read_password(from_stdin: bool) -> Result<(String, bool), String> {
    if !from_stdin {
        return Ok((crate::secrets::new_secret(), true));
    }
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| format!("reading the password: {e}"))?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(format!(
            "the password needs at least {MIN_PASSWORD_CHARS} characters"
        ));
    }
    Ok((password, false))
}

/// `2026-12-02` for a unix time.
fn date(unix: i64) -> String {
    crate::http::rfc3339(unix)
        .split('T')
        .next()
        .unwrap_or_default()
        .to_string()
}

pub async fn user_command(db: &Db, command: UserCommand) -> Result<(), String> {
    let err = |e: crate::db::DbError| e.to_string();
    let audit = |tenant_id: i64, action: &'static str, after: serde_json::Value| async move {
        db.audit_simple(tenant_id, &Actor::cli(), action, &json!({}), &after)
            .await
            .map_err(|e| e.to_string())
    };
    match command {
        UserCommand::Add {
            tenant,
            email,
            name,
            role,
            department,
            password_stdin,
        } => {
            let t = tenant_of(db, &tenant).await?;
            let role =
                Role::parse(&role).ok_or_else(|| format!("role {role:?}: use admin or editor"))?;
            if !civickit_model::validate::is_valid_email(&email) {
                return Err(format!("{email:?} is not an e-mail address"));
            }
            let department_id = match (&department, role) {
                (Some(name), _) => Some(
                    db.department_by_name(t.id, name)
                        .await
                        .map_err(err)?
                        .ok_or_else(|| format!("no department {name:?} in {}", t.slug))?,
                ),
                (None, Role::Editor) => return Err("an editor needs --department".into()),
                (None, Role::Admin) => None,
            };
            let (password, generated) = read_password(password_stdin)?;
            let user = db
                .create_user(t.id, &email, &name, &password, role, department_id)
                .await
                .map_err(|e| format!("adding {email}: {e}"))?;
            audit(
                t.id,
                "user.add",
                json!({"email": user.email, "role": role.as_str()}),
            )
            .await?;
            println!("added {} ({}) to {}", user.email, role.as_str(), t.slug);
            if generated {
                println!("password: {password}");
            }
            Ok(())
        }
        UserCommand::ResetPassword {
            tenant,
            email,
            password_stdin,
        } => {
            let t = tenant_of(db, &tenant).await?;
            let user = db
                .user_by_email(t.id, &email)
                .await
                .map_err(err)?
                .ok_or_else(|| format!("no user {email:?} in {}", t.slug))?;
            let (password, generated) = read_password(password_stdin)?;
            db.set_password(t.id, user.id, &password)
                .await
                .map_err(err)?;
            audit(t.id, "user.reset_password", json!({"email": user.email})).await?;
            println!("new password set for {}; all sessions ended", user.email);
            if generated {
                println!("password: {password}");
            }
            Ok(())
        }
        UserCommand::List { tenant } => {
            let t = tenant_of(db, &tenant).await?;
            for u in db.users(t.id).await.map_err(err)? {
                println!(
                    "{}\t{}{}",
                    u.email,
                    u.role.as_str(),
                    if u.disabled { "\tdisabled" } else { "" }
                );
            }
            Ok(())
        }
        UserCommand::Disable {
            tenant,
            email,
            enable,
        } => {
            let t = tenant_of(db, &tenant).await?;
            let user = db
                .user_by_email(t.id, &email)
                .await
                .map_err(err)?
                .ok_or_else(|| format!("no user {email:?} in {}", t.slug))?;
            db.set_user_disabled(t.id, user.id, !enable)
                .await
                .map_err(err)?;
            audit(
                t.id,
                "user.disabled",
                json!({"email": user.email, "disabled": !enable}),
            )
            .await?;
            if enable {
                println!("{} may log in again", user.email);
            } else {
                println!("{} is disabled; their sessions ended", user.email);
            }
            Ok(())
        }
    }
}

pub async fn apikey_command(db: &Db, command: ApikeyCommand) -> Result<(), String> {
    let err = |e: crate::db::DbError| e.to_string();
    match command {
        ApikeyCommand::Add { tenant, label } => {
            let t = tenant_of(db, &tenant).await?;
            let key = db.create_api_key(t.id, &label).await.map_err(err)?;
            db.audit_simple(
                t.id,
                &Actor::cli(),
                "apikey.add",
                &json!({}),
                &json!({"label": label}),
            )
            .await
            .map_err(err)?;
            println!("Open311 API key for {}: {key}", t.slug);
            Ok(())
        }
        ApikeyCommand::List { tenant } => {
            let t = tenant_of(db, &tenant).await?;
            println!("id\tcreated\t\tlabel");
            for key in db.api_keys(t.id).await.map_err(err)? {
                println!("{}\t{}\t{}", key.id, date(key.created_at), key.label);
            }
            Ok(())
        }
        ApikeyCommand::Revoke { tenant, id } => {
            let t = tenant_of(db, &tenant).await?;
            let key = db
                .revoke_api_key(t.id, id, &Actor::cli())
                .await
                .map_err(err)?
                .ok_or_else(|| {
                    format!("no API key {id} in {} (see `civickit apikey list`)", t.slug)
                })?;
            println!("revoked API key {id} ({}) of {}", key.label, t.slug);
            Ok(())
        }
    }
}
