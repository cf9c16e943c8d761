//! From CSV bytes to a typed, profiled table.

pub mod csv;
pub mod decode;
pub mod features;
pub mod flags;
pub mod identifiers;
pub mod infer;
pub mod load_report;
pub mod number_format;
pub mod numbers_plan;
pub mod options;
pub mod profile;
pub mod sheet_extent;
pub mod sniff;
pub mod spreadsheet;
pub mod table;
pub mod token_majority;
pub mod write;

pub use self::csv::{read_csv, CsvOptions, LoadReport};
pub use self::features::features_matrix;
pub use self::profile::{profile, Profile};
pub use self::table::{Column, ColumnData, ColumnKind, Table};
