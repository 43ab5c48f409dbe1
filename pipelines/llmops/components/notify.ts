/** The exit task: reports how a run ended, whatever happened to the tasks it guards (`llmops_notify`). */

import { component, param, taskFinalStatus } from "../../dsl";
import type { MissionImages } from "../images";

/** Publishes the final status (state, error) to a Pub/Sub topic, or only logs it when none is set. */
export function reportRunStatusComponent(images: MissionImages) {
  return component({
    name: "report_run_status",
    image: images.steps,
    inputs: {
      status: taskFinalStatus(),
      pipeline_name: param.string(),
      topic: param.string({ default: "", description: "projects/…/topics/…; empty only logs the status." }),
    },
    command: ["python3", "-m", "llmops_notify.report"],
    args: ({ inputs }) => ["--status", inputs.status, "--pipeline", inputs.pipeline_name, "--topic", inputs.topic],
  });
}
