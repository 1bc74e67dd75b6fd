import { describe, expect, it } from 'vitest';
import { requestIdFrom } from '../../../src/http/request-context.ts';

describe('request id', () => {
  it('keeps a well-formed client id', () => {
    const id = '1733330000,0b4f7d52-3c1a-4e8b-9f60-7a2d5c8e1b34';
    expect(requestIdFrom(id)).toBe(id);
  });

  it.each([
    undefined,
    '',
    'abc',
    '1733330000,not-a-uuid',
    '1733330000;0b4f7d52-3c1a-4e8b-9f60-7a2d5c8e1b34',
  ])('makes a new one for %j', (header) => {
    expect(requestIdFrom(header)).toMatch(
      /^\d{10},[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
