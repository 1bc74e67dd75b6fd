/** `conditional_tags_policy`: the tags whose filters an event passes. Pure. */
import { type FaceFilters, type FilterSubject, failedFilters } from '../events/index.ts';

/** One conditional tag. */
export interface ConditionalTag {
  tag: string;
  filters: FaceFilters;
}

/** The request's tags plus every conditional tag whose filters hold, without repeats. */
export function tagsFor(
  requested: string[],
  conditional: ConditionalTag[],
  subject: FilterSubject,
  now: number,
): string[] {
  const earned = conditional
    .filter((c) => failedFilters(c.filters, subject, now).length === 0)
    .map((c) => c.tag);
  return [...new Set([...requested, ...earned])];
}
