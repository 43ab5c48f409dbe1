"""``resolve_model``: a model name (``projects/P/locations/L/models/M``, or ``M``, each optionally
``@version`` or ``@alias``) to the exact version a batch run uses, published as a
``google.VertexModel`` artifact: ``metadata.resourceName`` = ``…/models/M@VERSION`` (what the
batch job takes) and ``instanceFormat``: ``gemini`` for a tuned Gemini model (no serving
container: Vertex AI serves it), ``prompt`` for a model with its own container.
"""

from __future__ import annotations

import argparse
from typing import Any, Dict, Sequence

from llmops_common.errors import StepError
from llmops_common.executor import ExecutorOutput, log, parse_executor_input, run_step
from llmops_common.google import services
from llmops_common.google.jobs import vertex_host


def full_name(model_name: str, project: str, location: str) -> str:
    if not model_name:
        raise StepError("model_name is empty; allowed: projects/P/locations/L/models/M[@version|alias]")
    if model_name.startswith("projects/"):
        return model_name
    if "/" in model_name:
        raise StepError(f"model_name {model_name!r} is neither a full name nor a model id; allowed: projects/P/locations/L/models/M[@alias] or M[@alias]")
    return f"projects/{project}/locations/{location}/models/{model_name}"


def resolve(model_name: str, project: str, location: str) -> Dict[str, Any]:
    name = full_name(model_name, project, location)
    model = services().vertex.get_model(name)
    version = str(model.get("versionId") or "1")
    resource = f"{model['name']}@{version}"
    kind = "prompt" if (model.get("containerSpec") or {}).get("imageUri") else "gemini"
    log(f"{model_name} is {resource} ({kind} instances)")
    return {"resourceName": resource, "instanceFormat": kind, "displayName": model.get("displayName", "")}


def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(prog="llmops_registry.resolve", description=__doc__)
    parser.add_argument("--model-name", required=True)
    parser.add_argument("--project", required=True)
    parser.add_argument("--location", required=True)
    parser.add_argument("--executor-input", required=True)
    args = parser.parse_args(argv)
    executor_input = parse_executor_input(args.executor_input)
    metadata = resolve(args.model_name, args.project, args.location)
    out = ExecutorOutput(executor_input)
    out.artifact("model", metadata, uri=f"https://{vertex_host(args.location)}/v1/{metadata['resourceName']}")
    out.write()


if __name__ == "__main__":
    raise SystemExit(run_step(main))
