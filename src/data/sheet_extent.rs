//! Counts the cells calamine will lay out for an `.ods` or `.xls` workbook before it is opened. Both readers
//! build every sheet densely when the workbook is opened (rows × columns between the first and the last
//! filled cell, and an ODS cell repeated as often as its `number-columns-repeated` says), so a small file
//! with one far-away cell, a huge repeat count or a huge declared dimension would take more memory than
//! the platform has (in the page, that kills the module). The counts here follow calamine's own layout, so
//! a workbook beyond [`MAX_SHEET_CELLS`] is refused with the sheet's span before anything is allocated.
//! (An `.xlsx` sheet is streamed cell by cell instead, see `spreadsheet.rs`.)

use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};

use crate::error::{Error, Result};

/// Cells (filled or empty) the layouts of a workbook's sheets may hold together: each is a value and a
/// formula text in calamine (about 56 bytes), so 2 × 10^7 cells are about 1.1 GB.
pub const MAX_SHEET_CELLS: u128 = 20_000_000;

/// The refusal of a workbook whose layout would hold `cells` cells.
fn too_many(cells: u128, what: &str) -> Error {
    Error::Spreadsheet {
        reason: format!(
            "{what} would be laid out as {cells} cells, more than the {MAX_SHEET_CELLS} a workbook may hold; \
             delete the stray far-away cells or save the sheet as CSV"
        ),
    }
}

/// Refuses an `.ods` workbook (a zip archive holding `content.xml`) whose sheets would be laid out as more
/// than [`MAX_SHEET_CELLS`] cells.
pub fn check_ods_cells(bytes: &[u8]) -> Result<()> {
    let damaged = |e: &dyn std::fmt::Display| Error::Spreadsheet {
        reason: format!("its content cannot be read ({})", crate::error::shorten(&e.to_string(), 200)),
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| damaged(&e))?;
    let content = match archive.by_name("content.xml") {
        Ok(content) => content,
        // Not an ODS (or no content): calamine decides what it is.
        Err(_) => return Ok(()),
    };
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(content));
    let mut buf = Vec::new();
    let mut total = 0u128;
    let mut sheet = OdsSheet::default();
    let mut row = OdsRow::default();
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| damaged(&e))?;
        let opens = matches!(event, Event::Start(_));
        match event {
            Event::Start(e) if e.name().as_ref() == b"table:table-row" => {
                row = OdsRow { repeats: repeat(&e, b"table:number-rows-repeated"), ..OdsRow::default() };
            }
            Event::End(e) if e.name().as_ref() == b"table:table-row" => {
                sheet.end_row(&row);
                total = total.saturating_add(row.pushed);
            }
            Event::Start(e) | Event::Empty(e) if is_cell(&e) => {
                // A cell with content (a value type, a formula, or child elements) is filled.
                let filled = opens
                    || e.try_get_attribute(b"office:value-type").ok().flatten().is_some()
                    || e.try_get_attribute(b"table:formula").ok().flatten().is_some();
                row.cell(repeat(&e, b"table:number-columns-repeated"), filled);
            }
            Event::End(e) if e.name().as_ref() == b"table:table" => {
                total = total.saturating_add(sheet.dense());
                sheet = OdsSheet::default();
            }
            Event::Eof => break,
            _ => {}
        }
        if total.saturating_add(sheet.dense()).saturating_add(row.pushed) > MAX_SHEET_CELLS {
            return Err(too_many(
                total.saturating_add(sheet.dense()).saturating_add(row.pushed),
                "this workbook",
            ));
        }
        buf.clear();
    }
    Ok(())
}

fn is_cell(e: &BytesStart<'_>) -> bool {
    matches!(e.name().as_ref(), b"table:table-cell" | b"table:covered-table-cell")
}

/// A repeat count attribute (1 when absent or unreadable, as calamine would fail on it anyway).
fn repeat(e: &BytesStart<'_>, name: &[u8]) -> u128 {
    e.try_get_attribute(name)
        .ok()
        .flatten()
        .and_then(|a| std::str::from_utf8(&a.value).ok().and_then(|v| v.trim().parse().ok()))
        .unwrap_or(1)
}

/// One ODS row as calamine reads it: the cells it pushes (empty runs are pushed only when a cell follows).
#[derive(Default)]
struct OdsRow {
    repeats: u128,
    pushed: u128,
    pending_empty: u128,
    last_filled: Option<u128>,
}

impl OdsRow {
    fn cell(&mut self, repeats: u128, filled: bool) {
        self.pushed = self.pushed.saturating_add(self.pending_empty);
        self.pending_empty = 0;
        if filled {
            self.pushed = self.pushed.saturating_add(repeats);
            self.last_filled = Some(self.pushed.saturating_sub(1));
        } else {
            self.pending_empty = repeats;
        }
    }
}

/// One ODS sheet's dense layout: rows (with repeats) from the first to the last filled one, as wide as the
/// widest filled row.
#[derive(Default)]
struct OdsSheet {
    rows: u128,
    empty_rows_pending: u128,
    started: bool,
    width: u128,
}

impl OdsSheet {
    fn end_row(&mut self, row: &OdsRow) {
        match row.last_filled {
            Some(last) => {
                if self.started {
                    self.rows = self.rows.saturating_add(self.empty_rows_pending);
                }
                self.rows = self.rows.saturating_add(row.repeats);
                self.empty_rows_pending = 0;
                self.started = true;
                self.width = self.width.max(last.saturating_add(1));
            }
            None if self.started => {
                self.empty_rows_pending = self.empty_rows_pending.saturating_add(row.repeats)
            }
            None => {}
        }
    }

    fn dense(&self) -> u128 {
        self.rows.saturating_mul(self.width)
    }
}

/// Refuses an `.xls` workbook whose sheets would be laid out (or reserved, from their declared dimensions)
/// as more than [`MAX_SHEET_CELLS`] cells. Each sheet is read from where the workbook's sheet list says it
/// starts, record by record until its end, as calamine reads it.
pub fn check_xls_cells(bytes: &[u8]) -> Result<()> {
    let Ok(mut container) = cfb::CompoundFile::open(Cursor::new(bytes)) else { return Ok(()) };
    let mut stream = Vec::new();
    let opened = container.open_stream("/Workbook").or_else(|_| container.open_stream("/Book"));
    // Without a workbook stream calamine refuses the file itself.
    let Ok(mut workbook) = opened else { return Ok(()) };
    if workbook.read_to_end(&mut stream).is_err() {
        return Ok(());
    }
    let sheets: Vec<usize> = records(&stream, 0)
        .take_while(|(kind, _)| *kind != EOF)
        .filter(|(kind, data)| *kind == BOUND_SHEET && data.len() >= 4)
        .filter_map(|(_, data)| data.get(0..4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize))
        .collect();
    let mut total = 0u128;
    for start in sheets {
        total = total.saturating_add(xls_sheet_cells(&stream, start));
        if total > MAX_SHEET_CELLS {
            return Err(too_many(total, "this workbook"));
        }
    }
    Ok(())
}

const EOF: u16 = 0x000A;
const BOUND_SHEET: u16 = 0x0085;
const DIMENSIONS: u16 = 0x0200;
const MUL_RK: u16 = 0x00BD;
/// Records calamine makes one cell of, at (row, column) in their first four bytes: number, label, boolean or
/// error, RK, shared-string label, formula.
const CELL_RECORDS: [u16; 6] = [0x0203, 0x0204, 0x0205, 0x027E, 0x00FD, 0x0006];

/// The records of a BIFF stream from `start`: (type, data).
fn records(stream: &[u8], start: usize) -> impl Iterator<Item = (u16, &[u8])> {
    let mut at = start;
    std::iter::from_fn(move || {
        let head = stream.get(at..at.checked_add(4)?)?;
        let kind = u16::from_le_bytes([head[0], head[1]]);
        let len = usize::from(u16::from_le_bytes([head[2], head[3]]));
        let data = stream.get(at + 4..at + 4 + len)?;
        at += 4 + len;
        Some((kind, data))
    })
}

/// The cells calamine reserves for a sheet's declared dimensions (first row, row after the last, first
/// column, column after the last), in its own 32-bit arithmetic, which wraps when the first exceeds the last.
fn declared_cells(rf: u128, rl: u128, cf: u128, cl: u128) -> u128 {
    let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
    if rl < 1 || cl < 1 {
        return 1;
    }
    let span = |first: u128, after: u128| {
        let (first, last) = (first as u32, (after as u32).wrapping_sub(1));
        u128::from(last.wrapping_sub(first).wrapping_add(1))
    };
    span(rf, rl).saturating_mul(span(cf, cl))
}

fn u16_at(data: &[u8], at: usize) -> Option<u128> {
    data.get(at..at + 2).map(|b| u128::from(u16::from_le_bytes([b[0], b[1]])))
}

fn u32_at(data: &[u8], at: usize) -> Option<u128> {
    data.get(at..at + 4).map(|b| u128::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])))
}

/// The cells of one sheet's layout: its declared dimensions (calamine reserves them) plus its filled cells'
/// span, laid out twice (values and formulas).
fn xls_sheet_cells(stream: &[u8], start: usize) -> u128 {
    let mut reserved = 0u128;
    let mut span: Option<(u128, u128, u128, u128)> = None;
    let mut extend = |row: u128, first: u128, last: u128| {
        span = Some(match span {
            None => (row, row, first, last),
            Some((r0, r1, c0, c1)) => (r0.min(row), r1.max(row), c0.min(first), c1.max(last)),
        });
    };
    for (kind, data) in records(stream, start).skip(1).take_while(|(kind, _)| *kind != EOF) {
        match kind {
            DIMENSIONS => {
                let (rows, columns) = match data.len() {
                    10 => (u16_at(data, 0).zip(u16_at(data, 2)), u16_at(data, 4).zip(u16_at(data, 6))),
                    14 => (u32_at(data, 0).zip(u32_at(data, 4)), u16_at(data, 8).zip(u16_at(data, 10))),
                    _ => (None, None),
                };
                if let (Some((rf, rl)), Some((cf, cl))) = (rows, columns) {
                    reserved = reserved.max(declared_cells(rf, rl, cf, cl));
                }
            }
            MUL_RK => {
                if let (Some(row), Some(first), Some(last)) =
                    (u16_at(data, 0), u16_at(data, 2), u16_at(data, data.len().saturating_sub(2)))
                {
                    extend(row, first, last.max(first));
                }
            }
            kind if CELL_RECORDS.contains(&kind) => {
                if let (Some(row), Some(column)) = (u16_at(data, 0), u16_at(data, 2)) {
                    extend(row, column, column);
                }
            }
            _ => {}
        }
    }
    let dense = span.map_or(0, |(r0, r1, c0, c1)| (r1 - r0 + 1).saturating_mul(c1 - c0 + 1));
    reserved.saturating_add(dense.saturating_mul(2))
}
