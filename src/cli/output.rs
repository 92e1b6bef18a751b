//! Writing results where the user asked: standard output or a file written atomically, in the chosen format.

use std::io::{IsTerminal, Write};

use anyhow::Context;

use super::OutputArgs;
use crate::report::format::{Format, RenderOptions, ResultSet};
use crate::report::query;
use crate::report::read::ReadQuery;

/// Terminal width for tables: the terminal's, else `COLUMNS` when exported; unlimited when not on a terminal and
/// `COLUMNS` is not set.
pub fn terminal_width() -> Option<usize> {
    if !stdout_is_terminal() {
        return std::env::var("COLUMNS").ok()?.trim().parse().ok().filter(|w| *w >= 20);
    }
    terminal_size::terminal_size()
        .map(|(w, _)| w.0 as usize)
        .or_else(|| std::env::var("COLUMNS").ok()?.parse().ok())
        .or(Some(120))
}

pub fn stdout_is_terminal() -> bool {
    std::io::IsTerminal::is_terminal(&std::io::stdout())
}

/// The format to use: as asked, else from the output file's extension, else by terminal.
pub fn choose_format(args: &OutputArgs) -> anyhow::Result<Format> {
    Ok(match (args.format, &args.output) {
        (Some(f), _) => f,
        (None, Some(path)) => Format::for_output_file(path)?,
        (None, None) => Format::default_for_stdout(),
    })
}

/// The options every output gets from the command line: terminal width and highlighting for tables on a terminal,
/// CSV protection, and the generation time.
fn complete<'a>(fmt: Format, args: &OutputArgs, mut opts: RenderOptions<'a>) -> anyhow::Result<RenderOptions<'a>> {
    if args.output.is_none() {
        if fmt.is_binary() && stdout_is_terminal() {
            anyhow::bail!("{} is a binary format: use --output FILE or redirect standard output", fmt.extension());
        }
        if fmt == Format::Table {
            opts.max_width = terminal_width();
            opts.highlight = stdout_is_terminal();
        }
    }
    opts.csv_safe |= args.csv_safe;
    if opts.generated_at.is_none() {
        opts.generated_at = Some(chrono::Local::now().format("%Y-%m-%d %H:%M:%S %Z").to_string());
    }
    Ok(opts)
}

/// Runs a library read query and writes its rows.
pub fn emit_read(conn: &rusqlite::Connection, q: &ReadQuery, args: &OutputArgs) -> anyhow::Result<usize> {
    emit_query(conn, q.sql, &q.params, args, RenderOptions { title: Some(&q.title), ..Default::default() })
}

/// Runs SQL and streams its rows straight into the chosen format and destination (atomically for files).
pub fn emit_query(
    conn: &rusqlite::Connection,
    sql: &str,
    params: &[(String, rusqlite::types::Value)],
    args: &OutputArgs,
    opts: RenderOptions,
) -> anyhow::Result<usize> {
    let fmt = choose_format(args)?;
    let mut opts = complete(fmt, args, opts)?;
    let lookup = |id| crate::report::read::cited_turn(conn, id).ok().flatten();
    if fmt == Format::Html {
        opts.turns = Some(crate::report::format::TurnLookup(&lookup));
    }
    // Footnotes stand under the table in HTML and Markdown; elsewhere they would corrupt the data, so they go to
    // standard error.
    if !matches!(fmt, Format::Html | Format::Markdown) {
        for note in &opts.notes {
            eprintln!("note: {note}");
        }
    }
    let run = |out: &mut dyn Write| -> anyhow::Result<usize> {
        let mut sink = fmt.sink(out, opts.clone());
        query::run_into(conn, sql, params, &mut *sink)?;
        Ok(sink.finish().map_err(query::QueryError::Output)?)
    };
    match &args.output {
        Some(path) => {
            let mut rows = 0;
            let mut failure = None;
            let written = crate::report::format::write_atomically_with(path, |file| match run(file) {
                Ok(n) => {
                    rows = n;
                    Ok(())
                }
                Err(e) => {
                    failure = Some(e);
                    Err(std::io::Error::other("not written"))
                }
            });
            if let Some(e) = failure {
                // The query ran, but its output could not be written (a full disk): say which file.
                if e.downcast_ref::<query::QueryError>().is_some_and(|q| matches!(q, query::QueryError::Output(_))) {
                    return Err(e.context(format!("writing {}", path.display())));
                }
                return Err(e);
            }
            written.with_context(|| format!("writing {}", path.display()))?;
            Ok(rows)
        }
        None if std::io::stdout().is_terminal() => {
            run(&mut crate::report::sinks::TerminalSafeWriter::new(std::io::stdout().lock()))
        }
        None => run(&mut std::io::stdout().lock()),
    }
}

/// Writes a result held in memory.
pub fn emit(rs: &ResultSet, args: &OutputArgs, opts: RenderOptions) -> anyhow::Result<()> {
    let fmt = choose_format(args)?;
    let opts = complete(fmt, args, opts)?;
    let bytes = crate::report::format::render_bytes(rs, fmt, &opts).context("rendering")?;
    match &args.output {
        Some(path) => crate::report::format::write_atomically(path, &bytes)
            .with_context(|| format!("writing {}", path.display()))?,
        None if std::io::stdout().is_terminal() => {
            let mut out = crate::report::sinks::TerminalSafeWriter::new(std::io::stdout().lock());
            out.write_all(&bytes).and_then(|_| out.flush()).context("writing to standard output")?;
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes).and_then(|_| out.flush()).context("writing to standard output")?;
        }
    }
    Ok(())
}

/// Whether an error is only a closed pipe on standard output (`calldb … | head`): not worth a word.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || cause.downcast_ref::<query::QueryError>().is_some_and(
                |q| matches!(q, query::QueryError::Output(io) if io.kind() == std::io::ErrorKind::BrokenPipe),
            )
    })
}

/// Prints text to standard output; a closed pipe surfaces as an error [`is_broken_pipe`] recognises.
pub fn print(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    // Messages name files and jobs, which are untrusted text: on a terminal, no escape sequence gets through.
    let text = if out.is_terminal() { crate::report::sinks::terminal_safe(text) } else { text.into() };
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// A document for a message on one line: a name holding a newline or another control character is shown quoted,
/// with the character escaped, so it can be told apart and copied.
pub fn shown(text: &str) -> String {
    // Bidirectional overrides would make a name read differently from what it is.
    let bidi = |c: char| matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    if text.chars().any(|c| c.is_control() || bidi(c)) {
        format!("{text:?}")
    } else {
        text.to_string()
    }
}
