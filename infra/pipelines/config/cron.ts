/**
 * The unix-cron syntax Vertex AI schedules accept, and nothing more. Vertex AI Pipelines
 * schedules take a "cron schedule expression" (https://cloud.google.com/vertex-ai/docs/pipelines/schedule-pipeline-run)
 * in the unix-cron format that Cloud Scheduler documents
 * (https://cloud.google.com/scheduler/docs/configuring/cron-job-schedules, checked 2026-11-20):
 *
 * - five fields on one line: minute 0-59, hour 0-23, day of month 1-31, month 1-12 or JAN-DEC,
 *   day of week 0-6 or SUN-SAT, 7 also Sunday; names are the first three letters, in uppercase;
 * - `*` ("first-last"), a number, a range `a-b` (inclusive), a range or `*` followed by
 *   `/NUMBER` (every NUMBER-th value), and lists of these separated by commas.
 *
 * Everything else is refused: `L` (which the page says Cloud Scheduler does not support), `W`,
 * `#`, `?`, macros such as `@daily`, a seconds or year field, names in lowercase, a step after a
 * single number, and a line break anywhere. The time zone is `timeZone` (sent as a `TZ=` prefix).
 */

interface Field {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** Where the names start counting (JAN is 1, SUN is 0). */
  readonly namesFrom?: number;
}

const FIELDS: readonly Field[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], namesFrom: 1 },
  { name: "day of week", min: 0, max: 7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"], namesFrom: 0 },
];

function allowed(f: Field): string {
  return `${f.min}-${f.max}${f.names ? ` or ${f.names[0]}-${f.names[f.names.length - 1]}` : ""}`;
}

/** One value of a field: a number in range, or (month, day of week) an uppercase name. */
function value(text: string, f: Field): number | string {
  if (/^\d{1,2}$/.test(text)) {
    const n = Number(text);
    return n >= f.min && n <= f.max ? n : `${text} is out of range for the ${f.name} (${allowed(f)})`;
  }
  const i = f.names?.indexOf(text) ?? -1;
  if (i >= 0) return i + (f.namesFrom ?? 0);
  if (f.names?.includes(text.toUpperCase())) return `"${text}": names are written in uppercase (${text.toUpperCase()})`;
  return `"${text}" is not a ${f.name} (${allowed(f)})`;
}

/** Why one field is not unix-cron, or undefined. */
function fieldProblem(text: string, f: Field): string | undefined {
  for (const item of text.split(",")) {
    const m = /^(\*|[^-/]+(?:-[^-/]+)?)(?:\/(\d+))?$/.exec(item);
    if (!m) return `"${item}" in the ${f.name} is not unix-cron; allowed: *, a value, a range a-b, */n or a-b/n, and lists of these`;
    const [, base, step] = m;
    if (step !== undefined) {
      if (base !== "*" && !base.includes("-")) return `"${item}": a step follows * or a range (such as */15 or 0-30/15), not a single value`;
      const n = Number(step);
      if (n < 1 || n > f.max) return `"${item}": the step must be 1 to ${f.max}`;
    }
    if (base === "*") continue;
    const ends = base.split("-");
    const values = ends.map((e) => value(e, f));
    const bad = values.find((v) => typeof v === "string");
    if (bad !== undefined) return bad as string;
    if (values.length === 2 && (values[0] as number) > (values[1] as number)) return `"${item}": a range goes from low to high in the ${f.name}`;
  }
  return undefined;
}

/** Why `cron` is not a unix-cron schedule Vertex AI accepts, or undefined. */
export function cronProblem(cron: string): string | undefined {
  if (/[\r\n\v\f]/.test(cron)) return "a cron is one line";
  const fields = cron.trim().split(/[ \t]+/);
  if (fields.length !== 5 || cron.trim() === "") return `${fields.length} field(s); allowed: five (minute hour day-of-month month day-of-week, e.g. "0 3 * * MON"; the time zone goes in timeZone)`;
  for (let i = 0; i < 5; i++) {
    const problem = fieldProblem(fields[i], FIELDS[i]);
    if (problem) return problem;
  }
  return undefined;
}
