//! The `mlplay` command-line tool: the same core as the page, reading files from disk.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use mlplay::charts::{profile_charts, render_svg};
use mlplay::data::{ColumnKind, CsvOptions};
use mlplay::progress::NoProgress;

const USAGE: &str = "\
mlplay — machine learning in the browser, and on the command line

Usage:
  mlplay profile [options] <data.csv>   print the profile of a CSV file as JSON

Options for reading the CSV:
  --delimiter <c>          field delimiter: , ; | or tab (default: guessed)
  --missing <a,b,...>      values that mean missing (default: \"\",NA,N/A,NaN,nan,null,NULL,None,?)
  --type <column=kind>     force a column's kind: integer, float, boolean, categorical, datetime, text
                           (repeatable)
  --skip-bad-rows          skip rows with the wrong number of fields instead of failing
  --max-bytes <n>          refuse files larger than n bytes (default 2 GiB)
  --options <file.json>    read all of the above from a JSON file (the page's loadCsv options)
Output:
  --charts <dir>           also write every chart as an SVG file into <dir>
  --compact                print JSON on one line
  -h, --help               show this help
  -V, --version            show the version
";

/// What the command line asked for.
struct Command {
    input: PathBuf,
    /// The options, or why the `--options` file could not be used (reported like any reading error).
    options: Result<CsvOptions, String>,
    charts: Option<PathBuf>,
    compact: bool,
}

enum Parsed {
    Run(Box<Command>),
    Help,
    Version,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match parse_args(&args) {
        Ok(Parsed::Help) => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Parsed::Version) => {
            println!("mlplay {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Ok(Parsed::Run(command)) => match run_profile(&command) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("mlplay: {message}");
                ExitCode::from(1)
            }
        },
        Err(message) => {
            eprintln!("mlplay: {message}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn parse_args(args: &[String]) -> Result<Parsed, String> {
    let mut iter = args.iter();
    match iter.next().map(String::as_str) {
        None | Some("-h" | "--help" | "help") => return Ok(Parsed::Help),
        Some("-V" | "--version") => return Ok(Parsed::Version),
        Some("profile") => {}
        Some(other) => return Err(format!("unknown command `{other}`")),
    }
    let mut options: Result<CsvOptions, String> = Ok(CsvOptions::default());
    let mut input = None;
    let mut charts = None;
    let mut compact = false;
    while let Some(arg) = iter.next() {
        let mut value = |name: &str| iter.next().cloned().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "-h" | "--help" => return Ok(Parsed::Help),
            "--delimiter" => {
                let delimiter = parse_delimiter(&value("--delimiter")?)?;
                if let Ok(o) = &mut options {
                    o.delimiter = Some(delimiter);
                }
            }
            "--missing" => {
                let tokens = value("--missing")?.split(',').map(str::to_string).collect();
                if let Ok(o) = &mut options {
                    o.missing_tokens = tokens;
                }
            }
            "--type" => {
                let spec = value("--type")?;
                let (column, kind) =
                    spec.rsplit_once('=').ok_or_else(|| format!("--type takes column=kind, not `{spec}`"))?;
                let kind: ColumnKind = serde_json::from_value(serde_json::Value::String(kind.to_string()))
                    .map_err(|_| format!("unknown kind `{kind}` in --type {spec}"))?;
                if let Ok(o) = &mut options {
                    o.types.insert(column.to_string(), kind);
                }
            }
            "--skip-bad-rows" => {
                if let Ok(o) = &mut options {
                    o.skip_bad_rows = true;
                }
            }
            "--max-bytes" => {
                let text = value("--max-bytes")?;
                let limit = text.parse().map_err(|_| format!("--max-bytes takes a number, not `{text}`"))?;
                if let Ok(o) = &mut options {
                    o.max_bytes = limit;
                }
            }
            "--options" => {
                let path = value("--options")?;
                let json = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {path}: {e}"))?;
                options = CsvOptions::from_json(&json).map_err(|e| e.to_string());
            }
            "--charts" => charts = Some(PathBuf::from(value("--charts")?)),
            "--compact" => compact = true,
            flag if flag.starts_with("--") => return Err(format!("unknown option `{flag}`")),
            path if input.is_none() => input = Some(PathBuf::from(path)),
            extra => return Err(format!("unexpected argument `{extra}`")),
        }
    }
    let input = input.ok_or("profile needs a CSV file")?;
    Ok(Parsed::Run(Box::new(Command { input, options, charts, compact })))
}

fn parse_delimiter(text: &str) -> Result<char, String> {
    match text {
        "tab" | "\\t" | "\t" => Ok('\t'),
        _ => {
            let mut chars = text.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => Ok(c),
                _ => Err(format!("--delimiter takes one character or `tab`, not `{text}`")),
            }
        }
    }
}

fn run_profile(command: &Command) -> Result<(), String> {
    let bytes =
        std::fs::read(&command.input).map_err(|e| format!("cannot read {}: {e}", command.input.display()))?;
    let options = command.options.as_ref().map_err(String::clone)?;
    let (_, profile) =
        mlplay::load_and_profile(&bytes, options, &mut NoProgress).map_err(|e| e.to_string())?;
    if let Some(dir) = &command.charts {
        write_charts(&profile, dir)?;
    }
    let json = if command.compact {
        serde_json::to_string(&profile)
    } else {
        serde_json::to_string_pretty(&profile)
    };
    println!("{}", json.map_err(|e| e.to_string())?);
    Ok(())
}

fn write_charts(profile: &mlplay::data::Profile, dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for (index, chart) in profile_charts(profile).iter().enumerate() {
        let svg = render_svg(chart, 640, 400).map_err(|e| e.to_string())?;
        let safe: String =
            chart.id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
        let path = dir.join(format!("{index:02}-{safe}.svg"));
        std::fs::write(&path, svg).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}
