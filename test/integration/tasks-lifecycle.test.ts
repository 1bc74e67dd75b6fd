/**
 * The life of tasks on 80 enrolled LFW photos: cancel mid-run, restart mid-run (resumed, or
 * failed with a reason), additional extraction that leaves every face matchable and switches
 * matching to the covering version, gc with exact rows and files, result TTL and deletion,
 * schedules, and the refusals of bodies.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../helpers/api-client.ts';
import { testVision } from '../helpers/appliance.ts';
import { hasLfw } from '../helpers/paths.ts';
import {
  detectSubject,
  type EnrolledFace,
  enrolPeople,
  lfwPeople,
  type RestartableAppliance,
  retaggedExtractor,
  runTask,
  startRestartable,
  waitForTask,
} from '../helpers/tasks.ts';

const RETAG = 'fr_feature-1-retag';
const NEXT = 'fr_feature-1-next';

let box: RestartableAppliance;
let listId: string;
let faces: EnrolledFace[] = [];
const api = (): ApiClient => box.current.api;

async function sampleFiles(): Promise<Set<string>> {
  const root = path.join(box.dataDir, 'samples');
  const files = await readdir(root, { recursive: true });
  return new Set(files.filter((f) => f.endsWith('.jpg')).map((f) => path.basename(f, '.jpg')));
}

async function facesOf(query: string) {
  type FaceView = {
    face_id: string;
    samples: string[];
    attributes: { descriptor_versions: string[] };
  };
  return (await api().get(`/6/faces?${query}&page_size=1000`)).body.faces as FaceView[];
}

beforeAll(async () => {
  if (!hasLfw()) {
    return;
  }
  const vision = await testVision();
  const retagged = (version: string) => retaggedExtractor(vision, version);
  box = await startRestartable({ LUNETTE_TASK_SLICE_MS: '1', LUNETTE_TASK_PAUSE_MS: '15' }, [
    retagged(RETAG),
    retagged(NEXT),
  ]);
  listId = (await api().postJson('/6/lists', { user_data: 'staff' })).body.list_id;
  faces = await enrolPeople(api(), await lfwPeople(20, 4, 100), listId);
}, 180_000);

afterAll(async () => {
  await box?.dispose();
});

describe.skipIf(!hasLfw())('task life cycle', () => {
  it('cancels a running task: it stops, keeps what it did, cannot be cancelled again', async () => {
    const created = await api().postJson('/6/tasks/linker', {
      filters: { origin: 'faces', list_id: listId },
      create_list: { user_data: 'cancelled' },
      batch_size: 1,
    });
    const taskId = created.body.task_id;
    await waitForTask(api(), taskId, (t) => t.progress > 0);
    const cancelled = await api().patchJson(`/6/tasks/${taskId}`, { status: 'cancelled' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    await Bun.sleep(200);
    const later = (await api().get(`/6/tasks/${taskId}`)).body;
    expect(later.status).toBe('cancelled');
    expect(later.progress).toBeLessThan(1);
    const lists = (await api().get('/6/lists?user_data=cancelled')).body.lists;
    const members = await facesOf(`list_id=${lists[0].list_id}`);
    expect(members.length).toBeGreaterThanOrEqual(later.counts.linked);
    expect(members.length).toBeGreaterThan(0);
    expect(members.length).toBeLessThan(faces.length);
    const again = await api().patchJson(`/6/tasks/${taskId}`, { status: 'cancelled' });
    expect(again.status).toBe(409);
    expect(again.body.error_code).toBe(81);
    expect((await api().get(`/6/tasks/${taskId}/result`)).status).toBe(404);
  });

  it('extracts a second descriptor version while every face stays matchable', async () => {
    const created = await api().postJson('/6/tasks/additional_extraction', {
      descriptor_version: RETAG,
    });
    expect(created.status).toBe(202);
    let probes = 0;
    for (;;) {
      const task = (await api().get(`/6/tasks/${created.body.task_id}`)).body;
      const face = faces[probes % faces.length]!;
      const res = await api().postJson('/6/matcher/faces', {
        references: [{ type: 'face', id: face.faceId }],
        candidates: [{ filters: { origin: 'faces', list_id: listId }, limit: 1 }],
      });
      expect(res.body[0].matches[0].result[0].face.face_id).toBe(face.faceId);
      probes++;
      // In-process requests resolve as microtasks; let the worker's timers run.
      await Bun.sleep(5);
      if (task.status !== 'running' && task.status !== 'pending') {
        expect(task.status).toBe('done');
        expect(task.summary).toMatchObject({
          extracted: 80,
          covered: true,
          faces_missing_version: 0,
          switched: true,
          serving_version: RETAG,
        });
        break;
      }
    }
    expect(probes).toBeGreaterThan(5);
    for (const face of await facesOf(`list_id=${listId}`)) {
      expect(face.attributes.descriptor_versions.sort()).toEqual(['fr_feature-1', RETAG]);
    }
  });

  it('resumes an interrupted task after a restart and finishes it exactly once', async () => {
    const created = await api().postJson('/6/tasks/additional_extraction', {
      descriptor_version: NEXT,
      batch_size: 4,
    });
    const taskId = created.body.task_id;
    await waitForTask(api(), taskId, (t) => t.progress >= 0.2);
    await box.stop();
    await box.restart();
    const task = await waitForTask(api(), taskId);
    expect(task.status).toBe('done');
    expect(task.attempts).toBe(2);
    expect(task.counts.extracted).toBe(80);
    expect(task.summary.covered).toBe(true);
    expect(task.summary.serving_version).toBe(NEXT);
  });

  it('fails an interrupted task with a reason when it cannot resume', async () => {
    const target = (await api().postJson('/6/lists', { user_data: 'doomed' })).body.list_id;
    const created = await api().postJson('/6/tasks/linker', {
      filters: { origin: 'faces', list_id: listId },
      list_id: target,
      batch_size: 1,
    });
    await waitForTask(api(), created.body.task_id, (t) => t.progress > 0);
    await box.stop();
    const db = createClient({ url: `file:${path.join(box.dataDir, 'lunette.db')}` });
    await db.execute({ sql: 'DELETE FROM lists WHERE list_id = ?', args: [target] });
    db.close();
    await box.restart();
    const task = await waitForTask(api(), created.body.task_id);
    expect(task.status).toBe('failed');
    expect(task.reason).toBe(`list ${target} not found`);
  });

  it('removes the descriptors of a retired version, never the serving one', async () => {
    const refused = await api().postJson('/6/tasks/gc', {
      target: 'descriptors',
      descriptor_version: NEXT,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.issues[0].path).toBe('body.descriptor_version');
    const task = await runTask(api(), 'gc', { target: 'descriptors', descriptor_version: RETAG });
    expect(task.counts.descriptors).toBe(80);
    for (const face of await facesOf(`list_id=${listId}`)) {
      expect(face.attributes.descriptor_versions.sort()).toEqual(['fr_feature-1', NEXT]);
    }
  });

  it('removes old samples no face holds, rows and files, and keeps the rest', async () => {
    const extra = [];
    for (const { files } of await lfwPeople(3, 4, 300)) {
      extra.push(await detectSubject(api(), await readFile(files[0]!)));
    }
    const held = new Set((await facesOf(`list_id=${listId}`)).flatMap((f) => f.samples));
    expect((await sampleFiles()).size).toBeGreaterThan(held.size);
    const task = await runTask(api(), 'gc', { target: 'samples', older_than: 0 });
    expect(task.status).toBe('done');
    expect(await sampleFiles()).toEqual(held);
    expect(task.counts.samples_kept).toBe(held.size);
    for (const id of extra) {
      expect((await api().get(`/6/samples/faces/${id}`)).status).toBe(404);
    }
    expect((await api().get(`/6/samples/faces/${[...held][0]}`)).status).toBe(200);
  });

  it('removes old temporary attributes', async () => {
    const task = await runTask(api(), 'gc', { target: 'attributes', older_than: 0 });
    expect(task.counts.attributes).toBeGreaterThanOrEqual(80);
    const again = await runTask(api(), 'gc', { target: 'attributes', older_than: 0 });
    expect(again.counts.attributes ?? 0).toBe(0);
  });

  it('keeps a result for its TTL and removes the file with the task', async () => {
    const task = await runTask(api(), 'exporter', {
      filters: { origin: 'faces', list_id: listId },
      result_ttl: 60,
    });
    expect(Date.parse(task.result.expire_time) - Date.parse(task.end_time)).toBe(60_000);
    const file = path.join(
      box.dataDir,
      'task-results',
      task.task_id.slice(0, 2),
      `${task.task_id}.result`,
    );
    expect((await readFile(file)).length).toBe(task.result.size);
    expect((await api().delete(`/6/tasks/${task.task_id}`)).status).toBe(204);
    await expect(readFile(file)).rejects.toThrow();
    expect((await api().get(`/6/tasks/${task.task_id}`)).status).toBe(404);
  });

  it('lists tasks by kind and status', async () => {
    const res = await api().get('/6/tasks?kind=gc&status=done');
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(4);
    expect(
      res.body.tasks.every(
        (t: { kind: string; status: string }) => t.kind === 'gc' && t.status === 'done',
      ),
    ).toBe(true);
  });

  it('keeps schedules with a validated cron expression and task body', async () => {
    const bad = await api().postJson('/6/tasks/schedules', {
      cron: '61 * * * *',
      task: { kind: 'gc', params: { target: 'attributes', older_than: 3600 } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toBe('body.cron');
    const badTask = await api().postJson('/6/tasks/schedules', {
      cron: '@daily',
      task: { kind: 'gc', params: { target: 'attributes' } },
    });
    expect(badTask.body.issues[0].path).toBe('body.task.params.older_than');
    const good = await api().postJson('/6/tasks/schedules', {
      cron: '30 3 * * *',
      task: { kind: 'gc', params: { target: 'attributes', older_than: 3600 } },
    });
    expect(good.status).toBe(201);
    const view = (await api().get(good.body.url)).body;
    expect(view.next_run_time).toMatch(/T03:30:00.000Z$/);
    const paused = await api().patchJson(good.body.url, { enabled: false });
    expect(paused.body.next_run_time).toBeNull();
    expect((await api().get('/6/tasks/schedules')).body.count).toBe(1);
    expect((await api().delete(good.body.url)).status).toBe(204);
  });

  it('refuses event filters on targets that are not events, naming the field', async () => {
    const refused = await api().postJson('/6/tasks/gc', {
      target: 'samples',
      older_than: 60,
      filters: { sources: ['door'] },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.issues.map((i: { path: string }) => i.path)).toContain('body.filters');
  });
});
