/**
 * Reading JSON request bodies with limits: a byte cap for the body and a nesting cap checked
 * on the raw text before parsing, so a deeply nested document costs no parse.
 */
import { AppError } from '../errors/index.ts';

/** Deepest nesting of arrays and objects a request body may have. */
export const MAX_JSON_DEPTH = 32;

/** Depth of the deepest array or object in JSON text (strings are skipped). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) {
        i++;
      } else if (ch === 0x22) {
        inString = false;
      }
    } else if (ch === 0x22) {
      inString = true;
    } else if (ch === 0x7b || ch === 0x5b) {
      depth++;
      deepest = Math.max(deepest, depth);
    } else if (ch === 0x7d || ch === 0x5d) {
      depth--;
    }
  }
  return deepest;
}

/** Parses the JSON body of `request`, refusing bodies over `maxBytes` or too deeply nested. */
export async function readJson(request: Request, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    throw new AppError('payload_too_large', `JSON body over ${maxBytes} bytes`);
  }
  const text = await request.text();
  if (Buffer.byteLength(text) > maxBytes) {
    throw new AppError('payload_too_large', `JSON body over ${maxBytes} bytes`);
  }
  if (jsonDepth(text) > MAX_JSON_DEPTH) {
    throw new AppError('bad_request', `JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError('bad_request', 'body is not valid JSON');
  }
}
