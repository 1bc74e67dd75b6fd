/**
 * Event filters as a libSQL WHERE clause over `events e`: the twin of filter-predicate.ts,
 * field by field, so search, statistics and event candidates select exactly the events the
 * in-memory predicate would accept.
 */
import type { InValue } from '@libsql/client';
import type { EventFilters } from './event-filters.ts';
import { resolveTimeBound } from './relative-time.ts';

/** A WHERE fragment with its positional arguments. */
export interface SqlClause {
  sql: string;
  args: InValue[];
}

type Rule = (f: EventFilters, now: number) => SqlClause | undefined;

function marks(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

function cmp(
  column: string,
  op: '>=' | '<' | '=',
  value: InValue | undefined,
): SqlClause | undefined {
  return value === undefined ? undefined : { sql: `${column} ${op} ?`, args: [value] };
}

function within(column: string, values: readonly InValue[] | undefined): SqlClause | undefined {
  return values ? { sql: `${column} IN (${marks(values.length)})`, args: [...values] } : undefined;
}

function time(text: string | undefined, now: number): number | undefined {
  return text === undefined ? undefined : resolveTimeBound(text, now);
}

const LABEL_SIMILARITY = `COALESCE((SELECT m.similarity FROM event_match_labels m
  WHERE m.event_id = e.event_id AND m.label = ?), 0)`;

const matchRule: Rule = (f) => {
  const parts = (f.match ?? []).flatMap((m) => [
    ...(m.similarity__gte === undefined
      ? []
      : [{ sql: `${LABEL_SIMILARITY} >= ?`, args: [m.label, m.similarity__gte] }]),
    ...(m.similarity__lt === undefined
      ? []
      : [{ sql: `${LABEL_SIMILARITY} < ?`, args: [m.label, m.similarity__lt] }]),
  ]);
  return parts.length === 0 ? undefined : joinClauses(parts);
};

const genderRule: Rule = (f) =>
  f.gender === undefined
    ? undefined
    : { sql: f.gender === 1 ? 'e.gender >= 0.5' : 'e.gender < 0.5', args: [] };

const tagsRule: Rule = (f) =>
  f.tags && {
    sql: `EXISTS (SELECT 1 FROM event_tags t WHERE t.event_id = e.event_id
      AND t.tag IN (${marks(f.tags.length)}))`,
    args: [...f.tags],
  };

const userDataRule: Rule = (f) =>
  f.user_data === undefined ? undefined : { sql: 'instr(e.user_data, ?) > 0', args: [f.user_data] };

const RULES: Rule[] = [
  (f) => cmp('e.age', '>=', f.age__gte),
  (f) => cmp('e.age', '<', f.age__lt),
  genderRule,
  (f) => within('e.liveness', f.liveness),
  matchRule,
  (f) => within('e.handler_id', f.handler_ids),
  (f, now) => cmp('e.create_time', '>=', time(f.create_time__gte, now)),
  (f, now) => cmp('e.create_time', '<', time(f.create_time__lt, now)),
  (f) => within('e.source', f.sources),
  tagsRule,
  (f) => within('e.track_id', f.track_ids),
  (f) => within('e.external_id', f.external_ids),
  userDataRule,
  (f) => cmp('e.top_match_label', '=', f.top_matching_candidates_label),
  (f) => within('e.top_match_object_id', f.top_similar_object_ids),
  (f) => cmp('e.top_match_similarity', '>=', f.top_similar_object_similarity__gte),
  (f) => cmp('e.top_match_similarity', '<', f.top_similar_object_similarity__lt),
  (f) => within('e.face_id', f.face_ids),
  (f) => cmp('e.event_id', '>=', f.event_id__gte),
  (f) => cmp('e.event_id', '<', f.event_id__lt),
];

function joinClauses(clauses: SqlClause[]): SqlClause {
  if (clauses.length === 0) {
    return { sql: '1 = 1', args: [] };
  }
  return {
    sql: clauses.map((c) => `(${c.sql})`).join(' AND '),
    args: clauses.flatMap((c) => c.args),
  };
}

/** The WHERE clause selecting the events of `accountId` (every account when undefined). */
export function filtersToSql(
  accountId: string | undefined,
  filters: EventFilters,
  now: number,
): SqlClause {
  const owner: SqlClause[] = accountId === undefined ? [] : [cmp('e.account_id', '=', accountId)!];
  const rules = RULES.map((rule) => rule(filters, now)).filter((c): c is SqlClause => !!c);
  return joinClauses([...owner, ...rules]);
}
