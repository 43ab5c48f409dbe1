import * as hdr from "hdr-histogram-js";
import { type Target, type Timing, send } from "./client";
import { poissonArrivals, seeded } from "./random";

export type Load = { readonly mode: "open"; readonly rate: number } | { readonly mode: "closed"; readonly concurrency: number };

export interface RunOptions {
  readonly target: Target;
  readonly load: Load;
  readonly durationMs: number;
  readonly rampMs: number;
  readonly prompts: readonly string[];
  readonly seed: number;
  /** Called about four times a second with the share done, for a progress bar. */
  readonly progress?: (done: number, sent: number, completed: number, errors: number) => void;
}

/** What one request did, relative to the run's start (ms). */
export interface Sample {
  /** When it was meant to start: open loop measures from here, so a stalled generator cannot hide queueing (no coordinated omission). */
  readonly intended: number;
  readonly e2e: number;
  readonly ttft?: number;
  readonly end: number;
  readonly tokens: number;
  readonly error?: string;
}

export interface RunResult {
  readonly samples: readonly Sample[];
  readonly itl: hdr.Histogram;
  readonly elapsedMs: number;
  /** Open loop: how late the generator sent requests past their arrival time, p99 ms (it must stay small). */
  readonly sendLagP99Ms: number;
}

/** Latencies in microseconds, 3 significant digits: at most 0.1% off, up to an hour. */
export const histogram = () => hdr.build({ bitBucketSize: 64, numberOfSignificantValueDigits: 3, lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, useWebAssembly: false });

export async function runLoad(o: RunOptions): Promise<RunResult> {
  const random = seeded(o.seed);
  const order = o.prompts.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  let next = 0;
  const prompt = () => o.prompts[order[next++ % order.length]];
  const samples: Sample[] = [];
  const itl = histogram();
  const lag = histogram();
  const t0 = performance.now();
  let sent = 0;
  let errors = 0;
  const record = (intended: number, t: Timing) => {
    const s: Sample = { intended, e2e: t.end - t0 - intended, ttft: t.firstToken === undefined ? undefined : t.firstToken - t0 - intended, end: t.end - t0, tokens: t.outputTokens, error: t.error };
    if (t.error) errors++;
    for (const gap of t.itl) itl.recordValue(Math.max(1, Math.round(gap * 1000)));
    samples.push(s);
  };
  const ticker = o.progress ? setInterval(() => o.progress!(Math.min(1, (performance.now() - t0) / o.durationMs), sent, samples.length, errors), 250) : undefined;
  try {
    if (o.load.mode === "open") {
      const arrivals = poissonArrivals(o.load.rate, o.durationMs, o.rampMs, random);
      const inflight: Promise<void>[] = [];
      for (const at of arrivals) {
        const wait = at - (performance.now() - t0);
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        lag.recordValue(Math.max(1, Math.round(Math.max(0, performance.now() - t0 - at) * 1000)));
        sent++;
        inflight.push(send(o.target, prompt()).then((t) => record(at, t)));
      }
      await Promise.all(inflight);
    } else {
      const { concurrency } = o.load;
      const worker = async (i: number) => {
        const startAt = concurrency > 1 ? (o.rampMs * i) / concurrency : 0;
        const wait = startAt - (performance.now() - t0);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        while (performance.now() - t0 < o.durationMs) {
          const intended = performance.now() - t0;
          sent++;
          record(intended, await send(o.target, prompt()));
        }
      };
      await Promise.all(Array.from({ length: concurrency }, (_, i) => worker(i)));
    }
  } finally {
    if (ticker) clearInterval(ticker);
  }
  return { samples: samples.sort((a, b) => a.intended - b.intended), itl, elapsedMs: performance.now() - t0, sendLagP99Ms: o.load.mode === "open" ? lag.getValueAtPercentile(99) / 1000 : 0 };
}
