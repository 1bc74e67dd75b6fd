/** Renders the closed error table as the Markdown rows the README documents. */
import { ERROR_TABLE } from './codes.ts';

/** One Markdown table row per error code, ordered by number. */
export function errorTableMarkdown(): string {
  return Object.entries(ERROR_TABLE)
    .sort(([, a], [, b]) => a.code - b.code)
    .map(([name, row]) => `| ${row.code} | \`${name}\` | ${row.status} | ${row.desc} |`)
    .join('\n');
}
