/**
 * Cloud Monitoring `projects.timeSeries.list` responses, as the API returns them in JSON
 * (https://cloud.google.com/monitoring/api/ref_v3/rest/v3/projects.timeSeries/list, `view=FULL`,
 * no aggregation), and the arithmetic a rollout analysis needs on them: counts and merged
 * latency histograms per label value, within the window asked for.
 *
 * Documented and relied on: int64 values arrive as decimal strings (proto3 JSON); points come
 * newest first ("points are returned in reverse time order"); a Distribution's `bucketCounts`
 * may omit a suffix of zero buckets; bucket boundaries follow `BucketOptions` (linear,
 * exponential or explicit: https://cloud.google.com/monitoring/api/ref_v3/rest/v3/TypedValue#Distribution).
 * Assumed, not documented: every series of one metric in one response uses the same unit.
 * Points are ordered here by their end time, so the reverse order is not load-bearing.
 */

export interface TimeInterval {
  readonly startTime?: string;
  readonly endTime: string;
}

export interface BucketOptions {
  readonly linearBuckets?: { readonly numFiniteBuckets: number; readonly width: number; readonly offset: number };
  readonly exponentialBuckets?: { readonly numFiniteBuckets: number; readonly growthFactor: number; readonly scale: number };
  readonly explicitBuckets?: { readonly bounds: readonly number[] };
}

export interface Distribution {
  readonly count?: string;
  readonly mean?: number;
  readonly sumOfSquaredDeviation?: number;
  readonly bucketOptions?: BucketOptions;
  readonly bucketCounts?: readonly string[];
}

export interface TypedValue {
  readonly int64Value?: string;
  readonly doubleValue?: number;
  readonly distributionValue?: Distribution;
}

export interface Point {
  readonly interval: TimeInterval;
  readonly value: TypedValue;
}

export interface TimeSeries {
  readonly metric: { readonly type: string; readonly labels?: Readonly<Record<string, string>> };
  readonly resource: { readonly type: string; readonly labels?: Readonly<Record<string, string>> };
  readonly metricKind: "DELTA" | "CUMULATIVE" | "GAUGE";
  readonly valueType: "INT64" | "DOUBLE" | "DISTRIBUTION" | string;
  readonly points: readonly Point[];
  readonly unit?: string;
}

export interface ListTimeSeriesResponse {
  readonly timeSeries?: readonly TimeSeries[];
  readonly nextPageToken?: string;
  readonly executionErrors?: readonly unknown[];
  readonly unit?: string;
}

/** `--from-file` / `--record`: metric type → the response (or its pages, in order). */
export type RecordedMetrics = Readonly<Record<string, ListTimeSeriesResponse | readonly ListTimeSeriesResponse[]>>;

export function seriesOf(recorded: RecordedMetrics, metricType: string): TimeSeries[] {
  const value = recorded[metricType];
  if (value === undefined) return [];
  const pages = Array.isArray(value) ? value : [value as ListTimeSeriesResponse];
  return pages.flatMap((p) => p.timeSeries ?? []);
}

/** One histogram bucket: values in [lower, upper), `count` of them. Infinite bounds for the outer buckets. */
export interface Bucket {
  readonly lower: number;
  readonly upper: number;
  count: number;
}

/** The [lower, upper) boundaries of bucket i of N = finite + 2 (underflow 0, overflow N-1). */
export function bucketBounds(options: BucketOptions, i: number): { lower: number; upper: number } {
  if (options.linearBuckets) {
    const { numFiniteBuckets: n, width, offset } = options.linearBuckets;
    return { lower: i === 0 ? -Infinity : offset + width * (i - 1), upper: i === n + 1 ? Infinity : offset + width * i };
  }
  if (options.exponentialBuckets) {
    const { numFiniteBuckets: n, growthFactor, scale } = options.exponentialBuckets;
    return { lower: i === 0 ? -Infinity : scale * growthFactor ** (i - 1), upper: i === n + 1 ? Infinity : scale * growthFactor ** i };
  }
  if (options.explicitBuckets) {
    const b = options.explicitBuckets.bounds;
    return { lower: i === 0 ? -Infinity : b[i - 1], upper: i >= b.length ? Infinity : b[i] };
  }
  throw new Error("a distribution without bucketOptions: expected linearBuckets, exponentialBuckets or explicitBuckets");
}

const int = (s: string | undefined) => (s === undefined ? 0 : Number(s));

function distributionBuckets(d: Distribution): Bucket[] {
  const counts = d.bucketCounts ?? [];
  if (!d.bucketOptions) return int(d.count) ? [{ lower: -Infinity, upper: Infinity, count: int(d.count) }] : [];
  return counts.map((c, i) => ({ ...bucketBounds(d.bucketOptions!, i), count: int(c) }));
}

/** A histogram: buckets keyed by their bounds, so series with the same options merge exactly. */
export class Histogram {
  private readonly buckets = new Map<string, Bucket>();

  add(buckets: readonly Bucket[], sign = 1, scale = 1): void {
    for (const b of buckets) {
      if (b.count === 0) continue;
      const lower = b.lower * scale;
      const upper = b.upper * scale;
      const key = `${lower}:${upper}`;
      const held = this.buckets.get(key) ?? { lower, upper, count: 0 };
      held.count += sign * b.count;
      this.buckets.set(key, held);
    }
  }

  merge(other: Histogram): void {
    this.add(other.sorted());
  }

  sorted(): Bucket[] {
    return [...this.buckets.values()].filter((b) => b.count > 0).sort((a, b) => a.lower - b.lower || a.upper - b.upper);
  }

  get count(): number {
    return this.sorted().reduce((n, b) => n + b.count, 0);
  }

  /**
   * The q-quantile (0-1), interpolated linearly inside its bucket (as Cloud Monitoring's own
   * percentile aligners do). The underflow bucket is taken to start at 0 (latencies); a quantile
   * in the overflow bucket is reported as its lower bound, which understates it: `overflow` says so.
   */
  quantile(q: number): { value: number; overflow: boolean } | undefined {
    const buckets = this.sorted();
    const total = buckets.reduce((n, b) => n + b.count, 0);
    if (total === 0) return undefined;
    const rank = q * total;
    let seen = 0;
    for (const b of buckets) {
      if (seen + b.count >= rank) {
        const lower = Number.isFinite(b.lower) ? b.lower : Math.min(0, b.upper);
        if (!Number.isFinite(b.upper)) return { value: lower, overflow: true };
        return { value: lower + ((rank - seen) / b.count) * (b.upper - lower), overflow: false };
      }
      seen += b.count;
    }
    const last = buckets[buckets.length - 1];
    return { value: Number.isFinite(last.upper) ? last.upper : last.lower, overflow: !Number.isFinite(last.upper) };
  }

  /** How many values exceed `threshold`, the bucket that straddles it split linearly. */
  countAbove(threshold: number): number {
    let n = 0;
    for (const b of this.sorted()) {
      if (b.lower >= threshold) n += b.count;
      else if (b.upper > threshold) {
        const lower = Number.isFinite(b.lower) ? b.lower : Math.min(0, b.upper);
        n += Number.isFinite(b.upper) && threshold > lower ? (b.count * (b.upper - threshold)) / (b.upper - lower) : b.count;
      }
    }
    return n;
  }
}

const endOf = (p: Point) => Date.parse(p.interval.endTime);

/**
 * The points of a series oldest first, as deltas. DELTA points are deltas already. CUMULATIVE
 * points (Managed Prometheus counters and histograms) are differenced within each run of one
 * start time; the first point is the baseline the window starts from, and a later point with a new
 * start time (a restart) counts whole.
 */
function deltas<T>(series: TimeSeries, read: (v: TypedValue) => T, minus: (a: T, b: T) => T): { value: T; point: Point }[] {
  const points = [...series.points].sort((a, b) => endOf(a) - endOf(b));
  if (series.metricKind !== "CUMULATIVE") return points.map((point) => ({ value: read(point.value), point }));
  const out: { value: T; point: Point }[] = [];
  for (let i = 1; i < points.length; i++) {
    const [prev, cur] = [points[i - 1], points[i]];
    const sameRun = prev.interval.startTime === cur.interval.startTime;
    // The delta covers the time since the previous point, not since the counter started.
    const point = sameRun ? { ...cur, interval: { startTime: prev.interval.endTime, endTime: cur.interval.endTime } } : cur;
    out.push({ value: sameRun ? minus(read(cur.value), read(prev.value)) : read(cur.value), point });
  }
  return out;
}

const scalar = (v: TypedValue) => (v.int64Value !== undefined ? Number(v.int64Value) : (v.doubleValue ?? 0));

/** What the counters of one group of series add up to, and the time they span. */
export interface Tally {
  total: number;
  /** Earliest start and latest end of points that counted something, epoch ms. */
  first?: number;
  last?: number;
}

function span(t: Tally, p: Point): void {
  const start = Date.parse(p.interval.startTime ?? p.interval.endTime);
  const end = endOf(p);
  t.first = t.first === undefined ? start : Math.min(t.first, start);
  t.last = t.last === undefined ? end : Math.max(t.last, end);
}

/** Sums counter series (INT64 or DOUBLE, DELTA or CUMULATIVE). */
export function sumCounts(series: readonly TimeSeries[]): Tally {
  const t: Tally = { total: 0 };
  for (const s of series) {
    for (const { value, point } of deltas(s, scalar, (a, b) => a - b)) {
      if (value <= 0) continue;
      t.total += value;
      span(t, point);
    }
  }
  return t;
}

/** Merges distribution series (DELTA or CUMULATIVE), with bounds multiplied by `scale` (seconds → ms: 1000). */
export function mergeDistributions(series: readonly TimeSeries[], scale = 1): Histogram {
  const h = new Histogram();
  for (const s of series) {
    const points = [...s.points].sort((a, b) => endOf(a) - endOf(b));
    if (s.metricKind !== "CUMULATIVE") {
      for (const p of points) if (p.value.distributionValue) h.add(distributionBuckets(p.value.distributionValue), 1, scale);
      continue;
    }
    for (let i = 1; i < points.length; i++) {
      const [prev, cur] = [points[i - 1], points[i]];
      if (!cur.value.distributionValue) continue;
      h.add(distributionBuckets(cur.value.distributionValue), 1, scale);
      if (prev.interval.startTime === cur.interval.startTime && prev.value.distributionValue) h.add(distributionBuckets(prev.value.distributionValue), -1, scale);
    }
  }
  return h;
}
