"""``tune_gemini``: supervised tuning of a Gemini model through the Vertex AI tuning-jobs API.

Creates ``projects/P/locations/L/tuningJobs`` with the train and evaluation files data
preparation wrote (https://cloud.google.com/vertex-ai/generative-ai/docs/reference/rest/v1/projects.locations.tuningJobs),
records the job in ``gcp_resources`` at once (so Vertex AI Pipelines can link and cancel it),
waits for it, and outputs the tuned model's endpoint, which evaluation calls.
"""

from __future__ import annotations

import argparse
from typing import Any, Dict, Sequence

from llmops_common.errors import StepError
from llmops_common.executor import log, parse_float, parse_int, run_step, write_output_parameter
from llmops_common.google import services
from llmops_common.google.jobs import gcp_resources, vertex_host, wait_for_job


def tuning_job_body(base_model: str, train_uri: str, eval_uri: str, display_name: str, epochs: int, learning_rate_multiplier: float) -> Dict[str, Any]:
    if not base_model:
        raise StepError("base_model is empty; allowed: a Gemini model id such as gemini-2.0-flash-001")
    for name, uri in (("train_data_uri", train_uri), ("eval_data_uri", eval_uri)):
        if not uri:
            raise StepError(f"{name} is empty; allowed: the gs:// JSONL data preparation wrote")
    if epochs < 1:
        raise StepError(f"epochs is {epochs}; allowed: 1 or more")
    if learning_rate_multiplier <= 0:
        raise StepError(f"learning_rate_multiplier is {learning_rate_multiplier}; allowed: more than 0")
    return {
        "baseModel": base_model,
        "tunedModelDisplayName": display_name,
        "supervisedTuningSpec": {
            "trainingDatasetUri": train_uri,
            "validationDatasetUri": eval_uri,
            "hyperParameters": {"epochCount": str(epochs), "learningRateMultiplier": learning_rate_multiplier},
        },
    }


def tune(project: str, location: str, body: Dict[str, Any], gcp_resources_file: str, poll_seconds: float = 60.0) -> str:
    vertex = services().vertex
    job = vertex.create_tuning_job(f"projects/{project}/locations/{location}", body)
    name = str(job["name"])
    write_output_parameter(gcp_resources_file, gcp_resources("TuningJob", vertex_host(location), name))
    log(f"tuning job {name} created for {body['baseModel']}")
    done = wait_for_job(vertex.get_tuning_job, name, "tuning job", poll_seconds=poll_seconds)
    endpoint = (done.get("tunedModel") or {}).get("endpoint")
    if not endpoint:
        raise StepError(f"tuning job {name} succeeded without a tuned model endpoint")
    log(f"tuned model {(done.get('tunedModel') or {}).get('model', '?')} serves at {endpoint}")
    return str(endpoint)


def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(prog="llmops_tuning.gemini_sft", description=__doc__)
    parser.add_argument("--base-model", required=True)
    parser.add_argument("--train-data", required=True)
    parser.add_argument("--eval-data", required=True)
    parser.add_argument("--display-name", required=True)
    parser.add_argument("--epochs", default="3")
    parser.add_argument("--learning-rate-multiplier", default="1.0")
    parser.add_argument("--project", required=True)
    parser.add_argument("--location", required=True)
    parser.add_argument("--model-uri-file", required=True)
    parser.add_argument("--gcp-resources", required=True)
    parser.add_argument("--poll-seconds", default="60")
    args = parser.parse_args(argv)
    body = tuning_job_body(args.base_model, args.train_data, args.eval_data, args.display_name, parse_int("--epochs", args.epochs), parse_float("--learning-rate-multiplier", args.learning_rate_multiplier))
    endpoint = tune(args.project, args.location, body, args.gcp_resources, parse_float("--poll-seconds", args.poll_seconds))
    write_output_parameter(args.model_uri_file, endpoint)


if __name__ == "__main__":
    raise SystemExit(run_step(main))
