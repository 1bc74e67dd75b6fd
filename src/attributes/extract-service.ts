/**
 * The extractor: from stored samples to temporary attributes holding a descriptor (tagged with
 * its model version) and, when asked, age and gender; one per sample or one aggregated.
 */

import { meanDescriptor } from '../descriptors/index.ts';
import { notFound } from '../errors/index.ts';
import type { SampleService } from '../samples/index.ts';
import type { FaceCrop, Vision } from '../vision/index.ts';
import type { AttributeRecord, AttributeStore, BasicAttributes } from './attribute-store.ts';

/** Options of one extraction request. */
export interface ExtractOptions {
  extractDescriptor: boolean;
  extractBasicAttributes: boolean;
  aggregate: boolean;
  ttlSeconds?: number;
}

/** What the attribute service offers. */
export interface AttributeService {
  extract(accountId: string, sampleIds: string[], opts: ExtractOptions): Promise<AttributeRecord[]>;
  get(accountId: string, attributeId: string): Promise<AttributeRecord>;
  remove(accountId: string, attributeId: string): Promise<void>;
}

/** What the attribute service depends on. */
export interface AttributeServiceDeps {
  vision: Vision;
  samples: SampleService;
  store: AttributeStore;
  defaultTtlSeconds: number;
}

function meanBasic(list: BasicAttributes[]): BasicAttributes {
  const n = list.length;
  return {
    age: list.reduce((s, b) => s + b.age, 0) / n,
    gender: list.reduce((s, b) => s + b.gender, 0) / n,
  };
}

/** Creates the attribute service. */
export function createAttributeService(deps: AttributeServiceDeps): AttributeService {
  const { vision, samples, store } = deps;

  function newRecord(accountId: string, sampleIds: string[], ttlSeconds: number) {
    const now = Date.now();
    return {
      attributeId: crypto.randomUUID(),
      accountId,
      createTime: now,
      expireTime: now + ttlSeconds * 1000,
      sampleIds,
    };
  }

  async function estimate(crops: FaceCrop[], opts: ExtractOptions) {
    const descriptors = opts.extractDescriptor ? await vision.extract(crops) : undefined;
    const basics = opts.extractBasicAttributes ? await vision.estimateBasic(crops) : undefined;
    return { descriptors, basics };
  }

  return {
    async extract(accountId, sampleIds, opts) {
      const crops = await samples.loadCrops(accountId, sampleIds);
      const { descriptors, basics } = await estimate(crops, opts);
      const estimations = await samples.loadEstimations(accountId, sampleIds);
      const ttl = opts.ttlSeconds ?? deps.defaultTtlSeconds;
      const groups = opts.aggregate ? [sampleIds.map((_, i) => i)] : sampleIds.map((_, i) => [i]);
      const records: AttributeRecord[] = groups.map((idx) => ({
        ...newRecord(
          accountId,
          idx.map((i) => sampleIds[i]!),
          ttl,
        ),
        descriptor: descriptors && meanDescriptor(idx.map((i) => descriptors[i]!)),
        descriptorVersion: descriptors && vision.descriptorVersion,
        basicAttributes: basics && meanBasic(idx.map((i) => basics[i]!)),
        sampleEstimations: idx.map((i) => estimations[i] ?? null),
      }));
      for (const record of records) {
        await store.put(record);
      }
      return records;
    },

    async get(accountId, attributeId) {
      const record = await store.get(accountId, attributeId);
      if (!record) {
        throw notFound('attribute', attributeId);
      }
      return record;
    },

    async remove(accountId, attributeId) {
      if (!(await store.remove(accountId, attributeId))) {
        throw notFound('attribute', attributeId);
      }
    },
  };
}
