//! Charts for HTML reports, drawn with `plotters` as inline SVG: offline, no script, readable in any browser.
//!
//! A report declares its chart in its header (`-- chart: KIND | X | Y [| SERIES [| COLUMN=VALUE]]`), and each kind is
//! the picture for one kind of question:
//! - `trend`: a rate over quarters (`YYYY Qn`) on a real time axis, so a gap of two years takes the room of eight
//!   quarters and a quarter with no call is a break in the line, not a step. A few series are labelled lines; more
//!   are small multiples: one panel of all of them together (each quarter's Y weighted by `weight=COLUMN`, so a rate
//!   per word stays a rate per word) and a panel for each series with the most, on shared axes (term-trend).
//! - `line`: one line per series over the x values in order, evenly spaced (categories, not time).
//! - `stacked`: each x value's share of Y by series, stacked to 100 % (talk-time: share of words by role per call).
//! - `count | DATE_COLUMN`: rows per calendar quarter, gaps included (calls over time).
//! - `bar`: one labelled horizontal bar per row.
//!
//! X may join several columns with `+` (`ticker+fiscal_period` labels a call `LPSN 2021 Q1`), and `COLUMN=VALUE`
//! keeps only the rows where a column has that value (talk-time charts its `level=role` rows). Axes have ticks,
//! numbers have thousands separators, and labels are given room so nothing is clipped.
//!
//! A chart is drawn only when it answers the question (a trend needs two quarters), and every row a chart leaves
//! out (no date, beyond the first calls shown, a series without a panel) is named in a footnote under it; the table
//! always has every row.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use rusqlite::types::Value;

use super::format::{counted, plain, ResultSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChartKind {
    Bar,
    Trend,
    Line,
    Stacked,
    Count,
}

/// A report's chart declaration.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct ChartSpec {
    pub kind: ChartKind,
    /// Label column(s), joined with `+`.
    pub x: String,
    /// Value column (empty for `count`).
    pub y: String,
    /// One line or stack segment per value of this column.
    pub series: Option<String>,
    /// Only rows where this column has this value.
    pub only: Option<(String, String)>,
    /// `trend`: the column that weighs each row when series are taken together (words, for a rate per word).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<String>,
}

impl ChartSpec {
    /// Parses the header value: `KIND | X | Y [| SERIES [| COLUMN=VALUE]]`, or `count | X`.
    pub fn parse(value: &str) -> Result<ChartSpec, String> {
        let parts: Vec<&str> = value.split('|').map(str::trim).collect();
        let usage = "a chart is `trend | quarter | y | series [| weight=column]`, `line | x | y | series`, \
                     `stacked | x | y | series [| column=value]`, `count | date column` or `bar | x | y`";
        let kind = match parts.first().copied() {
            Some("bar") => ChartKind::Bar,
            Some("trend") => ChartKind::Trend,
            Some("line") => ChartKind::Line,
            Some("stacked") => ChartKind::Stacked,
            Some("count") => ChartKind::Count,
            _ => return Err(usage.into()),
        };
        let need = match kind {
            ChartKind::Count => 2..=2,
            ChartKind::Bar => 3..=3,
            ChartKind::Line => 3..=4,
            ChartKind::Trend | ChartKind::Stacked => 4..=5,
        };
        if !need.contains(&parts.len()) || parts.iter().any(|p| p.is_empty()) {
            return Err(usage.into());
        }
        let (mut only, mut weight) = (None, None);
        if let Some(f) = parts.get(4) {
            let (c, v) = f.split_once('=').ok_or_else(|| usage.to_string())?;
            let (c, v) = (c.trim().to_string(), v.trim().to_string());
            match kind {
                ChartKind::Trend if c == "weight" => weight = Some(v),
                ChartKind::Stacked => only = Some((c, v)),
                _ => return Err(usage.into()),
            }
        }
        Ok(ChartSpec {
            kind,
            x: parts[1].to_string(),
            y: parts.get(2).map_or(String::new(), |s| s.to_string()),
            series: parts.get(3).map(|s| s.to_string()),
            only,
            weight,
        })
    }

    /// One line for `report show`.
    pub fn describe(&self) -> String {
        let base = match self.kind {
            ChartKind::Trend => format!("trend of {} over {} (a real time axis)", self.y, self.x),
            ChartKind::Line => format!("line of {} by {}", self.y, self.x),
            ChartKind::Stacked => format!("stacked share of {} per {}", self.y, self.x),
            ChartKind::Count => format!("rows per quarter of {}", self.x),
            ChartKind::Bar => format!("bars of {} by {}", self.y, self.x),
        };
        let series = self.series.as_ref().map(|s| format!(", one per {s}")).unwrap_or_default();
        let only = self.only.as_ref().map(|(c, v)| format!(" (rows where {c} = {v})")).unwrap_or_default();
        let weight = self.weight.as_ref().map(|w| format!(", taken together weighted by {w}")).unwrap_or_default();
        format!("{base}{series}{weight}{only}")
    }
}

/// Most categories a chart shows (calls in a stacked chart, bars); the table below it always has every row.
pub const MAX_POINTS: usize = 40;
/// Most lines in a line chart (the series with the largest totals).
pub const MAX_SERIES: usize = 10;
/// Most labelled lines in one trend chart; more series are drawn as small multiples.
pub const MAX_TREND_LINES: usize = 6;
/// Most panels of small multiples (the first is all series together).
pub const MAX_PANELS: usize = 12;

/// A number with thousands separators: `12,345`, `1,234.5`.
pub fn thousands(v: f64) -> String {
    let negative = v < 0.0;
    let v = v.abs();
    let whole = v.trunc() as u64;
    let frac = v - v.trunc();
    let digits = whole.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if frac > 1e-9 {
        let f = format!("{frac:.1}");
        if f == "1.0" {
            return thousands(if negative { -(v.round()) } else { v.round() });
        }
        out.push_str(&f[1..]);
    }
    if negative {
        format!("-{out}")
    } else {
        out
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Integer(i) => Some(*i as f64),
        Value::Real(f) => Some(*f),
        Value::Text(t) => t.trim().parse().ok(),
        _ => None,
    }
}

/// The label of a horizontal bar chart's row at axis position `v`: rows are drawn top down, so position 0 is the
/// last of `n` rows. Positions between rows or outside them have none.
fn row_label(v: f64, n: usize, label_of: impl Fn(usize) -> String) -> String {
    let i = v.round();
    if (v - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < n {
        label_of(n - 1 - i as usize)
    } else {
        String::new()
    }
}

fn short(s: &str, n: usize) -> String {
    if s.chars().count() > n {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    } else {
        s.to_string()
    }
}

/// The rows a chart uses, with the label of each (X columns joined with a space).
fn rows<'a>(rs: &'a ResultSet, spec: &ChartSpec) -> Option<Vec<(String, &'a [Value])>> {
    let xs: Vec<usize> = spec.x.split('+').map(|c| rs.column_index(c.trim())).collect::<Option<_>>()?;
    let only = match &spec.only {
        Some((c, v)) => Some((rs.column_index(c)?, v.as_str())),
        None => None,
    };
    Some(
        rs.rows
            .iter()
            .filter(|r| only.is_none_or(|(i, v)| plain(&r[i]) == v))
            .map(|r| (xs.iter().map(|i| plain(&r[*i])).collect::<Vec<_>>().join(" "), r.as_slice()))
            .collect(),
    )
}

const WIDTH: u32 = 960;
const HEIGHT: u32 = 460;
const LEGEND_WIDTH: u32 = 190;

fn colour(i: usize) -> RGBColor {
    // Tableau 10: distinct, readable, and kind to colour-blind readers.
    const P: [(u8, u8, u8); 10] = [
        (78, 121, 167),
        (242, 142, 43),
        (225, 87, 89),
        (118, 183, 178),
        (89, 161, 79),
        (237, 201, 72),
        (176, 122, 161),
        (255, 157, 167),
        (156, 117, 95),
        (186, 176, 172),
    ];
    let (r, g, b) = P[i % P.len()];
    RGBColor(r, g, b)
}

/// A chart as drawn for a page: the `<svg>` element (none when the rows cannot answer the chart's question), and
/// footnotes naming the rows it leaves out or why it is not drawn.
#[derive(Debug, Default)]
pub struct Chart {
    pub svg: Option<String>,
    pub notes: Vec<String>,
}

/// Draws a report's chart from its rows. No svg when the chart's columns are missing or the rows hold nothing to draw.
pub fn draw(rs: &ResultSet, spec: &ChartSpec) -> Chart {
    let mut buf = String::new();
    let mut notes = Vec::new();
    let drawn = match spec.kind {
        ChartKind::Trend => trend(rs, spec, &mut buf, &mut notes),
        ChartKind::Line => line(rs, spec, &mut buf),
        ChartKind::Stacked => stacked(rs, spec, &mut buf, &mut notes),
        ChartKind::Count => count(rs, spec, &mut buf, &mut notes),
        ChartKind::Bar => bar(rs, spec, &mut buf, &mut notes),
    };
    Chart { svg: drawn.filter(|ok| *ok).map(|_| buf), notes }
}

/// The chart's `<svg>` element alone.
pub fn svg(rs: &ResultSet, spec: &ChartSpec) -> Option<String> {
    draw(rs, spec).svg
}

/// `YYYY Qn` as a count of quarters (year × 4 + n − 1): quarters one apart are one apart on the axis.
fn quarter_index(s: &str) -> Option<i32> {
    let (year, quarter) = s.trim().split_once(" Q")?;
    let (year, quarter): (i32, i32) = (year.parse().ok()?, quarter.parse().ok()?);
    (1..=4).contains(&quarter).then_some(year * 4 + quarter - 1)
}

fn quarter_label(index: i32) -> String {
    format!("{} Q{}", index.div_euclid(4), index.rem_euclid(4) + 1)
}

/// Tick positions for a quarter axis with room for `room` labels: every quarter when they fit, else the first
/// quarter of every year (or of every second, fifth … year). The flag says the labels name quarters, not years.
fn quarter_ticks(first: i32, last: i32, room: i32) -> (Vec<i32>, bool) {
    if last - first < room {
        return ((first..=last).collect(), true);
    }
    let (y0, y1) = ((first + 3).div_euclid(4), last.div_euclid(4));
    let step = [1, 2, 5, 10, 20].into_iter().find(|s| (y1 - y0) / s < room).unwrap_or(50);
    ((y0..=y1).filter(|y| (y - y0) % step == 0).map(|y| y * 4).collect(), false)
}

/// One series of a trend: each quarter's weighted sum of Y and sum of weights.
type Quarters = std::collections::BTreeMap<i32, (f64, f64)>;

fn points(quarters: &Quarters) -> Vec<(i32, f64)> {
    quarters.iter().map(|(q, (yw, w))| (*q, if *w > 0.0 { yw / w } else { 0.0 })).collect()
}

/// Term trend: a rate per quarter on a real time axis; labelled lines for a few series, small multiples for more.
fn trend(rs: &ResultSet, spec: &ChartSpec, buf: &mut String, notes: &mut Vec<String>) -> Option<bool> {
    let yi = rs.column_index(&spec.y)?;
    let si = match &spec.series {
        Some(s) => Some(rs.column_index(s)?),
        None => None,
    };
    let wi = match &spec.weight {
        Some(w) => Some(rs.column_index(w)?),
        None => None,
    };
    let mut series: std::collections::BTreeMap<String, Quarters> = Default::default();
    let mut all = Quarters::new();
    let mut undrawn = 0;
    for (x, r) in rows(rs, spec)? {
        let (Some(q), Some(y)) = (quarter_index(&x), number(&r[yi])) else {
            undrawn += 1;
            continue;
        };
        let w = wi.map_or(Some(1.0), |i| number(&r[i])).unwrap_or(0.0);
        let name = si.map_or_else(|| spec.y.clone(), |i| plain(&r[i]));
        for e in [series.entry(name).or_default().entry(q).or_default(), all.entry(q).or_default()] {
            e.0 += y * w;
            e.1 += w;
        }
    }
    if undrawn > 0 {
        notes.push(format!("{} not drawn: no {} or no {}.", counted(undrawn, "row", "rows"), spec.x, spec.y));
    }
    let (first, last) = (*all.keys().next()?, *all.keys().next_back()?);
    if first == last {
        notes.push(format!("No chart: every row is in {}, so there is no trend to draw.", quarter_label(first)));
        return Some(false);
    }
    let series_name = spec.series.as_deref().unwrap_or("series");
    // (title, points, colour)
    type Panel = (String, Vec<(i32, f64)>, usize);
    let mut panels: Vec<Panel> = Vec::new();
    let lines = series.len() <= MAX_TREND_LINES;
    if lines {
        panels.extend(series.iter().enumerate().map(|(i, (name, q))| (name.clone(), points(q), i)));
    } else {
        let weighted = spec.weight.as_deref().map(|w| format!(", weighted by {w}")).unwrap_or_default();
        panels.push((format!("all {} {series_name}s together", series.len()), points(&all), 0));
        let mut ranked: Vec<(&String, &Quarters)> = series.iter().filter(|(_, q)| q.len() >= 2).collect();
        let with_two = ranked.len();
        let total = |q: &Quarters| q.values().map(|v| v.0).sum::<f64>();
        ranked.sort_by(|a, b| total(b.1).total_cmp(&total(a.1)).then(a.0.cmp(b.0)));
        ranked.truncate(MAX_PANELS - 1);
        panels.extend(ranked.iter().map(|(name, q)| ((*name).clone(), points(q), 0)));
        let single = series.len() - with_two;
        notes.push(if ranked.is_empty() {
            format!(
                "The {} {series_name}s each have one quarter, so the chart takes them together{weighted}; the table \
                 has each one.",
                series.len()
            )
        } else {
            let mut note = format!(
                "{} {series_name}s: the first panel takes them all together{weighted}; the others are the {} with the \
                 most {} of the {with_two} with two quarters or more",
                series.len(),
                ranked.len(),
                spec.y
            );
            if single > 0 {
                note.push_str(&format!("; {single} with one quarter are in the first panel only"));
            }
            format!("{note}.")
        });
    }
    let max = panels.iter().flat_map(|p| p.1.iter().map(|v| v.1)).fold(0.0_f64, f64::max);
    let max = if max > 0.0 { max * 1.1 } else { 1.0 };
    let axis = |room| {
        let (ticks, by_quarter) = quarter_ticks(first, last, room);
        (ticks, move |q: &i32| if by_quarter { quarter_label(*q) } else { q.div_euclid(4).to_string() })
    };
    {
        let one = lines || panels.len() == 1;
        let height = if one { HEIGHT } else { 50 + 230 * panels.len().div_ceil(3) as u32 };
        let root = SVGBackend::with_string(buf, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let caption = format!("{} by {}", spec.y, spec.x);
        let (title, body) = root.split_vertically(34);
        title
            .draw(&Text::new(
                caption,
                (12, 20),
                ("sans-serif", 17).into_font().color(&BLACK).pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .ok()?;
        let draw_panel = |area: &Area, name: Option<&str>, series: &[(&Vec<(i32, f64)>, usize)], big: bool| {
            let mut chart = ChartBuilder::on(area);
            chart.margin(if big { 12 } else { 8 }).margin_right(if big { 30 } else { 24 });
            let (ticks, label) = axis(if big { 10 } else { 4 });
            if let Some(name) = name {
                chart.caption(short(name, 40), ("sans-serif", 13));
            }
            let mut chart = chart
                .x_label_area_size(if big { 50 } else { 30 })
                .y_label_area_size(if big { 70 } else { 44 })
                .build_cartesian_2d((first..last).with_key_points(ticks), 0.0..max)
                .ok()?;
            let mut mesh = chart.configure_mesh();
            mesh.x_label_formatter(&label)
                .y_label_formatter(&|v| thousands(*v))
                .y_labels(if big { 10 } else { 4 })
                .label_style(("sans-serif", if big { 12 } else { 10 }))
                .axis_desc_style(("sans-serif", 13))
                .max_light_lines(1)
                .light_line_style(RGBColor(240, 240, 240));
            if big {
                mesh.x_desc(spec.x.as_str()).y_desc(spec.y.as_str());
            }
            mesh.draw().ok()?;
            for (points, c) in series {
                let c = colour(*c);
                // A quarter without a row breaks the line: the trend is not drawn across what is not there.
                let mut run: Vec<(i32, f64)> = Vec::new();
                for p in points.iter().copied().chain([(i32::MAX, 0.0)]) {
                    if run.last().is_some_and(|l| p.0 != l.0 + 1) {
                        if run.len() > 1 {
                            chart.draw_series(LineSeries::new(run.iter().copied(), c.stroke_width(2))).ok()?;
                        }
                        run.clear();
                    }
                    if p.0 != i32::MAX {
                        run.push(p);
                    }
                }
                chart.draw_series(points.iter().map(|p| Circle::new(*p, 3, c.filled()))).ok()?;
            }
            Some(())
        };
        if lines {
            let (plot, side) = body.split_horizontally(WIDTH - LEGEND_WIDTH);
            draw_panel(&plot, None, &panels.iter().map(|p| (&p.1, p.2)).collect::<Vec<_>>(), true)?;
            legend(&side, &panels.iter().map(|p| p.0.clone()).collect::<Vec<_>>())?;
        } else if panels.len() == 1 {
            draw_panel(&body, Some(&panels[0].0), &[(&panels[0].1, 0)], true)?;
        } else {
            let areas = body.split_evenly((panels.len().div_ceil(3), 3));
            for (area, p) in areas.iter().zip(&panels) {
                draw_panel(area, Some(&p.0), &[(&p.1, p.2)], false)?;
            }
        }
        root.present().ok()?;
    }
    Some(true)
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

fn legend(area: &Area, names: &[String]) -> Option<()> {
    for (i, name) in names.iter().enumerate() {
        let y = 50 + 22 * i as i32;
        area.draw(&Rectangle::new([(10, y - 6), (24, y + 6)], colour(i).filled())).ok()?;
        area.draw(&Text::new(
            short(name, 22),
            (30, y),
            ("sans-serif", 13).into_font().color(&BLACK).pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .ok()?;
    }
    Some(())
}

/// Term trend: one line per series over the x values in order (fiscal quarters sort as text: `2021 Q1` < `2021 Q2`).
fn line(rs: &ResultSet, spec: &ChartSpec, buf: &mut String) -> Option<bool> {
    let yi = rs.column_index(&spec.y)?;
    let si = match &spec.series {
        Some(s) => Some(rs.column_index(s)?),
        None => None,
    };
    let data = rows(rs, spec)?;
    let mut xs: Vec<String> = data.iter().map(|(x, _)| x.clone()).collect();
    xs.sort();
    xs.dedup();
    if xs.is_empty() {
        return Some(false);
    }
    // (name, points by x position, total)
    type Series = (String, Vec<(i32, f64)>, f64);
    let mut series: Vec<Series> = Vec::new();
    for (x, r) in &data {
        let Some(v) = number(&r[yi]) else { continue };
        let name = si.map_or_else(|| spec.y.clone(), |i| plain(&r[i]));
        let pos = xs.binary_search(x).ok()? as i32;
        match series.iter_mut().find(|s| s.0 == name) {
            Some(s) => {
                s.1.push((pos, v));
                s.2 += v;
            }
            None => series.push((name, vec![(pos, v)], v)),
        }
    }
    let total = series.len();
    series.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
    series.truncate(MAX_SERIES);
    series.sort_by(|a, b| a.0.cmp(&b.0));
    for s in &mut series {
        s.1.sort_by_key(|p| p.0);
    }
    let max = series.iter().flat_map(|s| s.1.iter().map(|p| p.1)).fold(0.0_f64, f64::max).max(1.0);
    let caption = format!(
        "{} per {}{}",
        spec.y,
        spec.x,
        if total > MAX_SERIES { format!(" ({MAX_SERIES} of {total} series with the most)") } else { String::new() }
    );
    {
        let root = SVGBackend::with_string(buf, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let (plot, side) = root.split_horizontally(WIDTH - LEGEND_WIDTH);
        let last = (xs.len() as i32 - 1).max(1);
        let mut chart = ChartBuilder::on(&plot)
            .caption(&caption, ("sans-serif", 17))
            .margin(12)
            .x_label_area_size(56)
            .y_label_area_size(70)
            .build_cartesian_2d(0..last, 0.0..max * 1.1)
            .ok()?;
        let label = |i: &i32| xs.get(*i as usize).cloned().unwrap_or_default();
        chart
            .configure_mesh()
            .x_labels(xs.len().min(12))
            .x_label_formatter(&label)
            .y_label_formatter(&|v| thousands(*v))
            .x_desc(spec.x.replace('+', " "))
            .y_desc(spec.y.as_str())
            .label_style(("sans-serif", 12))
            .axis_desc_style(("sans-serif", 13))
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .ok()?;
        for (i, (_, points, _)) in series.iter().enumerate() {
            let c = colour(i);
            chart.draw_series(LineSeries::new(points.iter().map(|p| (p.0, p.1)), c.stroke_width(2))).ok()?;
            chart.draw_series(points.iter().map(|p| Circle::new((p.0, p.1), 3, c.filled()))).ok()?;
        }
        legend(&side, &series.iter().map(|s| s.0.clone()).collect::<Vec<_>>())?;
        root.present().ok()?;
    }
    Some(true)
}

/// Talk time: per x value (a call), each series' share of Y, stacked to 100 %.
fn stacked(rs: &ResultSet, spec: &ChartSpec, buf: &mut String, notes: &mut Vec<String>) -> Option<bool> {
    let yi = rs.column_index(&spec.y)?;
    let si = rs.column_index(spec.series.as_deref()?)?;
    let data = rows(rs, spec)?;
    let mut xs: Vec<String> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut values: Vec<(usize, usize, f64)> = Vec::new();
    for (x, r) in &data {
        let Some(v) = number(&r[yi]) else { continue };
        let xi = match xs.iter().position(|e| e == x) {
            Some(i) => i,
            None if xs.len() < MAX_POINTS => {
                xs.push(x.clone());
                xs.len() - 1
            }
            None => continue,
        };
        let name = plain(&r[si]);
        let ni = names.iter().position(|n| *n == name).unwrap_or_else(|| {
            names.push(name);
            names.len() - 1
        });
        values.push((xi, ni, v));
    }
    if xs.is_empty() {
        return Some(false);
    }
    let all = data.iter().map(|(x, _)| x).collect::<std::collections::HashSet<_>>().len();
    if all > xs.len() {
        notes.push(format!(
            "The chart draws the first {} of the {all} values of {}, in the table's order; the table has every row.",
            xs.len(),
            spec.x.replace('+', " ")
        ));
    }
    let caption =
        format!("share of {} by {} per {}", spec.y, spec.series.as_deref().unwrap_or(""), spec.x.replace('+', " "));
    // Calls down the side (their labels read across, however many there are), shares along the bottom.
    let label_w = 20 + 7 * xs.iter().map(|x| x.chars().count().min(24)).max().unwrap_or(0) as u32;
    let n = xs.len();
    {
        let root = SVGBackend::with_string(buf, (WIDTH, 120 + 20 * n as u32)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let (plot, side) = root.split_horizontally(WIDTH - LEGEND_WIDTH);
        let mut chart = ChartBuilder::on(&plot)
            .caption(&caption, ("sans-serif", 17))
            .margin(12)
            .x_label_area_size(44)
            .y_label_area_size(label_w)
            .build_cartesian_2d(0.0..100.0, -0.5..(n as f64 - 0.5))
            .ok()?;
        let label = |v: &f64| row_label(*v, n, |i| short(&xs[i], 24));
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n + 1)
            .y_label_formatter(&label)
            .x_labels(11)
            .x_label_formatter(&|v| format!("{v:.0} %"))
            .x_desc(format!("share of {}", spec.y))
            .label_style(("sans-serif", 12))
            .axis_desc_style(("sans-serif", 13))
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .ok()?;
        for xi in 0..n {
            let total: f64 = values.iter().filter(|v| v.0 == xi).map(|v| v.2).sum();
            if total <= 0.0 {
                continue;
            }
            let y = (n - 1 - xi) as f64;
            let mut base = 0.0;
            for ni in 0..names.len() {
                let v: f64 = values.iter().filter(|v| v.0 == xi && v.1 == ni).map(|v| v.2).sum();
                if v <= 0.0 {
                    continue;
                }
                let top = base + 100.0 * v / total;
                chart.draw_series([Rectangle::new([(base, y - 0.38), (top, y + 0.38)], colour(ni).filled())]).ok()?;
                base = top;
            }
        }
        legend(&side, &names)?;
        root.present().ok()?;
    }
    Some(true)
}

/// Calls over time: rows per calendar quarter of a date column, quarters without rows shown as zero.
fn count(rs: &ResultSet, spec: &ChartSpec, buf: &mut String, notes: &mut Vec<String>) -> Option<bool> {
    let di = rs.column_index(&spec.x)?;
    let mut quarters: std::collections::BTreeMap<(i32, u32), u64> = std::collections::BTreeMap::new();
    let mut undated = 0;
    for r in &rs.rows {
        let d = plain(&r[di]);
        let Ok(date) = chrono::NaiveDate::parse_from_str(d.get(..10).unwrap_or(""), "%Y-%m-%d") else {
            undated += 1;
            continue;
        };
        *quarters.entry((chrono::Datelike::year(&date), (chrono::Datelike::month(&date) - 1) / 3 + 1)).or_default() +=
            1;
    }
    if undated > 0 {
        notes.push(format!(
            "{} without a {} {} not drawn.",
            counted(undated, "row", "rows"),
            spec.x,
            if undated == 1 { "is" } else { "are" }
        ));
    }
    let (first, last) = (*quarters.keys().next()?, *quarters.keys().next_back()?);
    let mut all = Vec::new();
    let mut q = first;
    while q <= last {
        all.push((format!("{} Q{}", q.0, q.1), quarters.get(&q).copied().unwrap_or(0)));
        q = if q.1 == 4 { (q.0 + 1, 1) } else { (q.0, q.1 + 1) };
    }
    let max = all.iter().map(|a| a.1).max().unwrap_or(1).max(1) as f64;
    let n = all.len();
    let caption = format!("rows per calendar quarter of {}", spec.x);
    {
        let root = SVGBackend::with_string(buf, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .caption(&caption, ("sans-serif", 17))
            .margin(14)
            .x_label_area_size(50)
            .y_label_area_size(70)
            .build_cartesian_2d(-0.5..(n as f64 - 0.5), 0.0..max * 1.15)
            .ok()?;
        // Labels read across: as many as fit (one in `every` quarters).
        let every = n.div_ceil(12).max(1);
        let label = |v: &f64| {
            let i = v.round();
            if (v - i).abs() < 1e-6 && i >= 0.0 && (i as usize).is_multiple_of(every) {
                all.get(i as usize).map(|a| a.0.clone()).unwrap_or_default()
            } else {
                String::new()
            }
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n + 1)
            .x_label_formatter(&label)
            .y_label_formatter(&|v| if v.fract().abs() < 1e-9 { thousands(*v) } else { String::new() })
            .x_desc("calendar quarter")
            .y_desc("rows")
            .label_style(("sans-serif", 12))
            .axis_desc_style(("sans-serif", 13))
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .ok()?;
        chart
            .draw_series(all.iter().enumerate().map(|(i, a)| {
                let x = i as f64;
                Rectangle::new([(x - 0.4, 0.0), (x + 0.4, a.1 as f64)], colour(0).filled())
            }))
            .ok()?;
        root.present().ok()?;
    }
    Some(true)
}

/// One horizontal bar per row, in row order.
fn bar(rs: &ResultSet, spec: &ChartSpec, buf: &mut String, notes: &mut Vec<String>) -> Option<bool> {
    let yi = rs.column_index(&spec.y)?;
    let valued: Vec<(String, f64)> =
        rows(rs, spec)?.into_iter().filter_map(|(x, r)| Some((x, number(&r[yi])?))).collect();
    if valued.is_empty() {
        return Some(false);
    }
    if valued.len() > MAX_POINTS {
        notes.push(format!(
            "The chart draws the first {MAX_POINTS} of {} rows, in the table's order; the table has every row.",
            valued.len()
        ));
    }
    let data = &valued[..valued.len().min(MAX_POINTS)];
    let n = data.len();
    let max = data.iter().map(|d| d.1).fold(0.0_f64, f64::max).max(1.0);
    let min = data.iter().map(|d| d.1).fold(0.0_f64, f64::min);
    let caption = format!("{} by {}", spec.y, spec.x.replace('+', " "));
    let label_w = 20 + 7 * data.iter().map(|d| d.0.chars().count().min(32)).max().unwrap_or(0) as u32;
    {
        let root = SVGBackend::with_string(buf, (WIDTH, 110 + 22 * n as u32)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .caption(&caption, ("sans-serif", 17))
            .margin(14)
            .x_label_area_size(46)
            .y_label_area_size(label_w)
            .build_cartesian_2d(min * 1.1..max * 1.1, -0.5..(n as f64 - 0.5))
            .ok()?;
        let label = |v: &f64| row_label(*v, n, |i| short(&data[i].0, 32));
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n + 1)
            .y_label_formatter(&label)
            .x_label_formatter(&|v| thousands(*v))
            .x_desc(spec.y.as_str())
            .label_style(("sans-serif", 12))
            .axis_desc_style(("sans-serif", 13))
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .ok()?;
        chart
            .draw_series(data.iter().enumerate().map(|(i, d)| {
                let y = (n - 1 - i) as f64;
                Rectangle::new([(0.0, y - 0.38), (d.1, y + 0.38)], colour(0).filled())
            }))
            .ok()?;
        root.present().ok()?;
    }
    Some(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Value {
        Value::Text(s.into())
    }

    #[test]
    fn numbers_get_thousands_separators() {
        assert_eq!(thousands(0.0), "0");
        assert_eq!(thousands(999.0), "999");
        assert_eq!(thousands(1234.0), "1,234");
        assert_eq!(thousands(1234567.5), "1,234,567.5");
        assert_eq!(thousands(-12345.0), "-12,345");
    }

    #[test]
    fn specs_parse_and_refuse_bad_headers() {
        let s = ChartSpec::parse("stacked | ticker+fiscal_period | words | role | level=role").unwrap();
        assert_eq!(s.kind, ChartKind::Stacked);
        assert_eq!(s.only, Some(("level".into(), "role".into())));
        assert!(ChartSpec::parse("count | call_date").is_ok());
        assert!(ChartSpec::parse("pie | a | b").is_err());
        assert!(ChartSpec::parse("stacked | a | b").is_err());
    }

    #[test]
    fn line_chart_draws_one_line_per_series_with_a_legend() {
        let rs = ResultSet {
            columns: vec!["ticker".into(), "fiscal_period".into(), "turns".into()],
            rows: vec![
                vec![t("ZZZ"), t("2021 Q1"), Value::Integer(1200)],
                vec![t("AAA"), t("2021 Q2"), Value::Integer(5)],
                vec![t("ZZZ"), t("2021 Q2"), Value::Integer(7)],
                vec![t("<b>"), t("2021 Q1"), Value::Integer(3)],
            ],
        };
        let spec = ChartSpec::parse("line | fiscal_period | turns | ticker").unwrap();
        let svg = svg(&rs, &spec).unwrap();
        assert!(svg.starts_with("<svg"));
        let lines =
            svg.split("<polyline").filter(|p| p.split('>').next().unwrap().contains("stroke-width=\"2\"")).count();
        assert_eq!(lines, 3, "{svg}");
        assert!(svg.contains("\nZZZ\n") && svg.contains("\nAAA\n"), "legend");
        assert!(svg.contains("&lt;b&gt;") && !svg.contains("<b>"), "escaped");
        assert!(svg.contains("1,") && svg.contains("2021 Q1") && svg.contains("2021 Q2"), "ticks");
        let missing = ChartSpec { y: "nope".into(), ..spec };
        assert!(super::svg(&rs, &missing).is_none());
    }

    #[test]
    fn stacked_chart_shares_add_up_per_call() {
        let rs = ResultSet {
            columns: vec!["call".into(), "level".into(), "role".into(), "words".into()],
            rows: vec![
                vec![t("A 2021 Q1"), t("role"), t("executive"), Value::Integer(300)],
                vec![t("A 2021 Q1"), t("role"), t("analyst"), Value::Integer(100)],
                vec![t("A 2021 Q1"), t("speaker"), t("analyst"), Value::Integer(100)],
                vec![t("B 2021 Q1"), t("role"), t("executive"), Value::Integer(50)],
            ],
        };
        let spec = ChartSpec::parse("stacked | call | words | role | level=role").unwrap();
        let svg = svg(&rs, &spec).unwrap();
        // Three segments (two for A, one for B), plus the two legend swatches.
        assert_eq!(svg.matches("<rect").count() - 1, 3 + 2, "{svg}");
        assert!(svg.contains("100 %"));
    }

    /// Lines of data (2 px), not of the mesh.
    fn data_lines(svg: &str) -> usize {
        svg.split("<polyline").filter(|p| p.split('>').next().unwrap().contains("stroke-width=\"2\"")).count()
    }

    fn trend_rows(rows: &[(&str, Option<&str>, f64, i64)]) -> ResultSet {
        ResultSet {
            columns: vec!["ticker".into(), "quarter".into(), "per_10k_words".into(), "words".into()],
            rows: rows
                .iter()
                .map(|(t_, q, y, w)| vec![t(t_), q.map_or(Value::Null, t), Value::Real(*y), Value::Integer(*w)])
                .collect(),
        }
    }

    #[test]
    fn quarters_sit_on_a_real_time_axis() {
        assert_eq!(quarter_index("2021 Q1").unwrap() - quarter_index("2020 Q4").unwrap(), 1);
        assert_eq!(quarter_index("2019 Q4").unwrap() - quarter_index("2018 Q1").unwrap(), 7);
        assert_eq!(quarter_label(quarter_index("2018 Q3").unwrap()), "2018 Q3");
        assert!(quarter_index("2021 Q5").is_none() && quarter_index("FY2021").is_none());
        // Quarters while they fit, then years.
        assert_eq!(quarter_ticks(8084, 8087, 10), ((8084..=8087).collect::<Vec<_>>(), true));
        let (ticks, by_quarter) = quarter_ticks(2018 * 4, 2024 * 4 + 2, 10);
        assert!(!by_quarter && ticks.iter().all(|q| q % 4 == 0) && ticks.len() == 7, "{ticks:?}");
    }

    #[test]
    fn a_few_series_are_labelled_lines_broken_where_a_quarter_has_no_row() {
        let rs = trend_rows(&[
            ("ACME", Some("2018 Q1"), 2.0, 5000),
            ("ACME", Some("2018 Q2"), 0.0, 5000),
            ("ACME", Some("2019 Q4"), 6.0, 5000),
            ("ACME", Some("2020 Q1"), 8.0, 5000),
            ("BOLT", Some("2019 Q4"), 1.0, 4000),
            ("BOLT", None, 3.0, 4000),
        ]);
        let spec = ChartSpec::parse("trend | quarter | per_10k_words | ticker | weight=words").unwrap();
        let drawn = draw(&rs, &spec);
        let svg = drawn.svg.unwrap();
        // ACME: two runs of two quarters (a line each) with the gap between them not drawn; BOLT: a single dot.
        assert_eq!(data_lines(&svg), 2, "{svg}");
        assert_eq!(svg.matches("<circle").count(), 5);
        assert!(svg.contains("\nACME\n") && svg.contains("\nBOLT\n"), "legend");
        assert_eq!(drawn.notes, ["1 row not drawn: no quarter or no per_10k_words."]);
    }

    #[test]
    fn many_series_are_small_multiples_with_all_of_them_first() {
        let mut rows = Vec::new();
        let names: Vec<String> = (0..20).map(|i| format!("T{i:02}")).collect();
        for (i, name) in names.iter().enumerate() {
            rows.push((name.as_str(), Some("2021 Q1"), i as f64, 1000));
            if i < 15 {
                rows.push((name.as_str(), Some("2021 Q2"), 1.0, 1000));
            }
        }
        let rs = trend_rows(&rows);
        let spec = ChartSpec::parse("trend | quarter | per_10k_words | ticker | weight=words").unwrap();
        let drawn = draw(&rs, &spec);
        let svg = drawn.svg.unwrap();
        assert!(svg.contains("all 20 tickers together"), "{svg}");
        // Eleven panels of the series with the most (T14 down to T04), none of those with one quarter.
        assert!(svg.contains("\nT14\n") && svg.contains("\nT04\n") && !svg.contains("\nT03\n"));
        assert!(!svg.contains("\nT19\n"));
        assert_eq!(data_lines(&svg), MAX_PANELS);
        assert_eq!(
            drawn.notes,
            ["20 tickers: the first panel takes them all together, weighted by words; the others are the 11 with \
              the most per_10k_words of the 15 with two quarters or more; 5 with one quarter are in the first panel \
              only."]
        );
    }

    #[test]
    fn series_taken_together_are_weighted() {
        // 2.0 per 10k words over 1,000 words and 4.0 over 3,000: together 3.5, not the plain mean 3.0.
        let mut q = Quarters::new();
        q.insert(8084, (2.0 * 1000.0 + 4.0 * 3000.0, 4000.0));
        q.insert(8085, (0.0, 0.0));
        assert_eq!(points(&q), [(8084, 3.5), (8085, 0.0)]);
    }

    #[test]
    fn one_quarter_is_no_trend() {
        let rs = trend_rows(&[("ACME", Some("2021 Q1"), 2.0, 5000), ("BOLT", Some("2021 Q1"), 1.0, 5000)]);
        let drawn = draw(&rs, &ChartSpec::parse("trend | quarter | per_10k_words | ticker").unwrap());
        assert!(drawn.svg.is_none());
        assert_eq!(drawn.notes, ["No chart: every row is in 2021 Q1, so there is no trend to draw."]);
    }

    #[test]
    fn dropped_rows_are_named_under_the_chart() {
        let rs = ResultSet {
            columns: vec!["call_date".into()],
            rows: vec![vec![t("2021-02-01")], vec![Value::Null], vec![t("2021-10-05")], vec![Value::Null]],
        };
        let drawn = draw(&rs, &ChartSpec::parse("count | call_date").unwrap());
        assert!(drawn.svg.is_some());
        assert_eq!(drawn.notes, ["2 rows without a call_date are not drawn."]);
        let bars = ResultSet {
            columns: vec!["who".into(), "words".into()],
            rows: (0..45).map(|i| vec![t(&format!("n{i}")), Value::Integer(i)]).collect(),
        };
        let drawn = draw(&bars, &ChartSpec::parse("bar | who | words").unwrap());
        assert!(drawn.svg.unwrap().contains("n39") && drawn.notes[0].contains("first 40 of 45 rows"));
    }

    #[test]
    fn count_chart_fills_empty_quarters() {
        let rs = ResultSet {
            columns: vec!["call_date".into()],
            rows: vec![vec![t("2021-02-01")], vec![t("2021-03-01")], vec![t("2021-10-05")]],
        };
        let svg = svg(&rs, &ChartSpec::parse("count | call_date").unwrap()).unwrap();
        for q in ["2021 Q1", "2021 Q2", "2021 Q3", "2021 Q4"] {
            assert!(svg.contains(q), "{q}");
        }
    }
}
