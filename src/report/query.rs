//! Running SQL against an archive with bound named parameters, and reading the result into a [`ResultSet`].

use rusqlite::types::{Value, ValueRef};
use rusqlite::Connection;

use super::format::ResultSet;
use super::sinks::{Column, RowSink};

#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error("the archive is opened read-only: {0}")]
    ReadOnly(String),
    #[error("parameter `{name}` is not used by this SQL (it uses: {used})")]
    UnknownParameter { name: String, used: String },
    #[error("SQL error: {0}")]
    Sql(String),
    /// The system's words are part of this message, not a separate cause, so they are printed once.
    #[error("writing the result: {0}")]
    Output(std::io::Error),
}

impl From<std::io::Error> for QueryError {
    fn from(error: std::io::Error) -> Self {
        QueryError::Output(error)
    }
}

/// Runs one SQL statement with named parameters (`:name`, `@name` or `$name` in the SQL; `name` on the command
/// line). Values are always bound, never spliced into the SQL. Parameters the SQL names but the caller did not
/// give are bound to NULL, so optional filters can be written `(:ticker IS NULL OR ticker = :ticker)`.
pub fn run(conn: &Connection, sql: &str, params: &[(String, Value)]) -> Result<ResultSet, QueryError> {
    let mut rs = ResultSet::default();
    run_into(conn, sql, params, &mut rs)?;
    Ok(rs)
}

/// Like [`run`], but hands each row to `sink` as it is read (no result held in memory). Returns the row count.
pub fn run_into(
    conn: &Connection,
    sql: &str,
    params: &[(String, Value)],
    sink: &mut dyn RowSink,
) -> Result<usize, QueryError> {
    let sql_error = |e: rusqlite::Error| {
        let text = e.to_string();
        if text.contains("too many attached databases") {
            QueryError::ReadOnly("ATTACH is disabled; calldb query only reads this archive".into())
        } else if text.contains("readonly") || text.contains("read-only") || text.contains("query_only") {
            QueryError::ReadOnly(format!("{text}; calldb query never writes"))
        } else {
            QueryError::Sql(text)
        }
    };
    let mut stmt = conn.prepare(sql).map_err(sql_error)?;
    if !stmt.readonly() {
        return Err(QueryError::ReadOnly(
            "this statement would write (INSERT, UPDATE, DELETE, DROP, CREATE, ATTACH, PRAGMA assignment …); \
             calldb query only reads"
                .into(),
        ));
    }
    let count = stmt.parameter_count();
    let names: Vec<String> = (1..=count).filter_map(|i| stmt.parameter_name(i).map(|n| n[1..].to_string())).collect();
    for (name, _) in params {
        if !names.iter().any(|n| n == name) {
            return Err(QueryError::UnknownParameter {
                name: name.clone(),
                used: if names.is_empty() { "none".into() } else { names.join(", ") },
            });
        }
    }
    for i in 1..=count {
        // `?` has no name and `?1` is named "?1": both are positional, and would silently bind NULL.
        let Some(full) = stmt.parameter_name(i).filter(|n| !n.starts_with('?')) else {
            return Err(QueryError::Sql(format!(
                "positional parameter ?{i} in the SQL: use named parameters (:name) with -p name value"
            )));
        };
        let name = &full[1..];
        let value = params.iter().rev().find(|(n, _)| n == name).map_or(Value::Null, |(_, v)| v.clone());
        stmt.raw_bind_parameter(i, value).map_err(sql_error)?;
    }
    // Declared types travel with the names, so typed formats (Parquet, JSON lists) know what each column holds.
    let columns: Vec<Column> = stmt.columns().iter().map(|c| Column::new(c.name(), c.decl_type())).collect();
    let ncols = columns.len();
    sink.columns(&columns)?;
    let mut count = 0;
    let mut raw = stmt.raw_query();
    while let Some(row) = raw.next().map_err(sql_error)? {
        let mut values: Vec<ValueRef<'_>> = Vec::with_capacity(ncols);
        for i in 0..ncols {
            values.push(row.get_ref(i).map_err(sql_error)?);
        }
        sink.row(&values)?;
        count += 1;
    }
    Ok(count)
}

/// A command-line parameter value as SQLite should see it: integers and reals as numbers, the rest as text.
pub fn value_from_arg(s: &str) -> Value {
    if let Ok(i) = s.parse::<i64>() {
        Value::Integer(i)
    } else if let Ok(f) = s.parse::<f64>().map_err(|_| ()).and_then(|f| if f.is_finite() { Ok(f) } else { Err(()) }) {
        Value::Real(f)
    } else {
        Value::Text(s.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_bound_by_name_and_missing_ones_are_null() {
        let conn = Connection::open_in_memory().unwrap();
        let rs = run(
            &conn,
            "SELECT :a AS a, :b IS NULL AS b_missing, typeof(:a) AS t",
            &[("a".into(), value_from_arg("42"))],
        )
        .unwrap();
        assert_eq!(rs.columns, ["a", "b_missing", "t"]);
        assert_eq!(rs.rows, vec![vec![Value::Integer(42), Value::Integer(1), Value::Text("integer".into())]]);
        let e = run(&conn, "SELECT 1", &[("x".into(), Value::Null)]).unwrap_err();
        assert!(matches!(e, QueryError::UnknownParameter { .. }), "{e}");
        let e = run(&conn, "SELECT ?1", &[]).unwrap_err();
        assert!(e.to_string().contains("named parameters"), "{e}");
        let e = run(&conn, "CREATE TABLE t (x)", &[]).unwrap_err();
        assert!(matches!(e, QueryError::ReadOnly(_)), "{e}");
    }
}
