/** `npm run docs:errors`: rewrites the README's error table from src/errors/codes.ts. */
import { readFile, writeFile } from 'node:fs/promises';
import { errorTableMarkdown } from '../src/errors/index.ts';

const START = '<!-- errors:start -->';
const END = '<!-- errors:end -->';

const readme = await readFile('README.md', 'utf8');
const before = readme.slice(0, readme.indexOf(START) + START.length);
const after = readme.slice(readme.indexOf(END));
await writeFile('README.md', `${before}\n${errorTableMarkdown()}\n${after}`);
console.log('README error table updated');
