/**
 * Reads every list membership with a descriptor of one version from libSQL, page by page, so
 * start-up never holds more than one page of descriptor blobs besides the matrices. The pages
 * read are garbage at once, but the collector lets them pile up: a collection every few pages
 * keeps the start-up peak near what the box holds once serving.
 */
import type { Database } from '../db/index.ts';
import { decodeDescriptor } from '../descriptors/index.ts';

/** Rows per page read at start-up. */
const PAGE_ROWS = 5000;
/** Pages read between two forced collections (1,000,000 int8 rows: peak 2.5 → 1.9 GB). */
const PAGES_PER_COLLECTION = 10;

/** Where loaded descriptors go. */
export interface LoadSink {
  /** Called once per list before its rows, with the list's row count. */
  reserve(listId: string, rows: number): void;
  add(listId: string, faceId: string, descriptor: Float32Array): void;
}

/** Streams the descriptors of `version` into `sink`; returns the number of rows. */
export async function loadDescriptors(db: Database, version: string, sink: LoadSink) {
  const counts = await db.execute({
    sql: `SELECT lf.list_id, COUNT(*) AS n FROM list_faces lf JOIN face_descriptors fd
      ON fd.face_id = lf.face_id AND fd.descriptor_version = ? GROUP BY lf.list_id`,
    args: [version],
  });
  for (const row of counts.rows) {
    sink.reserve(String(row.list_id), Number(row.n));
  }
  let after = ['', ''];
  let total = 0;
  for (let pages = 1; ; pages++) {
    const page = await db.execute({
      sql: `SELECT lf.list_id, lf.face_id, fd.descriptor FROM list_faces lf
        JOIN face_descriptors fd ON fd.face_id = lf.face_id AND fd.descriptor_version = ?
        WHERE (lf.list_id, lf.face_id) > (?, ?) ORDER BY lf.list_id, lf.face_id LIMIT ?`,
      args: [version, after[0]!, after[1]!, PAGE_ROWS],
    });
    for (const row of page.rows) {
      const descriptor = decodeDescriptor(row.descriptor as ArrayBuffer);
      sink.add(String(row.list_id), String(row.face_id), descriptor);
    }
    total += page.rows.length;
    if (pages % PAGES_PER_COLLECTION === 0) {
      Bun.gc(true);
    }
    const last = page.rows.at(-1);
    if (!last || page.rows.length < PAGE_ROWS) {
      return total;
    }
    after = [String(last.list_id), String(last.face_id)];
  }
}
