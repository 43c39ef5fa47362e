//! A query written once: SQL text with `$n` placeholders plus its arguments.

use sqlx::postgres::{PgArguments, PgRow};
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::Arguments;

/// Row types decodable from both engines (derive `sqlx::FromRow`).
pub trait Row: for<'r> sqlx::FromRow<'r, SqliteRow> + for<'r> sqlx::FromRow<'r, PgRow> + Send + Unpin {}
impl<T> Row for T where T: for<'r> sqlx::FromRow<'r, SqliteRow> + for<'r> sqlx::FromRow<'r, PgRow> + Send + Unpin {}

/// A bound value.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Text(String),
    Int(i64),
    Bool(bool),
    NullText,
    NullInt,
}

impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Arg::Text(v.to_owned())
    }
}
impl From<String> for Arg {
    fn from(v: String) -> Self {
        Arg::Text(v)
    }
}
impl From<&String> for Arg {
    fn from(v: &String) -> Self {
        Arg::Text(v.clone())
    }
}
impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Arg::Int(v)
    }
}
impl From<i32> for Arg {
    fn from(v: i32) -> Self {
        Arg::Int(v.into())
    }
}
impl From<bool> for Arg {
    fn from(v: bool) -> Self {
        Arg::Bool(v)
    }
}
impl From<uuid::Uuid> for Arg {
    fn from(v: uuid::Uuid) -> Self {
        Arg::Text(v.to_string())
    }
}
impl From<Option<String>> for Arg {
    fn from(v: Option<String>) -> Self {
        v.map_or(Arg::NullText, Arg::Text)
    }
}
impl From<Option<&str>> for Arg {
    fn from(v: Option<&str>) -> Self {
        v.map_or(Arg::NullText, |s| Arg::Text(s.to_owned()))
    }
}
impl From<Option<i64>> for Arg {
    fn from(v: Option<i64>) -> Self {
        v.map_or(Arg::NullInt, Arg::Int)
    }
}

#[derive(Debug, Clone)]
pub struct Query {
    pub sql: String,
    pub args: Vec<Arg>,
}

/// Starts a query.
pub fn q(sql: impl Into<String>) -> Query {
    Query { sql: sql.into(), args: Vec::new() }
}

impl Query {
    pub fn bind(mut self, v: impl Into<Arg>) -> Self {
        self.args.push(v.into());
        self
    }

    /// The placeholder for the next argument, for queries built at run time.
    pub fn next_param(&self) -> String {
        format!("${}", self.args.len() + 1)
    }

    /// Appends SQL and one argument at its placeholder `{}`.
    pub fn push_bound(mut self, sql_with_hole: &str, v: impl Into<Arg>) -> Self {
        let p = self.next_param();
        self.sql.push_str(&sql_with_hole.replacen("{}", &p, 1));
        self.bind(v)
    }

    pub fn push(mut self, sql: &str) -> Self {
        self.sql.push_str(sql);
        self
    }

    /// Appends `(p1, p2, …)` binding each value: for `IN` lists.
    pub fn push_list<V: Into<Arg>>(mut self, values: impl IntoIterator<Item = V>) -> Self {
        self.sql.push('(');
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                self.sql.push_str(", ");
            }
            self = self.push_bound("{}", v);
        }
        self.sql.push(')');
        self
    }

    /// The arguments for one engine.
    fn args_for<'q, DB: sqlx::Database>(&self) -> Result<DB::Arguments<'q>, sqlx::Error>
    where
        String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
        i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
        bool: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
        Option<String>: sqlx::Encode<'q, DB>,
        Option<i64>: sqlx::Encode<'q, DB>,
    {
        let mut a = DB::Arguments::<'q>::default();
        for arg in &self.args {
            match arg {
                Arg::Text(s) => a.add(s.clone()),
                Arg::Int(i) => a.add(*i),
                Arg::Bool(b) => a.add(*b),
                Arg::NullText => a.add(None::<String>),
                Arg::NullInt => a.add(None::<i64>),
            }
            .map_err(sqlx::Error::Encode)?;
        }
        Ok(a)
    }

    pub(crate) fn sqlite_args(&self) -> Result<SqliteArguments<'static>, sqlx::Error> {
        self.args_for::<sqlx::Sqlite>()
    }

    pub(crate) fn pg_args(&self) -> Result<PgArguments, sqlx::Error> {
        self.args_for::<sqlx::Postgres>()
    }
}
