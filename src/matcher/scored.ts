/** A scored candidate and the one ranking order every matcher path uses. */

/** One scored candidate: a face id and its cosine to the query. */
export interface Scored {
  id: string;
  cosine: number;
}

/** Compares best first; equal cosines order by id so every path ranks ties the same way. */
export function compareScored(a: Scored, b: Scored): number {
  return b.cosine - a.cosine || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Sorts best first (ties broken by id) and keeps `limit`. */
export function rankScored(scored: Scored[], limit: number): Scored[] {
  scored.sort(compareScored);
  return scored.slice(0, limit);
}
