//! analyst-coverage's rows, kept as calls are stored (schema V15; kept in place on new calls since V16).
//!
//! The report gives one row per analyst summed over every analyst appearance in the archive: at 100,000 calls that is
//! some 700,000 appearances, 5-7 s to aggregate on each run. `analyst_coverage` keeps each analyst's row instead.
//!
//! An appearance on a call stored after every other (what an import does, night after night) adds to its analyst's
//! row in the trigger that sees it stored: calls, companies, the ticker at the end of the list, questions, dates and
//! the firm of the latest call all follow from the row and the new call alone. Any other change — an analyst's first
//! appearance, a call deleted or replaced, an appearance moved to another person (speakers merge and split), a
//! call's date or company corrected, a company's ticker learnt or set right — marks the analyst in
//! `analyst_coverage_stale` instead, in the same transaction, so no path can miss one: the first and last call and
//! the firm on the latest call cannot be taken back by subtraction. [`refresh`] builds the marked rows again from the
//! appearances and clears the marks; every writer calls it before it finishes (an import at its end, corrections
//! and speaker edits in their own transaction, the next writer after a crash). A bulk import marks every analyst it
//! meets on their first appearance and builds all their rows in one pass at its end, which costs what a single run
//! of the report did. Until a mark is cleared the report computes that analyst from the appearances as before, with
//! the same SQL, so it is never out of date.

use std::sync::LazyLock;

use rusqlite::Connection;

/// The canned report, whose part that sums an analyst's row from their appearances builds the kept rows too: the
/// report computes the analysts still marked with the very text the archive builds their rows with.
const REPORT: &str = include_str!("../../sql/reports/analyst-coverage.sql");

/// Each marked analyst's row, summed from their appearances: the calls, the distinct companies, the tickers in the
/// order of the analyst's first call with each company, the questions (every turn of an analyst is a question), the
/// first and last call date, and the firm as written on the latest call (the first appearance on the latest date;
/// with no dated call, the last appearance). The sums are the report's (between its `rows from appearances` marks).
static MARKED_ROWS: LazyLock<String> = LazyLock::new(|| {
    let (begin, end) = ("-- rows from appearances: begin", "-- rows from appearances: end");
    let start = REPORT.find(begin).expect("the report marks where its sums begin");
    let stop = start + REPORT[start..].find(end).expect("the report marks where its sums end");
    let sums = REPORT[start..stop].trim_end().trim_end_matches(',');
    format!(
        "WITH appearances AS MATERIALIZED (
    SELECT p.participant_id, p.speaker_id, p.call_id, p.firm, p.turns AS questions, c.call_date, c.company_id,
           co.ticker
    FROM analyst_coverage_stale st
    JOIN participants p ON p.speaker_id = st.speaker_id
    JOIN calls c ON c.call_id = p.call_id
    JOIN companies co ON co.company_id = c.company_id
    WHERE st.speaker_id BETWEEN ?1 AND ?2 AND p.role = 'analyst'
),
{sums}
-- one row per analyst joins the firm and the tickers (joined to every appearance, the tickers would be sorted with
-- each of them)
SELECT s.speaker_id, l.firm, s.calls, s.companies, coalesce(t.tickers, '[]'), s.questions, s.first_call, s.last_call
FROM sums s
JOIN latest l ON l.speaker_id = s.speaker_id
LEFT JOIN tickers t ON t.speaker_id = s.speaker_id"
    )
});

/// Analysts built again per statement: each statement holds their appearances in memory while it sums them, so a
/// refresh of every analyst of a large archive (after a bulk import) stays within a few megabytes.
const CHUNK: usize = 128;

/// True when some analyst's row waits to be built again.
pub fn stale(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row("SELECT EXISTS (SELECT 1 FROM analyst_coverage_stale)", [], |r| r.get(0))
}

/// Builds the rows of the marked analysts again (an analyst with no appearance left loses their row) and clears the
/// marks, inside the caller's transaction. Returns how many analysts were marked.
pub fn refresh(tx: &Connection) -> rusqlite::Result<usize> {
    let marked: Vec<i64> = tx
        .prepare("SELECT speaker_id FROM analyst_coverage_stale ORDER BY speaker_id")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut remove = tx.prepare(
        "DELETE FROM analyst_coverage
         WHERE speaker_id BETWEEN ?1 AND ?2 AND speaker_id IN (SELECT speaker_id FROM analyst_coverage_stale)",
    )?;
    let mut build = tx.prepare(&format!(
        "INSERT INTO analyst_coverage (speaker_id, firm, calls, companies, tickers, questions, first_call, last_call)
         SELECT * FROM ({})",
        *MARKED_ROWS
    ))?;
    // Marked ids in order: each chunk is the marked analysts from its first id to its last.
    for chunk in marked.chunks(CHUNK) {
        let (first, last) = (chunk[0], chunk[chunk.len() - 1]);
        remove.execute([first, last])?;
        build.execute([first, last])?;
    }
    tx.execute("DELETE FROM analyst_coverage_stale", [])?;
    Ok(marked.len())
}
