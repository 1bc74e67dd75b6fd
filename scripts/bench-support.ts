/** Shared pieces of the benchmark scripts: medians, timing loops, and a real appliance process. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Median of a list of numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Value at quantile q (0–1) of a list of numbers. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Median milliseconds of `runs` calls of `fn` after `warmup` untimed calls. */
export async function timeMedian(fn: () => Promise<unknown>, runs = 25, warmup = 3) {
  for (let i = 0; i < warmup; i++) {
    await fn();
  }
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  return median(times);
}

/** A running `bun src/main.ts` on a temp data dir with a bootstrap admin. */
export interface ApplianceProcess {
  url: string;
  auth: string;
  stop(): Promise<void>;
}

/** The bootstrap admin of every benchmark appliance, as `login:password`. */
export const BENCH_ADMIN = 'bench@lunette.local:bench-password-1';

async function waitUntilUp(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/6/healthcheck`)).ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await Bun.sleep(100);
  }
  throw new Error(`appliance at ${url} did not come up`);
}

/**
 * Starts the real appliance as a child process with extra environment values, on `sharedDataDir`
 * (left in place on stop) or on a temp data dir of its own (removed on stop).
 */
export async function startApplianceProcess(
  port: number,
  env: Record<string, string> = {},
  sharedDataDir?: string,
): Promise<ApplianceProcess> {
  const dataDir = sharedDataDir ?? (await mkdtemp(path.join(tmpdir(), 'lunette-bench-')));
  const child = Bun.spawn(['bun', 'src/main.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LUNETTE_DATA_DIR: dataDir,
      LUNETTE_BOOTSTRAP_ADMIN: BENCH_ADMIN,
      LUNETTE_LOG_LEVEL: 'warn',
      MQTT_LISTEN: 'off',
      ...env,
    },
    stdout: 'ignore',
    stderr: 'inherit',
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilUp(url);
  return {
    url,
    auth: `Basic ${Buffer.from(BENCH_ADMIN).toString('base64')}`,
    stop: async () => {
      child.kill('SIGTERM');
      await child.exited;
      if (!sharedDataDir) {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
}
