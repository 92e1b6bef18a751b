//! `calldb datasette`: Datasette metadata for the archive, on standard output.

use std::path::Path;
use std::process::ExitCode;

use crate::report::datasette;

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum MetadataFormat {
    Yaml,
    Json,
}

#[derive(clap::Args)]
pub struct DatasetteArgs {
    /// Metadata format (Datasette reads both: `-m metadata.yml` or `-m metadata.json`)
    #[arg(long, short = 'f', value_enum, default_value = "yaml")]
    format: MetadataFormat,
    /// Folder of extra or overriding report files (default: $CALLDB_REPORTS_DIR, else ~/.config/calldb/reports)
    #[arg(long, value_name = "DIR")]
    reports_dir: Option<std::path::PathBuf>,
    /// Where Datasette will serve the archive, for the search page's links to each turn
    #[arg(long, value_name = "URL", default_value = "http://127.0.0.1:8001")]
    url: String,
}

pub fn run(db: &Path, args: DatasetteArgs) -> anyhow::Result<ExitCode> {
    // The metadata describes this archive's views: a missing, foreign or newer file is refused as every reading
    // command refuses it, not described as if it were an archive.
    let archive = crate::archive::Archive::open_read_only(db)?;
    let tables = datasette::archive_tables(&archive.conn)?;
    let catalog = super::query::load_catalog(args.reports_dir.as_deref())?;
    // Datasette names a database after its file, without the extension.
    let name = db.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "calldb".into());
    let meta = datasette::metadata(&name, &catalog, &tables, &args.url);
    let text = match args.format {
        MetadataFormat::Yaml => datasette::to_yaml(&meta),
        MetadataFormat::Json => serde_json::to_string_pretty(&meta)? + "\n",
    };
    super::output::print(&text)?;
    Ok(ExitCode::SUCCESS)
}
