/**
 * Loads the descriptors of filtered faces or events into one matrix over several steps: a page
 * per call until the slice is used, reporting items that lack a descriptor of the version asked
 * for. Each row keeps the item's label (a face's external id) and group (an event's track id).
 */
import type { EventFilters } from '../../events/index.ts';
import { DescriptorRows } from './descriptor-rows.ts';
import type { EventScan } from './event-scan.ts';
import {
  cursorAfter,
  type FaceCursor,
  type FaceFilter,
  type FaceScanRepository,
} from './face-scan-repository.ts';

const PAGE = 1000;

/** One item read: its id, its descriptor if any, its label and group. */
interface Item {
  id: string;
  descriptor: Float32Array | undefined;
  label?: string;
  group?: string;
}

/** A paged reader of items; `next` returns a page and whether it was the last. */
export interface ItemPager {
  count(): Promise<number | undefined>;
  next(): Promise<{ items: Item[]; last: boolean }>;
}

/** Pages faces with their descriptors of `version`. */
export function facePager(
  repository: FaceScanRepository,
  accountId: string,
  filter: FaceFilter,
  version: string,
): ItemPager {
  let after: FaceCursor | undefined;
  return {
    count: () => repository.count(accountId, filter),
    async next() {
      const page = await repository.page(accountId, filter, {
        after,
        limit: PAGE,
        version,
        lean: true,
      });
      after = cursorAfter(page) ?? after;
      const items = page.map((f) => ({
        id: f.faceId,
        descriptor: f.descriptor,
        label: f.externalId,
      }));
      return { items, last: page.length < PAGE };
    },
  };
}

/** Pages events with their descriptors (one lookup per event). */
export function eventPager(scan: EventScan, accountId: string, filters: EventFilters): ItemPager {
  let before: string | undefined;
  return {
    count: async () => undefined,
    async next() {
      const page = await scan.page(accountId, filters, before, PAGE);
      before = page.at(-1)?.eventId ?? before;
      const items: Item[] = [];
      for (const e of page) {
        const descriptor = await scan.descriptorOf(accountId, e.eventId);
        items.push({ id: e.eventId, descriptor, label: e.externalId, group: e.trackId });
      }
      return { items, last: page.length < PAGE };
    },
  };
}

/** The descriptors of the paged items, with each row's label and group. */
export class DescriptorLoader {
  readonly rows = new DescriptorRows();
  readonly labels: (string | undefined)[] = [];
  readonly groups: (string | undefined)[] = [];
  done = false;
  private total: number | undefined;
  private seen = 0;

  constructor(
    private readonly pager: ItemPager,
    private readonly onMissing?: (id: string) => void,
  ) {}

  /** Share of the items read so far, 0–1 (0 until the end when the total is unknown). */
  get progress(): number {
    return this.done ? 1 : this.total ? Math.min(this.seen / this.total, 1) : 0;
  }

  /** Reads pages until `sliceOver` or the end; true once every item is loaded. */
  async load(sliceOver: () => boolean): Promise<boolean> {
    this.total ??= (await this.pager.count()) ?? 0;
    while (!this.done && !sliceOver()) {
      const { items, last } = await this.pager.next();
      for (const item of items) {
        this.add(item);
      }
      this.seen += items.length;
      this.done = last;
    }
    return this.done;
  }

  private add(item: Item): void {
    if (!item.descriptor) {
      this.onMissing?.(item.id);
      return;
    }
    this.rows.push(item.id, item.descriptor);
    this.labels.push(item.label);
    this.groups.push(item.group);
  }
}
