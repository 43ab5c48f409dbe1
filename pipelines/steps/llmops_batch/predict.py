"""``batch_predict``: a Vertex AI batch prediction job over one input's instances
(https://cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.batchPredictionJobs).

Predictions go under ``<output_uri_prefix>/<job_display_name>/``, where the run's manifest finds
them. A model with its own container (``instanceFormat`` prompt, from ``resolve_model``) runs on
the dedicated machines given; a tuned Gemini model takes ``{"request": …}`` lines and no machines,
so the instances are rewritten to that form first.
"""

from __future__ import annotations

import argparse
from typing import Any, Dict, Sequence

from llmops_common.errors import StepError
from llmops_common.executor import ExecutorOutput, input_artifact, log, parse_executor_input, parse_int, run_step, write_output_parameter
from llmops_common.google import services
from llmops_common.google.jobs import gcp_resources, vertex_host, wait_for_job
from llmops_common.hashing import sha256_hex
from llmops_common.jsonl import read_records, write_records
from llmops_common.prompts import generation_request
from llmops_common.storage import expand, join, local_path


def job_body(display_name: str, model: str, source_uri: str, output_prefix: str, instance_format: str, machine_type: str, accelerator_type: str, accelerator_count: int, max_replicas: int) -> Dict[str, Any]:
    body: Dict[str, Any] = {
        "displayName": display_name,
        "model": model,
        "inputConfig": {"instancesFormat": "jsonl", "gcsSource": {"uris": [source_uri]}},
        "outputConfig": {"predictionsFormat": "jsonl", "gcsDestination": {"outputUriPrefix": output_prefix}},
    }
    if instance_format == "prompt":
        if max_replicas < 1:
            raise StepError(f"max_replica_count is {max_replicas}; allowed: 1 or more")
        machine: Dict[str, Any] = {"machineType": machine_type}
        if accelerator_type and accelerator_count > 0:
            machine.update(acceleratorType=accelerator_type, acceleratorCount=accelerator_count)
        body["dedicatedResources"] = {"machineSpec": machine, "startingReplicaCount": 1, "maxReplicaCount": max_replicas}
        body["instanceConfig"] = {"keyField": "key"}
    elif instance_format != "gemini":
        raise StepError(f"the model's instanceFormat is {instance_format!r}; allowed: prompt, gemini")
    return body


def gemini_requests(instances_uri: str, out_uri: str) -> int:
    """Rewrites ``{"key", "prompt"}`` instances as Gemini batch requests."""
    def requests():
        for path in expand(instances_uri):
            for _, instance in read_records(path):
                yield {"request": generation_request(str(instance.get("prompt", "")))}

    return write_records(local_path(out_uri), requests())


def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(prog="llmops_batch.predict", description=__doc__)
    parser.add_argument("--model", required=True, help="the model version's resource name")
    parser.add_argument("--instances", required=True, help="the instances artifact's URI")
    parser.add_argument("--output-uri-prefix", required=True)
    parser.add_argument("--display-name", required=True)
    parser.add_argument("--machine-type", default="g2-standard-12")
    parser.add_argument("--accelerator-type", default="NVIDIA_L4")
    parser.add_argument("--accelerator-count", default="1")
    parser.add_argument("--max-replica-count", default="2")
    parser.add_argument("--project", required=True)
    parser.add_argument("--location", required=True)
    parser.add_argument("--predictions-uri-file", required=True)
    parser.add_argument("--gcp-resources", required=True)
    parser.add_argument("--executor-input", required=True)
    parser.add_argument("--poll-seconds", default="60")
    args = parser.parse_args(argv)
    executor_input = parse_executor_input(args.executor_input)
    if not args.model.startswith("projects/"):
        raise StepError(f"model {args.model!r} is not a model version's resource name (resolve_model's metadata.resourceName)")
    instance_format = str((input_artifact(executor_input, "model").get("metadata") or {}).get("instanceFormat", "prompt"))
    output = join(args.output_uri_prefix, args.display_name)
    source = args.instances
    if instance_format == "gemini":
        source = join(output, "requests", f"{sha256_hex(args.instances)[:16]}.jsonl")
        log(f"rewrote {gemini_requests(args.instances, source)} instances as Gemini requests in {source}")
    body = job_body(f"{args.display_name}-{sha256_hex(args.instances)[:8]}", args.model, source, output, instance_format, args.machine_type, args.accelerator_type, parse_int("--accelerator-count", args.accelerator_count), parse_int("--max-replica-count", args.max_replica_count))
    vertex = services().vertex
    job = vertex.create_batch_prediction_job(f"projects/{args.project}/locations/{args.location}", body)
    name = str(job["name"])
    write_output_parameter(args.gcp_resources, gcp_resources("BatchPredictionJob", vertex_host(args.location), name))
    done = wait_for_job(vertex.get_batch_prediction_job, name, "batch prediction job", poll_seconds=float(args.poll_seconds))
    directory = (done.get("outputInfo") or {}).get("gcsOutputDirectory") or output
    write_output_parameter(args.predictions_uri_file, directory)
    out = ExecutorOutput(executor_input)
    out.artifact("batch_job", {"resourceName": name, "gcsOutputDirectory": directory}, uri=f"https://{vertex_host(args.location)}/v1/{name}")
    out.write()
    log(f"predictions of {args.model} in {directory}")


if __name__ == "__main__":
    raise SystemExit(run_step(main))
