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
        objects.push(format!("<< /Length {} >>\nstream\n{stream}endstream", win_ansi(&stream).len()));
    }
    let mut out: Vec<u8> = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(win_ansi(&format!("{} 0 obj\n{body}\nendobj\n", i + 1)));
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").bytes());
    }
    out.extend(format!("trailer\n<< /Size {} /Root 1 0 R /ID [<6361 6c6c 6462 2d66 6978 7475 7265 2d31> <6361 6c6c 6462 2d66 6978 7475 7265 2d31>] >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).bytes());
    std::fs::write(path, out).unwrap();
}

/// Text in the font's WinAnsi encoding: ASCII as is, and the few typographic characters the fixtures use.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '\u{2013}' => 0x96,
            '\u{2014}' => 0x97,
            '\u{2019}' => 0x92,
            '\u{00A9}' => 0xA9,
            c if c.is_ascii() => c as u8,
            _ => b'?',
        })
        .collect()
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

/// Lines of one page: a running header, the body, and a page-numbered footer.
fn page_of(header: &[&str], body: &[&str], footer: Option<String>) -> Vec<String> {
    let mut page: Vec<String> = header.iter().map(|s| s.to_string()).collect();
    page.push(String::new());
    page.extend(body.iter().map(|s| s.to_string()));
    if let Some(f) = footer {
        page.push(String::new());
        page.push(f);
    }
    page
}

/// Imports one PDF into a fresh archive; returns the archive and (speaker, section, kind) of every turn.
fn import_pdf(pages: &[Vec<String>], name: &str) -> (Env, Vec<(String, String, String)>) {
    import_pdf_with(pages, name, &[])
}

/// [`import_pdf`] with more import options.
fn import_pdf_with(pages: &[Vec<String>], name: &str, options: &[&str]) -> (Env, Vec<(String, String, String)>) {
    let env = Env::new();
    let file = env.path(name);
    write_pdf(&file, pages);
    let mut args = vec!["import"];
    args.extend_from_slice(options);
    args.push(file.to_str().unwrap());
    let out = env.calldb(&args).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let turns = {
        let conn = env.conn();
        let mut stmt = conn.prepare("SELECT speaker, section, kind FROM v_turns ORDER BY ordinal").unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect()
    };
    (env, turns)
}

fn one(env: &Env, sql: &str) -> String {
    env.conn().query_row(sql, [], |r| r.get::<_, Option<String>>(0)).unwrap().unwrap_or_default()
}

/// A bank's own layout with `NAME: speech` in capitals, a title block and a copyright line on every page.
#[test]
fn a_capitals_name_speech_pdf_takes_its_company_from_the_copyright_line() {
    let header = ["TRANSCRIPT", "Northgate Second Quarter 2024 Earnings Review", "July 16, 2024"];
    let footer = |n: usize| Some(format!("Copyright © 2024 Northgate Inc.     {n}"));
    let pages = vec![
        page_of(
            &header,
            &[
                "Host",
                "Dana Pike, Head of Investor Relations",
                "",
                "Speakers",
                "Omar Hale, Northgate Chief Financial Officer",
                "",
                "PRESENTATION",
                "",
                "OPERATOR: Hello, and welcome to Northgate's Second Quarter 2024 Earnings Review. Ms. Pike, you",
                "may begin.",
                "",
                "DANA PIKE: Thank you, operator. Good morning, and thank you all for joining us today.",
                "",
                "OMAR HALE: Thank you, Dana. Revenues grew 6% from a year ago and expenses were down 2%. We",
                "continued to simplify the firm and to invest in our technology.",
            ],
            footer(1),
        ),
        page_of(
            &header,
            &[
                "QUESTION AND ANSWER",
                "",
                "OPERATOR: Our first question is from Rita Vogel with Halden Securities.",
                "",
                "RITA VOGEL: Good morning. How should we think about deposit costs for the rest of the year?",
                "",
                "OMAR HALE: We expect them to stabilize in the second half.",
                "",
                "RITA VOGEL: Thank you.",
                "",
                "OPERATOR: Our next question is from Sam Ortiz with Keel Partners.",
            ],
            footer(2),
        ),
        page_of(
            &header,
            &[
                "SAM ORTIZ: Hi. Can you talk about the expense outlook?",
                "",
                "OMAR HALE: Expenses should be flat for the full year.",
                "",
                "SAM ORTIZ: Thanks.",
                "",
                "OPERATOR: There are no further questions. Ms. Pike, please go ahead.",
                "",
                "DANA PIKE: Thank you all for joining us today.",
                "",
                "Certain statements in this transcript are forward-looking statements within the meaning of the",
                "securities laws, and actual results may differ materially.",
            ],
            footer(3),
        ),
    ];
    // The companies file holds the registered name; the PDF uses the brand.
    let companies = Env::new();
    let list = companies.path("companies.csv");
    std::fs::write(&list, "name,ticker\n\"Northgate Bancorp, Inc.\",NGB\nNorthwind Corp,NWC\n").unwrap();
    let (env, turns) = import_pdf_with(&pages, "northgate-2q24.pdf", &["--companies", list.to_str().unwrap()]);
    assert_eq!(
        one(&env, "SELECT layout || '|' || ticker || '|' || company || '|' || fiscal_year || ' Q' || fiscal_quarter || '|' || call_date FROM v_calls"),
        "name-speech|NGB|Northgate Inc.|2024 Q2|2024-07-16"
    );
    // The Host and Speakers lists say who is who.
    assert_eq!(one(&env, "SELECT role FROM v_turns WHERE speaker = 'DANA PIKE' LIMIT 1"), "investor_relations");
    assert_eq!(
        one(&env, "SELECT role || '|' || title FROM participants WHERE title LIKE '%Financial%'"),
        "executive|Northgate Chief Financial Officer"
    );
    let speakers: Vec<&str> = turns.iter().map(|(s, _, _)| s.as_str()).collect();
    assert_eq!(
        speakers,
        [
            "OPERATOR",
            "DANA PIKE",
            "OMAR HALE",
            "OPERATOR",
            "RITA VOGEL",
            "OMAR HALE",
            "RITA VOGEL",
            "OPERATOR",
            "SAM ORTIZ",
            "OMAR HALE",
            "SAM ORTIZ",
            "OPERATOR",
            "DANA PIKE"
        ]
    );
    assert_eq!(turns[0].2, "operator");
    assert_eq!(turns[4].1, "qa");
    assert_eq!(
        env.count("SELECT count(*) FROM v_turns WHERE text LIKE '%Copyright%' OR text LIKE '%July 16, 2024%' OR text LIKE '%forward-looking%'"),
        0
    );
}

/// A bank's layout with participants lists, `Name – Firm – Title` speaker lines, its disclaimer first and a running
/// title that gives the period and date.
#[test]
fn a_name_firm_title_pdf_reads_its_lists_and_running_title() {
    let header = ["Lakeshore Bank Group – Q1 2024 Earnings Call Transcript – March 05, 2024"];
    let footer = |n: usize| Some(format!("Page {n} of 3"));
    let pages = vec![
        page_of(
            &header,
            &[
                "Q1 2024 EARNINGS CONFERENCE CALL",
                "DISCLAIMER",
                "THIS TRANSCRIPT IS A TEXTUAL REPRESENTATION OF THE CONFERENCE CALL AND MAY CONTAIN ERRORS.",
                "",
                // Letter-spaced headings some PDFs extract without their spaces.
                "CORPORATEPARTICIPANTS",
                "Ava Stone",
                "Lakeshore Bank Group – Chief Financial Officer",
                "",
                "Noah Reyes",
                "Lakeshore Bank Group – Head of Investor Relations",
                "",
                "CONFERENCE CALL PARTICIPANTS",
                "Mia Lund",
                "Halden Securities – Analyst",
            ],
            footer(1),
        ),
        page_of(
            &header,
            &[
                "PRESENTATION",
                "",
                "Noah Reyes – Lakeshore – Head of Investor Relations",
                "Thank you, operator, and good afternoon. With me today is our Chief Financial Officer, Ava Stone.",
                "",
                "Ava Stone – Lakeshore – Chief Financial Officer",
                "Thank you, Noah. Earnings rose 5% this quarter on higher fees and stable credit, and our capital",
                "ratio ended the quarter at 13.1%.",
            ],
            footer(2),
        ),
        page_of(
            &header,
            &[
                "QUESTIONANDANSWER",
                "",
                "Operator",
                "Our first question is from Mia Lund from Halden Securities.",
                "",
                "Mia Lund – Halden Securities – Analyst",
                "Good afternoon. What drove the fee growth?",
                "",
                "Ava Stone – Lakeshore – Chief Financial Officer",
                "Mostly wealth management and card fees.",
            ],
            footer(3),
        ),
    ];
    let (env, turns) = import_pdf(&pages, "lakeshore-q1-2024.pdf");
    assert_eq!(
        one(&env, "SELECT company || '|' || fiscal_year || ' Q' || fiscal_quarter || '|' || call_date || '|' || complete FROM v_calls"),
        "Lakeshore Bank Group|2024 Q1|2024-03-05|1"
    );
    let got: Vec<(&str, &str)> = turns.iter().map(|(s, sec, _)| (s.as_str(), sec.as_str())).collect();
    assert_eq!(
        got,
        [
            ("Noah Reyes", "prepared_remarks"),
            ("Ava Stone", "prepared_remarks"),
            ("Operator", "qa"),
            ("Mia Lund", "qa"),
            ("Ava Stone", "qa")
        ]
    );
    assert_eq!(one(&env, "SELECT role FROM v_turns WHERE speaker = 'Mia Lund'"), "analyst");
    // `Name` over `Firm – Title` in the lists: three people, each with the title the list gives.
    assert_eq!(env.count("SELECT count(*) FROM participants WHERE role <> 'operator'"), 3);
    assert_eq!(one(&env, "SELECT firm FROM v_turns WHERE speaker = 'Mia Lund'"), "Halden Securities");
    assert_eq!(one(&env, "SELECT title FROM v_turns WHERE speaker = 'Ava Stone' LIMIT 1"), "Chief Financial Officer");
    assert_eq!(
        env.count("SELECT count(*) FROM v_turns WHERE text LIKE '%TEXTUAL REPRESENTATION%' OR text LIKE '%Page 2%'"),
        0
    );
}

/// An Indian concall: a covering letter to the exchanges first (not speech; it names the company and its symbol),
/// `Moderator:` and `Name:` labels, a period written `Q3 FY25`.
#[test]
fn a_concall_pdf_reads_its_covering_letter_as_facts_not_speech() {
    let running = ["Meridian Cables Limited"];
    let pages = vec![
        page_of(
            &[],
            &[
                "BSE Limited",
                "Phiroze Jeejeebhoy Towers, Dalal Street, Mumbai",
                "Scrip Code: 500001",
                "National Stock Exchange of India Limited",
                "Exchange Plaza, Bandra (East), Mumbai",
                "Scrip Symbol: MERIDCAB",
                "",
                "Sub: Transcript of the Q3 FY25 Earnings Conference Call",
                "",
                "Dear Sir/Madam,",
                "Please find enclosed the transcript of the earnings conference call held on 12 February 2025.",
                "",
                "Thanking you.",
                "Yours faithfully,",
                "For and on behalf of",
                "Meridian Cables Limited",
                "",
                "(Leela Menon)",
                "Company Secretary",
                "Membership No: A1234",
                "Encl: as above",
            ],
            None,
        ),
        page_of(
            &running,
            &[
                "Q3 and 9 Months FY '25 Earnings Conference Call",
                "",
                "Moderator: Ladies and gentlemen, good day and welcome to the Meridian Cables Q3 FY25 earnings",
                "conference call. I now hand the conference over to Mr. Arun Rao. Thank you and over to you, sir.",
                "",
                "Arun Rao: Thank you. Revenue for the quarter grew 14% and our order book is at a record high.",
                "",
                "Moderator: Thank you. The first question is from the line of Kiran Shah from Vantage Capital.",
            ],
            Some("Page 2 of 3".into()),
        ),
        page_of(
            &running,
            &[
                "Kiran Shah: Congratulations on the numbers. What is the outlook for margins?",
                "",
                "Arun Rao: We expect margins to stay in the range of 11% to 12%.",
                "",
                "Kiran Shah: Thank you.",
                "",
                "Moderator: That was the last question. On behalf of Meridian Cables, that concludes this conference.",
            ],
            Some("Page 3 of 3".into()),
        ),
    ];
    let (env, turns) = import_pdf(&pages, "meridian-q3fy25.pdf");
    assert_eq!(
        one(&env, "SELECT ticker || '|' || company || '|' || fiscal_year || ' Q' || fiscal_quarter FROM v_calls"),
        "MERIDCAB|Meridian Cables Limited|2025 Q3"
    );
    let speakers: Vec<&str> = turns.iter().map(|(s, _, _)| s.as_str()).collect();
    assert_eq!(speakers, ["Moderator", "Arun Rao", "Moderator", "Kiran Shah", "Arun Rao", "Kiran Shah", "Moderator"]);
    assert_eq!(turns[0].2, "operator", "the moderator runs the call");
    assert_eq!(one(&env, "SELECT title FROM v_calls"), "Q3 and 9 Months FY '25 Earnings Conference Call");
    assert_eq!(one(&env, "SELECT role FROM v_turns WHERE speaker = 'Arun Rao' LIMIT 1"), "executive");
    assert_eq!(turns[3].2, "question");
    assert_eq!(
        env.count("SELECT count(*) FROM v_turns WHERE text LIKE '%Scrip%' OR text LIKE '%Dear Sir%' OR text LIKE '%behalf of%Limited%'"),
        0
    );
}

/// Encrypted PDFs: one that needs a password fails alone, saying so; one that only restricts printing or copying
/// (an owner password, no user password) opens and imports.
#[test]
fn encrypted_pdfs_are_said_so_or_read_when_no_password_is_needed() {
    use pdf_extract::{Document, EncryptionState, EncryptionVersion, Permissions};
    let env = Env::new();
    let folder = env.path("pdfs");
    std::fs::create_dir(&folder).unwrap();
    let plain = env.path("plain.pdf");
    write_pdf(&plain, &[wrapped_lines(&sample_text("initech-q2-2021.txt"))]);
    for (name, user_password) in [("locked.pdf", "secret"), ("restricted.pdf", "")] {
        let mut doc = Document::load(&plain).unwrap();
        let version = EncryptionVersion::V2 {
            document: &doc,
            owner_password: "owner",
            user_password,
            key_length: 128,
            permissions: Permissions::empty(),
        };
        let state = EncryptionState::try_from(version).unwrap();
        doc.encrypt(&state).unwrap();
        doc.save(folder.join(name)).unwrap();
    }
    let out = env.calldb(&["import", folder.to_str().unwrap()]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("locked.pdf") && stderr.contains("encrypted PDF"), "{stderr}");
    assert!(stderr.contains("1 imported") && stderr.contains("1 failed"), "{stderr}");
    assert_eq!(one(&env, "SELECT source_path FROM v_calls"), folder.join("restricted.pdf").to_str().unwrap());
}
