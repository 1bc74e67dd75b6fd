import { describe, expect, it } from 'vitest';
import { csvRow } from '../../../src/tasks/internal/csv.ts';

describe('csv', () => {
  it.each([
    [['a', 1, true], 'a,1,true\r\n'],
    [[null, undefined, ''], ',,\r\n'],
    [['x,y', 'say "hi"', 'two\nlines'], '"x,y","say ""hi""","two\nlines"\r\n'],
    [['=SUM(A1)', '+1', '-1', '@x', -1], "'=SUM(A1),'+1,'-1,'@x,-1\r\n"],
  ])('writes %j as %j', (cells, line) => {
    expect(csvRow(cells)).toBe(line);
  });
});
