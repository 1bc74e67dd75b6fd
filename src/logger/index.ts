/** Structured JSON-lines logger; the only module that writes to the console. */

/** Log levels in increasing severity. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Fields attached to one log line. */
export type LogFields = Record<string, unknown>;

/** A logger bound to a module name and optional fixed fields. */
export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

let minLevel: LogLevel = 'info';

/** Sets the lowest level written; called once by the composition root. */
export function setLogLevel(level: LogLevel): void {
  minLevel = level;
}

function serialiseError(value: unknown): unknown {
  if (!(value instanceof Error)) {
    return value;
  }
  return { name: value.name, message: value.message, stack: value.stack };
}

function write(level: LogLevel, base: LogFields, event: string, fields?: LogFields): void {
  if (LEVEL_RANK[level] < LEVEL_RANK[minLevel]) {
    return;
  }
  const line: LogFields = { time: new Date().toISOString(), level, event, ...base };
  for (const [key, value] of Object.entries(fields ?? {})) {
    line[key] = serialiseError(value);
  }
  const text = JSON.stringify(line);
  if (level === 'error' || level === 'warn') {
    console.error(text);
  } else {
    console.log(text);
  }
}

/** Creates a logger whose lines carry `fields` (usually `{ module }`). */
export function createLogger(fields: LogFields = {}): Logger {
  return {
    debug: (event, extra) => write('debug', fields, event, extra),
    info: (event, extra) => write('info', fields, event, extra),
    warn: (event, extra) => write('warn', fields, event, extra),
    error: (event, extra) => write('error', fields, event, extra),
    child: (extra) => createLogger({ ...fields, ...extra }),
  };
}
