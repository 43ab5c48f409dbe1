/**
 * Offline rendering of stacks, the project's public testing helper (like cdk8s `Testing`):
 * `llmops plan`, the tests and the benchmark all go through here.
 */
export { renderInProcess, loadStackInputs, type RenderOptions, type RenderResult } from "./render";
export { renderInWorker, renderStacks, useStackRenderer, type StackRenderer } from "./fork";
export { type Plan, type PlannedResource, type PlannedOptions, planJson, ofType, SECRET, UNKNOWN, type SummarySection } from "../../lib/plan";
export { listStacks, readProjectFile, readStackFile } from "./stack-files";
export { comparePlans, type PlanChange } from "./compare";
export { CAPABILITIES, type Capability, type ComponentRequest, type ComponentResult, subtree } from "./component";
export { renderComponent, type ComponentReply } from "./component-fork";
