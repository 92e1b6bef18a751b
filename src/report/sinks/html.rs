//! A standalone HTML page: title, description, the parameters the report ran with and when it was generated, an
//! inline SVG chart (when the report declares one), and the table, sortable by clicking a header (a few lines of
//! inline script; no network). Every value is escaped.

use std::fmt::Write as _;
use std::io::Write;

use rusqlite::types::{Value, ValueRef};

use super::super::chart;
use super::super::format::{RenderOptions, ResultSet};
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
         figcaption,div.chart-note{{color:#555;font-size:13px;max-width:960px}}figcaption p,div.chart-note p{{margin:4px 0}}\n</style>\n</head>\n<body>\n<h1>{t}</h1>\n",
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
    for r in &rs.rows {
        s.push_str("<tr>");
        for v in r {
            match v {
                Value::Null => s.push_str("<td class=\"null\"></td>"),
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
    let _ = write!(s, "<script>{SORT_SCRIPT}</script>\n</body>\n</html>\n");
    s
}
