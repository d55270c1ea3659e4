//! Officials, their sessions and login throttling.
//!
//! Passwords are argon2id hashes. Session tokens and CSRF tokens are random; only the session
//! token's SHA-256 is stored, so a database dump does not hand out live sessions.

use super::{flag, now, Db, DbError};
use crate::limits::{Limits, Rate};
use crate::secrets::{hash_secret, new_secret};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use sqlx::any::AnyRow;
use sqlx::Row;
use std::time::Duration;

pub const SESSION_SECONDS: i64 = 12 * 3600;
pub const MIN_PASSWORD_CHARS: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Tenant settings, categories, departments, users, templates, audit log, every report.
    Admin,
    /// Works the reports (and messages) of their own department.
    Editor,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Editor => "editor",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "editor" => Some(Role::Editor),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub tenant_id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub department_id: Option<i64>,
    pub disabled: bool,
}

#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
    pub expires_at: i64,
}

pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashes any password")
        .to_string()
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to verify against when the account does not exist, so that a wrong e-mail address
/// takes as long as a wrong password and does not reveal which accounts exist.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("no account has this password"))
}

const USER_COLUMNS: &str = "id, tenant_id, email, name, role, department_id, disabled";

fn user_from_row(row: &AnyRow) -> Result<User, DbError> {
    let role: String = row.try_get("role")?;
    Ok(User {
        id: row.try_get("id")?,
        tenant_id: row.try_get("tenant_id")?,
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        role: Role::parse(&role)
            .ok_or_else(|| DbError::Decode(format!("unknown role {role:?}").into()))?,
        department_id: row.try_get("department_id")?,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
    })
}

pub enum LoginOutcome {
    Ok {
        token: String,
        session: Session,
    },
    WrongCredentials,
    /// Too many failures for the account or the address; try again after `retry_after`.
    Throttled {
        retry_after: Duration,
    },
}

impl Db {
    pub async fn create_user(
        &self,
        tenant_id: i64,
        email: &str,
        name: &str,
        password: &str,
        role: Role,
        department_id: Option<i64>,
    ) -> Result<User, DbError> {
        let id: i64 = sqlx::query(
            "INSERT INTO users (tenant_id, email, name, password_hash, role, department_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(tenant_id)
        .bind(email.trim().to_lowercase())
        .bind(name)
        .bind(hash_password(password))
        .bind(role.as_str())
        .bind(department_id)
        .bind(now())
        .fetch_one(&self.pool)
        .await?
        .try_get("id")?;
        Ok(self
            .user(tenant_id, id)
            .await?
            .expect("the user just inserted"))
    }

    pub async fn user(&self, tenant_id: i64, id: i64) -> Result<Option<User>, DbError> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE tenant_id = $1 AND id = $2"
        ))
        .bind(tenant_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    pub async fn user_by_email(
        &self,
        tenant_id: i64,
        email: &str,
    ) -> Result<Option<User>, DbError> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE tenant_id = $1 AND email = $2"
        ))
        .bind(tenant_id)
        .bind(email.trim().to_lowercase())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    pub async fn users(&self, tenant_id: i64) -> Result<Vec<User>, DbError> {
        let rows = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE tenant_id = $1 ORDER BY email"
        ))
        .bind(tenant_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(user_from_row).collect()
    }

    /// Sets a new password and ends every session of the user.
    pub async fn set_password(
        &self,
        tenant_id: i64,
        user_id: i64,
        password: &str,
    ) -> Result<bool, DbError> {
        let mut tx = self.pool.begin().await?;
        let n = sqlx::query("UPDATE users SET password_hash = $1 WHERE tenant_id = $2 AND id = $3")
            .bind(hash_password(password))
            .bind(tenant_id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        sqlx::query("DELETE FROM sessions WHERE tenant_id = $1 AND user_id = $2")
            .bind(tenant_id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(n == 1)
    }

    pub async fn set_user_disabled(
        &self,
        tenant_id: i64,
        user_id: i64,
        disabled: bool,
    ) -> Result<bool, DbError> {
        let mut tx = self.pool.begin().await?;
        let n = sqlx::query("UPDATE users SET disabled = $1 WHERE tenant_id = $2 AND id = $3")
            .bind(flag(disabled))
            .bind(tenant_id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE tenant_id = $1 AND user_id = $2")
                .bind(tenant_id)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(n == 1)
    }

    /// How long `key` stays throttled, or `None` while it has fewer than `rate.count` failures
    /// within `rate.period`. The throttle lifts when the count-th latest failure leaves the
    /// window. Counted in the database, so every instance of the server sees the same failures.
    async fn throttled_for(&self, key: &str, rate: Rate) -> Result<Option<Duration>, DbError> {
        let window = rate.period.as_secs() as i64;
        let nth_latest: Option<i64> = sqlx::query(
            "SELECT at FROM login_failures WHERE throttle_key = $1 AND at > $2 \
             ORDER BY at DESC LIMIT 1 OFFSET $3",
        )
        .bind(key)
        .bind(now() - window)
        .bind(i64::from(rate.count) - 1)
        .fetch_optional(&self.pool)
        .await?
        .map(|r| r.try_get("at"))
        .transpose()?;
        Ok(nth_latest.map(|at| Duration::from_secs((at + window - now()).max(1) as u64)))
    }

    /// Checks the password and opens a session. Throttled accounts and addresses are refused
    /// before the password is even looked at, so guessing on cannot succeed.
    pub async fn login(
        &self,
        tenant_id: i64,
        email: &str,
        password: &str,
        client: &str,
        limits: &Limits,
    ) -> Result<LoginOutcome, DbError> {
        let account_key = format!("account:{tenant_id}:{}", email.trim().to_lowercase());
        let address_key = format!("address:{client}");
        let account = self
            .throttled_for(&account_key, limits.login_failures_per_account)
            .await?;
        let address = self
            .throttled_for(&address_key, limits.login_failures_per_address)
            .await?;
        if let Some(retry_after) = account.max(address) {
            return Ok(LoginOutcome::Throttled { retry_after });
        }
        let hash: Option<String> = sqlx::query(
            "SELECT password_hash FROM users WHERE tenant_id = $1 AND email = $2 AND disabled = 0",
        )
        .bind(tenant_id)
        .bind(email.trim().to_lowercase())
        .fetch_optional(&self.pool)
        .await?
        .map(|r| r.try_get("password_hash"))
        .transpose()?;
        let ok =
            verify_password(password, hash.as_deref().unwrap_or(dummy_hash())) && hash.is_some();
        if !ok {
            for key in [&account_key, &address_key] {
                sqlx::query("INSERT INTO login_failures (throttle_key, at) VALUES ($1, $2)")
                    .bind(key)
                    .bind(now())
                    .execute(&self.pool)
                    .await?;
            }
            return Ok(LoginOutcome::WrongCredentials);
        }
        let user = self
            .user_by_email(tenant_id, email)
            .await?
            .expect("the account just verified");
        let token = new_secret();
        let csrf_token = new_secret();
        let expires_at = now() + SESSION_SECONDS;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, tenant_id, csrf_token, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(hash_secret(&token))
        .bind(user.id)
        .bind(tenant_id)
        .bind(&csrf_token)
        .bind(now())
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        let longest_window = limits
            .login_failures_per_account
            .period
            .max(limits.login_failures_per_address.period);
        sqlx::query("DELETE FROM login_failures WHERE throttle_key = $1 OR at < $2")
            .bind(&account_key)
            .bind(now() - longest_window.as_secs() as i64)
            .execute(&self.pool)
            .await?;
        Ok(LoginOutcome::Ok {
            token,
            session: Session {
                user,
                csrf_token,
                expires_at,
            },
        })
    }

    /// The live session behind a cookie token, if any (expired ones and disabled users: none).
    pub async fn session(&self, token: &str) -> Result<Option<Session>, DbError> {
        let row = sqlx::query(
            "SELECT s.csrf_token, s.expires_at, u.id, u.tenant_id, u.email, u.name, u.role, \
             u.department_id, u.disabled FROM sessions s JOIN users u ON u.id = s.user_id \
             AND u.tenant_id = s.tenant_id WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = 0",
        )
        .bind(hash_secret(token))
        .bind(now())
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(Session {
            user: user_from_row(&row)?,
            csrf_token: row.try_get("csrf_token")?,
            expires_at: row.try_get("expires_at")?,
        }))
    }

    pub async fn logout(&self, token: &str) -> Result<(), DbError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(hash_secret(token))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// "Log out everywhere": ends all sessions of this user.
    pub async fn logout_everywhere(&self, tenant_id: i64, user_id: i64) -> Result<(), DbError> {
        sqlx::query("DELETE FROM sessions WHERE tenant_id = $1 AND user_id = $2")
            .bind(tenant_id)
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_hashes_verify_and_differ() {
        let a = hash_password("correct horse battery");
        let b = hash_password("correct horse battery");
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "salted");
        assert!(verify_password("correct horse battery", &a));
        assert!(!verify_password("wrong", &a));
        assert!(!verify_password("x", "not a hash"));
    }
}
