import { describe, expect, it } from 'vitest';
import { jsonDepth, MAX_JSON_DEPTH, readJson } from '../../../src/http/json-body.ts';

function jsonRequest(body: string): Request {
  return new Request('http://x/', {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
  });
}

describe('json depth', () => {
  it.each([
    ['1', 0],
    ['{}', 1],
    ['[[1],[2,[3]]]', 3],
    ['{"a":"[[[[{{{"}', 1],
    ['{"a":"\\"[["}', 1],
  ])('%s is %i deep', (text, depth) => {
    expect(jsonDepth(text)).toBe(depth);
  });
});

describe('read json', () => {
  it('parses a body within the limits', async () => {
    expect(await readJson(jsonRequest('{"a":[1,2]}'), 100)).toEqual({ a: [1, 2] });
  });

  it('refuses nesting past the limit before parsing', async () => {
    const deep = '['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1);
    await expect(readJson(jsonRequest(deep), 1e6)).rejects.toMatchObject({ status: 400 });
    const hostile = '['.repeat(500_000);
    await expect(readJson(jsonRequest(hostile), 1e6)).rejects.toMatchObject({ status: 400 });
  });

  it('refuses a body over the byte limit and invalid JSON', async () => {
    await expect(readJson(jsonRequest(`"${'x'.repeat(200)}"`), 100)).rejects.toMatchObject({
      status: 413,
    });
    await expect(readJson(jsonRequest('{"a":'), 100)).rejects.toMatchObject({ status: 400 });
  });
});
