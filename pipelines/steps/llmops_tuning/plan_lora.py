"""``prepare_lora_job``: a fresh output folder for one LoRA run, ``<models bucket>/<model>/lora/<job>``.

The CustomJob writes its merged weights under it (``<folder>/model``), so concurrent or repeated
runs (each has its own pipeline job name) never overwrite each other's weights, and the models
bucket's versioning keeps whatever is overwritten by hand.
"""

from __future__ import annotations

import argparse
import re
from typing import Sequence

from llmops_common.errors import StepError
from llmops_common.executor import log, run_step, write_output_parameter
from llmops_common.storage import join

SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


def output_folder(model_bucket: str, display_name: str, job_name: str) -> str:
    if not model_bucket:
        raise StepError("model_bucket_uri is empty; allowed: gs://<models bucket>[/prefix]")
    for what, value in (("tuned_model_display_name", display_name), ("job_name", job_name)):
        if not SEGMENT.match(value):
            raise StepError(f"{what} {value!r} cannot name a folder; allowed: letters, digits, '.', '_' and '-', starting with a letter or digit")
    return join(model_bucket, display_name, "lora", job_name)


def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(prog="llmops_tuning.plan_lora", description=__doc__)
    parser.add_argument("--model-bucket", required=True)
    parser.add_argument("--display-name", required=True)
    parser.add_argument("--job-name", required=True)
    parser.add_argument("--output-dir-file", required=True)
    args = parser.parse_args(argv)
    folder = output_folder(args.model_bucket, args.display_name, args.job_name)
    write_output_parameter(args.output_dir_file, folder)
    log(f"LoRA run writes under {folder}")


if __name__ == "__main__":
    raise SystemExit(run_step(main))
