//! Spreadsheets (`.xlsx`, `.xls`, `.ods`, and `.xlsb`) read like a CSV: one sheet is written out as CSV text
//! and read by the same reader, so typing, the profile and every error are the CSV's. Row `n` of the sheet
//! is line `n` of that text (rows above the first filled one become blank lines, which the reader skips), so
//! an error's line is the sheet's row.
//!
//! The cells are read by calamine (pure Rust, builds for wasm32). A workbook is a compressed archive: its
//! uncompressed size is checked against the reading limit before anything is unpacked, so a small file
//! cannot expand into more memory than the page has; xlsx and xlsb cells are streamed, and the dense layout
//! calamine builds for ods and xls is counted first (`sheet_extent.rs`).

use std::io::Cursor;

use calamine::{Data, Reader};

use crate::error::{shorten, Error, Result};

/// A ZIP archive (xlsx, ods, xlsb) starts with these bytes.
const ZIP_MAGIC: [u8; 4] = [0x50, 0x4B, 0x03, 0x04];
/// An OLE compound file (xls) starts with these bytes.
const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Whether `bytes` look like a spreadsheet workbook (by their first bytes, whatever the file is called).
pub fn is_spreadsheet(bytes: &[u8]) -> bool {
    bytes.starts_with(&ZIP_MAGIC) || bytes.starts_with(&OLE_MAGIC)
}

/// One sheet of a workbook as CSV text.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetText {
    /// The sheet as comma-separated UTF-8.
    pub csv: Vec<u8>,
    /// The sheet that was read.
    pub sheet: String,
    /// Every sheet of the workbook, in order.
    pub sheets: Vec<String>,
    /// The workbook's format in words (`xlsx`, `xls`, `ods`, `xlsb`).
    pub format: &'static str,
    /// What the user should know (cells holding errors such as `#DIV/0!`).
    pub warnings: Vec<String>,
}

/// Reads sheet `wanted` (default: the first) of the workbook in `bytes` as CSV text; `max_bytes` bounds the
/// workbook's uncompressed size.
pub fn sheet_as_csv(bytes: &[u8], wanted: Option<&str>, max_bytes: u64) -> Result<SheetText> {
    if bytes.starts_with(&ZIP_MAGIC) {
        check_unpacked_size(bytes, max_bytes)?;
        // Opening an .ods lays out every sheet; an .xls likewise (its cells are in a compound file).
        super::sheet_extent::check_ods_cells(bytes)?;
    } else if bytes.starts_with(&OLE_MAGIC) {
        super::sheet_extent::check_xls_cells(bytes)?;
    }
    let mut workbook =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| Error::Spreadsheet {
            reason: format!(
                "it starts like a workbook but cannot be opened ({})",
                shorten(&e.to_string(), 200)
            ),
        })?;
    let format = match &workbook {
        calamine::Sheets::Xls(_) => "xls",
        calamine::Sheets::Xlsx(_) => "xlsx",
        calamine::Sheets::Xlsb(_) => "xlsb",
        calamine::Sheets::Ods(_) => "ods",
    };
    let sheets = workbook.sheet_names();
    let sheet = match wanted {
        Some(name) => sheets.iter().find(|s| *s == name).cloned().ok_or_else(|| Error::Spreadsheet {
            reason: format!("it has no sheet `{name}`; its sheets are {}", listed(&sheets)),
        })?,
        None => {
            sheets.first().cloned().ok_or_else(|| Error::Spreadsheet { reason: "it has no sheets".into() })?
        }
    };
    let cells = match &mut workbook {
        // xlsx cells are streamed, so a sheet with two far-apart cells is not first laid out densely.
        calamine::Sheets::Xlsx(xlsx) => streamed_cells(xlsx, &sheet)?,
        calamine::Sheets::Xlsb(xlsb) => streamed_xlsb_cells(xlsb, &sheet)?,
        other => {
            let range = other.worksheet_range(&sheet).map_err(|e| unreadable(&sheet, &e.to_string()))?;
            let (top, left) = range.start().unwrap_or((0, 0));
            range
                .cells()
                .filter(|(_, _, cell)| **cell != Data::Empty)
                .map(|(r, c, cell)| {
                    (top.saturating_add(r as u32), left.saturating_add(c as u32), cell.clone())
                })
                .collect()
        }
    };
    let mut warnings = Vec::new();
    let csv = cells_as_csv(cells, &sheet, max_bytes, &mut warnings)?;
    Ok(SheetText { csv, sheet, sheets, format, warnings })
}

fn unreadable(sheet: &str, why: &str) -> Error {
    Error::Spreadsheet { reason: format!("sheet `{sheet}` cannot be read ({})", shorten(why, 200)) }
}

/// A cell: its row, its column, its value.
type SheetCell = (u32, u32, Data);

/// The filled cells of an xlsx sheet, read one by one.
fn streamed_cells<RS: std::io::Read + std::io::Seek>(
    xlsx: &mut calamine::Xlsx<RS>,
    sheet: &str,
) -> Result<Vec<SheetCell>> {
    let mut reader = xlsx.worksheet_cells_reader(sheet).map_err(|e| unreadable(sheet, &e.to_string()))?;
    filled_cells(sheet, || {
        reader.next_cell().map(|c| c.map(|c| (c.get_position(), Data::from(c.get_value().clone()))))
    })
}

/// The filled cells of an xlsb sheet, read one by one (as [`streamed_cells`] for xlsx).
fn streamed_xlsb_cells<RS: std::io::Read + std::io::Seek>(
    xlsb: &mut calamine::Xlsb<RS>,
    sheet: &str,
) -> Result<Vec<SheetCell>> {
    let mut reader = xlsb.worksheet_cells_reader(sheet).map_err(|e| unreadable(sheet, &e.to_string()))?;
    filled_cells(sheet, || {
        reader.next_cell().map(|c| c.map(|c| (c.get_position(), Data::from(c.get_value().clone()))))
    })
}

/// Collects the filled cells `next` gives ((row, column), value) until it gives none.
fn filled_cells<E: std::fmt::Display>(
    sheet: &str,
    mut next: impl FnMut() -> std::result::Result<Option<((u32, u32), Data)>, E>,
) -> Result<Vec<SheetCell>> {
    let mut cells = Vec::new();
    while let Some(((row, column), value)) = next().map_err(|e| unreadable(sheet, &e.to_string()))? {
        if value != Data::Empty {
            cells.push((row, column, value));
        }
    }
    Ok(cells)
}

/// Refuses an archive whose members would unpack to more than `max_bytes` (a "zip bomb", or a workbook too
/// big for the platform), from the sizes its directory declares.
fn check_unpacked_size(bytes: &[u8], max_bytes: u64) -> Result<()> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| Error::Spreadsheet {
        reason: format!("it starts like a workbook but its archive is damaged ({e})"),
    })?;
    let mut total = 0u64;
    for index in 0..archive.len() {
        let member = archive.by_index_raw(index).map_err(|e| Error::Spreadsheet {
            reason: format!("member {index} of its archive is damaged ({e})"),
        })?;
        total = total.saturating_add(member.size());
    }
    if total > max_bytes {
        return Err(Error::Spreadsheet {
            reason: format!(
                "it unpacks to {total} bytes, over the limit of {max_bytes} bytes (option max_bytes); save the \
                 sheet as CSV, or read it natively with a higher --max-bytes"
            ),
        });
    }
    Ok(())
}

/// The filled cells of a sheet as CSV text, one line per sheet row (blank lines for the rows above the
/// first filled one, so lines are the sheet's rows), columns from the leftmost filled one. The text is
/// bounded before it is written: rows × columns of it may not exceed `max_bytes`.
fn cells_as_csv(
    mut cells: Vec<SheetCell>,
    sheet: &str,
    max_bytes: u64,
    warnings: &mut Vec<String>,
) -> Result<Vec<u8>> {
    let written =
        |e: csv::Error| Error::Spreadsheet { reason: format!("sheet `{sheet}` cannot be written ({e})") };
    cells.sort_unstable_by_key(|&(row, column, _)| (row, column));
    let (Some(first), Some(last)) = (cells.first(), cells.last()) else {
        return Err(Error::EmptyFile { detail: format!(" (sheet `{sheet}` has no filled cells)") });
    };
    let (top, bottom) = (first.0, last.0);
    let left = cells.iter().map(|c| c.1).min().unwrap_or(0);
    let right = cells.iter().map(|c| c.1).max().unwrap_or(0);
    let width = u64::from(right - left) + 1;
    let height = u64::from(bottom) + 1;
    if width.saturating_mul(height) > max_bytes {
        return Err(Error::Spreadsheet {
            reason: format!(
                "sheet `{sheet}` spans {height} rows × {width} columns, more cells than the limit of {max_bytes} \
                 bytes (option max_bytes) can hold as text; delete the stray far-away cells or save the sheet as CSV"
            ),
        });
    }
    let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(vec![b'\n'; top as usize]);
    let mut errors = 0usize;
    let mut first_error: Option<(u32, String)> = None;
    let width = width as usize;
    let mut record: Vec<String> = vec![String::new(); width];
    let mut cells = cells.into_iter().peekable();
    while let Some(&(row, _, _)) = cells.peek() {
        record.iter_mut().for_each(String::clear);
        while let Some((_, column, value)) = cells.next_if(|c| c.0 == row) {
            let text = match &value {
                Data::Error(e) => {
                    errors += 1;
                    first_error.get_or_insert((row + 1, e.to_string()));
                    String::new()
                }
                other => cell_text(other),
            };
            if let Some(slot) = record.get_mut((column - left) as usize) {
                *slot = text;
            }
        }
        writer.write_record(&record).map_err(written)?;
        // Rows with no filled cell between two filled ones are blank lines, skipped as in a CSV.
        if let Some(&(next, _, _)) = cells.peek() {
            for _ in row + 1..next {
                writer.write_record(std::iter::empty::<&[u8]>()).map_err(written)?;
            }
        }
    }
    if let Some((row, error)) = first_error {
        let (cells, they) = if errors == 1 { ("cell", "it was") } else { ("cells", "they were") };
        warnings.push(format!(
            "sheet `{sheet}` has {errors} {cells} holding a formula error (the first on row {row}: {error}); \
             {they} read as missing"
        ));
    }
    writer
        .into_inner()
        .map_err(|e| Error::Spreadsheet { reason: format!("sheet `{sheet}` cannot be written ({e})") })
}

/// A cell as the text a CSV export would hold: numbers in their shortest exact form, dates in ISO 8601.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => super::infer::format_number(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) if d.is_duration() => super::infer::format_number(d.as_f64()),
        Data::DateTime(d) => {
            let (year, month, day, hour, minute, second, milli) = d.to_ymd_hms_milli();
            if (hour, minute, second, milli) == (0, 0, 0, 0) {
                format!("{year:04}-{month:02}-{day:02}")
            } else if milli == 0 {
                format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}")
            } else {
                format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{milli:03}")
            }
        }
    }
}

fn listed(sheets: &[String]) -> String {
    shorten(&sheets.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", "), 300)
}
