"""``publish_lora_model``: checks the LoRA CustomJob succeeded and left merged weights in
``<base_output_directory>/model`` (Vertex AI's ``AIP_MODEL_DIR``), then publishes that folder as
the branch's model: its URI as ``model_uri`` and a model card as the ``system.Model`` artifact.
"""

from __future__ import annotations

import argparse
import os
from typing import Any, Dict, List, Sequence

from llmops_common.errors import StepError
from llmops_common.executor import log, run_step, write_output_parameter
from llmops_common.fake_model import FILE_NAME
from llmops_common.google import services
from llmops_common.google.jobs import SUCCEEDED, resource_name_from_gcp_resources
from llmops_common.jsonl import write_json
from llmops_common.storage import join, local_path

WEIGHT_SUFFIXES = (".safetensors",)


def weight_files(model_dir: str) -> List[str]:
    """The files that make a loadable model folder: ``config.json`` and safetensors shards (what
    ``save_pretrained`` writes), or the local fakes' model file."""
    path = local_path(model_dir)
    if not os.path.isdir(path):
        raise StepError(f"{model_dir} does not exist: the CustomJob wrote no model (expected merged weights in AIP_MODEL_DIR)")
    names = sorted(os.listdir(path))
    if FILE_NAME in names:
        return [FILE_NAME]
    shards = [n for n in names if n.endswith(WEIGHT_SUFFIXES)]
    if "config.json" not in names or not shards:
        raise StepError(f"{model_dir} holds {', '.join(names) or 'nothing'}; expected config.json and *.safetensors (save_pretrained output)")
    return ["config.json", *shards]


def model_card(job_name: str, model_dir: str, base_model: str, files: List[str]) -> Dict[str, Any]:
    return {"baseModel": base_model, "customJob": job_name, "method": "lora", "modelUri": model_dir, "files": files}


def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(prog="llmops_tuning.publish_lora", description=__doc__)
    parser.add_argument("--gcp-resources", required=True)
    parser.add_argument("--job-output-dir", required=True)
    parser.add_argument("--base-model", required=True)
    parser.add_argument("--model-uri-file", required=True)
    parser.add_argument("--model-card", required=True)
    args = parser.parse_args(argv)
    name = resource_name_from_gcp_resources(args.gcp_resources, "CustomJob")
    job = services().vertex.get_custom_job(name)
    if job.get("state") != SUCCEEDED:
        raise StepError(f"CustomJob {name} is {job.get('state')}, not {SUCCEEDED}: {(job.get('error') or {}).get('message', 'no error message')}")
    model_dir = join(args.job_output_dir, "model")
    files = weight_files(model_dir)
    write_json(args.model_card, model_card(name, model_dir, args.base_model, files))
    write_output_parameter(args.model_uri_file, model_dir)
    log(f"published {model_dir} ({len(files)} files) from {name}")


if __name__ == "__main__":
    raise SystemExit(run_step(main))
