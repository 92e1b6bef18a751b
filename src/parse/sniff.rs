//! What a file that no layout reads looks like, so its error says something useful: the publisher it resembles,
//! or what is missing, never the same sentence for every file.

use std::sync::LazyLock;

use regex::Regex;

use super::header::{company_line, parse_schedule};
use super::{layout_names, Document};

/// How far into a file the evidence of a layout is looked for.
const HEAD_LINES: usize = 40;

static STREETEVENTS_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)streetevents|^e d i t e d\s+v e r s i o n|^event (?:transcript|brief)$").expect("valid regex")
});
static CAPIQ_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:CORPORATE PARTICIPANTS|CONFERENCE CALL PARTICIPANTS|PRESENTATION|QUESTIONS AND ANSWERS)$")
        .expect("valid regex")
});
static SEEKING_ALPHA_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^.{2,120}\((?:NYSE|NASDAQ|NYSEMKT|NYSEAMERICAN|AMEX|OTC|OTCQX|OTCPK|TSX)\s*:\s*[A-Z.\-]{1,8}\)\s+Q[1-4]\s+\d{4}\s+.*(?:Call|Conference|Presentation)")
        .expect("valid regex")
});
static QA_SESSION_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^question-and-answer session$").expect("valid regex"));

/// A sentence saying what the file looks like and which layouts calldb reads.
pub fn describe(doc: &Document) -> String {
    let layouts = layout_names().join(", ");
    let head: Vec<&str> = doc.content().iter().take(HEAD_LINES).map(|b| b.text).collect();
    if doc.blocks.is_empty() {
        return format!("the file has no text (calldb reads: {layouts})");
    }
    let chars = doc.text.chars().count().max(1);
    let odd = doc.text.chars().filter(|c| *c == '\u{fffd}' || ('\u{80}'..='\u{9f}').contains(c)).count();
    if odd * 20 > chars {
        return format!("binary data, not text ({odd} of {chars} characters are not text) (calldb reads: {layouts})");
    }
    // The publishers calldb reads are chosen by their own layouts; these messages are for files that resemble one
    // but lack what that layout needs.
    if head.iter().any(|l| STREETEVENTS_RE.is_match(l)) {
        return format!(
            "looks like a Refinitiv StreetEvents file, but without its title and section headings (`Presentation`, \
             `Questions and Answers`) (calldb reads: {layouts})"
        );
    }
    if head.iter().filter(|l| CAPIQ_RE.is_match(l)).count() >= 1 {
        return format!(
            "looks like an S&P Capital IQ transcript (`CORPORATE PARTICIPANTS` heading), but has no `PRESENTATION` or \
             `QUESTIONS AND ANSWERS` section (calldb reads: {layouts})"
        );
    }
    if head.iter().take(3).any(|l| SEEKING_ALPHA_RE.is_match(l))
        || doc.blocks.iter().any(|b| QA_SESSION_RE.is_match(b.text)) && head.contains(&"Executives")
    {
        return format!(
            "looks like a Seeking Alpha transcript, but its header is not followed by the `Executives` / `Analysts` \
             lists (calldb reads: {layouts})"
        );
    }
    if let Some(line) = head.iter().find(|l| company_line(l).is_some()) {
        let line = super::turns::clip(line);
        return format!(
            "found a fool.com-style company line (`{line}`) but no section heading such as `Prepared Remarks:` or \
             `Questions and Answers:`, and no `Full Conference Call Transcript` heading (calldb reads: {layouts})"
        );
    }
    if head.iter().any(|l| parse_schedule(l).is_ok()) {
        return format!(
            "found a call date but neither a classic fool.com header with `Prepared Remarks:` nor the 2025 layout's \
             `Full Conference Call Transcript` heading (calldb reads: {layouts})"
        );
    }
    if doc.from_html {
        return format!("a web page with no transcript in a layout calldb reads (calldb reads: {layouts})");
    }
    let lines = doc.content();
    let tabbed = doc.text.lines().filter(|l| l.contains('\t')).count();
    if lines.len() >= 10 && tabbed * 10 >= lines.len() * 8 {
        return format!(
            "a table of tab-separated columns ({tabbed} of {} lines), not a transcript (calldb reads: {layouts})",
            lines.len()
        );
    }
    let short = lines.iter().filter(|b| b.text.split_whitespace().count() <= 3).count();
    if lines.len() >= 20 && short * 10 >= lines.len() * 8 {
        return format!(
            "a table of one or a few tokens a line ({short} of {} lines), not a transcript (calldb reads: {layouts})",
            lines.len()
        );
    }
    let words: usize = lines.iter().map(|b| b.text.split_whitespace().count()).sum();
    if lines.len() <= 3 && words >= 100 {
        return format!(
            "one long paragraph ({words} words) with no speaker labels, headings or header, and it does not read as a \
             call's speech (calldb reads: {layouts})"
        );
    }
    format!("no transcript header in the first {HEAD_LINES} lines (calldb reads: {layouts})")
}
