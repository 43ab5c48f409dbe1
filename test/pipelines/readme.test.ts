import { expect } from "vitest";
import { ofType } from "../../lib/plan";
import { describeReadme } from "../helpers/readme-suite";

// The schedule runs a template of its own, by digest, not the pipeline's: as the README says.
describeReadme("infra/pipelines/README.md", "pipelines", (_example, plan) => {
  const [schedule] = ofType(plan, "gcp:colab/schedule:Schedule");
  const job = (schedule.inputs.createPipelineJobRequest as { pipelineJob: { templateUri: string } }).pipelineJob;
  const outputs = plan.outputs.pipelines as { templates: Record<string, string>; scheduleTemplates: Record<string, string> };
  expect(job.templateUri).toMatch(/\/tune-and-evaluate\/sha256:[0-9a-f]{64}$/);
  expect(job.templateUri).toBe(outputs.scheduleTemplates["weekly-retune"]);
  expect(job.templateUri).not.toBe(outputs.templates["tune-and-evaluate"]);
});
