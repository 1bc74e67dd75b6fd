/**
 * The events side of `additional_extraction`: events picked by filters that lack the new
 * version get it from the samples they kept; events that kept none are counted. Walks the
 * time-ordered event id, checkpointed, so a restart resumes.
 */
import { meanDescriptor } from '../../descriptors/index.ts';
import type { EventDescriptorWriter, EventFilters } from '../../events/index.ts';
import type { DescriptorExtractor } from '../../matcher/index.ts';
import { readCrops, type SampleCropSource } from '../internal/sample-crops.ts';
import type { StepOutcome } from '../task-types.ts';
import type { JobContext, TaskJob } from './kind.ts';
import { jsonResult } from './result-files.ts';

/** Where an event extraction stands. */
export interface EventExtractionCheckpoint {
  afterEvent?: string | null;
  /** The time relative filter bounds are resolved at (the task's creation). */
  now?: number;
}

/** What the event side uses. */
export interface EventExtractionDeps extends SampleCropSource {
  events: EventDescriptorWriter;
}

/** Extracts one version for the events of one account. */
export class EventExtractionJob implements TaskJob {
  constructor(
    private readonly ctx: JobContext,
    private readonly deps: EventExtractionDeps,
    private readonly extractor: DescriptorExtractor,
    private readonly filters: EventFilters,
    private readonly batchSize: number,
    private readonly at: EventExtractionCheckpoint,
  ) {}

  async step(): Promise<StepOutcome> {
    const version = this.extractor.version;
    for (;;) {
      const page = await this.deps.events.lacking(this.ctx.accountId, {
        filters: this.filters,
        version,
        now: this.at.now ?? this.ctx.createTime,
        after: this.at.afterEvent ?? undefined,
        limit: this.batchSize,
      });
      for (const event of page) {
        await this.extractOne(event.eventId, event.sampleIds);
        this.at.afterEvent = event.eventId;
        if (this.ctx.sliceOver()) {
          return { status: 'continue', progress: 0.5, checkpoint: this.at };
        }
      }
      if (page.length < this.batchSize) {
        return this.finish();
      }
    }
  }

  private async extractOne(eventId: string, sampleIds: string[]): Promise<void> {
    const crops = await readCrops(this.deps, sampleIds);
    if (!crops) {
      this.ctx.count('without_sample');
      return;
    }
    const vector = meanDescriptor(await this.extractor.extract(crops));
    const { accountId } = this.ctx;
    if (await this.deps.events.add(accountId, eventId, this.extractor.version, vector)) {
      this.ctx.count('extracted');
    }
  }

  private async finish(): Promise<StepOutcome> {
    const version = this.extractor.version;
    const missing = await this.deps.events.countLacking(this.ctx.accountId, version);
    const result = {
      origin: 'events',
      descriptor_version: version,
      extracted: this.ctx.counts.extracted ?? 0,
      without_sample: this.ctx.counts.without_sample ?? 0,
      events_missing_version: missing,
      covered: missing === 0,
    };
    return {
      status: 'ok',
      result: jsonResult('additional_extraction', this.ctx.taskId, result),
      summary: result,
    };
  }
}
