//! Saved web pages (`.html`, `.htm`): turned into text block by block with a real HTML parser (html5ever, through
//! `scraper`), then read by the same layouts as text files.
//!
//! A saved page holds far more than the transcript (navigation, scripts, related articles). The transcript is
//! the innermost element holding most of the page's paragraph text (the article body), so that is what is turned
//! into text, one line per block element and per `<br>`; inline markup (`<strong>Jane Doe</strong> --
//! <em>CFO</em>`) stays on its line. The whole page body is kept too: when the article alone does not read (its
//! header stands outside it), the whole page is read instead. The page's
//! canonical address is the call's source URL. Line numbers in messages about a page count lines of this text.

use std::collections::HashMap;
use std::path::Path;

use ego_tree::NodeId;
use scraper::{ElementRef, Html, Node, Selector};

/// The text of a saved page.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// The article body as text, one block per line.
    pub text: String,
    /// The whole page body as text, for layouts whose header stands outside the article.
    pub body_text: String,
    /// `<link rel="canonical">` or `og:url`.
    pub canonical_url: Option<String>,
}

pub fn has_html_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

/// True when the bytes start like an HTML document (a `<!DOCTYPE html>` or `<html` near the top).
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    head.starts_with("<!doctype html") || head.starts_with("<html") || head.contains("<html")
}

/// Elements whose content is never part of the page's text.
const SKIPPED: &[&str] =
    &["script", "style", "noscript", "template", "svg", "iframe", "button", "form", "select", "input", "head", "nav"];

/// Elements that start a new line of text.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "aside",
    "table",
    "tr",
    "td",
    "th",
    "blockquote",
    "figure",
    "figcaption",
    "dd",
    "dt",
    "dl",
    "pre",
    "hr",
    "body",
];

pub fn to_text(html: &str) -> Page {
    let doc = Html::parse_document(html);
    let canonical_url = select_attr(&doc, r#"link[rel="canonical"]"#, "href")
        .or_else(|| select_attr(&doc, r#"meta[property="og:url"]"#, "content"));
    let body = Selector::parse("body").ok().and_then(|s| doc.select(&s).next()).unwrap_or_else(|| doc.root_element());
    let article = article_element(&doc).unwrap_or(body);
    Page { text: render(article), body_text: render(body), canonical_url }
}

fn select_attr(doc: &Html, selector: &str, attr: &str) -> Option<String> {
    let s = Selector::parse(selector).ok()?;
    doc.select(&s).find_map(|e| e.value().attr(attr)).map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// The article: the innermost element that holds most (four fifths) of the page's paragraph text, so a transcript
/// split over several containers (prepared remarks and Q&A in their own `<div>`s) is read whole.
fn article_element(doc: &Html) -> Option<ElementRef<'_>> {
    let p = Selector::parse("p").ok()?;
    let mut text_by_element: HashMap<NodeId, usize> = HashMap::new();
    let mut total = 0;
    for para in doc.select(&p) {
        let len: usize = para.text().map(str::len).sum();
        total += len;
        for ancestor in para.ancestors() {
            *text_by_element.entry(ancestor.id()).or_default() += len;
        }
    }
    let depth = |id: NodeId| doc.tree.get(id).map_or(0, |n| n.ancestors().count());
    let (id, _) =
        text_by_element.into_iter().filter(|&(_, len)| len * 5 >= total * 4).max_by_key(|&(id, _)| depth(id))?;
    doc.tree.get(id).and_then(ElementRef::wrap)
}

/// Text of an element: one line per block element and `<br>`, whitespace inside a line collapsed.
fn render(root: ElementRef) -> String {
    let mut out = Renderer::default();
    out.element(root);
    out.flush();
    out.text
}

#[derive(Default)]
struct Renderer {
    text: String,
    line: String,
}

impl Renderer {
    fn flush(&mut self) {
        let line = self.line.trim();
        if !line.is_empty() {
            self.text.push_str(line);
            self.text.push('\n');
        }
        self.line.clear();
    }

    fn push_text(&mut self, t: &str) {
        for (i, word) in t.split(char::is_whitespace).enumerate() {
            if i > 0 && !self.line.ends_with(' ') {
                self.line.push(' ');
            }
            self.line.push_str(word);
        }
    }

    fn element(&mut self, el: ElementRef) {
        let name = el.value().name();
        if SKIPPED.contains(&name) {
            return;
        }
        if name == "br" {
            self.flush();
            return;
        }
        let block = BLOCKS.contains(&name);
        if block {
            self.flush();
        }
        for child in el.children() {
            match child.value() {
                Node::Text(t) => self.push_text(t),
                Node::Element(_) => {
                    if let Some(e) = ElementRef::wrap(child) {
                        self.element(e);
                    }
                }
                _ => {}
            }
        }
        if block {
            self.flush();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_paragraphs_become_lines() {
        let page = to_text(
            r#"<!DOCTYPE html><html><head><title>t</title><link rel="canonical" href="https://example.com/a"/>
            <script>var x = "<p>not text</p>";</script></head><body><nav><p>Menu</p></nav>
            <div class="article"><p><strong>Acme Corp</strong> <span>(<a href="/q">NASDAQ:ACME</a>)</span><br/>Q1 2021
            Earnings Call<br/><span>May 4, 2021</span>, <em>5:00 p.m. ET</em></p><h2>Prepared Remarks:</h2>
            <p><strong>Jane Doe</strong> -- <em>Chief Executive Officer</em></p><p>Revenue   grew.</p></div>
            <footer><p>About us</p></footer></body></html>"#,
        );
        assert_eq!(
            page.text,
            "Acme Corp (NASDAQ:ACME)\nQ1 2021 Earnings Call\nMay 4, 2021, 5:00 p.m. ET\nPrepared Remarks:\n\
             Jane Doe -- Chief Executive Officer\nRevenue grew.\n"
        );
        assert_eq!(page.canonical_url.as_deref(), Some("https://example.com/a"));
        assert!(page.body_text.contains("About us") && !page.body_text.contains("Menu"));
        assert!(looks_like_html(b"  <!doctype html><html>"));
        assert!(!looks_like_html(b"Acme Corp (NASDAQ:ACME)"));
    }
}
