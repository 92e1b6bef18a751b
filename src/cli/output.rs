//! Writing a result set where the user asked: standard output or a file written atomically.

use std::io::Write;

use anyhow::Context;

use super::OutputArgs;
use crate::report::format::{self, Format, RenderOptions, ResultSet};
use crate::report::query;

/// Terminal width for tables; unlimited when not on a terminal.
pub fn terminal_width() -> Option<usize> {
    if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        return None;
    }
    terminal_size::terminal_size()
        .map(|(w, _)| w.0 as usize)
        .or_else(|| std::env::var("COLUMNS").ok()?.parse().ok())
        .or(Some(120))
}

/// The format to use: as asked, else from the output file's extension, else by terminal.
pub fn choose_format(args: &OutputArgs) -> Format {
    if let Some(f) = args.format {
        return f;
    }
    if let Some(ext) = args.output.as_ref().and_then(|p| p.extension()).and_then(|e| e.to_str()) {
        let by_ext = match ext.to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "tsv" => Some(Format::Tsv),
            "json" => Some(Format::Json),
            "ndjson" | "jsonl" => Some(Format::Ndjson),
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            "txt" => Some(Format::Table),
            _ => None,
        };
        if let Some(f) = by_ext {
            return f;
        }
    }
    if args.output.is_some() {
        Format::Csv
    } else {
        Format::default_for_stdout()
    }
}

/// Runs SQL and streams its rows straight into the chosen format and destination (atomically for files).
pub fn emit_query(
    conn: &rusqlite::Connection,
    sql: &str,
    params: &[(String, rusqlite::types::Value)],
    args: &OutputArgs,
    mut opts: RenderOptions,
) -> anyhow::Result<usize> {
    let fmt = choose_format(args);
    if args.output.is_none() && fmt == Format::Table {
        opts.max_width = terminal_width();
    }
    let run = |out: &mut dyn Write| -> anyhow::Result<usize> {
        let mut writer = format::FormatWriter::new(out, fmt, opts.clone());
        query::run_into(conn, sql, params, &mut writer)?;
        Ok(writer.finish()?)
    };
    match &args.output {
        Some(path) => {
            let mut rows = 0;
            format::write_atomically_with(path, |file| {
                rows = run(file).map_err(|e| std::io::Error::other(format!("{e:#}")))?;
                Ok(())
            })
            .with_context(|| format!("writing {}", path.display()))?;
            Ok(rows)
        }
        None => {
            let mut out = std::io::stdout().lock();
            match run(&mut out) {
                Ok(rows) => Ok(rows),
                // A closed pipe (`| head`) is not an error worth reporting.
                Err(e)
                    if e.downcast_ref::<query::QueryError>().is_some_and(
                        |q| matches!(q, query::QueryError::Output(io) if io.kind() == std::io::ErrorKind::BrokenPipe),
                    ) =>
                {
                    Ok(0)
                }
                Err(e) => Err(e),
            }
        }
    }
}

pub fn emit(rs: &ResultSet, args: &OutputArgs, mut opts: RenderOptions) -> anyhow::Result<()> {
    let fmt = choose_format(args);
    if args.output.is_none() && fmt == Format::Table {
        opts.max_width = terminal_width();
    }
    let text = format::render(rs, fmt, &opts);
    match &args.output {
        Some(path) => {
            format::write_atomically(path, text.as_bytes()).with_context(|| format!("writing {}", path.display()))?
        }
        None => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (`| head`) is not an error worth reporting.
            if let Err(e) = out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    return Err(e).context("writing to standard output");
                }
            }
        }
    }
    Ok(())
}
