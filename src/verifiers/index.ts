/** Public face of the verifiers module: 1:1 verification with stored thresholds. */
export {
  createVerifierRepository,
  VERIFIER_POLICIES,
  type VerifierPolicies,
  type VerifierRow,
} from './verifier-repository.ts';
export { verifierRoutes, verifierView } from './verifier-routes.ts';
export {
  createVerifierService,
  type TargetResolver,
  type VerificationTarget,
  type VerifierService,
} from './verifier-service.ts';
export { createVerifiersModule, type VerifiersDeps } from './verifiers-module.ts';
