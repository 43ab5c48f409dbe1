"""``register_model_version``: the model that passed the evaluation gate becomes a Model Registry
version with the ``candidate`` alias (the pipeline runs this step only when the score reached
``min_eval_score``).

- gemma-lora: ``models.upload`` of the weights folder, served by ``serving_image_uri``, as a new
  version of ``parent_model`` when one is given (https://cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.models/upload).
- gemini-sft: the tuning job already registered the tuned model; the version behind the tuned
  endpoint gets the aliases (``models.mergeVersionAliases``). ``parent_model`` does not apply.

The version's description records the evaluation metrics. Outputs a ``google.VertexModel``
artifact (``metadata.resourceName`` = ``projects/P/locations/L/models/M@VERSION``, as Google Cloud
Pipeline Components write it) and that name as ``model_version_name``.
"""

from __future__ import annotations

import argparse
import json
import os
from typing import Any, Dict, List, Sequence

from llmops_common.errors import StepError
from llmops_common.executor import ExecutorOutput, log, parse_executor_input, parse_float, parse_json_list, run_step, write_output_parameter
from llmops_common.google import services
from llmops_common.google.jobs import vertex_host, wait_for_operation
from llmops_common.storage import local_path


def read_metrics(uri: str) -> Dict[str, Any]:
    """The evaluation's metrics file (written by ``llmops_eval.evaluate``); empty if absent."""
    path = local_path(uri)
    if not os.path.isfile(path):
        return {}
    try:
        with open(path, "r", encoding="utf-8") as handle:
            value = json.load(handle)
    except ValueError:
        raise StepError("is not the evaluation's metrics JSON", uri) from None
    return value if isinstance(value, dict) else {}


def description(eval_score: float, metrics: Dict[str, Any]) -> str:
    shown = ", ".join(f"{k}={v:.4f}" for k, v in sorted(metrics.items()) if isinstance(v, (int, float)) and not isinstance(v, bool))
    return f"llmops: evaluation score {eval_score:.4f}" + (f" ({shown})" if shown else "")


def upload_body(display_name: str, model_uri: str, serving_image: str, parent_model: str, aliases: List[str], text: str) -> Dict[str, Any]:
    if not serving_image:
        raise StepError("serving_image_uri is empty; an open model needs a serving container (e.g. the project's vLLM image, pinned by digest)")
    if "@sha256:" not in serving_image:
        raise StepError(f"serving_image_uri {serving_image!r} is not pinned by digest; allowed: REGISTRY/PATH@sha256:<64 hex>")
    body: Dict[str, Any] = {"model": {"displayName": display_name, "artifactUri": model_uri, "containerSpec": {"imageUri": serving_image}, "versionAliases": aliases, "versionDescription": text}}
    if parent_model:
        body["parentModel"] = parent_model
    return body


def register(model_uri: str, tuning_method: str, display_name: str, parent_model: str, serving_image: str, eval_score: float, metrics: Dict[str, Any], aliases: List[str], project: str, location: str) -> str:
    vertex = services().vertex
    text = description(eval_score, metrics)
    if tuning_method == "gemini-sft":
        endpoint = vertex.get_endpoint(model_uri)
        deployed = (endpoint.get("deployedModels") or [None])[0]
        if not deployed or not deployed.get("model"):
            raise StepError(f"endpoint {model_uri} has no deployed model to register")
        name = f"{deployed['model']}@{deployed.get('modelVersionId', '1')}"
        if parent_model:
            log(f"parent_model {parent_model} is not used for gemini-sft: the tuning job registered {name}")
        vertex.merge_version_aliases(name, aliases)
    elif tuning_method == "gemma-lora":
        operation = vertex.upload_model(f"projects/{project}/locations/{location}", upload_body(display_name, model_uri, serving_image, parent_model, aliases, text))
        response = wait_for_operation(vertex.get_operation, operation, "models.upload")
        name = f"{response['model']}@{response.get('modelVersionId', '1')}"
    else:
        raise StepError(f"tuning_method {tuning_method!r} is unknown; allowed: gemini-sft, gemma-lora")
    log(f"registered {name} with aliases {', '.join(aliases) or 'none'} ({text})")
    return name


def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(prog="llmops_registry.register", description=__doc__)
    parser.add_argument("--model-uri", required=True)
    parser.add_argument("--tuning-method", required=True)
    parser.add_argument("--display-name", required=True)
    parser.add_argument("--parent-model", default="")
    parser.add_argument("--serving-image", default="")
    parser.add_argument("--eval-score", required=True)
    parser.add_argument("--metrics", default="", help="the evaluation's metrics artifact URI")
    parser.add_argument("--version-aliases", default='["candidate"]')
    parser.add_argument("--project", required=True)
    parser.add_argument("--location", required=True)
    parser.add_argument("--executor-input", required=True)
    parser.add_argument("--version-name-file", required=True)
    args = parser.parse_args(argv)
    executor_input = parse_executor_input(args.executor_input)
    aliases = [str(a) for a in parse_json_list("--version-aliases", args.version_aliases)]
    metrics = read_metrics(args.metrics) if args.metrics else {}
    name = register(args.model_uri, args.tuning_method, args.display_name, args.parent_model, args.serving_image, parse_float("--eval-score", args.eval_score), metrics, aliases, args.project, args.location)
    out = ExecutorOutput(executor_input)
    out.artifact("model", {"resourceName": name}, uri=f"https://{vertex_host(args.location)}/v1/{name}")
    out.write()
    write_output_parameter(args.version_name_file, name)


if __name__ == "__main__":
    raise SystemExit(run_step(main))
