/**
 * Opens the pipeline's ONNX sessions at start-up: the four required models always, each
 * estimator model when its path is given. A failure releases whatever had opened.
 */
import type { Logger } from '../../logger/index.ts';
import type { ModelPaths } from '../types.ts';
import { type ModelSession, openModel } from './onnx/onnx-session.ts';

const REQUIRED_ROLES = ['detector', 'recognizer', 'age', 'gender'] as const;
const OPTIONAL_ROLES = ['livenessV2', 'livenessV1se', 'expression', 'eye', 'pose'] as const;

type RequiredRole = (typeof REQUIRED_ROLES)[number];
type OptionalRole = (typeof OPTIONAL_ROLES)[number];

/** One open session per loaded model, by role. */
export type Sessions = Record<RequiredRole, ModelSession> &
  Partial<Record<OptionalRole, ModelSession>>;

/** Loads every model named in `models`; throws the first failure after releasing the rest. */
export async function openSessions(
  models: ModelPaths,
  threads: number,
  logger?: Logger,
): Promise<Sessions> {
  const roles = [...REQUIRED_ROLES, ...OPTIONAL_ROLES.filter((role) => models[role])];
  const opened = await Promise.allSettled(
    roles.map((role) => openModel(models[role]!, role, threads, logger)),
  );
  const failure = opened.find((r) => r.status === 'rejected');
  if (failure) {
    const loaded = opened.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    await Promise.all(loaded.map((m) => m.session.release()));
    throw failure.reason;
  }
  const entries = opened.map((r, i) => [
    roles[i],
    (r as PromiseFulfilledResult<ModelSession>).value,
  ]);
  return Object.fromEntries(entries) as Sessions;
}

/** Releases every session in `sessions`. */
export async function releaseSessions(sessions: Partial<Sessions>): Promise<void> {
  await Promise.all(Object.values(sessions).map((m) => m?.session.release()));
}
