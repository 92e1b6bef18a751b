//! Inline SVG charts for HTML output: no network, no JavaScript, readable in any browser or mail client.

use std::fmt::Write as _;

use rusqlite::types::Value;

use super::format::{escape_html, plain, ResultSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChartKind {
    /// Horizontal bars: one labelled bar per row.
    Bar,
    /// A line through the rows in order, for trends over time.
    Line,
}

/// A report's chart declaration: which column labels the rows and which holds the numbers.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct ChartSpec {
    pub kind: ChartKind,
    pub x: String,
    pub y: String,
}

/// Most rows a chart shows; the table below it always has them all.
pub const MAX_POINTS: usize = 40;

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Integer(i) => Some(*i as f64),
        Value::Real(f) => Some(*f),
        Value::Text(t) => t.trim().parse().ok(),
        _ => None,
    }
}

fn short(s: &str, n: usize) -> String {
    if s.chars().count() > n {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    } else {
        s.to_string()
    }
}

fn tidy(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

/// The chart as an `<svg>` element, or `None` when the columns are missing or hold no numbers.
pub fn svg(rs: &ResultSet, spec: &ChartSpec) -> Option<String> {
    let xi = rs.column_index(&spec.x)?;
    let yi = rs.column_index(&spec.y)?;
    let points: Vec<(String, f64)> =
        rs.rows.iter().filter_map(|r| Some((plain(&r[xi]), number(&r[yi])?))).take(MAX_POINTS).collect();
    if points.is_empty() {
        return None;
    }
    let max = points.iter().map(|p| p.1).fold(0.0_f64, f64::max);
    let min = points.iter().map(|p| p.1).fold(0.0_f64, f64::min);
    let span = if max - min == 0.0 { 1.0 } else { max - min };
    let caption = format!(
        "{} by {}{}",
        spec.y,
        spec.x,
        if rs.rows.len() > MAX_POINTS { format!(" (first {MAX_POINTS} rows)") } else { String::new() }
    );
    let mut s = String::new();
    match spec.kind {
        ChartKind::Bar => {
            let (label_w, plot_w, row_h, top) = (220.0, 480.0, 22.0, 30.0);
            let height = top + row_h * points.len() as f64 + 40.0;
            let width = label_w + plot_w + 90.0;
            let x_of = |v: f64| label_w + (v - min) / span * plot_w;
            let _ = write!(
                s,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" role=\"img\" \
                 aria-label=\"{cap}\" font-family=\"system-ui,sans-serif\" font-size=\"12\">\
                 <title>{cap}</title><text x=\"{label_w}\" y=\"18\" font-weight=\"bold\">{cap}</text>",
                cap = escape_html(&caption)
            );
            for (i, (label, v)) in points.iter().enumerate() {
                let y = top + row_h * i as f64;
                let (x0, x1) = (x_of(0.0_f64.max(min)), x_of(*v));
                let (bx, bw) = if x1 >= x0 { (x0, x1 - x0) } else { (x1, x0 - x1) };
                let _ = write!(
                    s,
                    "<text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{label}</text>\
                     <rect x=\"{bx:.1}\" y=\"{ry}\" width=\"{bw:.1}\" height=\"{h}\" fill=\"#4e79a7\"/>\
                     <text x=\"{vx:.1}\" y=\"{ty}\">{value}</text>",
                    lx = label_w - 6.0,
                    ty = y + 15.0,
                    ry = y + 3.0,
                    h = row_h - 6.0,
                    vx = bx + bw + 4.0,
                    label = escape_html(&short(label, 32)),
                    value = escape_html(&tidy(*v)),
                );
            }
            let axis_y = top + row_h * points.len() as f64 + 4.0;
            let _ = write!(
                s,
                "<line x1=\"{label_w}\" y1=\"{top}\" x2=\"{label_w}\" y2=\"{axis_y}\" stroke=\"#333\"/>\
                 <line x1=\"{label_w}\" y1=\"{axis_y}\" x2=\"{x2}\" y2=\"{axis_y}\" stroke=\"#333\"/>\
                 <text x=\"{label_w}\" y=\"{ty}\">{lo}</text><text x=\"{x2}\" y=\"{ty}\" text-anchor=\"end\">{hi}</text>\
                 <text x=\"{mid}\" y=\"{ty2}\" text-anchor=\"middle\">{yname}</text></svg>",
                x2 = label_w + plot_w,
                ty = axis_y + 14.0,
                ty2 = axis_y + 30.0,
                mid = label_w + plot_w / 2.0,
                lo = escape_html(&tidy(min)),
                hi = escape_html(&tidy(max)),
                yname = escape_html(&spec.y),
            );
        }
        ChartKind::Line => {
            let (left, top, plot_w, plot_h) = (70.0, 30.0, 640.0, 240.0);
            let n = points.len();
            let step = if n > 1 { plot_w / (n - 1) as f64 } else { 0.0 };
            let y_of = |v: f64| top + plot_h - (v - min) / span * plot_h;
            let _ = write!(
                s,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"{cap}\" \
                 font-family=\"system-ui,sans-serif\" font-size=\"12\"><title>{cap}</title>\
                 <text x=\"{left}\" y=\"18\" font-weight=\"bold\">{cap}</text>\
                 <line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{b}\" stroke=\"#333\"/>\
                 <line x1=\"{left}\" y1=\"{b}\" x2=\"{r}\" y2=\"{b}\" stroke=\"#333\"/>\
                 <text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{hi}</text><text x=\"{lx}\" y=\"{b}\" text-anchor=\"end\">{lo}</text>",
                w = left + plot_w + 40.0,
                h = top + plot_h + 70.0,
                cap = escape_html(&caption),
                b = top + plot_h,
                r = left + plot_w,
                lx = left - 6.0,
                ty = top + 4.0,
                hi = escape_html(&tidy(max)),
                lo = escape_html(&tidy(min)),
            );
            let path: Vec<String> = points
                .iter()
                .enumerate()
                .map(|(i, (_, v))| format!("{:.1},{:.1}", left + step * i as f64, y_of(*v)))
                .collect();
            let _ = write!(
                s,
                "<polyline fill=\"none\" stroke=\"#4e79a7\" stroke-width=\"2\" points=\"{}\"/>",
                path.join(" ")
            );
            for (i, (label, v)) in points.iter().enumerate() {
                let x = left + step * i as f64;
                let _ = write!(
                    s,
                    "<circle cx=\"{x:.1}\" cy=\"{cy:.1}\" r=\"3\" fill=\"#4e79a7\"><title>{t}</title></circle>\
                     <text x=\"{x:.1}\" y=\"{vy:.1}\" text-anchor=\"middle\" font-size=\"10\">{val}</text>\
                     <text transform=\"translate({x:.1},{ly}) rotate(45)\" font-size=\"10\">{lab}</text>",
                    cy = y_of(*v),
                    vy = y_of(*v) - 6.0,
                    ly = top + plot_h + 12.0,
                    t = escape_html(&format!("{label}: {}", tidy(*v))),
                    val = escape_html(&tidy(*v)),
                    lab = escape_html(&short(label, 14)),
                );
            }
            s.push_str("</svg>");
        }
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bar_chart_has_axes_labels_and_escaped_values() {
        let rs = ResultSet {
            columns: vec!["who".into(), "words".into()],
            rows: vec![
                vec![Value::Text("<script>x</script>".into()), Value::Integer(120)],
                vec![Value::Text("B".into()), Value::Integer(60)],
            ],
        };
        let spec = ChartSpec { kind: ChartKind::Bar, x: "who".into(), y: "words".into() };
        let svg = svg(&rs, &spec).unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("&lt;script&gt;"));
        assert!(!svg.contains("<script>"));
        assert!(svg.contains(">120<") && svg.contains(">60<"));
        assert_eq!(svg.matches("<rect").count(), 2);
        let missing = ChartSpec { y: "nope".into(), ..spec };
        assert!(super::svg(&rs, &missing).is_none());
    }
}
