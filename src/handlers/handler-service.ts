/**
 * Handlers: stored policy pipelines of one account, working on that account's data only.
 * Besides the schema, policies are checked against this appliance (liveness and head pose must
 * exist) and against the account's lists; every error names the JSON path.
 */
import { AppError, notFound } from '../errors/index.ts';
import type { ListRepository } from '../lists/index.ts';
import type { CallbackRefusal } from '../sender/index.ts';
import type { HandlerContent, HandlerRepository, HandlerRow } from './handler-repository.ts';
import { type Capabilities, capabilityIssues } from './policy-rules.ts';
import type { Policies } from './policy-schema.ts';

/** Who acts: the account that owns and writes, and the scope it may read and match. */
export interface Actor {
  accountId: string;
  readScope: string | undefined;
}

/** What the handler service offers. */
export interface HandlerService {
  create(actor: Actor, content: HandlerContent): Promise<HandlerRow>;
  get(accountId: string, handlerId: string): Promise<HandlerRow>;
  query(accountId: string, page: number, pageSize: number): Promise<HandlerRow[]>;
  count(accountId: string): Promise<number>;
  replace(actor: Actor, handlerId: string, content: HandlerContent): Promise<void>;
  remove(accountId: string, handlerId: string): Promise<void>;
  /**
   * Checks policies beyond their schema; `at` is where they sit in the request (error paths
   * start with it). Throws `validation_failed` or `not_found`.
   */
  validate(actor: Actor, policies: Policies, at: string[]): Promise<void>;
}

/** What the handler service depends on. */
export interface HandlerServiceDeps {
  handlers: HandlerRepository;
  lists: Pick<ListRepository, 'existing'>;
  capabilities: Capabilities;
  /** Why a callback can never be delivered (the sender's settings). */
  callbackRefusal: CallbackRefusal;
}

type ListRef = { path: (string | number)[]; listId: string };

/** Every list the policies name: matched and linked ones. */
function listRefs(p: Policies): ListRef[] {
  const matched = p.match_policy.flatMap((m, i) =>
    m.candidates.origin === 'faces' && m.candidates.list_id
      ? [{ path: ['match_policy', i, 'candidates', 'list_id'], listId: m.candidates.list_id }]
      : [],
  );
  const linked = p.storage_policy.face_policy.link_to_lists_policy.map((l, i) => ({
    path: ['storage_policy', 'face_policy', 'link_to_lists_policy', i, 'list_id'],
    listId: l.list_id,
  }));
  return [...matched, ...linked];
}

/** Callbacks the sender could never deliver: refused when the handler is saved. */
function callbackIssues(p: Policies, refusal: CallbackRefusal) {
  return p.storage_policy.callbacks.flatMap((callback, i) => {
    const why = refusal(callback);
    const field = callback.type === 'http' ? ['url'] : [];
    return why ? [{ path: ['storage_policy', 'callbacks', i, ...field], message: why }] : [];
  });
}

/** Creates the handler service. */
export function createHandlerService(deps: HandlerServiceDeps): HandlerService {
  const { handlers, lists, capabilities } = deps;

  async function requireLists(accountId: string, p: Policies, at: string[]): Promise<void> {
    const refs = listRefs(p);
    const owned = await lists.existing(accountId, [...new Set(refs.map((r) => r.listId))]);
    const missing = refs.find((ref) => !owned.has(ref.listId));
    if (missing) {
      const path = [...at, ...missing.path].join('.');
      throw new AppError('not_found', `list ${missing.listId} not found (${path})`, { path });
    }
  }

  async function validate(actor: Actor, policies: Policies, at: string[]): Promise<void> {
    const issues = [
      ...capabilityIssues(policies, capabilities).map((issue) => ({
        ...issue,
        code: 'unsupported',
      })),
      ...callbackIssues(policies, deps.callbackRefusal).map((issue) => ({
        ...issue,
        code: 'not_allowed',
      })),
    ].map((issue) => ({ ...issue, path: [...at, ...issue.path].join('.') }));
    if (issues.length > 0) {
      const detail = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
      throw new AppError('validation_failed', detail, { issues });
    }
    await requireLists(actor.accountId, policies, at);
  }

  async function get(accountId: string, handlerId: string): Promise<HandlerRow> {
    const handler = await handlers.find(accountId, handlerId);
    if (!handler) {
      throw notFound('handler', handlerId);
    }
    return handler;
  }

  return {
    get,
    validate,
    query: (accountId, page, pageSize) => handlers.query(accountId, page, pageSize),
    count: (accountId) => handlers.count(accountId),

    async create(actor, content) {
      await validate(actor, content.policies, ['body', 'policies']);
      const now = Date.now();
      const row = {
        handlerId: crypto.randomUUID(),
        accountId: actor.accountId,
        createTime: now,
        lastUpdateTime: now,
        ...content,
      };
      await handlers.insert(row);
      return row;
    },

    async replace(actor, handlerId, content) {
      await get(actor.accountId, handlerId);
      await validate(actor, content.policies, ['body', 'policies']);
      if (!(await handlers.replace(actor.accountId, handlerId, content, Date.now()))) {
        throw notFound('handler', handlerId);
      }
    },

    async remove(accountId, handlerId) {
      if (!(await handlers.remove(accountId, handlerId))) {
        throw notFound('handler', handlerId);
      }
    },
  };
}
