/**
 * Loads the descriptors of filtered faces into one matrix over several steps: a page per call
 * until the slice is used, counting faces that lack a descriptor of the version asked for.
 */
import { DescriptorRows } from './descriptor-rows.ts';
import {
  cursorAfter,
  type FaceCursor,
  type FaceFilter,
  type FaceScanRepository,
} from './face-scan-repository.ts';

const PAGE = 1000;

/** Where a loader reads from and what it reports. */
export interface FaceLoaderSource {
  repository: FaceScanRepository;
  accountId: string;
  filter: FaceFilter;
  version: string;
  /** Called for each face without a descriptor of `version`. */
  onMissing?: (faceId: string) => void;
}

/** The descriptors of the filtered faces, with each row's external id. */
export class FaceLoader {
  readonly rows = new DescriptorRows();
  readonly labels: (string | undefined)[] = [];
  done = false;
  private total: number | undefined;
  private seen = 0;
  private after: FaceCursor | undefined;

  constructor(private readonly source: FaceLoaderSource) {}

  /** Share of the faces read so far, 0–1. */
  get progress(): number {
    return this.total ? Math.min(this.seen / this.total, 1) : this.done ? 1 : 0;
  }

  /** Reads pages until `sliceOver` or the end; true once every face is loaded. */
  async load(sliceOver: () => boolean): Promise<boolean> {
    const { repository, accountId, filter, version } = this.source;
    this.total ??= await repository.count(accountId, filter);
    while (!this.done && !sliceOver()) {
      const page = await repository.page(accountId, filter, {
        after: this.after,
        limit: PAGE,
        version,
      });
      for (const face of page) {
        this.add(face.faceId, face.externalId, face.descriptor);
      }
      this.seen += page.length;
      this.after = cursorAfter(page) ?? this.after;
      this.done = page.length < PAGE;
    }
    return this.done;
  }

  private add(faceId: string, label: string | undefined, descriptor: Float32Array | undefined) {
    if (!descriptor) {
      this.source.onMissing?.(faceId);
      return;
    }
    this.rows.push(faceId, descriptor);
    this.labels.push(label);
  }
}
