/** Public face of quality-gated enrolment: list enrolment policies and the gate. */
export {
  ENROLMENT_POLICY,
  type EnrolmentPolicy,
  evaluateEnrolment,
  type FailedCheck,
} from './enrolment-policy.ts';
export { createEnrolmentService, type EnrolmentService } from './enrolment-service.ts';
export { createPolicyRepository, type PolicyRepository } from './policy-repository.ts';
export { enrolmentRoutes } from './routes.ts';
