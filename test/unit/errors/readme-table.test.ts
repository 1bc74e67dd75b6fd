import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AppError, errorTableMarkdown } from '../../../src/errors/index.ts';

const README = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../README.md');

describe('error table', () => {
  it('is documented in the README exactly as the code defines it', async () => {
    const readme = await readFile(README, 'utf8');
    const documented = readme.split('<!-- errors:start -->')[1]!.split('<!-- errors:end -->')[0]!;
    expect(documented.trim()).toBe(errorTableMarkdown());
  });

  it('serialises an error to the documented envelope', () => {
    const body = new AppError('not_found', 'face 1 not found').toJSON();
    expect(body).toEqual({
      error_code: 4,
      desc: 'Object not found',
      detail: 'face 1 not found',
      link: expect.stringContaining('not_found'),
    });
  });
});
