//! PDF transcripts through the CLI: PDFs the tests write themselves (a fictional company's call in the classic layout,
//! laid out on pages with a running header and footer), compared with the same call imported as text; and the PDFs
//! that cannot be read (image-only, damaged, not a PDF at all) failing alone with a clear message.

mod common;

use std::path::Path;

use common::{sample_text, Env};

/// Writes a PDF of `pages`, each a list of lines set in Helvetica 10 pt from the top of a Letter page. Only what a
/// reader needs: catalog, page tree, pages, one font, a content stream per page, and the cross-reference table.
fn write_pdf(path: &Path, pages: &[Vec<String>]) {
    let escape = |s: &str| s.replace('\\', "\\\\").replace('(', "\\(").replace(')', "\\)");
    let n = pages.len();
    // Objects: 1 catalog, 2 pages, 3 font, then per page: page object, content stream.
    let mut objects: Vec<String> = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".into(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {n} >>",
            (0..n).map(|i| format!("{} 0 R", 4 + 2 * i)).collect::<Vec<_>>().join(" ")
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".into(),
    ];
    for (i, lines) in pages.iter().enumerate() {
        let mut stream = String::from("BT /F1 10 Tf 12 TL 56 750 Td\n");
        for line in lines {
            stream.push_str(&format!("({}) Tj T*\n", escape(line)));
        }
        stream.push_str("ET\n");
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            5 + 2 * i
        ));
        objects.push(format!("<< /Length {} >>\nstream\n{stream}endstream", stream.len()));
    }
    let mut out = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.push_str(&format!("{} 0 obj\n{body}\nendobj\n", i + 1));
    }
    let xref = out.len();
    out.push_str(&format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1));
    for o in offsets {
        out.push_str(&format!("{o:010} 00000 n \n"));
    }
    out.push_str(&format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1));
    std::fs::write(path, out).unwrap();
}

/// The sample call as plain ASCII lines wrapped at 90 characters, blank lines kept (paragraph breaks).
fn wrapped_lines(text: &str) -> Vec<String> {
    let ascii: String = text
        .chars()
        .map(|c| match c {
            '\u{2019}' | '\u{2018}' => '\'',
            '\u{201C}' | '\u{201D}' => '"',
            '\u{2013}' | '\u{2014}' => '-',
            c if c.is_ascii() => c,
            _ => '?',
        })
        .collect();
    let mut lines = Vec::new();
    for line in ascii.lines() {
        let mut current = String::new();
        for word in line.split_whitespace() {
            if !current.is_empty() && current.len() + word.len() + 1 > 90 {
                lines.push(std::mem::take(&mut current));
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        }
        lines.push(current);
    }
    lines
}

/// Speakers and words of the only call in the archive.
fn turns(env: &Env) -> Vec<(String, i64)> {
    let conn = env.conn();
    let mut stmt = conn.prepare("SELECT coalesce(speaker, ''), words FROM v_turns ORDER BY ordinal").unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
}

#[test]
fn a_pdf_transcript_imports_as_its_text_does_without_page_furniture() {
    let lines = wrapped_lines(&sample_text("acme-robotics-q1-2021.txt"));
    // Three pages of 45 lines, each with a running header and a page-numbered footer; page breaks fall where they
    // fall, inside paragraphs and sentences.
    let per_page = lines.len().div_ceil(3);
    let pages: Vec<Vec<String>> = lines
        .chunks(per_page)
        .enumerate()
        .map(|(i, chunk)| {
            let mut page = vec!["ACME Robotics - Q1 2021 Earnings Call Transcript".to_string(), String::new()];
            page.extend(chunk.iter().cloned());
            page.extend([String::new(), format!("Page {} of 3", i + 1)]);
            page
        })
        .collect();
    let text_env = Env::new();
    let text_file = text_env.path("acme.txt");
    std::fs::write(&text_file, lines.join("\n") + "\n").unwrap();
    text_env.calldb(&["import", text_file.to_str().unwrap()]).assert().success();
    let expected = turns(&text_env);
    assert!(expected.len() > 10);

    let env = Env::new();
    let folder = env.path("pdfs");
    std::fs::create_dir(&folder).unwrap();
    write_pdf(&folder.join("acme-q1-2021.pdf"), &pages);
    // A folder of PDFs: picked up by default.
    env.calldb(&["import", folder.to_str().unwrap()])
        .assert()
        .success()
        .stderr(predicates::str::contains("1 imported"));
    let got = turns(&env);
    let speakers = |t: &[(String, i64)]| t.iter().map(|(s, _)| s.clone()).collect::<Vec<_>>();
    assert_eq!(speakers(&got), speakers(&expected));
    let words = |t: &[(String, i64)]| t.iter().map(|(_, w)| w).sum::<i64>();
    assert_eq!(words(&got), words(&expected), "page furniture in speech, or speech lost");
    assert_eq!(
        env.count("SELECT count(*) FROM v_turns WHERE text LIKE '%Page 2 of 3%' OR text LIKE '%Transcript%'"),
        0
    );
    // `check` shows what would be archived.
    env.calldb(&["check", folder.join("acme-q1-2021.pdf").to_str().unwrap()]).assert().success();
}

#[test]
fn unreadable_pdfs_fail_alone_with_what_is_wrong() {
    let env = Env::new();
    let folder = env.path("pdfs");
    std::fs::create_dir(&folder).unwrap();
    // Image-only: pages with no text layer (a scan).
    write_pdf(&folder.join("scan.pdf"), &[vec![], vec![]]);
    // Damaged: a download cut short.
    let whole = folder.join("whole.pdf");
    write_pdf(&whole, &[wrapped_lines(&sample_text("initech-q2-2021.txt"))]);
    let bytes = std::fs::read(&whole).unwrap();
    std::fs::write(folder.join("cut.pdf"), &bytes[..bytes.len() / 3]).unwrap();
    // Named .pdf, but not one.
    std::fs::write(folder.join("fake.pdf"), "<html>Access denied</html>").unwrap();
    let out = env.calldb(&["import", folder.to_str().unwrap()]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("scan.pdf") && stderr.contains("image-only"), "{stderr}");
    assert!(stderr.contains("cut.pdf") && stderr.contains("damaged"), "{stderr}");
    assert!(stderr.contains("fake.pdf"), "{stderr}");
    assert!(stderr.contains("1 imported") && stderr.contains("3 failed"), "{stderr}");
    assert_eq!(env.count("SELECT count(*) FROM calls"), 1);
}

/// A fictional bank's call in the CallStreet layout, on pages: the title block, the two section headings, speaker
/// blocks with `Title, Company` and `Q`/`A` marks, an inline operator, a block the page break reprints in the middle
/// of a turn, and the closing disclaimer.
#[test]
fn a_callstreet_pdf_reads_speaker_blocks_and_facts() {
    let rule = ".".repeat(120);
    let pages: Vec<Vec<String>> = vec![
        vec![
            "2Q24 FINANCIAL RESULTS",
            "",
            "EARNINGS CALL TRANSCRIPT",
            "",
            "July 12, 2024",
            "MANAGEMENT DISCUSSION SECTION",
            "",
            "Operator: Good morning. Welcome to Harbor Ridge Bank's Second Quarter 2024 Earnings Call. I will now",
            "turn the call over to our Chief Financial Officer, Nadia Ferris.",
            &rule,
            "Nadia Ferris",
            "Chief Financial Officer, Harbor Ridge Bancorp, Inc.",
            "",
            "Thank you, and good morning. Net income was $1.2 billion and deposits grew 3% in the quarter, led by",
            "our commercial franchise. Expenses were flat and credit remained solid.",
            "QUESTION AND ANSWER SECTION",
            "",
            "Operator: Our first question comes from Leo Brandt with Crestline Partners. Please go ahead.",
            &rule,
            "Leo Brandt",
            "Analyst, Crestline Partners LLC  Q",
            "",
            "Good morning. Can you talk about the outlook for deposit costs in the second half and whether",
        ]
        .into_iter()
        .map(String::from)
        .collect(),
        vec![
            "Leo Brandt",
            "Analyst, Crestline Partners LLC  Q",
            "",
            "betas have peaked?",
            &rule,
            "Nadia Ferris",
            "Chief Financial Officer, Harbor Ridge Bancorp, Inc.  A",
            "",
            "We think they are close to the peak. Thank you for the question.",
            "",
            "Operator: That concludes today's call.",
            "",
            "Disclaimer",
            "This transcript may contain forward-looking statements within the meaning of the securities laws.",
        ]
        .into_iter()
        .map(String::from)
        .collect(),
    ];
    let env = Env::new();
    let file = env.path("hrb-2q24.pdf");
    write_pdf(&file, &pages);
    let out = env.calldb(&["import", file.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let fact = |sql: &str| -> String { env.conn().query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        fact("SELECT layout || '|' || company || '|' || fiscal_year || ' Q' || fiscal_quarter || '|' || call_date FROM v_calls"),
        "callstreet|Harbor Ridge Bancorp, Inc.|2024 Q2|2024-07-12"
    );
    let got: Vec<(String, String, String)> = {
        let conn = env.conn();
        let mut stmt = conn.prepare("SELECT speaker, section, kind FROM v_turns ORDER BY ordinal").unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect()
    };
    let want = [
        ("Operator", "prepared_remarks", "operator"),
        ("Nadia Ferris", "prepared_remarks", "remarks"),
        ("Operator", "qa", "operator"),
        ("Leo Brandt", "qa", "question"),
        ("Nadia Ferris", "qa", "answer"),
        ("Operator", "qa", "operator"),
    ];
    let got_ref: Vec<(&str, &str, &str)> = got.iter().map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str())).collect();
    assert_eq!(got_ref, want);
    // The question runs on across the page break, without the reprinted block.
    let question = fact("SELECT text FROM v_turns WHERE speaker = 'Leo Brandt'");
    assert!(question.contains("whether") && question.ends_with("betas have peaked?"), "{question}");
    assert!(!question.contains("Analyst, Crestline"), "{question}");
    assert_eq!(fact("SELECT firm FROM v_turns WHERE speaker = 'Leo Brandt'"), "Crestline Partners LLC");
    assert_eq!(fact("SELECT role FROM v_turns WHERE speaker = 'Nadia Ferris' LIMIT 1"), "executive");
    assert_eq!(env.count("SELECT count(*) FROM v_turns WHERE text LIKE '%forward-looking%'"), 0);
}
