//! What citizens choose from: a town's message kinds, its categories and the departments they
//! are routed to. Renamed, reordered, moved and retired by admins; every change is audited with
//! before and after in its transaction. Retired rows stay (old reports and messages and the
//! statistics keep them); the widget config and the submit paths see only active ones.

use super::audit::{self, Actor};
use super::{flag, Db, DbError};
use civickit_model::api::office::{Catalogue, CategoryRow, DepartmentRow, MessageKindRow};
use civickit_model::town::code_from_name;
use civickit_model::{FieldError, ValidationCode};
use serde_json::json;
use sqlx::Row;

/// Why a change to the catalogue was not made.
#[derive(Debug)]
pub enum ChangeError {
    /// No such row in this town (another town's id looks the same).
    NotFound,
    /// The change breaks a rule; the error names the field.
    Invalid(FieldError),
    Db(DbError),
}

impl From<DbError> for ChangeError {
    fn from(e: DbError) -> Self {
        ChangeError::Db(e)
    }
}

fn invalid(field: &str, code: ValidationCode) -> ChangeError {
    ChangeError::Invalid(FieldError::new(field, code))
}

/// A name change for a kind, department or category (already cleaned and checked for length).
#[derive(Debug, Default, Clone)]
pub struct Rename {
    pub name: Option<String>,
    pub retired: Option<bool>,
}

impl Db {
    /// Every message kind of a town, retired ones included, in the form's order.
    pub async fn message_kind_rows(&self, tenant_id: i64) -> Result<Vec<MessageKindRow>, DbError> {
        let rows = sqlx::query(
            "SELECT id, code, name, retired FROM message_kinds WHERE tenant_id = $1 \
             ORDER BY position, name, id",
        )
        .bind(tenant_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(MessageKindRow {
                    id: r.try_get("id")?,
                    code: r.try_get("code")?,
                    name: r.try_get("name")?,
                    retired: r.try_get::<i64, _>("retired")? != 0,
                })
            })
            .collect()
    }

    /// Adds a kind at the end of the list; its code is made from the name, unique in the town.
    pub async fn add_message_kind_named(
        &self,
        tenant_id: i64,
        name: &str,
        actor: &Actor,
    ) -> Result<i64, ChangeError> {
        let existing = self.message_kind_rows(tenant_id).await?;
        if existing.iter().any(|k| k.name.eq_ignore_ascii_case(name)) {
            return Err(invalid("name", ValidationCode::InvalidValue));
        }
        let codes: Vec<&str> = existing.iter().map(|k| k.code.as_str()).collect();
        let code = unique_code(&code_from_name(name), "art", &codes);
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO message_kinds (tenant_id, code, name, position) VALUES ($1, $2, $3, $4) \
             RETURNING id",
        )
        .bind(tenant_id)
        .bind(&code)
        .bind(name)
        .bind(existing.len() as i64)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        let after = json!({"id": id, "code": code, "name": name});
        audit::record(
            &mut tx,
            tenant_id,
            actor,
            "message_kind.add",
            &code,
            None,
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Renames, retires or brings back a kind. The code stays: old messages carry it.
    pub async fn change_message_kind(
        &self,
        tenant_id: i64,
        id: i64,
        change: &Rename,
        actor: &Actor,
    ) -> Result<(), ChangeError> {
        let rows = self.message_kind_rows(tenant_id).await?;
        let before = rows
            .iter()
            .find(|k| k.id == id)
            .ok_or(ChangeError::NotFound)?;
        if let Some(name) = &change.name {
            if rows
                .iter()
                .any(|k| k.id != id && k.name.eq_ignore_ascii_case(name))
            {
                return Err(invalid("name", ValidationCode::InvalidValue));
            }
        }
        let mut after = before.clone();
        after.name = change.name.clone().unwrap_or(after.name);
        after.retired = change.retired.unwrap_or(after.retired);
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE message_kinds SET name = $1, retired = $2 WHERE id = $3 AND tenant_id = $4",
        )
        .bind(&after.name)
        .bind(flag(after.retired))
        .bind(id)
        .bind(tenant_id)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            tenant_id,
            actor,
            "message_kind.change",
            &before.code,
            Some(&json!(before)),
            Some(&json!(after)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Puts the kinds in the order of `ids`, which must name each of the town's kinds once.
    pub async fn reorder_message_kinds(
        &self,
        tenant_id: i64,
        ids: &[i64],
        actor: &Actor,
    ) -> Result<(), ChangeError> {
        let before: Vec<i64> = self
            .message_kind_rows(tenant_id)
            .await?
            .iter()
            .map(|k| k.id)
            .collect();
        self.reorder(
            "message_kinds",
            "message_kind.order",
            tenant_id,
            &before,
            ids,
            actor,
        )
        .await
    }

    /// Every department (by name) and category (in the widget's order), retired ones included.
    pub async fn catalogue(&self, tenant_id: i64) -> Result<Catalogue, DbError> {
        let departments = sqlx::query(
            "SELECT id, name, email, retired FROM departments WHERE tenant_id = $1 ORDER BY name, id",
        )
        .bind(tenant_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(DepartmentRow {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                email: r.try_get("email")?,
                retired: r.try_get::<i64, _>("retired")? != 0,
            })
        })
        .collect::<Result<_, DbError>>()?;
        let categories = sqlx::query(
            "SELECT id, code, name, grp, department_id, active FROM categories \
             WHERE tenant_id = $1 ORDER BY position, name, id",
        )
        .bind(tenant_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(CategoryRow {
                id: r.try_get("id")?,
                code: r.try_get("code")?,
                name: r.try_get("name")?,
                group: r.try_get("grp")?,
                department_id: r.try_get("department_id")?,
                retired: r.try_get::<i64, _>("active")? == 0,
            })
        })
        .collect::<Result<_, DbError>>()?;
        Ok(Catalogue {
            departments,
            categories,
        })
    }

    /// Renames a department, sets or removes (`Some("")`) its address, retires or brings it
    /// back. A department that active categories still route to cannot be retired.
    pub async fn change_department(
        &self,
        tenant_id: i64,
        id: i64,
        change: &Rename,
        email: Option<&str>,
        actor: &Actor,
    ) -> Result<(), ChangeError> {
        let catalogue = self.catalogue(tenant_id).await?;
        let before = catalogue
            .departments
            .iter()
            .find(|d| d.id == id)
            .ok_or(ChangeError::NotFound)?;
        if let Some(name) = &change.name {
            if catalogue
                .departments
                .iter()
                .any(|d| d.id != id && d.name == *name)
            {
                return Err(invalid("name", ValidationCode::InvalidValue));
            }
        }
        if change.retired == Some(true)
            && catalogue
                .categories
                .iter()
                .any(|c| !c.retired && c.department_id == Some(id))
        {
            return Err(invalid("retired", ValidationCode::InvalidValue));
        }
        let mut after = before.clone();
        after.name = change.name.clone().unwrap_or(after.name);
        after.retired = change.retired.unwrap_or(after.retired);
        if let Some(email) = email {
            after.email = Some(email.to_string()).filter(|e| !e.is_empty());
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE departments SET name = $1, email = $2, retired = $3 WHERE id = $4 AND tenant_id = $5",
        )
        .bind(&after.name)
        .bind(&after.email)
        .bind(flag(after.retired))
        .bind(id)
        .bind(tenant_id)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            tenant_id,
            actor,
            "department.change",
            &before.name,
            Some(&json!(before)),
            Some(&json!(after)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Renames a category, changes its group, routes it to another (active) department of the
    /// town, retires it or brings it back. Old reports keep their department.
    pub async fn change_category(
        &self,
        tenant_id: i64,
        id: i64,
        change: &Rename,
        group: Option<&str>,
        department_id: Option<i64>,
        actor: &Actor,
    ) -> Result<(), ChangeError> {
        let catalogue = self.catalogue(tenant_id).await?;
        let before = catalogue
            .categories
            .iter()
            .find(|c| c.id == id)
            .ok_or(ChangeError::NotFound)?;
        if let Some(department) = department_id {
            if !catalogue
                .departments
                .iter()
                .any(|d| d.id == department && !d.retired)
            {
                return Err(invalid("department_id", ValidationCode::InvalidValue));
            }
        }
        let mut after = before.clone();
        after.name = change.name.clone().unwrap_or(after.name);
        after.group = group.map(str::to_string).unwrap_or(after.group);
        after.department_id = department_id.or(after.department_id);
        after.retired = change.retired.unwrap_or(after.retired);
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE categories SET name = $1, grp = $2, department_id = $3, active = $4 \
             WHERE id = $5 AND tenant_id = $6",
        )
        .bind(&after.name)
        .bind(&after.group)
        .bind(after.department_id)
        .bind(flag(!after.retired))
        .bind(id)
        .bind(tenant_id)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            tenant_id,
            actor,
            "category.change",
            &before.code,
            Some(&json!(before)),
            Some(&json!(after)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Puts the categories in the order of `ids`, which must name each of them once.
    pub async fn reorder_categories(
        &self,
        tenant_id: i64,
        ids: &[i64],
        actor: &Actor,
    ) -> Result<(), ChangeError> {
        let before: Vec<i64> = self
            .catalogue(tenant_id)
            .await?
            .categories
            .iter()
            .map(|c| c.id)
            .collect();
        self.reorder(
            "categories",
            "category.order",
            tenant_id,
            &before,
            ids,
            actor,
        )
        .await
    }

    async fn reorder(
        &self,
        table: &str,
        action: &str,
        tenant_id: i64,
        before: &[i64],
        ids: &[i64],
        actor: &Actor,
    ) -> Result<(), ChangeError> {
        let (mut wanted, mut have) = (ids.to_vec(), before.to_vec());
        wanted.sort_unstable();
        have.sort_unstable();
        if wanted != have {
            return Err(invalid("ids", ValidationCode::InvalidValue));
        }
        let mut tx = self.pool.begin().await?;
        for (position, id) in ids.iter().enumerate() {
            sqlx::query(&format!(
                "UPDATE {table} SET position = $1 WHERE id = $2 AND tenant_id = $3"
            ))
            .bind(position as i64)
            .bind(id)
            .bind(tenant_id)
            .execute(&mut *tx)
            .await?;
        }
        audit::record(
            &mut tx,
            tenant_id,
            actor,
            action,
            "",
            Some(&json!(before)),
            Some(&json!(ids)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// `base`, or `base-2`, `base-3`… if taken; `fallback` when the name gave no code at all.
pub fn unique_code(base: &str, fallback: &str, taken: &[&str]) -> String {
    let base = if base.is_empty() { fallback } else { base };
    let mut code = base.to_string();
    let mut n = 2;
    while taken.contains(&code.as_str()) {
        code = format!("{base}-{n}");
        n += 1;
    }
    code
}
