/**
 * The cell rules of Candor's CSV files, written by the API's `.csv` endpoints and by the web app's
 * download of what is on screen. The two must give the same bytes for the same view, so the rules
 * live here, next to the response types the files are made from. Quoting is written out here
 * (RFC 4180, a few lines) rather than taken from csv-stringify, whose builds need Node's Buffer
 * and broke the comparison page in the browser; a property test checks it against csv-stringify.
 * Pure, no dependencies.
 */

/** One cell: text, a number, or nothing (an empty cell). */
export type CsvValue = string | number | null;

/** Text that a spreadsheet would start to read as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** Text that must be quoted (RFC 4180). */
const NEEDS_QUOTES = /[",\r\n]/;

function cell(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The CSV text of `rows` (the header is the first row): cells separated by commas, every row ended
 * by `\n`. null is an empty cell; a number is written as JavaScript writes it, a negative one
 * included; text that starts with = + - @ tab or CR is prefixed with ' so that a spreadsheet shows
 * it instead of running it; text with a quote, comma, CR or LF is quoted, its quotes doubled.
 */
export function toCsv(rows: readonly (readonly CsvValue[])[]): string {
  return rows.map((row) => `${row.map(cell).join(',')}\n`).join('');
}
