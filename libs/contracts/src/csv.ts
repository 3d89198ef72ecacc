/**
 * The cell rules of Candor's CSV files, written by the API's `.csv` endpoints and by the web app's
 * download of what is on screen. The two must give the same bytes for the same view, so the rules
 * live here, next to the response types the files are made from. Quoting is csv-stringify's
 * (RFC 4180; ADR 0004), whose synchronous API is plain JavaScript that runs in Node and in the
 * browser alike; the formula prefix is ours.
 */
import { stringify } from 'csv-stringify/sync';

/** One cell: text, a number, or nothing (an empty cell). */
export type CsvValue = string | number | null;

/** Text that a spreadsheet would start to read as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * The CSV text of `rows` (the header is the first row): cells separated by commas, every row ended
 * by `\n`. null is an empty cell; a number is written as JavaScript writes it, a negative one
 * included; text that starts with = + - @ tab or CR is prefixed with ' so that a spreadsheet shows
 * it instead of running it; text with a quote, comma, CR or LF is quoted, its quotes doubled.
 */
export function toCsv(rows: readonly (readonly CsvValue[])[]): string {
  return stringify(
    rows.map((row) => [...row]),
    {
      cast: {
        string: (value) => (FORMULA_START.test(value) ? `'${value}` : value),
        number: (value) => String(value),
      },
    },
  );
}
