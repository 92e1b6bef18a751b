//! `calldb query SQL` and `calldb report …`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use super::{output, OutputArgs};
use crate::archive::Archive;
use crate::report::catalog::{self, Catalog};
use crate::report::format::{Format, RenderOptions, ResultSet};
use crate::report::query;

#[derive(clap::Args)]
pub struct QueryArgs {
    /// The SQL to run, or `-` to read it from standard input
    sql: String,
    /// A named parameter: `-p ticker LPSN` binds :ticker (repeatable; bound, never spliced into the SQL)
    #[arg(short = 'p', long = "param", num_args = 2, value_names = ["NAME", "VALUE"], action = clap::ArgAction::Append)]
    params: Vec<String>,
    #[command(flatten)]
    out: OutputArgs,
}

#[derive(clap::Subcommand)]
pub enum ReportCommand {
    /// List the available reports with their parameters
    List {
        /// table (default on a terminal), csv, json, …
        #[arg(long, short = 'f', value_enum)]
        format: Option<Format>,
    },
    /// Print a report's description, parameters and SQL
    Show { name: String },
    /// Run a report
    Run {
        name: String,
        /// A report parameter: `-p ticker LPSN` (repeatable)
        #[arg(short = 'p', long = "param", num_args = 2, value_names = ["NAME", "VALUE"], action = clap::ArgAction::Append)]
        params: Vec<String>,
        #[command(flatten)]
        out: OutputArgs,
    },
}

#[derive(clap::Args)]
pub struct ReportArgs {
    /// Folder of extra or overriding report files (default: $CALLDB_REPORTS_DIR, else ~/.config/calldb/reports)
    #[arg(long, value_name = "DIR", global = true)]
    reports_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: ReportCommand,
}

pub fn pairs(flat: &[String]) -> Vec<(String, String)> {
    flat.chunks(2).map(|c| (c[0].trim_start_matches([':', '@', '$']).to_string(), c[1].clone())).collect()
}

pub fn run_query(db: &Path, args: QueryArgs) -> anyhow::Result<ExitCode> {
    let sql = if args.sql == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).context("reading SQL from standard input")?;
        s
    } else {
        args.sql
    };
    let archive = Archive::open_read_only(db)?;
    let params: Vec<_> = pairs(&args.params).into_iter().map(|(n, v)| (n, query::value_from_arg(&v))).collect();
    output::emit_query(
        &archive.conn,
        sql.trim().trim_end_matches(';'),
        &params,
        &args.out,
        RenderOptions { title: Some("calldb query"), ..Default::default() },
    )?;
    Ok(ExitCode::SUCCESS)
}

pub fn load_catalog(dir: Option<&Path>) -> anyhow::Result<Catalog> {
    let explicit = dir.is_some();
    Ok(Catalog::load(catalog::user_dir(dir).as_deref(), explicit)?)
}

pub fn report(db: &Path, args: ReportArgs) -> anyhow::Result<ExitCode> {
    let catalog = load_catalog(args.reports_dir.as_deref())?;
    match args.command {
        ReportCommand::List { format } => {
            let format = format.unwrap_or_else(Format::default_for_stdout);
            if format == Format::Json {
                let list: Vec<_> = catalog
                    .reports
                    .values()
                    .map(|r| {
                        serde_json::json!({"name": r.name, "title": r.title, "description": r.description,
                                       "params": r.params, "chart": r.chart, "origin": r.origin})
                    })
                    .collect();
                output::print(&(serde_json::to_string_pretty(&list)? + "\n"))?;
                return Ok(ExitCode::SUCCESS);
            }
            let rs = ResultSet {
                columns: ["name", "title", "parameters", "origin"].map(String::from).to_vec(),
                rows: catalog
                    .reports
                    .values()
                    .map(|r| {
                        let params = r
                            .params
                            .iter()
                            .map(|p| {
                                format!(
                                    "{}:{}{}",
                                    p.name,
                                    p.type_name(),
                                    p.default.as_ref().map(|d| format!("={d}")).unwrap_or_default()
                                )
                            })
                            .collect::<Vec<_>>()
                            .join(", ");
                        [r.name.clone(), r.title.clone(), params, r.origin.clone()]
                            .map(rusqlite::types::Value::Text)
                            .to_vec()
                    })
                    .collect(),
            };
            let out = OutputArgs::to_stdout(format);
            output::emit(&rs, &out, RenderOptions { title: Some("Reports"), ..Default::default() })?;
        }
        ReportCommand::Show { name } => {
            let r = catalog.get(&name)?;
            let mut text =
                format!("{} — {}\n{}\nfrom: {}\n\n{}\n\n", r.name, r.title, r.description, r.origin, r.usage());
            if let Some(c) = &r.chart {
                text.push_str(&format!("chart: {}\n\n", c.describe()));
            }
            text.push_str(r.sql.trim_end());
            text.push('\n');
            output::print(&text)?;
        }
        ReportCommand::Run { name, params, out } => {
            let r = catalog.get(&name)?;
            let given = pairs(&params);
            let bound = r.bind(&given)?;
            let archive = Archive::open_read_only(db)?;
            let notes = crate::report::catalog::notes(&archive.conn, r, &bound)
                .with_context(|| format!("running report `{name}`"))?;
            output::emit_query(
                &archive.conn,
                &r.sql,
                &bound,
                &out,
                RenderOptions {
                    title: Some(&r.title),
                    description: Some(&r.description),
                    chart: r.chart.as_ref(),
                    params: r.shown_params(&bound),
                    notes,
                    ..Default::default()
                },
            )
            .with_context(|| format!("running report `{name}`"))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
