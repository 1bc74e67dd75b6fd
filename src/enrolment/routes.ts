/** Routes of a list's enrolment policy: `/6/lists/{list_id}/enrolment_policy`. */
import { defineRoute, idParams, type RouteDef } from '../http/index.ts';
import { ENROLMENT_POLICY } from './enrolment-policy.ts';
import type { EnrolmentService } from './enrolment-service.ts';

const PATH = '/6/lists/:list_id/enrolment_policy';
const LIST_PARAMS = idParams('list_id');

/** Routes that read, set and remove a list's enrolment policy. */
export function enrolmentRoutes(enrolment: EnrolmentService): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: PATH,
      summary: "A list's enrolment policy ({} when it has none)",
      resource: 'lists',
      params: LIST_PARAMS,
      responses: { 200: 'the policy', 404: 'no such list' },
      handler: async ({ params, account }) => {
        const policy = await enrolment.getPolicy(account.readScope, params.list_id);
        return { status: 200, json: { enrolment_policy: policy ?? {} } };
      },
    }),
    defineRoute({
      method: 'put',
      path: PATH,
      summary: 'Set the checks a face must pass to be created in the list',
      resource: 'lists',
      params: LIST_PARAMS,
      body: { kind: 'json', schema: ENROLMENT_POLICY },
      responses: { 204: 'set', 404: 'no such list' },
      handler: async ({ params, body, account }) => {
        await enrolment.setPolicy(account.accountId, params.list_id, body);
        return new Response(null, { status: 204 });
      },
    }),
    defineRoute({
      method: 'delete',
      path: PATH,
      summary: "Remove a list's enrolment policy",
      resource: 'lists',
      permission: 'modification',
      params: LIST_PARAMS,
      responses: { 204: 'removed', 404: 'no such list or no policy' },
      handler: async ({ params, account }) => {
        await enrolment.removePolicy(account.accountId, params.list_id);
        return new Response(null, { status: 204 });
      },
    }),
  ];
}
