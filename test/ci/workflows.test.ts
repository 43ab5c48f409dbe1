/** The workflows gate the merge, deploy each stack safely, and post the comment only where it belongs. */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { deploySteps } from "../../cli/diff/deploys";
import { ROOT } from "../helpers/project";

interface Step {
  readonly name?: string;
  readonly run?: string;
  readonly uses?: string;
  readonly if?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
}
interface Job {
  readonly if?: string;
  readonly environment?: string;
  readonly needs?: string | string[];
  readonly permissions?: Record<string, string>;
  readonly concurrency?: { readonly group: string; readonly "cancel-in-progress"?: boolean };
  readonly steps: readonly Step[];
}
interface Workflow {
  readonly on: Record<string, unknown>;
  readonly permissions?: Record<string, string>;
  readonly env?: Record<string, string>;
  readonly concurrency?: unknown;
  readonly jobs: Record<string, Job>;
}

const FILES = ["pr.yml", "deploy.yml", "pr-comment.yml"];
const text = (file: string) => fs.readFileSync(path.join(ROOT, ".github/workflows", file), "utf8");
const workflow = (file: string) => parse(text(file)) as Workflow;
const indexOf = (steps: readonly Step[], match: (s: Step) => boolean) => steps.findIndex(match);
const runs = (job: Job, command: string) => job.steps.some((s) => s.run === command);
const pulumi = (job: Job) => job.steps.find((s) => (s.uses ?? "").startsWith("pulumi/actions"));

describe("every workflow", () => {
  it.each(FILES)("%s pins each action by a full commit SHA, with its release in a comment", (file) => {
    const uses = text(file)
      .split("\n")
      .filter((line) => /^\s*(- )?uses:/.test(line));
    expect(uses.length).toBeGreaterThan(0);
    for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  it("one SHA per action, the same in every file", () => {
    const pins = new Map<string, string>();
    for (const file of FILES) {
      for (const [, action, sha] of text(file).matchAll(/uses: ([\w.-]+\/[\w.-]+)@([0-9a-f]{40})/g)) {
        expect(pins.get(action) ?? sha, `${file}: ${action}`).toBe(sha);
        pins.set(action, sha);
      }
    }
    expect(pins.size).toBeGreaterThan(4);
  });

  it.each(FILES)("%s runs Node 22 or 24", (file) => {
    const versions = Object.values(workflow(file).jobs).flatMap((j) => j.steps.filter((s) => (s.uses ?? "").startsWith("actions/setup-node")).map((s) => s.with?.["node-version"]));
    for (const v of versions) expect([22, 24]).toContain(v);
  });

  it("the Pulumi CLI is the version file's, the release of the SDK in package.json", () => {
    const version = fs.readFileSync(path.join(ROOT, ".pulumi-version"), "utf8").trim();
    const sdk = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies["@pulumi/pulumi"];
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(sdk).toBe(version);
    for (const file of ["pr.yml", "deploy.yml"]) {
      for (const job of Object.values(workflow(file).jobs)) {
        const step = pulumi(job);
        if (step) expect(step.with?.["pulumi-version-file"], file).toBe(".pulumi-version");
      }
    }
  });
});

describe("pr.yml: the checks that gate the merge", () => {
  const pr = workflow("pr.yml");

  it.each([
    ["typecheck", "npm run typecheck"],
    ["lint", "npm run lint"],
    ["test", "npm test"],
    ["policy", "npx llmops policy"],
    ["preflight", "npx llmops preflight"],
  ])("job %s runs `%s` on every pull request, forks included", (job, command) => {
    expect(runs(pr.jobs[job], command)).toBe(true);
    expect(pr.jobs[job].if).toBeUndefined();
  });

  it("diffs origin/<base> against the head commit it checked out, with the run's address", () => {
    const diff = pr.jobs.diff;
    expect(diff.steps[0].with?.ref).toBe("${{ github.event.pull_request.head.sha }}");
    expect(diff.steps.find((s) => s.run?.includes("npx llmops diff"))?.run).toMatch(/npx llmops diff "origin\/\$\{BASE_REF\}" HEAD .*--run-url "\$RUN_URL"/);
  });

  it("gives no secret and no write permission to jobs that run the pull request's code unreviewed", () => {
    expect(pr.permissions).toEqual({ contents: "read" });
    for (const [name, job] of Object.entries(pr.jobs)) {
      const uses = JSON.stringify(job);
      if (name.startsWith("preview-")) continue;
      expect(uses, name).not.toMatch(/secrets\./);
      expect(job.permissions, name).toBeUndefined();
    }
  });

  it("previews prod only in its own environment (required reviewers), with that environment's secrets", () => {
    expect(pr.jobs["preview-prod"].environment).toBe("prod-preview");
    expect(pr.jobs["preview-dev"].environment).toBe("dev-preview");
    for (const stack of ["dev", "prod"]) {
      const job = pr.jobs[`preview-${stack}`];
      expect(job.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
      expect(pulumi(job)?.with).toMatchObject({ command: "preview", "stack-name": stack });
    }
  });
});

describe("deploy.yml", () => {
  const deploy = workflow("deploy.yml");

  it.each(["dev", "prod"])("%s: policy and preflight, then the kubeconfig's auth plugin, then pulumi up", (job) => {
    const steps = deploy.jobs[job].steps;
    const policy = indexOf(steps, (s) => s.run === `npx llmops policy --stack ${job}`);
    const preflight = indexOf(steps, (s) => s.run === `npx llmops preflight --stack ${job}`);
    const plugin = indexOf(steps, (s) => /apt-get install .*google-cloud-cli-gke-gcloud-auth-plugin/.test(s.run ?? ""));
    const up = indexOf(steps, (s) => (s.uses ?? "").startsWith("pulumi/actions") && s.with?.command === "up");
    expect(policy).toBeGreaterThanOrEqual(0);
    expect(preflight).toBeGreaterThan(policy);
    expect(plugin).toBeGreaterThan(preflight);
    expect(up).toBeGreaterThan(plugin);
  });

  it.each(["dev", "prod"])("%s: pulumi up refreshes and enforces the policy pack with the stack's config", (job) => {
    expect(pulumi(deploy.jobs[job])?.with).toMatchObject({ command: "up", "stack-name": job, refresh: true, policyPacks: "policies", policyPackConfigs: `policies/config/${job}.json` });
    expect(fs.existsSync(path.join(ROOT, `policies/config/${job}.json`))).toBe(true);
  });

  it("one concurrency group per stack, never cancelling a running up; none for the whole workflow", () => {
    expect(deploy.concurrency).toBeUndefined();
    const groups = Object.entries(deploy.jobs).map(([name, job]) => [name, job.concurrency]);
    expect(groups).toEqual([
      ["dev", { group: "deploy-dev", "cancel-in-progress": false }],
      ["prod", { group: "deploy-prod", "cancel-in-progress": false }],
    ]);
  });

  it("prod waits for dev and for its environment's reviewers; llmops diff reads the same", () => {
    expect(deploy.jobs.prod.needs).toBe("dev");
    expect(deploy.jobs.prod.environment).toBe("prod");
    expect(deploySteps(ROOT)).toEqual([
      { stack: "dev", job: "dev", environment: "dev", approval: false },
      { stack: "prod", job: "prod", environment: "prod", approval: true },
    ]);
  });
});

describe("pr-comment.yml: the comment goes to the run's own pull request", () => {
  const comment = workflow("pr-comment.yml");
  const job = comment.jobs.comment;
  const check = job.steps.find((s) => s.name === "Which pull request")!;

  it("skips cancelled runs and runs of other events", () => {
    expect(job.if).toBe("github.event.workflow_run.event == 'pull_request' && github.event.workflow_run.conclusion != 'cancelled'");
  });

  it("matches the artifact's number against the run's head repository and head SHA before posting", () => {
    expect(check.env).toMatchObject({ HEAD_SHA: "${{ github.event.workflow_run.head_sha }}", HEAD_REPOSITORY: "${{ github.event.workflow_run.head_repository.full_name }}" });
    expect(check.run).toMatch(/gh api "repos\/\$\{REPOSITORY\}\/pulls\/\$\{number\}"/);
    expect(check.run).toMatch(/if \[ "\$sha" = "\$HEAD_SHA" \] && \[ "\$repository" = "\$HEAD_REPOSITORY" \]; then\n\s+echo "number=\$number" >> "\$GITHUB_OUTPUT"/);
    const post = job.steps.find((s) => (s.uses ?? "").startsWith("marocchino/sticky-pull-request-comment"))!;
    expect(post.if).toBe("steps.pr.outputs.number != ''");
    expect(post.with?.number_force).toBe("${{ steps.pr.outputs.number }}");
  });

  it("has no permission at the workflow level, and never checks out code", () => {
    expect(comment.permissions).toEqual({});
    expect(job.permissions).toEqual({ actions: "read", "pull-requests": "write" });
    expect(JSON.stringify(comment)).not.toMatch(/actions\/checkout/);
  });
});

describe(".ci/run", () => {
  it("runs preflight over every stack", () => {
    expect(fs.readFileSync(path.join(ROOT, ".ci/run"), "utf8")).toMatch(/^npx llmops preflight --plan \.llmops\/plan\/dev\.json --plan \.llmops\/plan\/prod\.json$/m);
  });
});

describe("rollout-analysis.yml", () => {
  const text = fs.readFileSync(path.join(ROOT, ".github/workflows/rollout-analysis.yml"), "utf8");
  const wf = parse(text) as Workflow & { on: Record<string, unknown>; permissions: Record<string, string> };

  it("runs on a schedule and by hand, with only the permissions it uses", () => {
    expect(Object.keys(wf.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    expect(wf.permissions).toEqual({ contents: "write", "pull-requests": "write", "id-token": "write" });
  });

  it("authenticates keylessly before analyzing, and turns verdicts into advance or rollback pull requests", () => {
    const steps = wf.jobs.analyze.steps;
    const auth = indexOf(steps, (s) => (s.uses ?? "").startsWith("google-github-actions/auth@"));
    const run = indexOf(steps, (s) => (s.run ?? "").includes("llmops rollout analyze"));
    expect(auth).toBeGreaterThanOrEqual(0);
    expect(run).toBeGreaterThan(auth);
    const script = steps[run].run!;
    expect(script).toMatch(/0\) npx llmops rollout advance "\$model" --stack "\$stack" --evidence/);
    expect(script).toMatch(/1\) npx llmops rollout rollback "\$model" --stack "\$stack"/);
    expect(script).toContain("gh pr edit");
    expect(script).toContain("gh pr create");
    // Every action is pinned by commit.
    for (const s of steps) if (s.uses) expect(s.uses).toMatch(/@[0-9a-f]{40}$/);
  });
});
