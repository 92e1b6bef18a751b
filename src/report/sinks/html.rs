//! A standalone HTML page: title, description, the parameters the report ran with and when it was generated, an
//! inline SVG chart (when the report declares one), and the table, sortable by clicking a header (a few lines of
//! inline script; no network). Every value is escaped.

use std::fmt::Write as _;
use std::io::Write;

use rusqlite::types::{Value, ValueRef};

use super::super::chart;
use super::super::format::{RenderOptions, ResultSet, TurnLookup};
use super::super::read::CitedTurn;
use super::{escape_html, owned, plain, Column, RowSink, Sink};

pub struct HtmlSink<'w, 'o> {
    out: &'w mut dyn Write,
    opts: RenderOptions<'o>,
    result: ResultSet,
}

impl<'w, 'o> HtmlSink<'w, 'o> {
    pub fn new(out: &'w mut dyn Write, opts: RenderOptions<'o>) -> Self {
        HtmlSink { out, opts, result: ResultSet::default() }
    }
}

impl RowSink for HtmlSink<'_, '_> {
    fn columns(&mut self, columns: &[Column]) -> std::io::Result<()> {
        self.result.columns = columns.iter().map(|c| c.name.clone()).collect();
        Ok(())
    }

    fn row(&mut self, row: &[ValueRef<'_>]) -> std::io::Result<()> {
        self.result.rows.push(row.iter().map(|v| owned(*v)).collect());
        Ok(())
    }
}

impl Sink for HtmlSink<'_, '_> {
    fn finish(self: Box<Self>) -> std::io::Result<usize> {
        let text = page(&self.result, &self.opts);
        self.out.write_all(text.as_bytes())?;
        self.out.flush()?;
        Ok(self.result.rows.len())
    }
}

/// Sorts the table by a clicked header: numbers as numbers, text as text; a second click reverses.
const SORT_SCRIPT: &str = "document.querySelectorAll('table.sortable th').forEach(function(th,i){\
th.addEventListener('click',function(){var tb=th.closest('table').tBodies[0];\
var asc=th.getAttribute('aria-sort')!=='ascending';\
th.closest('tr').querySelectorAll('th').forEach(function(h){h.removeAttribute('aria-sort')});\
th.setAttribute('aria-sort',asc?'ascending':'descending');\
var rows=Array.prototype.slice.call(tb.rows);\
rows.sort(function(a,b){var x=a.cells[i],y=b.cells[i];\
var nx=x.getAttribute('data-n'),ny=y.getAttribute('data-n');var r;\
if(nx!==null&&ny!==null){r=parseFloat(nx)-parseFloat(ny);}\
else if(nx!==null||ny!==null){r=nx!==null?-1:1;}\
else{r=x.textContent.localeCompare(y.textContent);}return asc?r:-r;});\
rows.forEach(function(r){tb.appendChild(r)});});});";

/// At most this many cited turns are printed whole under a table (a page of every mention in an archive would not
/// open); the rest are counted in a note.
const MAX_CITED_TURNS: usize = 200;

/// The turns the rows cite, in the order first cited (at most [`MAX_CITED_TURNS`]), and how many distinct turns the
/// rows cite in all.
fn cited_turns(rs: &ResultSet, column: usize, lookup: TurnLookup) -> (Vec<CitedTurn>, usize) {
    let mut seen = std::collections::HashSet::new();
    let mut turns = Vec::new();
    for r in &rs.rows {
        if let Some(Value::Integer(id)) = r.get(column) {
            if seen.insert(*id) && turns.len() < MAX_CITED_TURNS {
                turns.extend((lookup.0)(*id));
            }
        }
    }
    (turns, seen.len())
}

/// The cited turns, each with its call, speaker and section, under the anchor its rows link to.
fn write_cited_turns(s: &mut String, turns: &[CitedTurn], cited: usize) {
    if turns.is_empty() {
        return;
    }
    s.push_str("<h2>Turns cited</h2>\n");
    for turn in turns {
        let id = turn.turn_id;
        let section = turn.section.as_deref().map(|x| format!(" · {}", escape_html(x))).unwrap_or_default();
        let _ = write!(
            s,
            "<section class=\"turn\" id=\"turn-{id}\">\n<h3>{} · {}{section} · turn {id}</h3>\n",
            escape_html(&turn.call),
            escape_html(&turn.speaker)
        );
        for paragraph in turn.text.split('\n').filter(|p| !p.trim().is_empty()) {
            let _ = writeln!(s, "<p>{}</p>", escape_html(paragraph));
        }
        s.push_str("</section>\n");
    }
    if cited > turns.len() {
        let _ = writeln!(
            s,
            "<p class=\"note\">{} of the {cited} turns cited are printed here, and only their ids are links; narrow \
             the report, or read a turn's call with <code>calldb show</code>.</p>",
            turns.len()
        );
    }
}

fn page(rs: &ResultSet, opts: &RenderOptions) -> String {
    let title = opts.title.unwrap_or("calldb");
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{t}</title>\n<style>\n\
         body{{font-family:system-ui,sans-serif;margin:2rem;color:#222}}\
         table{{border-collapse:collapse;font-size:14px}}th,td{{border:1px solid #ccc;padding:4px 8px;vertical-align:top;text-align:left}}\
         th{{background:#f3f3f3;cursor:pointer;user-select:none;white-space:nowrap}}\
         th[aria-sort=ascending]::after{{content:' \\25B2'}}th[aria-sort=descending]::after{{content:' \\25BC'}}\
         td.num{{text-align:right;font-variant-numeric:tabular-nums}}td.null{{color:#999}}\
         dl.params{{display:grid;grid-template-columns:max-content auto;gap:2px 12px;font-size:14px}}dl.params dt{{font-weight:600}}\
         dl.params dd{{margin:0}}p.generated{{color:#666;font-size:13px}}\
         figure{{margin:0 0 1.5rem 0;max-width:100%;overflow-x:auto}}\
         figcaption,div.chart-note{{color:#555;font-size:13px;max-width:960px}}figcaption p,div.chart-note p{{margin:4px 0}}\
         section.turn{{max-width:960px;border-top:1px solid #ddd;margin-top:1rem}}section.turn h3{{font-size:15px;margin:8px 0}}\
         section.turn:target{{background:#fff8d6}}\n</style>\n</head>\n<body>\n<h1>{t}</h1>\n",
        t = escape_html(title),
    );
    if let Some(d) = opts.description.filter(|d| !d.is_empty()) {
        let _ = writeln!(s, "<p>{}</p>", escape_html(d));
    }
    if !opts.params.is_empty() {
        s.push_str("<dl class=\"params\">\n");
        for (name, value) in &opts.params {
            let _ = writeln!(s, "<dt>{}</dt><dd>{}</dd>", escape_html(name), escape_html(value));
        }
        s.push_str("</dl>\n");
    }
    if let Some(at) = &opts.generated_at {
        let _ = writeln!(s, "<p class=\"generated\">Generated {}</p>", escape_html(at));
    }
    if let Some(spec) = opts.chart {
        let drawn = chart::draw(rs, spec);
        let notes: String = drawn.notes.iter().map(|n| format!("<p>{}</p>", escape_html(n))).collect();
        match drawn.svg {
            Some(svg) if notes.is_empty() => {
                let _ = writeln!(s, "<figure>\n{svg}\n</figure>");
            }
            Some(svg) => {
                let _ = writeln!(s, "<figure>\n{svg}\n<figcaption>{notes}</figcaption>\n</figure>");
            }
            None if !notes.is_empty() => {
                let _ = writeln!(s, "<div class=\"chart-note\">{notes}</div>");
            }
            None => {}
        }
    }
    s.push_str("<table class=\"sortable\">\n<thead><tr>");
    for c in &rs.columns {
        let _ = write!(s, "<th>{}</th>", escape_html(c));
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    // Rows that cite a turn link to it; the turns follow the table.
    let turn_column = opts.turns.and(rs.column_index("turn_id"));
    let (turns, cited) = match (opts.turns, turn_column) {
        (Some(lookup), Some(column)) => cited_turns(rs, column, lookup),
        _ => (Vec::new(), 0),
    };
    let linked: std::collections::HashSet<i64> = turns.iter().map(|t| t.turn_id).collect();
    for r in &rs.rows {
        s.push_str("<tr>");
        for (i, v) in r.iter().enumerate() {
            match v {
                Value::Null => s.push_str("<td class=\"null\"></td>"),
                Value::Integer(id) if Some(i) == turn_column && linked.contains(id) => {
                    let _ = write!(s, "<td class=\"num\" data-n=\"{id}\"><a href=\"#turn-{id}\">{id}</a></td>");
                }
                Value::Integer(_) | Value::Real(_) => {
                    let text = plain(v);
                    let _ = write!(s, "<td class=\"num\" data-n=\"{text}\">{}</td>", escape_html(&text));
                }
                _ => {
                    let _ = write!(s, "<td>{}</td>", escape_html(&plain(v)).replace('\n', "<br>"));
                }
            }
        }
        s.push_str("</tr>\n");
    }
    let n = rs.rows.len();
    let _ = write!(s, "</tbody>\n</table>\n<p>{n} row{}</p>\n", if n == 1 { "" } else { "s" });
    for note in &opts.notes {
        let _ = writeln!(s, "<p class=\"note\">{}</p>", escape_html(note));
    }
    write_cited_turns(&mut s, &turns, cited);
    let _ = write!(s, "<script>{SORT_SCRIPT}</script>\n</body>\n</html>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turn(id: i64) -> Option<CitedTurn> {
        (id % 7 != 0).then(|| CitedTurn {
            turn_id: id,
            call: "ACME 2024 Q3 (2024-10-24)".into(),
            speaker: "Jane <Roe>, CFO (executive)".into(),
            section: Some("qa".into()),
            text: format!("Turn {id}, first paragraph.\nSecond & last."),
        })
    }

    fn rows(ids: impl Iterator<Item = i64>) -> ResultSet {
        ResultSet {
            columns: vec!["item".into(), "turn_id".into()],
            rows: ids.map(|i| vec![Value::Text(format!("item {i}")), Value::Integer(i)]).collect(),
        }
    }

    #[test]
    fn rows_link_to_the_turns_they_cite_printed_once_each() {
        let lookup = |id| turn(id);
        let opts = RenderOptions { turns: Some(TurnLookup(&lookup)), ..Default::default() };
        let html = page(&rows([3, 5, 3].into_iter()), &opts);
        assert_eq!(html.matches("<a href=\"#turn-3\">3</a>").count(), 2);
        assert_eq!(html.matches("id=\"turn-3\"").count(), 1);
        assert!(html.contains("<h3>ACME 2024 Q3 (2024-10-24) · Jane &lt;Roe&gt;, CFO (executive) · qa · turn 5</h3>"));
        assert!(html.contains("<p>Turn 5, first paragraph.</p>\n<p>Second &amp; last.</p>"));
        // A turn the archive does not have is not a link; without a lookup nothing is.
        let html = page(&rows([7].into_iter()), &opts);
        assert!(!html.contains("href=") && !html.contains("Turns cited"));
        let html = page(&rows([3].into_iter()), &RenderOptions::default());
        assert!(!html.contains("href=") && !html.contains("Turns cited"));
    }

    #[test]
    fn a_page_prints_at_most_its_share_of_cited_turns_and_says_so() {
        let lookup = |id| turn(id);
        let opts = RenderOptions { turns: Some(TurnLookup(&lookup)), ..Default::default() };
        let html = page(&rows((1..=400).filter(|i| i % 7 != 0)), &opts);
        assert_eq!(html.matches("<section class=\"turn\"").count(), MAX_CITED_TURNS);
        assert_eq!(html.matches("<a href=").count(), MAX_CITED_TURNS);
        assert!(html.contains(&format!("{MAX_CITED_TURNS} of the 343 turns cited are printed here")));
    }
}
