/** Wiring of the handlers module: repository, pipeline, policy matcher, service, generator. */
import type { Database } from '../db/index.ts';
import type { EventsModule } from '../events/index.ts';
import type { RouteDef } from '../http/index.ts';
import type { ListRepository } from '../lists/index.ts';
import type { Logger } from '../logger/index.ts';
import type { MatchService } from '../matcher/index.ts';
import type { CallbackRefusal } from '../sender/index.ts';
import { createEventGenerator, type EventGenerator } from './event-generator.ts';
import {
  capabilitiesOf,
  createFacePipeline,
  type FacePipeline,
  type PipelineVision,
} from './face-pipeline.ts';
import { createHandlerRepository } from './handler-repository.ts';
import { handlerRoutes } from './handler-routes.ts';
import { createHandlerService, type HandlerService } from './handler-service.ts';
import { createPolicyMatcher } from './policy-matcher.ts';

/** What the handlers module needs from the appliance. */
export interface HandlersDeps {
  db: Database;
  vision: PipelineVision;
  lists: ListRepository;
  faceMatcher: MatchService;
  events: Pick<EventsModule, 'matcher' | 'writer'>;
  defaultTtlSeconds: number;
  /** Why a callback can never be delivered (the sender's settings). */
  callbackRefusal: CallbackRefusal;
  logger: Logger;
}

/** The handlers module as the rest of the appliance sees it. */
export interface HandlersModule {
  handlers: HandlerService;
  generator: EventGenerator;
  pipeline: FacePipeline;
  routes: RouteDef[];
}

/** Builds the handlers module. */
export function createHandlersModule(deps: HandlersDeps): HandlersModule {
  const pipeline = createFacePipeline(deps.vision);
  const handlers = createHandlerService({
    handlers: createHandlerRepository(deps.db),
    lists: deps.lists,
    capabilities: capabilitiesOf(deps.vision),
    callbackRefusal: deps.callbackRefusal,
  });
  const generator = createEventGenerator({
    handlers,
    pipeline,
    matcher: createPolicyMatcher(deps.faceMatcher, deps.events.matcher),
    writer: deps.events.writer,
    vision: deps.vision,
    defaultTtlSeconds: deps.defaultTtlSeconds,
    logger: deps.logger,
  });
  return { handlers, generator, pipeline, routes: handlerRoutes(handlers, generator) };
}
