/**
 * Reads faces for tasks: filtered pages in (create_time, face_id) order with a keyset cursor,
 * each face with its lists, its descriptor versions and, when asked, one descriptor — one query
 * per page, so a task over 100,000 faces costs 100 queries, not 100,000.
 */
import type { BasicAttributes } from '../../attributes/index.ts';
import type { Database } from '../../db/index.ts';
import { decodeDescriptor } from '../../descriptors/index.ts';

/** Which faces of an account a task reads. */
export interface FaceFilter {
  listId?: string;
  faceIds?: string[];
  externalIds?: string[];
  createTimeGte?: number;
  createTimeLt?: number;
  /** Only faces with an external id (the labelled faces of a ROC). */
  labelled?: boolean;
  /** Only faces that have no descriptor of this version yet. */
  missingVersion?: string;
}

/** Where the next page starts: after this face in (create_time, face_id) order. */
export interface FaceCursor {
  createTime: number;
  faceId: string;
}

/** One face as a task reads it. */
export interface ScannedFace {
  faceId: string;
  createTime: number;
  externalId: string | undefined;
  userData: string;
  sampleIds: string[];
  listIds: string[];
  basicAttributes: BasicAttributes | undefined;
  descriptorVersions: string[];
  /** The descriptor of the version asked for, when the face has one. */
  descriptor: Float32Array | undefined;
}

/** A page request. */
export interface PageRequest {
  after?: FaceCursor;
  limit: number;
  /** Descriptor version to read with each face. */
  version?: string;
  /** Skip the face's lists and descriptor versions (left empty): faster bulk reads. */
  lean?: boolean;
}

/** Task reads of faces: `accountId` undefined reads every account's (an admin's box-wide run). */
export interface FaceScanRepository {
  count(accountId: string | undefined, filter: FaceFilter): Promise<number>;
  page(
    accountId: string | undefined,
    filter: FaceFilter,
    request: PageRequest,
  ): Promise<ScannedFace[]>;
}

type Arg = string | number | null;

const FULL_COLUMNS = `(SELECT json_group_array(list_id) FROM list_faces WHERE face_id = f.face_id)
  AS list_ids, (SELECT json_group_array(descriptor_version) FROM face_descriptors
  WHERE face_id = f.face_id) AS versions`;
const LEAN_COLUMNS = `'[]' AS list_ids, '[]' AS versions`;

function marks(n: number): string {
  return Array.from({ length: n }, () => '?').join(',');
}

function whereOf(accountId: string | undefined, f: FaceFilter): { sql: string; args: Arg[] } {
  const parts = accountId === undefined ? ['1 = 1'] : ['f.account_id = ?'];
  const args: Arg[] = accountId === undefined ? [] : [accountId];
  const add = (sql: string, ...values: Arg[]) => {
    parts.push(sql);
    args.push(...values);
  };
  if (f.listId !== undefined) {
    add('f.face_id IN (SELECT face_id FROM list_faces WHERE list_id = ?)', f.listId);
  }
  if (f.faceIds) {
    add(`f.face_id IN (${marks(f.faceIds.length)})`, ...f.faceIds);
  }
  if (f.externalIds) {
    add(`f.external_id IN (${marks(f.externalIds.length)})`, ...f.externalIds);
  }
  if (f.createTimeGte !== undefined) {
    add('f.create_time >= ?', f.createTimeGte);
  }
  if (f.createTimeLt !== undefined) {
    add('f.create_time < ?', f.createTimeLt);
  }
  if (f.labelled) {
    add('f.external_id IS NOT NULL');
  }
  if (f.missingVersion !== undefined) {
    add(
      `NOT EXISTS (SELECT 1 FROM face_descriptors m WHERE m.face_id = f.face_id
        AND m.descriptor_version = ?)`,
      f.missingVersion,
    );
  }
  return { sql: parts.join(' AND '), args };
}

function rowToFace(row: Record<string, unknown>): ScannedFace {
  const basic = row.basic_attributes as string | null;
  const blob = row.descriptor as ArrayBuffer | null;
  return {
    faceId: String(row.face_id),
    createTime: Number(row.create_time),
    externalId: (row.external_id as string | null) ?? undefined,
    userData: String(row.user_data),
    sampleIds: JSON.parse(String(row.sample_ids)) as string[],
    listIds: JSON.parse(String(row.list_ids)) as string[],
    basicAttributes: basic ? (JSON.parse(basic) as BasicAttributes) : undefined,
    descriptorVersions: JSON.parse(String(row.versions)) as string[],
    descriptor: blob ? decodeDescriptor(blob) : undefined,
  };
}

/** Creates the libSQL face reader of tasks. */
export function createFaceScanRepository(db: Database): FaceScanRepository {
  return {
    async count(accountId, filter) {
      const where = whereOf(accountId, filter);
      const rs = await db.execute({
        sql: `SELECT COUNT(*) AS n FROM faces f WHERE ${where.sql}`,
        args: where.args,
      });
      return Number(rs.rows[0]!.n);
    },
    async page(accountId, filter, request) {
      const where = whereOf(accountId, filter);
      const after = request.after;
      const rs = await db.execute({
        sql: `SELECT f.*, d.descriptor, ${request.lean ? LEAN_COLUMNS : FULL_COLUMNS}
          FROM faces f LEFT JOIN face_descriptors d
            ON d.face_id = f.face_id AND d.descriptor_version = ?
          WHERE ${where.sql} AND (f.create_time, f.face_id) > (?, ?)
          ORDER BY f.create_time, f.face_id LIMIT ?`,
        args: [
          request.version ?? null,
          ...where.args,
          after?.createTime ?? -1,
          after?.faceId ?? '',
          request.limit,
        ],
      });
      return rs.rows.map(rowToFace);
    },
  };
}

/** The cursor after the last face of a page. */
export function cursorAfter(page: ScannedFace[]): FaceCursor | undefined {
  const last = page.at(-1);
  return last && { createTime: last.createTime, faceId: last.faceId };
}
