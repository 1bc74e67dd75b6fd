/**
 * The HTTP channel's answers before and after the request: refused for a host outside the
 * allow list, retried when the name lookup fails, sent on a 2xx from a loopback endpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delivery } from '../../../src/sender/delivery-repository.ts';
import { createHttpChannel } from '../../../src/sender/http-channel.ts';

let endpoint: ReturnType<typeof Bun.serve>;
const received: string[] = [];

beforeAll(() => {
  endpoint = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch: async (req) => {
      received.push(await req.text());
      return new Response(null, { status: 204 });
    },
  });
});

afterAll(async () => {
  await endpoint.stop(true);
});

function deliveryTo(url: string): Delivery {
  return {
    seq: 1,
    deliveryId: 'd1',
    eventId: 'e1',
    accountId: 'a1',
    handlerId: 'h1',
    callbackIndex: 0,
    callback: { type: 'http', url, headers: {}, timeout_ms: 2000 } as Delivery['callback'],
    payload: '{"event_id":"e1"}',
    subject: {} as Delivery['subject'],
    state: 'pending',
    attempts: 0,
    nextAttemptTime: 0,
    lastError: undefined,
    createTime: 0,
    doneTime: undefined,
  };
}

describe('http channel', () => {
  it('refuses a host the allow list does not name, without a lookup', async () => {
    let lookups = 0;
    const channel = createHttpChannel(['loopback'], async () => {
      lookups++;
      return [{ address: '127.0.0.1' }];
    });
    const result = await channel.send(deliveryTo('http://hooks.example.test/in'));
    expect(result).toEqual({ kind: 'refused', reason: 'host hooks.example.test is not allowed' });
    expect(lookups).toBe(0);
  });

  it('retries when the name lookup of an allowed host fails', async () => {
    const channel = createHttpChannel(['hooks.example.test'], async () => {
      throw new Error('getaddrinfo EAI_AGAIN hooks.example.test');
    });
    const result = await channel.send(deliveryTo('http://hooks.example.test/in'));
    expect(result.kind).toBe('retry');
    expect(result).toMatchObject({ reason: expect.stringMatching(/name lookup.*EAI_AGAIN/) });
  });

  it('refuses an allowed name that resolves outside the allow list', async () => {
    const channel = createHttpChannel(['loopback'], async () => [{ address: '10.0.0.8' }]);
    const result = await channel.send(deliveryTo('http://localhost/in'));
    expect(result).toEqual({
      kind: 'refused',
      reason: 'host localhost resolves to 10.0.0.8, which is not allowed',
    });
  });

  it('sends to an allowed loopback endpoint', async () => {
    const channel = createHttpChannel(['loopback']);
    const result = await channel.send(deliveryTo(`http://127.0.0.1:${endpoint.port}/in`));
    expect(result).toEqual({ kind: 'sent' });
    expect(received).toEqual(['{"event_id":"e1"}']);
  });
});
