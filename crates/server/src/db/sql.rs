//! Dynamic `WHERE` clauses for queries whose filters the caller chooses (map, lists, inboxes).
//!
//! Why not `sqlx::QueryBuilder<Any>`: its `push_bind` writes the placeholder into the SQL text
//! when it is called, before any connection (and so any backend) is known, and for `Any` that
//! placeholder is always `?`. SQLite takes it; PostgreSQL answers with a syntax error. This is
//! sqlx issue transact-rs/sqlx#3000 ("Bad query argument format for postgres with Any
//! driver", open; the proposed fix, pull request #4351, was closed unmerged). So we number
//! the placeholders ourselves: `$n` is understood by both SQLite and PostgreSQL, like in every
//! other query of this crate.
//!
//! Only placeholders ever go into the SQL text; every value, also numbers, is bound.

use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::Any;

/// A value to bind into a dynamically built query.
pub(crate) enum Bind {
    Int(i64),
    Float(f64),
    Text(String),
}

impl From<i64> for Bind {
    fn from(v: i64) -> Self {
        Bind::Int(v)
    }
}

impl From<f64> for Bind {
    fn from(v: f64) -> Self {
        Bind::Float(v)
    }
}

impl From<String> for Bind {
    fn from(v: String) -> Self {
        Bind::Text(v)
    }
}

impl From<&str> for Bind {
    fn from(v: &str) -> Self {
        Bind::Text(v.to_string())
    }
}

/// Conditions joined with `AND`, with their values in placeholder order.
#[derive(Default)]
pub(crate) struct Where {
    clauses: Vec<String>,
    binds: Vec<Bind>,
}

impl Where {
    /// Binds a value and returns its placeholder (`$3`), for a clause built by hand with
    /// [`Where::push_clause`].
    pub fn placeholder(&mut self, value: impl Into<Bind>) -> String {
        self.binds.push(value.into());
        format!("${}", self.binds.len())
    }

    /// A condition whose `?` marks are replaced, in order, by the placeholders of `values`.
    pub fn push(&mut self, sql: &str, values: Vec<Bind>) {
        let mut clause = sql.to_string();
        for v in values {
            let p = self.placeholder(v);
            clause = clause.replacen('?', &p, 1);
        }
        self.clauses.push(clause);
    }

    /// A condition already written with placeholders from [`Where::placeholder`].
    pub fn push_clause(&mut self, clause: String) {
        self.clauses.push(clause);
    }

    /// `column IN (…)` over the values; callers skip it for an empty list (`IN ()` is no SQL).
    pub fn push_in<T: Into<Bind>>(&mut self, column: &str, values: impl IntoIterator<Item = T>) {
        let ps: Vec<String> = values.into_iter().map(|v| self.placeholder(v)).collect();
        self.clauses
            .push(format!("{column} IN ({})", ps.join(", ")));
    }

    /// The office's search box: the exact reference (any case), or the words anywhere in one
    /// of `text_columns` (SQL expressions that are never NULL). `%`, `_` and `\` typed by the
    /// official are matched literally.
    pub fn push_search(&mut self, reference_column: &str, text_columns: &[&str], query: &str) {
        let escaped = query
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let mut parts = vec![format!(
            "UPPER({reference_column}) = {}",
            self.placeholder(query.to_uppercase())
        )];
        for column in text_columns {
            let p = self.placeholder(format!("%{escaped}%"));
            parts.push(format!("LOWER({column}) LIKE {p} ESCAPE '\\'"));
        }
        self.clauses.push(format!("({})", parts.join(" OR ")));
    }

    /// The conditions for after `WHERE`.
    pub fn sql(&self) -> String {
        self.clauses.join(" AND ")
    }

    /// Binds the values to a query made from [`Where::sql`].
    pub fn bind<'q>(
        self,
        mut q: Query<'q, Any, AnyArguments<'q>>,
    ) -> Query<'q, Any, AnyArguments<'q>> {
        for b in self.binds {
            q = match b {
                Bind::Int(v) => q.bind(v),
                Bind::Float(v) => q.bind(v),
                Bind::Text(v) => q.bind(v),
            };
        }
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_across_clauses() {
        let mut w = Where::default();
        w.push("r.tenant_id = ?", vec![7.into()]);
        w.push("r.hidden = 0", vec![]);
        w.push_in("r.status", ["received", "in_progress"]);
        w.push("r.lat >= ? AND r.lat <= ?", vec![1.0.into(), 2.0.into()]);
        assert_eq!(
            w.sql(),
            "r.tenant_id = $1 AND r.hidden = 0 AND r.status IN ($2, $3) AND r.lat >= $4 AND r.lat <= $5"
        );
        assert_eq!(w.binds.len(), 5);
    }

    #[test]
    fn search_matches_wildcards_literally() {
        let mut w = Where::default();
        w.push("m.tenant_id = ?", vec![1.into()]);
        w.push_search("m.ref", &["COALESCE(m.subject, '')"], "50%_a\\b");
        assert_eq!(
            w.sql(),
            "m.tenant_id = $1 AND (UPPER(m.ref) = $2 OR LOWER(COALESCE(m.subject, '')) LIKE $3 ESCAPE '\\')"
        );
        let Bind::Text(like) = &w.binds[2] else {
            panic!("a text bind")
        };
        assert_eq!(like, "%50\\%\\_a\\\\b%");
    }
}
