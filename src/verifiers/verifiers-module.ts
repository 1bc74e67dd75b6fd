/** Wiring of the verifiers module: repository, service and routes. */
import type { Database } from '../db/index.ts';
import type { Capabilities, FacePipeline } from '../handlers/index.ts';
import type { RouteDef } from '../http/index.ts';
import { createVerifierRepository } from './verifier-repository.ts';
import { verifierRoutes } from './verifier-routes.ts';
import { createVerifierService, type TargetResolver } from './verifier-service.ts';

/** What the verifiers module needs from the appliance. */
export interface VerifiersDeps {
  db: Database;
  pipeline: FacePipeline;
  resolve: TargetResolver;
  similarity(a: Float32Array, b: Float32Array): number;
  capabilities: Capabilities;
}

/** Builds the verifier routes. */
export function createVerifiersModule(deps: VerifiersDeps): { routes: RouteDef[] } {
  const service = createVerifierService({
    verifiers: createVerifierRepository(deps.db),
    pipeline: deps.pipeline,
    resolve: deps.resolve,
    similarity: deps.similarity,
    capabilities: deps.capabilities,
  });
  return { routes: verifierRoutes(service) };
}
