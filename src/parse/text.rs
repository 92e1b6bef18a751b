//! Text hygiene shared by every layout: byte decoding and whitespace normalization.
//!
//! Users save transcripts from browsers and editors, so files arrive as UTF-8 with or without a BOM, with CRLF
//! line ends, with non-breaking spaces, and sometimes as Windows-1252. We decode each correctly (with a warning
//! when it was not UTF-8) or refuse it with a clear error; we never guess silently.

use super::ParseError;

/// Decoded, normalized text plus what was noticed on the way.
#[derive(Debug)]
pub struct Decoded {
    /// LF line ends only; non-breaking and other exotic spaces turned into plain spaces.
    pub text: String,
    pub warnings: Vec<String>,
}

/// Bytes Windows-1252 leaves undefined: their presence means the file is not Windows-1252 either.
const CP1252_UNDEFINED: [u8; 5] = [0x81, 0x8D, 0x8F, 0x90, 0x9D];

pub fn decode(bytes: &[u8]) -> Result<Decoded, ParseError> {
    let mut warnings = Vec::new();
    let raw: std::borrow::Cow<str> = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        match std::str::from_utf8(rest) {
            Ok(s) => s.into(),
            Err(_) => {
                let (text, warning) = repair_utf8(rest);
                warnings.push(warning);
                text.into()
            }
        }
    } else if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let (text, encoding, had_errors) =
            encoding_rs::Encoding::for_bom(bytes).map(|(enc, _)| enc.decode(bytes)).expect("BOM checked above");
        if had_errors {
            return Err(ParseError::Encoding(format!(
                "file starts with a {} byte-order mark but is not valid {}",
                encoding.name(),
                encoding.name()
            )));
        }
        warnings.push(format!("decoded as {} (byte-order mark)", encoding.name()));
        text.into_owned().into()
    } else {
        match std::str::from_utf8(bytes) {
            Ok(s) => s.into(),
            Err(e) => {
                if looks_binary(bytes) {
                    return Err(ParseError::Encoding("binary file: contains NUL bytes, not a text transcript".into()));
                }
                // UTF-8 text with a few stray bytes (a cut download, one pasted Windows-1252 quote): keep the UTF-8,
                // repair only what is broken.
                if e.error_len().is_none() || has_multibyte_utf8(bytes) {
                    let (text, warning) = repair_utf8(bytes);
                    warnings.push(warning);
                    return finish(text.into(), warnings);
                }
                if let Some(pos) = bytes.iter().position(|b| CP1252_UNDEFINED.contains(b)) {
                    return Err(ParseError::Encoding(format!(
                        "not UTF-8 ({}) and not Windows-1252 either (byte 0x{:02X} at line {}); re-save the file as UTF-8",
                        utf8_error(bytes, e),
                        bytes[pos],
                        line_of(bytes, pos)
                    )));
                }
                let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
                warnings.push(format!("not UTF-8 ({}); decoded as Windows-1252", utf8_error(bytes, e)));
                text.into_owned().into()
            }
        }
    };
    finish(raw, warnings)
}

fn finish(raw: std::borrow::Cow<str>, mut warnings: Vec<String>) -> Result<Decoded, ParseError> {
    if looks_binary(raw.as_bytes()) {
        return Err(ParseError::Encoding("binary file: contains NUL bytes, not a text transcript".into()));
    }
    let (text, removed) = remove_control_characters(normalize(&raw));
    if let Some(removed) = removed {
        warnings.push(removed);
    }
    if let Some(found) = mojibake(&text) {
        warnings.push(found);
    }
    Ok(Decoded { text, warnings })
}

/// Sequences a wrong decoding leaves behind before the file reached the user: the replacement character
/// (`Abbott\u{fffd}s`) and UTF-8 read as Windows-1252 (`Abbottâ€™s`, `SociÃ©tÃ©`).
const MOJIBAKE: &[&str] = &["\u{fffd}", "â€", "Ã©", "Ã¨", "Ã¶", "Ã¼", "Ã¡", "Ã³", "Ã±", "Ã§"];

/// One warning for a file that carries mojibake: the text is kept exactly as it is (calldb cannot know what the
/// original characters were), and the first line where it occurs is named.
fn mojibake(text: &str) -> Option<String> {
    // Every sequence is non-ASCII: plain ASCII lines (most of a transcript) need no search.
    if text.is_ascii() {
        return None;
    }
    let (line, count) = text.lines().enumerate().fold((None, 0), |(first, count), (i, l)| {
        // Every sequence starts with U+FFFD (byte EF), `â` or `Ã` (byte C3).
        let suspect = l.bytes().any(|b| b == 0xc3 || b == 0xef);
        let here: usize = if suspect { MOJIBAKE.iter().map(|m| l.matches(m).count()).sum() } else { 0 };
        (first.or((here > 0).then_some(i + 1)), count + here)
    });
    line.map(|line| {
        format!(
            "mojibake from an earlier wrong decoding ({count} occurrence(s), first at line {line}, e.g. `\u{fffd}` or \
             `â€™`): kept as written"
        )
    })
}

/// Many NUL bytes (one byte in twenty or more) mean a binary file or UTF-16 without its byte-order mark; a stray
/// NUL inside text is removed instead (see [`remove_control_characters`]).
fn looks_binary(bytes: &[u8]) -> bool {
    bytes.iter().filter(|&&b| b == 0).count() * 20 > bytes.len()
}

/// Removes control characters other than tab and line feed (NUL, escape sequences, form feeds…), which are never
/// part of what was said and would reach terminals and spreadsheets; returns one warning naming the lines.
/// A text taken from a record's field (a speaker's name, a paragraph of a speaker list) made as the layouts see text:
/// spaces and line ends normalized, control characters removed. True when some were removed.
pub fn clean_field(text: &str) -> (String, bool) {
    let (clean, removed) = remove_control_characters(normalize(text));
    (clean, removed.is_some())
}

fn remove_control_characters(text: String) -> (String, Option<String>) {
    let is_removed = |c: char| c.is_control() && c != '\n' && c != '\t';
    // Control characters are C0 (`\0`..`\x1f`), DEL and C1 (U+0080..U+009F, written `C2 80`..`C2 9F`): a byte scan
    // finds the first candidate without decoding every character of a clean file.
    let bytes = text.as_bytes();
    let candidate = bytes.iter().enumerate().any(|(i, &b)| {
        (b < 0x20 && b != b'\n' && b != b'\t')
            || b == 0x7f
            || (b == 0xc2 && bytes.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)))
    });
    if !candidate {
        return (text, None);
    }
    let mut lines = Vec::new();
    let mut count = 0;
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if line.contains(is_removed) {
            count += line.chars().filter(|&c| is_removed(c)).count();
            if lines.len() < 5 {
                lines.push((i + 1).to_string());
            }
            out.extend(line.chars().filter(|&c| !is_removed(c)));
        } else {
            out.push_str(line);
        }
    }
    let more = if lines.len() == 5 { ", …" } else { "" };
    (
        out,
        Some(format!(
            "removed {count} control character(s) (NUL, escape, form feed…) at line {}{more}",
            lines.join(", ")
        )),
    )
}

/// True when the bytes hold at least one well-formed multi-byte UTF-8 character (an em dash, a curly quote): the
/// file was written as UTF-8.
fn has_multibyte_utf8(bytes: &[u8]) -> bool {
    bytes.utf8_chunks().any(|chunk| !chunk.valid().is_ascii())
}

/// Decodes UTF-8 text with stray invalid bytes: each is read as Windows-1252 (or U+FFFD where that is undefined),
/// and an incomplete character at the very end (a cut download) is dropped. One warning names the lines.
fn repair_utf8(bytes: &[u8]) -> (String, String) {
    let mut out = String::with_capacity(bytes.len());
    let mut lines = Vec::new();
    let mut cut_at_end = false;
    let mut offset = 0;
    let mut chunks = bytes.utf8_chunks().peekable();
    while let Some(chunk) = chunks.next() {
        out.push_str(chunk.valid());
        offset += chunk.valid().len();
        let invalid = chunk.invalid();
        if invalid.is_empty() {
            continue;
        }
        if chunks.peek().is_none() && offset + invalid.len() == bytes.len() && invalid[0] >= 0xC0 {
            cut_at_end = true;
        } else {
            let (repaired, _, _) = encoding_rs::WINDOWS_1252.decode(invalid);
            out.push_str(&repaired);
            if lines.len() < 5 {
                lines.push(line_of(bytes, offset).to_string());
            }
        }
        offset += invalid.len();
    }
    let mut warning = Vec::new();
    if !lines.is_empty() {
        warning.push(format!(
            "bytes that are not UTF-8 at line {} read as Windows-1252; the rest is UTF-8",
            lines.join(", ")
        ));
    }
    if cut_at_end {
        warning.push("the file ends in the middle of a character (an interrupted download?)".to_string());
    }
    (out, warning.join("; "))
}

fn line_of(bytes: &[u8], pos: usize) -> usize {
    bytes[..pos].iter().filter(|&&b| b == b'\n').count() + 1
}

fn utf8_error(bytes: &[u8], e: std::str::Utf8Error) -> ParseError {
    let pos = e.valid_up_to();
    ParseError::Encoding(format!(
        "invalid UTF-8 byte 0x{:02X} at line {}",
        bytes.get(pos).copied().unwrap_or(0),
        line_of(bytes, pos)
    ))
}

/// CRLF/CR to LF, and every Unicode space separator (NBSP, narrow NBSP, thin space…) to a plain space, so that
/// the layout parsers only ever see one kind of space and one kind of line end.
pub fn normalize(text: &str) -> String {
    // `\r` is ASCII; every other character changed starts with byte C2, E2, E3 or EF (never a continuation byte):
    // unchanged stretches are copied whole and only those few characters are decoded.
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\r' {
            out.push_str(&text[copied..i]);
            if bytes.get(i + 1) != Some(&b'\n') {
                out.push('\n');
            }
            i += 1;
            copied = i;
        } else if matches!(b, 0xc2 | 0xe2 | 0xe3 | 0xef) {
            let c = text[i..].chars().next().expect("a character starts here");
            let replacement = match c {
                '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' => Some(" "),
                '\u{feff}' | '\u{200b}' => Some(""),
                _ => None,
            };
            if let Some(replacement) = replacement {
                out.push_str(&text[copied..i]);
                out.push_str(replacement);
                copied = i + c.len_utf8();
            }
            i += c.len_utf8();
        } else {
            i += 1;
        }
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_crlf_and_nbsp_are_normalized() {
        let d = decode(b"\xEF\xBB\xBFAcme\xC2\xA0Corp\r\nline two\r\n").unwrap();
        assert_eq!(d.text, "Acme Corp\nline two\n");
        assert!(d.warnings.is_empty());
    }

    #[test]
    fn windows_1252_is_decoded_with_a_warning() {
        let d = decode(b"It\x92s \x93quoted\x94 \x96 done").unwrap();
        assert_eq!(d.text, "It\u{2019}s \u{201c}quoted\u{201d} \u{2013} done");
        assert_eq!(d.warnings.len(), 1);
        assert!(d.warnings[0].contains("Windows-1252"), "{:?}", d.warnings);
    }

    #[test]
    fn undecodable_bytes_are_refused_with_the_line() {
        let err = decode(b"ok\nbad \x81 byte\n\xff").unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
        let err = decode(b"\x00\x01\xff").unwrap_err();
        assert!(err.to_string().contains("binary"), "{err}");
    }

    #[test]
    fn control_characters_are_removed_with_the_line() {
        let d = decode(b"first\nspeech\x00 with NUL and \x1b[2J escape\n").unwrap();
        assert_eq!(d.text, "first\nspeech with NUL and [2J escape\n");
        assert!(d.warnings[0].contains("line 2"), "{:?}", d.warnings);
        assert!(decode(b"\x00\x00\x00\x00binary").is_err());
    }

    #[test]
    fn stray_bytes_in_utf8_are_repaired_alone() {
        let d = decode("em dash \u{2014} here\nIt".bytes().chain(*b"\x92s fine\n").collect::<Vec<u8>>().as_slice())
            .unwrap();
        assert_eq!(d.text, "em dash \u{2014} here\nIt\u{2019}s fine\n");
        assert!(d.warnings[0].contains("line 2"), "{:?}", d.warnings);
        let cut = &"caf\u{e9} \u{2014}".as_bytes()[..8];
        let d = decode(cut).unwrap();
        assert_eq!(d.text, "caf\u{e9} ");
        assert!(d.warnings[0].contains("middle of a character"), "{:?}", d.warnings);
    }

    #[test]
    fn mojibake_is_kept_with_one_warning() {
        let d = decode("Welcome to Abbott\u{fffd}s call.\nSoci\u{fffd}t\u{fffd} and Abbottâ€™s\n".as_bytes()).unwrap();
        assert!(d.text.contains("Abbott\u{fffd}s") && d.text.contains("Abbottâ€™s"));
        assert_eq!(d.warnings.len(), 1, "{:?}", d.warnings);
        assert!(d.warnings[0].contains("4 occurrence(s), first at line 1"), "{:?}", d.warnings);
        assert!(decode("Société Générale".as_bytes()).unwrap().warnings.is_empty());
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Hi\r\n".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&bytes).unwrap();
        assert_eq!(d.text, "Hi\n");
    }
}
