//! Turns raw bytes into UTF-8 text: byte-order marks, UTF-16, the Latin-1 fallback, and the refusal of binary
//! files. Everything later works on bytes that are known to be valid UTF-8.

use std::borrow::Cow;

use crate::error::{Error, Result};

/// How many leading bytes are inspected to tell text from binary data.
const SNIFF_BYTES: usize = 8192;

/// The text of a file and how it was read.
#[derive(Debug)]
pub struct Decoded<'a> {
    /// Valid UTF-8 bytes, without a byte-order mark.
    pub text: Cow<'a, [u8]>,
    /// The encoding the bytes were read as: "utf-8", "utf-16le", "utf-16be" or "latin-1".
    pub encoding: &'static str,
    /// Things the user should know (a fallback encoding).
    pub warnings: Vec<String>,
}

/// Decodes `bytes`, refusing empty and binary input. Valid UTF-8 (with or without a BOM) is borrowed as is;
/// UTF-16 with a BOM is transcoded; any other byte sequence is read as Latin-1 with a warning.
pub fn decode(bytes: &[u8]) -> Result<Decoded<'_>> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return decode_utf16(rest, u16::from_le_bytes, "utf-16le");
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return decode_utf16(rest, u16::from_be_bytes, "utf-16be");
    }
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    check_not_empty(body)?;
    if let Some(format) = known_binary_format(body) {
        return Err(Error::NotText { reason: format!("it is {format}, not a table of text") });
    }
    check_looks_like_text(body)?;
    match std::str::from_utf8(body) {
        Ok(_) => Ok(Decoded { text: Cow::Borrowed(body), encoding: "utf-8", warnings: Vec::new() }),
        Err(err) => {
            let offset = err.valid_up_to();
            let line = 1 + body.iter().take(offset).filter(|&&b| b == b'\n').count();
            let text: String = body.iter().map(|&b| char::from(b)).collect();
            Ok(Decoded {
                text: Cow::Owned(text.into_bytes()),
                encoding: "latin-1",
                warnings: vec![format!(
                    "the file is not valid UTF-8 (first bad byte on line {line}); it was read as Latin-1 — \
                     check accented characters"
                )],
            })
        }
    }
}

fn decode_utf16<'a>(body: &[u8], to_unit: fn([u8; 2]) -> u16, encoding: &'static str) -> Result<Decoded<'a>> {
    let units = body.chunks_exact(2).map(|pair| to_unit([pair[0], pair[1]]));
    let text: String = char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)).collect();
    check_not_empty(text.as_bytes())?;
    check_looks_like_text(text.as_bytes())?;
    Ok(Decoded {
        text: Cow::Owned(text.into_bytes()),
        encoding,
        warnings: vec![format!("the file is {encoding} encoded; it was converted to UTF-8")],
    })
}

fn check_not_empty(body: &[u8]) -> Result<()> {
    if body.is_empty() {
        return Err(Error::EmptyFile { detail: String::new() });
    }
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::EmptyFile { detail: " (it holds only blank lines)".into() });
    }
    Ok(())
}

/// The kind of file people most often drop by mistake, told by its first bytes (its "magic number").
fn known_binary_format(body: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"%PDF-", "a PDF document"),
        (b"\x1f\x8b", "a gzip archive (unpack it first)"),
        (b"BZh", "a bzip2 archive (unpack it first)"),
        (b"\xfd7zXZ\0", "an xz archive (unpack it first)"),
        (b"7z\xbc\xaf", "a 7-Zip archive (unpack it first)"),
        (b"PAR1", "a Parquet file (export it as CSV)"),
        (b"SQLite format 3\0", "an SQLite database (export a table as CSV)"),
        (b"\x7fELF", "a program"),
        (b"MZ", "a Windows program"),
    ];
    MAGIC.iter().find(|(magic, _)| body.starts_with(magic)).map(|(_, name)| *name)
}

/// Text files have no NUL bytes and few control characters; images, archives and executables have both.
fn check_looks_like_text(body: &[u8]) -> Result<()> {
    let head = body.get(..SNIFF_BYTES).unwrap_or(body);
    if let Some(offset) = head.iter().position(|&b| b == 0) {
        let line = 1 + head.get(..offset).unwrap_or_default().iter().filter(|&&b| b == b'\n').count();
        return Err(Error::NotText {
            reason: format!("it has a NUL byte on line {line} (byte offset {offset})"),
        });
    }
    // Past the sniffed head a NUL byte is a damaged file (or a binary one appended): never part of a value.
    // `contains` on bytes is a fast memchr; the position and line are only counted when there is one.
    if body.contains(&0) {
        let offset = body.iter().position(|&b| b == 0).unwrap_or_default();
        let line = 1 + body.get(..offset).unwrap_or_default().iter().filter(|&&b| b == b'\n').count();
        return Err(Error::NotText {
            reason: format!("it has a NUL byte on line {line} (byte offset {offset}); text files have none, so the file may be damaged"),
        });
    }
    let control = head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)).count();
    if control * 20 > head.len() {
        return Err(Error::NotText {
            reason: format!("{control} of its first {} bytes are control characters", head.len()),
        });
    }
    Ok(())
}
