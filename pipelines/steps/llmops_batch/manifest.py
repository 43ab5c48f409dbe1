"""``write_run_manifest``: ``<output_uri_prefix>/<job_name>/_MANIFEST.json`` once every batch job of
the run is done: the model, the inputs, the job, and every prediction file under that folder with
its size and SHA-256, so downstream readers can check they read the whole, unaltered output.
"""

from __future__ import annotations

import argparse
import hashlib
import os
from typing import Any, Dict, List, Sequence

from llmops_common.errors import StepError
from llmops_common.executor import log, parse_json_list, run_step
from llmops_common.jsonl import write_json
from llmops_common.storage import join, local_path, to_uri

MANIFEST = "_MANIFEST.json"


def files_under(folder: str) -> List[Dict[str, Any]]:
    root = local_path(folder)
    if not os.path.isdir(root):
        raise StepError(f"{folder} does not exist: no batch job wrote predictions for this run")
    found: List[Dict[str, Any]] = []
    for directory, _, names in sorted(os.walk(root)):
        for name in sorted(names):
            if name == MANIFEST:
                continue
            path = os.path.join(directory, name)
            digest = hashlib.sha256()
            with open(path, "rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
            found.append({"uri": to_uri(path), "bytes": os.path.getsize(path), "sha256": digest.hexdigest()})
    return sorted(found, key=lambda f: f["uri"])


def manifest(output_prefix: str, model: str, inputs: List[str], job_name: str) -> Dict[str, Any]:
    folder = join(output_prefix, job_name)
    files = files_under(folder)
    if not files:
        raise StepError(f"{folder} holds no prediction files")
    return {"job": job_name, "model": model, "inputs": inputs, "outputs": files}


def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(prog="llmops_batch.manifest", description=__doc__)
    parser.add_argument("--output-uri-prefix", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--inputs", required=True, help="the run's input_uris, a JSON list")
    parser.add_argument("--job-name", required=True)
    args = parser.parse_args(argv)
    document = manifest(args.output_uri_prefix, args.model, [str(i) for i in parse_json_list("--inputs", args.inputs)], args.job_name)
    target = join(args.output_uri_prefix, args.job_name, MANIFEST)
    write_json(local_path(target), document)
    log(f"wrote {target}: {len(document['outputs'])} files")


if __name__ == "__main__":
    raise SystemExit(run_step(main))
