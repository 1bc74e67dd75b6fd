/**
 * Temporary attributes in Redis (`REDIS_URL`): one JSON value per attribute under
 * `<prefix>attr:<account_id>:<attribute_id>`, expiring with the attribute's TTL, so Redis does
 * the sweeping. The key carries the account, so another account's id reads as missing.
 */
import type { Redis } from 'ioredis';
import type { AttributeRecord, AttributeStore } from './attribute-store.ts';

type StoredRecord = Omit<AttributeRecord, 'descriptor'> & { descriptor: string | null };

function encode(r: AttributeRecord): string {
  const descriptor = r.descriptor
    ? Buffer.from(r.descriptor.buffer, r.descriptor.byteOffset, r.descriptor.byteLength)
    : undefined;
  return JSON.stringify({ ...r, descriptor: descriptor?.toString('base64') ?? null });
}

function decode(text: string): AttributeRecord {
  const stored = JSON.parse(text) as StoredRecord;
  const bytes = stored.descriptor ? Buffer.from(stored.descriptor, 'base64') : undefined;
  return {
    ...stored,
    descriptor: bytes ? new Float32Array(new Uint8Array(bytes).buffer) : undefined,
  };
}

/** Creates the Redis attribute store on `redis`, keys under `prefix`. */
export function createRedisAttributeStore(redis: Redis, prefix: string): AttributeStore {
  const keyOf = (accountId: string, attributeId: string) =>
    `${prefix}attr:${accountId}:${attributeId}`;
  return {
    async put(r) {
      const ttlMs = r.expireTime - Date.now();
      if (ttlMs > 0) {
        await redis.set(keyOf(r.accountId, r.attributeId), encode(r), 'PX', ttlMs);
      }
    },
    async get(accountId, attributeId) {
      const text = await redis.get(keyOf(accountId, attributeId));
      const record = text ? decode(text) : undefined;
      return record && record.expireTime > Date.now() ? record : undefined;
    },
    async remove(accountId, attributeId) {
      return (await redis.del(keyOf(accountId, attributeId))) > 0;
    },
    // Redis expires keys itself.
    sweepExpired: async () => 0,
  };
}
