//! Workbooks built byte by byte for the tests of what a hostile spreadsheet may hold: an .ods archive around
//! a given sheet, and an .xls compound file around given BIFF records.

/// An .ods workbook whose one sheet's `<table:table>` holds `rows` (XML text).
pub fn ods(rows: &str) -> Vec<u8> {
    use std::io::Write;
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="S">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let parts: [(&str, String, zip::write::SimpleFileOptions); 3] = [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet".into(), stored),
        (
            "META-INF/manifest.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#.into(),
            deflated,
        ),
        ("content.xml", content, deflated),
    ];
    for (name, text, options) in parts {
        zip.start_file(name, options).unwrap_or_else(|e| panic!("{e}"));
        zip.write_all(text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    }
    zip.finish().unwrap_or_else(|e| panic!("{e}")).into_inner()
}

pub fn cell(value: &str) -> String {
    format!(
        r#"<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>"#
    )
}

pub fn text_cell(value: &str) -> String {
    format!(r#"<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>"#)
}

/// An .xls workbook: a compound file whose Workbook stream holds the globals (one sheet listed) and the
/// sheet's `records` (type, data).
pub fn xls(records: &[(u16, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write;
    let record = |kind: u16, data: &[u8]| {
        let mut out = kind.to_le_bytes().to_vec();
        out.extend((data.len() as u16).to_le_bytes());
        out.extend(data);
        out
    };
    let bof = record(0x0809, &[0x00, 0x06, 0x05, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    let mut sheet_name = vec![0u8, 0u8, 1u8, 0u8];
    sheet_name.extend(b"S");
    // The globals: BOF, the sheet list (its offset patched in below), EOF.
    let mut globals = bof.clone();
    let list_at = globals.len();
    let mut bound = 0u32.to_le_bytes().to_vec();
    bound.extend(&sheet_name);
    globals.extend(record(0x0085, &bound));
    globals.extend(record(0x000A, &[]));
    let offset = globals.len() as u32;
    if let Some(slot) = globals.get_mut(list_at + 4..list_at + 8) {
        slot.copy_from_slice(&offset.to_le_bytes());
    }
    let mut stream = globals;
    stream.extend(record(0x0809, &[0x00, 0x06, 0x10, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
    for (kind, data) in records {
        stream.extend(record(*kind, data));
    }
    stream.extend(record(0x000A, &[]));
    let mut file =
        cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap_or_else(|e| panic!("{e}"));
    let mut workbook = file.create_stream("/Workbook").unwrap_or_else(|e| panic!("{e}"));
    workbook.write_all(&stream).unwrap_or_else(|e| panic!("{e}"));
    drop(workbook);
    file.flush().unwrap_or_else(|e| panic!("{e}"));
    file.into_inner().into_inner()
}

/// A NUMBER record at (`row`, `column`).
pub fn number(row: u16, column: u16, value: f64) -> (u16, Vec<u8>) {
    let mut data = row.to_le_bytes().to_vec();
    data.extend(column.to_le_bytes());
    data.extend(0u16.to_le_bytes());
    data.extend(value.to_le_bytes());
    (0x0203, data)
}

/// A BIFF8 DIMENSIONS record: first row, row after the last, first column, column after the last.
pub fn dimensions(rf: u32, rl: u32, cf: u16, cl: u16) -> (u16, Vec<u8>) {
    let mut data = rf.to_le_bytes().to_vec();
    data.extend(rl.to_le_bytes());
    data.extend(cf.to_le_bytes());
    data.extend(cl.to_le_bytes());
    data.extend(0u16.to_le_bytes());
    (0x0200, data)
}
