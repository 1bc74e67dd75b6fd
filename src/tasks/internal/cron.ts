/**
 * Five-field cron expressions (minute hour day-of-month month day-of-week), evaluated in UTC.
 * Pure: parsing and "next time after" only. Day-of-month and day-of-week follow classic cron:
 * when both are restricted, a day matching either one fires.
 */

/** A parsed expression: the allowed values of each field. */
export interface CronSchedule {
  minutes: boolean[];
  hours: boolean[];
  days: boolean[];
  months: boolean[];
  weekdays: boolean[];
  /** True when day-of-month is `*` (then only day-of-week restricts days). */
  anyDay: boolean;
  /** True when day-of-week is `*`. */
  anyWeekday: boolean;
}

/** Thrown for an expression that does not parse; the message names the field. */
export class CronError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CronError';
  }
}

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
}

const FIELDS: FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
  },
  { name: 'day of week', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

function fieldValue(text: string, field: FieldSpec): number {
  const named = field.names?.indexOf(text.toLowerCase()) ?? -1;
  const value = named >= 0 ? named + field.min : /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= field.min && value <= field.max)) {
    throw new CronError(`${field.name}: '${text}' is not in ${field.min}-${field.max}`);
  }
  return value;
}

function rangeOf(text: string, field: FieldSpec, stepped: boolean): [number, number] {
  if (text === '*') {
    return [field.min, field.max];
  }
  const [from, to] = text.split('-');
  const start = fieldValue(from!, field);
  const end = to === undefined ? (stepped ? field.max : start) : fieldValue(to, field);
  if (end < start) {
    throw new CronError(`${field.name}: range '${text}' runs backwards`);
  }
  return [start, end];
}

function parsePart(part: string, field: FieldSpec, allowed: boolean[]): void {
  const [range, stepText, extra] = part.split('/');
  if (extra !== undefined || range === undefined || range === '') {
    throw new CronError(`${field.name}: '${part}' is not a value, range or step`);
  }
  const step = stepText === undefined ? 1 : Number(stepText);
  if (!Number.isInteger(step) || step < 1 || !/^\d+$/.test(stepText ?? '1')) {
    throw new CronError(`${field.name}: step '${stepText}' must be a positive integer`);
  }
  const [start, end] = rangeOf(range, field, stepText !== undefined);
  for (let v = start; v <= end; v += step) {
    allowed[v] = true;
  }
}

function parseField(text: string, field: FieldSpec): boolean[] {
  const allowed: boolean[] = Array.from({ length: field.max + 1 }, () => false);
  for (const part of text.split(',')) {
    parsePart(part, field, allowed);
  }
  return allowed;
}

/** Parses an expression such as `*\/15 2-5 * * mon-fri` or `@daily`; throws CronError. */
export function parseCron(expression: string): CronSchedule {
  const trimmed = expression.trim();
  const fields = (MACROS[trimmed.toLowerCase()] ?? trimmed).split(/\s+/);
  if (fields.length !== 5) {
    throw new CronError(`expected 5 fields (minute hour day month weekday), got ${fields.length}`);
  }
  const [minutes, hours, days, months, weekdays] = fields.map((f, i) => parseField(f, FIELDS[i]!));
  if (weekdays![7]) {
    weekdays![0] = true;
  }
  return {
    minutes: minutes!,
    hours: hours!,
    days: days!,
    months: months!,
    weekdays: weekdays!,
    anyDay: fields[2] === '*',
    anyWeekday: fields[4] === '*',
  };
}

function dayMatches(s: CronSchedule, date: Date): boolean {
  const byDay = s.days[date.getUTCDate()]!;
  const byWeekday = s.weekdays[date.getUTCDay()]!;
  if (s.anyDay || s.anyWeekday) {
    return byDay && byWeekday;
  }
  return byDay || byWeekday;
}

const MINUTE_MS = 60_000;
/** How far ahead to look before calling an expression one that never fires (Feb 30…). */
const HORIZON_MS = 5 * 366 * 24 * 3600 * 1000;

/** The first whole UTC minute strictly after `afterMs` that matches, or undefined if none. */
export function nextCronTime(s: CronSchedule, afterMs: number): number | undefined {
  const date = new Date(Math.floor(afterMs / MINUTE_MS) * MINUTE_MS + MINUTE_MS);
  const limit = afterMs + HORIZON_MS;
  while (date.getTime() <= limit) {
    if (!s.months[date.getUTCMonth() + 1]) {
      date.setUTCMonth(date.getUTCMonth() + 1, 1);
      date.setUTCHours(0, 0, 0, 0);
    } else if (!dayMatches(s, date)) {
      date.setUTCDate(date.getUTCDate() + 1);
      date.setUTCHours(0, 0, 0, 0);
    } else if (!s.hours[date.getUTCHours()]) {
      date.setUTCHours(date.getUTCHours() + 1, 0, 0, 0);
    } else if (!s.minutes[date.getUTCMinutes()]) {
      date.setUTCMinutes(date.getUTCMinutes() + 1, 0, 0);
    } else {
      return date.getTime();
    }
  }
  return undefined;
}
