/**
 * CSV text (RFC 4180: comma-separated, CRLF rows, quotes doubled). Text cells that a
 * spreadsheet would run as a formula (leading `=`, `+`, `-`, `@`, tab, CR) get a `'` prefix.
 * Pure.
 */

/** A value one cell can hold. */
export type CsvCell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

function cellText(value: CsvCell): string {
  if (value === null || value === undefined) {
    return '';
  }
  if (typeof value !== 'string') {
    return String(value);
  }
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One CSV row, CRLF included. */
export function csvRow(values: CsvCell[]): string {
  return `${values.map(cellText).join(',')}\r\n`;
}
