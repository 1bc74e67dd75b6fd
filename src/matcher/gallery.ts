/**
 * The in-memory gallery: one ListMatrix per list, holding the descriptors of the current model
 * version. Loaded from libSQL at start-up and kept current by the faces and lists services
 * after each committed change.
 */
import type { Database } from '../db/index.ts';
import { decodeDescriptor } from '../descriptors/index.ts';
import { ListMatrix, type Scored } from './list-matrix.ts';

/** Descriptor matrices of every list, for one descriptor version. */
export class Gallery {
  private readonly lists = new Map<string, ListMatrix>();

  constructor(readonly descriptorVersion: string) {}

  /** Loads every list membership with a descriptor of this version. */
  async load(db: Database): Promise<number> {
    const rs = await db.execute({
      sql: `SELECT lf.list_id, lf.face_id, fd.descriptor FROM list_faces lf
        JOIN face_descriptors fd ON fd.face_id = lf.face_id AND fd.descriptor_version = ?`,
      args: [this.descriptorVersion],
    });
    for (const row of rs.rows) {
      const blob = row.descriptor as ArrayBuffer;
      this.link(String(row.list_id), String(row.face_id), decodeDescriptor(blob));
    }
    return rs.rows.length;
  }

  /** Puts a face's descriptor into a list. */
  link(listId: string, faceId: string, descriptor: Float32Array): void {
    let matrix = this.lists.get(listId);
    if (!matrix) {
      matrix = new ListMatrix();
      this.lists.set(listId, matrix);
    }
    matrix.set(faceId, descriptor);
  }

  /** Takes a face out of a list. */
  unlink(listId: string, faceId: string): void {
    this.lists.get(listId)?.delete(faceId);
  }

  /** Takes a face out of every list it is in. */
  removeFace(faceId: string): void {
    for (const matrix of this.lists.values()) {
      matrix.delete(faceId);
    }
  }

  /** Forgets a deleted list. */
  dropList(listId: string): void {
    this.lists.delete(listId);
  }

  /** Number of descriptors held for a list. */
  sizeOf(listId: string): number {
    return this.lists.get(listId)?.size ?? 0;
  }

  /** The best `limit` faces of a list for a unit query descriptor. */
  search(listId: string, query: Float32Array, limit: number): Scored[] {
    return this.lists.get(listId)?.search(query, limit) ?? [];
  }
}
