/**
 * Quality-gated enrolment: lists carry a policy; a face entering gated lists must pass every
 * list's checks on the estimations of its samples, or it is refused (422) with each failed
 * check and its value.
 */
import { AppError, notFound } from '../errors/index.ts';
import type { FaceEstimations } from '../estimations/index.ts';
import type { ListRepository } from '../lists/index.ts';
import { type EnrolmentPolicy, evaluateEnrolment, type FailedCheck } from './enrolment-policy.ts';
import type { PolicyRepository } from './policy-repository.ts';

/** What the enrolment gate offers routes, the face service and handlers. */
export interface EnrolmentService {
  setPolicy(accountId: string, listId: string, policy: EnrolmentPolicy): Promise<void>;
  /** `readScope`: the account to read from, or undefined for every account. */
  getPolicy(readScope: string | undefined, listId: string): Promise<EnrolmentPolicy | undefined>;
  removePolicy(accountId: string, listId: string): Promise<void>;
  /** The failed checks per gated list among `listIds`; lists without failures are left out. */
  evaluate(
    listIds: string[],
    samples: readonly (FaceEstimations | null | undefined)[],
  ): Promise<Map<string, FailedCheck[]>>;
  /** Throws AppError `enrolment_refused` (422) listing the failed checks per list. */
  assertAdmissible(
    listIds: string[],
    samples: readonly (FaceEstimations | null | undefined)[],
  ): Promise<void>;
}

/** Creates the enrolment service over the policy rows and the lists they belong to. */
export function createEnrolmentService(
  policies: PolicyRepository,
  lists: Pick<ListRepository, 'find'>,
): EnrolmentService {
  async function requireList(readScope: string | undefined, listId: string): Promise<void> {
    if (!(await lists.find(readScope, listId))) {
      throw notFound('list', listId);
    }
  }

  async function evaluate(
    listIds: string[],
    samples: readonly (FaceEstimations | null | undefined)[],
  ) {
    const failures = new Map<string, FailedCheck[]>();
    for (const [listId, policy] of await policies.policiesOf(listIds)) {
      const failed = evaluateEnrolment(policy, samples);
      if (failed.length > 0) {
        failures.set(listId, failed);
      }
    }
    return failures;
  }

  return {
    evaluate,

    async setPolicy(accountId, listId, policy) {
      await requireList(accountId, listId);
      await policies.put(listId, policy);
    },

    async getPolicy(readScope, listId) {
      await requireList(readScope, listId);
      return policies.get(listId);
    },

    async removePolicy(accountId, listId) {
      await requireList(accountId, listId);
      if (!(await policies.remove(listId))) {
        throw notFound('enrolment policy of list', listId);
      }
    },

    async assertAdmissible(listIds, samples) {
      const failures = await evaluate(listIds, samples);
      if (failures.size === 0) {
        return;
      }
      const failed = [...failures].map(([listId, checks]) => ({ list_id: listId, checks }));
      const names = [...new Set(failed.flatMap((f) => f.checks.map((c) => c.check)))];
      const detail = `face refused by the enrolment policy: ${names.join(', ')}`;
      throw new AppError('enrolment_refused', detail, { failed_checks: failed });
    },
  };
}
