//! The `mlplay` command-line tool: the same core as the page, reading files from disk.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use mlplay::charts::{profile_charts, render_svg, report_charts};
use std::io::Write;

use mlplay::data::write::write_csv;
use mlplay::data::{read_csv, ColumnKind, CsvOptions};
use mlplay::progress::{NoProgress, Progress};
use mlplay::run::{run_with, RunOptions, Trained};
use mlplay::spec::Spec;

const USAGE: &str = "\
mlplay — machine learning in the browser, and on the command line

Usage:
  mlplay profile [options] <data.csv>     print the profile of a CSV file (or a spreadsheet: .xlsx,
                                          .xls, .ods) as JSON
  mlplay transform [options] <data.csv>   fit the Spec's preparation steps on the file and print the
                                          prepared table as CSV (what each step did goes to stderr)
  mlplay run [options] <data.csv>         run the Spec end to end (prepare, split, cross-validate, fit,
                                          score) and print the Report as JSON
  mlplay predict --model <m.json> <data.csv>
                                          predict every row with a model saved by `run --save`; prints
                                          CSV (the prediction, then one probability column per class)
  mlplay catalog                          print the Spec's vocabulary as JSON: tasks and their default
                                          models, every model with its parameters, choices, curve values
                                          and suggested search spaces, the CV and search methods

Options for reading the CSV:
  --delimiter <c>          field delimiter: , ; | or tab (default: guessed)
  --missing <a,b,...>      values that mean missing (default: \"\",NA,N/A,NaN,nan,null,NULL,None,?)
  --missing-in <column=a,b,...>
                           the values that mean missing in one column, replacing --missing there
                           (repeatable; `--missing-in veneer=` reads `None` as a value in veneer)
  --type <column=kind>     force a column's kind: integer, float, boolean, categorical, datetime, text
                           (repeatable)
  --decimal <auto|.|,>     the decimal mark: auto (default) reads plain numbers, then per column a
                           decimal comma (48,0), thousands separators, % or a currency symbol when
                           exactly one reading fits; . or , sets it for every column
  --sheet <name>           the sheet of a spreadsheet (.xlsx, .xls, .ods) to read (default: the first)
  --skip-bad-rows          skip rows with the wrong number of fields instead of failing
  --max-bytes <n>          refuse files larger than n bytes (default 2 GiB)
  --options <file.json>    read all of the above from a JSON file (the page's loadCsv options)
Options of transform and run:
  --spec <spec.json>       the Spec (target, task, drop, prep, split, cv, model, metrics, seed);
                           default: automatic preparation (and for run, clustering of every column)
  --target <column>        set the Spec's target (overrides the file)
  --pipeline <file.json>   transform: also save the fitted steps, to apply them to other data later
  --save <file.json>       run: also save the fitted steps and model, for `mlplay predict`
  --progress               run: report progress on stderr
  --threads <n>            run: score a search's candidates on n threads (default: every core; the
                           results are the same for any n)
  --model <file.json>      predict: the saved model
Output:
  --charts <dir>           profile, run: also write every chart (of the profile, or of the run's
                           evaluation) as an SVG file into <dir>
  --compact                print JSON on one line
  -h, --help               show this help
  -V, --version            show the version
";

/// The subcommands.
#[derive(Clone, Copy, PartialEq)]
enum Action {
    Profile,
    Transform,
    Run,
    Predict,
}

/// What the command line asked for.
struct Command {
    action: Action,
    input: PathBuf,
    spec: Option<PathBuf>,
    target: Option<String>,
    pipeline: Option<PathBuf>,
    save: Option<PathBuf>,
    model: Option<PathBuf>,
    progress: bool,
    /// The options, or why the `--options` file could not be used (reported like any reading error).
    options: Result<CsvOptions, String>,
    charts: Option<PathBuf>,
    compact: bool,
    /// Threads for a search's candidates; default every core.
    threads: Option<usize>,
}

enum Parsed {
    Run(Box<Command>),
    Help,
    Version,
    Catalog,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match parse_args(&args) {
        Ok(Parsed::Help) => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Parsed::Catalog) => match serde_json::to_string_pretty(&mlplay::run::catalog::catalog()) {
            Ok(json) => {
                println!("{json}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("mlplay: {e}");
                ExitCode::from(1)
            }
        },
        Ok(Parsed::Version) => {
            println!("mlplay {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Ok(Parsed::Run(command)) => match execute(&command) {
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
    let action = match iter.next().map(String::as_str) {
        None | Some("-h" | "--help" | "help") => return Ok(Parsed::Help),
        Some("-V" | "--version") => return Ok(Parsed::Version),
        Some("catalog") => return Ok(Parsed::Catalog),
        Some("profile") => Action::Profile,
        Some("transform") => Action::Transform,
        Some("run") => Action::Run,
        Some("predict") => Action::Predict,
        Some(other) => return Err(format!("unknown command `{other}`")),
    };
    let mut spec = None;
    let mut pipeline = None;
    let mut target = None;
    let mut save = None;
    let mut model = None;
    let mut progress = false;
    let mut options: Result<CsvOptions, String> = Ok(CsvOptions::default());
    let mut input = None;
    let mut charts = None;
    let mut compact = false;
    let mut threads = None;
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
            "--missing-in" => {
                let spec = value("--missing-in")?;
                let (column, tokens) = spec
                    .split_once('=')
                    .ok_or_else(|| format!("--missing-in takes column=a,b,..., not `{spec}`"))?;
                if let Ok(o) = &mut options {
                    let tokens = tokens.split(',').map(str::to_string).collect();
                    o.missing_tokens_by_column.insert(column.to_string(), tokens);
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
            "--decimal" => {
                let text = value("--decimal")?;
                let decimal = serde_json::from_value(serde_json::Value::String(text.clone()))
                    .map_err(|_| format!("--decimal takes auto, . or , — not `{text}`"))?;
                if let Ok(o) = &mut options {
                    o.decimal = decimal;
                }
            }
            "--sheet" => {
                let sheet = value("--sheet")?;
                if let Ok(o) = &mut options {
                    o.sheet = Some(sheet);
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
            "--spec" => spec = Some(PathBuf::from(value("--spec")?)),
            "--pipeline" => pipeline = Some(PathBuf::from(value("--pipeline")?)),
            "--target" => target = Some(value("--target")?),
            "--save" => save = Some(PathBuf::from(value("--save")?)),
            "--model" => model = Some(PathBuf::from(value("--model")?)),
            "--progress" => progress = true,
            "--compact" => compact = true,
            "--threads" => {
                let text = value("--threads")?;
                threads =
                    Some(text.parse().ok().filter(|&n| n > 0).ok_or_else(|| {
                        format!("--threads takes a whole number of 1 or more, not `{text}`")
                    })?);
            }
            flag if flag.starts_with("--") => return Err(format!("unknown option `{flag}`")),
            path if input.is_none() => input = Some(PathBuf::from(path)),
            extra => return Err(format!("unexpected argument `{extra}`")),
        }
    }
    let input = input.ok_or("a CSV file is needed")?;
    if action == Action::Predict && model.is_none() {
        return Err("predict needs --model <file.json>".into());
    }
    Ok(Parsed::Run(Box::new(Command {
        action,
        input,
        spec,
        target,
        pipeline,
        save,
        model,
        progress,
        options,
        charts,
        compact,
        threads,
    })))
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

/// Refuses an output path that is one of the inputs (the data, the Spec, the model): writing it would destroy
/// what the command reads.
fn check_outputs_are_not_inputs(command: &Command) -> Result<(), String> {
    let same = |a: &Path, b: &Path| match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    };
    let inputs: Vec<(&str, &Path)> = [
        ("the data", Some(command.input.as_path())),
        ("the Spec", command.spec.as_deref()),
        ("the model", command.model.as_deref()),
    ]
    .into_iter()
    .filter_map(|(what, path)| path.map(|p| (what, p)))
    .collect();
    for (flag, output) in [("--pipeline", command.pipeline.as_deref()), ("--save", command.save.as_deref())] {
        let Some(output) = output else { continue };
        if let Some((what, _)) = inputs.iter().find(|(_, input)| same(input, output)) {
            return Err(format!(
                "{flag} {} is {what} this command reads: mlplay never overwrites its input; save to another file",
                output.display()
            ));
        }
    }
    Ok(())
}

fn execute(command: &Command) -> Result<(), String> {
    check_outputs_are_not_inputs(command)?;
    let bytes =
        std::fs::read(&command.input).map_err(|e| format!("cannot read {}: {e}", command.input.display()))?;
    let options = command.options.as_ref().map_err(String::clone)?;
    match command.action {
        Action::Transform => return run_transform(command, &bytes, options),
        Action::Run => return run_spec(command, &bytes, options),
        Action::Predict => return run_predict(command, &bytes, options),
        Action::Profile => {}
    }
    let (_, profile) =
        mlplay::load_and_profile(&bytes, options, &mut NoProgress).map_err(|e| e.to_string())?;
    if let Some(dir) = &command.charts {
        write_charts(&profile_charts(&profile), dir)?;
    }
    let json = if command.compact {
        serde_json::to_string(&profile)
    } else {
        serde_json::to_string_pretty(&profile)
    };
    println!("{}", json.map_err(|e| e.to_string())?);
    Ok(())
}

fn write_charts(charts: &[mlplay::charts::ChartSpec], dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for (index, chart) in charts.iter().enumerate() {
        let svg = render_svg(chart, 640, 400).map_err(|e| e.to_string())?;
        let safe: String =
            chart.id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
        let path = dir.join(format!("{index:02}-{safe}.svg"));
        std::fs::write(&path, svg).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// The Spec of `--spec` (default: empty), with `--target` applied.
fn read_spec(command: &Command) -> Result<Spec, String> {
    let mut spec = match &command.spec {
        Some(path) => {
            let json =
                std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            Spec::from_json(&json).map_err(|e| e.to_string())?
        }
        None => Spec::default(),
    };
    if let Some(target) = &command.target {
        spec.target = Some(target.clone());
    }
    Ok(spec)
}

/// Progress on stderr, one line per stage change or tenth of the way.
struct StderrProgress {
    last: (String, u64),
}

impl Progress for StderrProgress {
    fn report(&mut self, stage: &str, done: u64, total: u64) {
        let tenth = (done * 10).checked_div(total).unwrap_or(0);
        if self.last.0 != stage || self.last.1 != tenth {
            eprintln!("mlplay: {stage} {done}/{total}");
            self.last = (stage.to_string(), tenth);
        }
    }
}

fn run_spec(command: &Command, bytes: &[u8], options: &CsvOptions) -> Result<(), String> {
    let spec = read_spec(command)?;
    let (table, report) = read_csv(bytes, options, &mut NoProgress).map_err(|e| e.to_string())?;
    for warning in &report.warnings {
        eprintln!("mlplay: warning: {warning}");
    }
    let start = std::time::Instant::now();
    let clock = move || start.elapsed().as_secs_f64() * 1000.0;
    let mut quiet = NoProgress;
    let mut loud = StderrProgress { last: (String::new(), 0) };
    let progress: &mut dyn Progress = if command.progress { &mut loud } else { &mut quiet };
    let threads = command
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get));
    let data_warnings = report.run_warnings();
    let options = RunOptions { clock: Some(&clock), threads, searched: None, data_warnings: &data_warnings };
    let output = run_with(&table, &spec, &options, progress).map_err(|e| e.to_string())?;
    if let Some(path) = &command.save {
        let json = Trained::new(output.pipeline, output.model)
            .with_inputs(&table)
            .to_json()
            .map_err(|e| e.to_string())?;
        std::fs::write(path, json).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    if let Some(dir) = &command.charts {
        write_charts(&report_charts(&output.report), dir)?;
    }
    let json = if command.compact {
        serde_json::to_string(&output.report)
    } else {
        serde_json::to_string_pretty(&output.report)
    };
    println!("{}", json.map_err(|e| e.to_string())?);
    Ok(())
}

fn run_predict(command: &Command, bytes: &[u8], options: &CsvOptions) -> Result<(), String> {
    let path = command.model.as_ref().ok_or("predict needs --model <file.json>")?;
    let json = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let trained = Trained::from_json(&json).map_err(|e| e.to_string())?;
    let (table, _) = trained.read_new_data(bytes, options, &mut NoProgress).map_err(|e| e.to_string())?;
    let csv = trained.predictions_csv(&table).map_err(|e| e.to_string())?;
    std::io::stdout().write_all(csv.as_bytes()).map_err(|e| format!("cannot write the output: {e}"))
}

fn run_transform(command: &Command, bytes: &[u8], options: &CsvOptions) -> Result<(), String> {
    let spec = read_spec(command)?;
    let (table, report) = read_csv(bytes, options, &mut NoProgress).map_err(|e| e.to_string())?;
    for warning in &report.warnings {
        eprintln!("mlplay: warning: {warning}");
    }
    let prepared = spec.prepare(&table).map_err(|e| e.to_string())?;
    for step in &prepared.reports {
        for line in &step.summary {
            eprintln!("mlplay: {}: {line}", step.step);
        }
    }
    if let Some(path) = &command.pipeline {
        let json = prepared.pipeline.to_json().map_err(|e| e.to_string())?;
        std::fs::write(path, json).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    let csv = write_csv(&prepared.table).map_err(|e| e.to_string())?;
    std::io::stdout().write_all(&csv).map_err(|e| format!("cannot write the output: {e}"))
}
