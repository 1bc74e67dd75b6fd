/** Where kinds read faces and events from, and the pager of validated `filters`. */

import type { Calibration } from '../../matcher/index.ts';
import { eventPager, facePager, type ItemPager } from '../internal/descriptor-loader.ts';
import type { EventScan } from '../internal/event-scan.ts';
import type { FaceFilter, FaceScanRepository } from '../internal/face-scan-repository.ts';
import { eventFiltersOf, type FaceOrEventFilters, faceFilterOf } from '../task-schemas.ts';

/** The readers of faces and events, and the descriptor version matching uses. */
export interface ItemSources {
  faces: FaceScanRepository;
  events: EventScan;
  version: string;
  /** Calibration of that version's cosines. */
  calibration: Calibration;
}

/** A pager over the faces or events `filters` pick (`extra` narrows faces further). */
export function pagerOf(
  sources: ItemSources,
  accountId: string,
  filters: FaceOrEventFilters,
  extra: Partial<FaceFilter> = {},
): ItemPager {
  if (filters.origin === 'events') {
    return eventPager(sources.events, accountId, eventFiltersOf(filters));
  }
  const filter = { ...faceFilterOf(filters), ...extra };
  return facePager(sources.faces, accountId, filter, sources.version);
}
