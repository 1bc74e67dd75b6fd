/**
 * Event statistics as SQL: count, and min/max/avg of numeric event fields, over the events a
 * filter selects, grouped by time bucket (UTC hour or day) or by a field. Pure; the repository
 * runs the query.
 */
import * as z from 'zod';
import { isoTime } from '../http/index.ts';
import type { SqlClause } from './filter-sql.ts';

/** Numeric event fields statistics can aggregate, and their columns. */
const NUMERIC_COLUMNS = {
  age: 'e.age',
  gender: 'e.gender',
  top_similarity: 'e.top_match_similarity',
} as const;

const FUNCTIONS = ['min', 'max', 'avg'] as const;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Group keys: time buckets, then event fields (`tag` counts an event once per tag). */
const GROUP_KEYS = {
  hour: `(e.create_time / ${HOUR_MS}) * ${HOUR_MS}`,
  day: `(e.create_time / ${DAY_MS}) * ${DAY_MS}`,
  source: 'e.source',
  handler_id: 'e.handler_id',
  gender: 'CASE WHEN e.gender IS NULL THEN NULL WHEN e.gender >= 0.5 THEN 1 ELSE 0 END',
  liveness: 'e.liveness',
  top_matching_candidates_label: 'e.top_match_label',
  tag: 'tg.tag',
} as const;

/** Most groups one statistics answer holds. */
export const MAX_GROUPS = 1000;

/** What to aggregate and how to group. */
export const STATISTICS_SPEC = z.object({
  targets: z
    .array(
      z.object({
        field: z.enum(Object.keys(NUMERIC_COLUMNS) as [keyof typeof NUMERIC_COLUMNS]),
        functions: z
          .array(z.enum(FUNCTIONS))
          .min(1)
          .max(3)
          .default([...FUNCTIONS]),
      }),
    )
    .max(3)
    .default([]),
  group_by: z.enum(Object.keys(GROUP_KEYS) as [keyof typeof GROUP_KEYS]).optional(),
});

/** A statistics request, defaults applied. */
export type StatisticsSpec = z.infer<typeof STATISTICS_SPEC>;

/** One group of the answer. */
export interface StatisticsGroup {
  group: Record<string, unknown> | null;
  count: number;
  [field: string]: unknown;
}

function selectList(spec: StatisticsSpec): string[] {
  const columns = ['COUNT(*) AS count'];
  for (const target of spec.targets) {
    for (const fn of target.functions) {
      columns.push(
        `${fn.toUpperCase()}(${NUMERIC_COLUMNS[target.field]}) AS ${target.field}_${fn}`,
      );
    }
  }
  return spec.group_by ? [`${GROUP_KEYS[spec.group_by]} AS grp`, ...columns] : columns;
}

/** The statistics query over the events `where` selects. */
export function statisticsSql(spec: StatisticsSpec, where: SqlClause): SqlClause {
  const join = spec.group_by === 'tag' ? ' JOIN event_tags tg ON tg.event_id = e.event_id' : '';
  const group = spec.group_by ? ' GROUP BY grp ORDER BY grp' : '';
  return {
    sql: `SELECT ${selectList(spec).join(', ')} FROM events e${join} WHERE ${where.sql}${group}
      LIMIT ${MAX_GROUPS}`,
    args: where.args,
  };
}

function groupOf(spec: StatisticsSpec, row: Record<string, unknown>) {
  if (!spec.group_by) {
    return null;
  }
  const value = row.grp;
  const timeKey = spec.group_by === 'hour' || spec.group_by === 'day';
  return { [spec.group_by]: timeKey && value !== null ? isoTime(Number(value)) : value };
}

/** One answer group from a row of `statisticsSql`. */
export function statisticsGroupOf(
  spec: StatisticsSpec,
  row: Record<string, unknown>,
): StatisticsGroup {
  const out: StatisticsGroup = { group: groupOf(spec, row), count: Number(row.count) };
  for (const target of spec.targets) {
    out[target.field] = Object.fromEntries(
      target.functions.map((fn) => {
        const value = row[`${target.field}_${fn}`];
        return [fn, value === null || value === undefined ? null : Number(value)];
      }),
    );
  }
  return out;
}
