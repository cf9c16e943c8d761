//! Guesses the field delimiter from the first lines of a file.

/// The delimiters mlplay recognises, in order of preference when the evidence ties.
pub const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];

/// How many lines the guess looks at.
const SAMPLE_LINES: usize = 50;

/// Returns the candidate delimiter that splits the first lines into the same, largest number of fields, or
/// `None` when no candidate appears (a one-column file). Delimiters inside double quotes do not count.
pub fn sniff_delimiter(text: &[u8]) -> Option<u8> {
    let lines = sample_lines(text);
    let mut best: Option<(usize, usize, u8)> = None; // (lines agreeing with the first line, count, delimiter)
    for &delimiter in &CANDIDATES {
        let counts: Vec<usize> = lines.iter().map(|line| count_unquoted(line, delimiter)).collect();
        let Some(&first) = counts.first() else { continue };
        if first == 0 {
            continue;
        }
        let agreeing = counts.iter().filter(|&&c| c == first).count();
        let better = match best {
            None => true,
            Some((best_agreeing, best_count, _)) => {
                agreeing > best_agreeing || (agreeing == best_agreeing && first > best_count)
            }
        };
        if better {
            best = Some((agreeing, first, delimiter));
        }
    }
    best.map(|(_, _, delimiter)| delimiter)
}

/// The first non-blank logical lines; a newline inside quotes does not end a line.
fn sample_lines(text: &[u8]) -> Vec<&[u8]> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut in_quotes = false;
    for (i, &b) in text.iter().enumerate() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => {
                let line = text.get(start..i).unwrap_or_default();
                if !line.iter().all(|c| c.is_ascii_whitespace()) {
                    lines.push(line);
                }
                start = i + 1;
                if lines.len() >= SAMPLE_LINES {
                    return lines;
                }
            }
            _ => {}
        }
    }
    if let Some(rest) = text.get(start..) {
        if !rest.iter().all(|c| c.is_ascii_whitespace()) {
            lines.push(rest);
        }
    }
    lines
}

fn count_unquoted(line: &[u8], delimiter: u8) -> usize {
    let mut in_quotes = false;
    let mut count = 0;
    for &b in line {
        if b == b'"' {
            in_quotes = !in_quotes;
        } else if b == delimiter && !in_quotes {
            count += 1;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_consistent_delimiter() {
        assert_eq!(sniff_delimiter(b"a;b;c\n1;2,5;3\n4;5,5;6\n"), Some(b';'));
        assert_eq!(sniff_delimiter(b"a,b\n1,2\n"), Some(b','));
        assert_eq!(sniff_delimiter(b"a\tb\n1\t2\n"), Some(b'\t'));
        assert_eq!(sniff_delimiter(b"a|b|c\n1|2|3\n"), Some(b'|'));
    }

    #[test]
    fn ignores_delimiters_inside_quotes() {
        assert_eq!(sniff_delimiter(b"name;note\n\"a, b, c\";x\n\"d, e\";y\n"), Some(b';'));
    }

    #[test]
    fn one_column_has_no_delimiter() {
        assert_eq!(sniff_delimiter(b"value\n1\n2\n"), None);
    }
}
