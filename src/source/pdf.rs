//! PDF transcripts (company IR sites, FactSet CallStreet, Indian concalls): the text of every page in reading order,
//! with the page furniture taken out, handed to the layouts as any transcript text.
//!
//! Text comes from `pdf-extract` (pure Rust, on `lopdf`), chosen over the other pure-Rust reader measured on the
//! genuine samples because it keeps every line pdftotext keeps (the other dropped a page's first line) at the same
//! word recall. What a PDF adds around the speech is removed here, from evidence:
//! - **running headers and footers**: a line that stands among the first or last lines of most pages (digits read
//!   as one, so `Page 3 of 20` and a dated banner count as the same line);
//! - **page numbers** alone on a line at the top or bottom of a page, and **dotted rules** (kept as a paragraph
//!   break, which is what they mark between turns);
//! - a sentence that runs across a page break is joined, with no header in the middle of it.
//!
//! Lines a PDF writes letter by letter (`1 Q 2 3   F I N A N C I A L`) are closed up (`1Q23 FINANCIAL`).
//! What a page repeats is kept aside as [`PdfText::furniture`]: a copyright line there still names the company.

use std::collections::HashMap;

/// What could not be read, said in the user's terms.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    #[error("encrypted PDF: it needs a password to open, which calldb does not have; save an unprotected copy")]
    Encrypted,
    #[error(
        "no text in this PDF ({pages} pages): a scanned (image-only) document; run it through OCR (for example \
         `ocrmypdf`) and import the result"
    )]
    ImageOnly { pages: usize },
    #[error("damaged or incomplete PDF ({0}): not read; download it again")]
    Damaged(String),
}

/// The text of a PDF, ready for the layouts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PdfText {
    /// Every page's lines, furniture removed, pages joined.
    pub text: String,
    /// Pages in the file.
    pub pages: usize,
    /// The distinct running headers and footers removed, as written (a copyright line names the company).
    pub furniture: Vec<String>,
}

/// True when `bytes` is a PDF (its header within the first kilobyte, as readers accept it).
pub fn is_pdf(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    head.windows(5).any(|w| w == b"%PDF-")
}

/// Reads a PDF's text, page by page, and removes its page furniture.
pub fn read(bytes: &[u8]) -> Result<PdfText, PdfError> {
    let pages = page_texts(bytes)?;
    let words: usize = pages.iter().map(|p| p.split_whitespace().count()).sum();
    // A scanned page has no text layer; a few stray characters (a page number in a footer) are not a transcript.
    if words < 20 * pages.len().max(1) / 10 + 10 {
        return Err(PdfError::ImageOnly { pages: pages.len() });
    }
    Ok(clean(&pages))
}

/// Each page's text, laid out by [`PageText`] from the glyphs `pdf-extract` decodes. The reader runs under
/// `catch_unwind`: a font or stream it does not expect must cost this file, never the import.
fn page_texts(bytes: &[u8]) -> Result<Vec<String>, PdfError> {
    let mut doc = pdf_extract::Document::load_mem(bytes).map_err(|e| PdfError::Damaged(e.to_string()))?;
    let encrypted = doc.is_encrypted();
    let extracted = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut out = PageText::default();
        let result = if encrypted {
            // Most "encrypted" PDFs only restrict printing or copying and open with the empty password.
            pdf_extract::output_doc_encrypted(&mut doc, &mut out, "")
        } else {
            pdf_extract::output_doc(&doc, &mut out)
        };
        result.map(|()| out.pages)
    }));
    match extracted {
        Ok(Ok(pages)) => Ok(pages),
        Ok(Err(_)) if encrypted => Err(PdfError::Encrypted),
        Ok(Err(e)) => Err(PdfError::Damaged(format!("{e:?}"))),
        Err(panic) => {
            let why = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "the PDF reader failed".into());
            Err(if encrypted { PdfError::Encrypted } else { PdfError::Damaged(why) })
        }
    }
}

/// Lays glyphs out as lines of text. `pdf-extract`'s own plain-text writer puts a space only where a text-showing
/// operation starts, so words a PDF spaces by moving the pen inside one operation run together
/// (`CORPORATEPARTICIPANTS`); here every glyph's gap from the previous one is measured.
#[derive(Default)]
struct PageText {
    pages: Vec<String>,
    page: String,
    /// Height of the page, to turn PDF coordinates (up from the bottom) into reading order (down from the top).
    height: f64,
    /// Where the previous glyph ended and the line it stood on; `None` at a page's start.
    last: Option<(f64, f64)>,
}

impl pdf_extract::OutputDev for PageText {
    fn begin_page(
        &mut self,
        _page_num: u32,
        media_box: &pdf_extract::MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), pdf_extract::OutputError> {
        self.height = media_box.ury - media_box.lly;
        self.page.clear();
        self.last = None;
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), pdf_extract::OutputError> {
        self.pages.push(std::mem::take(&mut self.page));
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &pdf_extract::Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), pdf_extract::OutputError> {
        let size = font_size * (trm.m11 * trm.m22 - trm.m12 * trm.m21).abs().sqrt();
        let (x, y) = (trm.m31, self.height - trm.m32);
        if let Some((last_end, last_y)) = self.last {
            let down = y - last_y;
            if down.abs() > size * 0.5 {
                // A new line; a gap of more than one and a half lines is a new paragraph.
                self.page.push('\n');
                if down > size * 1.5 && x < last_end {
                    self.page.push('\n');
                }
            } else if x > last_end + size * 0.15 && !self.page.ends_with(' ') && !text.starts_with(' ') {
                self.page.push(' ');
            }
        }
        self.page.push_str(text);
        self.last = Some((x + width * size, y));
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
}

/// How many lines at the top and at the bottom of a page may be furniture.
const EDGE_LINES: usize = 4;

/// Removes page furniture and joins the pages (see the module documentation).
pub fn clean(pages: &[String]) -> PdfText {
    let pages: Vec<Vec<String>> = pages
        .iter()
        .map(|p| p.lines().map(|l| close_letter_spacing(l.trim_end())).map(|l| l.trim().to_string()).collect())
        .collect();
    // Lines standing at a page's edges, counted once per page.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for page in &pages {
        let mut on_page: Vec<String> = edge_lines(page).map(shape).collect();
        on_page.sort();
        on_page.dedup();
        for key in on_page {
            *seen.entry(key).or_default() += 1;
        }
    }
    // On most pages (three in five, and at least three): a speaker block that a page break reprints, or a line that
    // happens to stand at the top of two pages, is speech; a banner on nearly every page is not. A file of one or two
    // pages has no repetition to go by, and keeps its lines.
    let needed = (pages.len() * 3).div_ceil(5).max(3);
    let repeated = |line: &str| seen.get(&shape(line)).is_some_and(|n| *n >= needed);
    let mut furniture: Vec<String> = Vec::new();
    let mut kept_pages: Vec<Vec<String>> = Vec::with_capacity(pages.len());
    for (number, page) in pages.iter().enumerate() {
        let count = page.len();
        let non_blank: Vec<usize> = (0..count).filter(|&i| !page[i].is_empty()).collect();
        let edge: std::collections::HashSet<usize> =
            non_blank.iter().take(EDGE_LINES).chain(non_blank.iter().rev().take(EDGE_LINES)).copied().collect();
        let mut kept = Vec::with_capacity(count);
        // Past the first line of the page's own text: furniture from here on is a footer.
        let mut in_body = false;
        let mut title_footer: Vec<String> = Vec::new();
        for (i, line) in page.iter().enumerate() {
            if is_rule(line) {
                kept.push(String::new());
                continue;
            }
            let at_edge = edge.contains(&i);
            if at_edge && !line.is_empty() && (repeated(line) || is_page_number(line)) {
                if !is_page_number(line) && !furniture.iter().any(|f| shape(f) == shape(line)) {
                    furniture.push(line.clone());
                }
                // On the first page the running lines are the title block (company, period, date, a copyright line
                // naming the company): kept there once, without page numbers, a footer moved up to the header so
                // that no sentence is cut by it.
                if number == 0 && !is_page_number(line) {
                    if in_body {
                        title_footer.push(strip_page_number(line));
                    } else {
                        kept.push(strip_page_number(line));
                    }
                }
                continue;
            }
            in_body |= !line.is_empty();
            kept.push(line.clone());
        }
        // Blank lines at a page's top and bottom say nothing about paragraphs.
        while kept.last().is_some_and(|l| l.is_empty()) {
            kept.pop();
        }
        let start = kept.iter().position(|l| !l.is_empty()).unwrap_or(kept.len());
        kept.drain(..start);
        if !title_footer.is_empty() {
            let header_end = kept.iter().position(|l| l.is_empty()).unwrap_or(0);
            title_footer.push(String::new());
            kept.splice(header_end..header_end, title_footer);
        }
        kept_pages.push(kept);
    }
    let mut text = String::new();
    for page in kept_pages.iter().filter(|p| !p.is_empty()) {
        if !text.is_empty() {
            // A sentence cut by the page break runs on; a page that ends a sentence ends a paragraph.
            let last = text.trim_end().chars().last();
            let runs_on = !matches!(last, Some('.' | '?' | '!' | ':' | '"' | '”' | ')'));
            // Every line written ends with its line break already.
            if !runs_on {
                text.push('\n');
            }
        }
        let mut blank = false;
        for line in page {
            if line.is_empty() {
                if !blank {
                    text.push('\n');
                }
                blank = true;
            } else {
                text.push_str(line);
                text.push('\n');
                blank = false;
            }
        }
    }
    PdfText { text, pages: pages.len(), furniture }
}

/// The non-blank lines among the first and last [`EDGE_LINES`] of a page.
fn edge_lines(page: &[String]) -> impl Iterator<Item = &str> {
    let non_blank: Vec<&str> = page.iter().map(String::as_str).filter(|l| !l.is_empty()).collect();
    let head = non_blank.len().min(EDGE_LINES);
    let tail = non_blank.len().saturating_sub(EDGE_LINES).max(head);
    let mut lines: Vec<&str> = non_blank[..head].to_vec();
    lines.extend_from_slice(&non_blank[tail..]);
    lines.into_iter()
}

/// A line's shape for comparing furniture across pages: case and spacing ignored, every run of digits one `#`.
fn shape(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut last = ' ';
    for c in line.chars() {
        let c = if c.is_ascii_digit() {
            '#'
        } else if c.is_whitespace() {
            ' '
        } else {
            c.to_ascii_lowercase()
        };
        if (c == '#' || c == ' ') && c == last {
            continue;
        }
        out.push(c);
        last = c;
    }
    out.trim().to_string()
}

/// `3`, `- 3 -`, `Page 3`, `Page 3 of 20`, `3 | Page`: a page number alone on its line.
fn is_page_number(line: &str) -> bool {
    // Up to three digits: a year alone on a line is no page number.
    let number = |w: &str| (1..=3).contains(&w.len()) && w.chars().all(|c| c.is_ascii_digit());
    let words: Vec<String> = line
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '–' | '|' | '/'))
        .filter(|w| !w.is_empty())
        .map(|w| w.to_ascii_lowercase())
        .collect();
    !words.is_empty()
        && words.len() <= 4
        && words.iter().any(|w| number(w))
        && words.iter().all(|w| number(w) || w == "page" || w == "of")
}

/// A header line without the page number at its end (`… Earnings Call Transcript Page 1 of 20`, `… Inc.   1`).
fn strip_page_number(line: &str) -> String {
    let words: Vec<&str> = line.split_whitespace().collect();
    // The longest ending that reads as a page number (`Page 1 of 17`, not only `17`).
    for cut in words.len().saturating_sub(4)..words.len() {
        if cut > 0 && is_page_number(&words[cut..].join(" ")) {
            return words[..cut].join(" ");
        }
    }
    line.to_string()
}

/// A rule drawn with characters: dots, underscores, dashes or equals signs, nothing else.
fn is_rule(line: &str) -> bool {
    let body: Vec<char> = line.chars().filter(|c| !c.is_whitespace()).collect();
    body.len() >= 10 && body.iter().all(|c| matches!(c, '.' | '_' | '-' | '=' | '…' | '·'))
}

/// A line written letter by letter (`1 Q 2 3   F I N A N C I A L`): letters one space apart, words three or more.
/// Closed up when every word of the line is spaced so; any other line is left as written.
fn close_letter_spacing(line: &str) -> String {
    let trimmed = line.trim();
    let words: Vec<&str> = trimmed.split("  ").map(str::trim).filter(|w| !w.is_empty()).collect();
    let spaced = |w: &str| {
        let parts: Vec<&str> = w.split(' ').collect();
        parts.len() >= 2 && parts.iter().all(|p| p.chars().count() == 1)
    };
    let letters: usize = words.iter().map(|w| w.split(' ').count()).sum();
    if words.is_empty() || letters < 4 || !words.iter().all(|w| spaced(w)) {
        return line.to_string();
    }
    words.iter().map(|w| w.replace(' ', "")).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(n: usize, body: &str) -> String {
        format!("Northwind Bank (NWB)\nQ2 2024 Earnings Call\nCorrected Transcript\n\n{body}\n\nCopyright © 2024 Northwind Bank Inc.     {n}\n")
    }

    #[test]
    fn running_headers_footers_and_page_numbers_go_and_sentences_join() {
        let pages = vec![
            page(1, "ALICE ROWE: Good morning. Revenue rose\n..........................................."),
            page(2, "four percent in the quarter.\n\nBOB KING: Thank you."),
            page(3, "BOB KING: Margins held.\n\n3"),
        ];
        let cleaned = clean(&pages);
        // Kept once, at the top of the first page, as the title block; gone from the others.
        assert_eq!(cleaned.text.matches("Corrected Transcript").count(), 1, "{}", cleaned.text);
        assert!(cleaned.text.starts_with("Northwind Bank (NWB)\nQ2 2024 Earnings Call\nCorrected Transcript\n"));
        // A footer is gone from every page but the first, where it joins the title block (it names the company).
        assert_eq!(cleaned.text.matches("Copyright").count(), 1, "{}", cleaned.text);
        assert!(cleaned.text.contains("Corrected Transcript\nCopyright © 2024 Northwind Bank Inc.\n\nALICE ROWE"));
        assert!(cleaned.text.contains("Revenue rose\n\nfour percent") || cleaned.text.contains("Revenue rose\nfour"));
        assert!(!cleaned.text.contains("\n3\n"), "{}", cleaned.text);
        assert!(cleaned.furniture.iter().any(|f| f.starts_with("Copyright © 2024 Northwind Bank Inc.")));
        assert_eq!(cleaned.pages, 3);
    }

    #[test]
    fn a_sentence_cut_by_a_page_break_runs_on() {
        let pages = vec![page(1, "ALICE ROWE: Revenue rose"), page(2, "four percent."), page(3, "Next.")];
        let cleaned = clean(&pages);
        assert!(cleaned.text.contains("Revenue rose\nfour percent.\n\nNext."), "{:?}", cleaned.text);
    }

    #[test]
    fn letter_spaced_titles_close_up() {
        assert_eq!(close_letter_spacing("1 Q 2 3   F I N A N C I A L   R E S U L T S"), "1Q23 FINANCIAL RESULTS");
        assert_eq!(close_letter_spacing("T R A N S C R I P T"), "TRANSCRIPT");
        assert_eq!(close_letter_spacing("I am a B student"), "I am a B student");
        assert_eq!(close_letter_spacing("Q & A"), "Q & A");
    }

    #[test]
    fn page_numbers_and_rules() {
        for yes in ["3", "- 3 -", "Page 3", "Page 3 of 20", "3 | Page"] {
            assert!(is_page_number(yes), "{yes}");
        }
        for no in ["2023", "Q3 2023", "Page one", "3 analysts asked"] {
            assert!(!is_page_number(no), "{no}");
        }
        assert!(is_rule("........................................"));
        assert!(!is_rule("...and then"));
    }

    #[test]
    fn not_a_pdf_is_said_so() {
        assert!(!is_pdf(b"Operator: hello"));
        assert!(is_pdf(b"%PDF-1.7\n"));
        assert!(matches!(read(b"%PDF-1.7\n1 0 obj\n"), Err(PdfError::Damaged(_))));
    }
}
