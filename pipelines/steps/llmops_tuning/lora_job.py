"""``run_lora_job``: LoRA fine-tuning of an open model as a Vertex AI CustomJob on GPUs.

Creates ``projects/P/locations/L/customJobs`` (https://cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.customJobs)
with one worker pool: the machine, accelerator and count the run asked for, the project's GPU
steps image running ``python3 -m llmops_lora.train``, and ``baseOutputDirectory`` set to the
folder ``prepare_lora_job`` chose (Vertex AI then sets ``AIP_MODEL_DIR`` to ``<folder>/model``).
The job runs as the same service account as this task, unless one is given. Records the job in
``gcp_resources`` at once, then waits for it.

This replaces Google Cloud Pipeline Components' ``CustomTrainingJobOp`` launcher: same REST call,
no third image to pin (pipelines/README.md, "Images").
"""

from __future__ import annotations

import argparse
import os
from typing import Any, Dict, List, Sequence

from llmops_common.errors import StepError
from llmops_common.executor import log, parse_float, parse_int, run_step, write_output_parameter
from llmops_common.google import MODE_ENV, services
from llmops_common.google.jobs import gcp_resources, vertex_host, wait_for_job

TRAINER_COMMAND = ["python3", "-m", "llmops_lora.train"]


def custom_job_body(display_name: str, trainer_image: str, trainer_args: List[str], machine_type: str, accelerator_type: str, accelerator_count: int, output_dir: str, service_account: str) -> Dict[str, Any]:
    # Local runs name images locally (nothing is pulled); every real job runs a pinned image.
    if "@sha256:" not in trainer_image and os.environ.get(MODE_ENV) != "fake":
        raise StepError(f"trainer image {trainer_image!r} is not pinned by digest; allowed: REGISTRY/PATH@sha256:<64 hex>")
    if not machine_type:
        raise StepError("machine_type is empty; allowed: a Vertex AI machine type such as g2-standard-12")
    if accelerator_count < 0:
        raise StepError(f"accelerator_count is {accelerator_count}; allowed: 0 or more")
    if not output_dir:
        raise StepError("base_output_directory is empty; allowed: the folder prepare_lora_job chose")
    machine: Dict[str, Any] = {"machineType": machine_type}
    if accelerator_count > 0 and accelerator_type:
        machine.update(acceleratorType=accelerator_type, acceleratorCount=accelerator_count)
    body: Dict[str, Any] = {
        "displayName": display_name,
        "jobSpec": {
            "workerPoolSpecs": [{"machineSpec": machine, "replicaCount": "1", "containerSpec": {"imageUri": trainer_image, "command": list(TRAINER_COMMAND), "args": trainer_args}}],
            "baseOutputDirectory": {"outputUriPrefix": output_dir},
        },
    }
    if service_account:
        body["jobSpec"]["serviceAccount"] = service_account
    return body


def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(prog="llmops_tuning.lora_job", description=__doc__)
    parser.add_argument("--display-name", required=True)
    parser.add_argument("--trainer-image", required=True)
    parser.add_argument("--base-model", required=True)
    parser.add_argument("--train-data", required=True)
    parser.add_argument("--eval-data", required=True)
    parser.add_argument("--epochs", default="3")
    parser.add_argument("--lora-rank", default="16")
    parser.add_argument("--machine-type", required=True)
    parser.add_argument("--accelerator-type", default="")
    parser.add_argument("--accelerator-count", default="0")
    parser.add_argument("--base-output-dir", required=True)
    parser.add_argument("--project", required=True)
    parser.add_argument("--location", required=True)
    parser.add_argument("--service-account", default="", help="the job's account; empty: the account this task runs as")
    parser.add_argument("--gcp-resources", required=True)
    parser.add_argument("--poll-seconds", default="60")
    args = parser.parse_args(argv)
    epochs, rank = parse_int("--epochs", args.epochs), parse_int("--lora-rank", args.lora_rank)
    if epochs < 1 or rank < 1:
        raise StepError(f"epochs {epochs} and lora_rank {rank} must both be 1 or more")
    google = services()
    account = args.service_account or google.service_account_email()
    trainer_args = [f"--base-model={args.base_model}", f"--train-data={args.train_data}", f"--eval-data={args.eval_data}", f"--epochs={epochs}", f"--lora-rank={rank}"]
    body = custom_job_body(args.display_name, args.trainer_image, trainer_args, args.machine_type, args.accelerator_type, parse_int("--accelerator-count", args.accelerator_count), args.base_output_dir, account)
    job = google.vertex.create_custom_job(f"projects/{args.project}/locations/{args.location}", body)
    name = str(job["name"])
    write_output_parameter(args.gcp_resources, gcp_resources("CustomJob", vertex_host(args.location), name))
    log(f"CustomJob {name} created: {args.machine_type} with {body['jobSpec']['workerPoolSpecs'][0]['machineSpec'].get('acceleratorCount', 0)} x {args.accelerator_type or 'no accelerator'}, as {account}")
    wait_for_job(google.vertex.get_custom_job, name, "CustomJob", poll_seconds=parse_float("--poll-seconds", args.poll_seconds))


if __name__ == "__main__":
    raise SystemExit(run_step(main))
