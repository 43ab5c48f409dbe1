"""``split_dataset``: JSONL records to the tuning pipeline's train and evaluation files.

Every record is validated (a JSON object with a non-empty text field and a target), its prompt
formatted with the model version's template (``llmops_common.prompts``, the same code evaluation
and batch prediction use), duplicates dropped, and each example sent to train or evaluation by a
hash of the seed and its prompt, so a rerun on the same data splits identically and adding
examples never moves old ones across. Output: ``<output_prefix>/<run_id>/train.jsonl`` and
``evaluation.jsonl`` in the supervised-tuning format, their URIs as output parameters, and the
counts as a ``system.Metrics`` artifact.
"""

from __future__ import annotations

import argparse
from typing import Any, Dict, List, Sequence, Tuple

from llmops_common.errors import StepError
from llmops_common.executor import ExecutorOutput, log, metric_values, parse_executor_input, parse_float, parse_int, run_step, write_output_parameter
from llmops_common.hashing import normalise, sha256_hex, unit_interval
from llmops_common.jsonl import read_records, write_json, write_records
from llmops_common.prompts import format_prompt, template_fields, tuning_example
from llmops_common.storage import expand, join, local_path, to_uri

RUN_ID_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_.")


def _target_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        raise StepError(f"is {type(value).__name__}; allowed: text or a number")
    return str(value)


def load_examples(files: Sequence[str], text_field: str, target_field: str, template: str) -> Tuple[List[Dict[str, Any]], Dict[str, int]]:
    """Examples in input order with their dedupe key; duplicates (same normalised prompt) dropped."""
    template_fields(template)  # a malformed template fails before any data is read
    seen: Dict[str, str] = {}
    examples: List[Dict[str, Any]] = []
    stats = {"rows_read": 0, "duplicates_dropped": 0, "conflicting_duplicates": 0}
    for path in files:
        shown = to_uri(path)
        for line, record in read_records(path):
            stats["rows_read"] += 1
            text = record.get(text_field)
            if not isinstance(text, str) or not text.strip():
                got = "missing" if text_field not in record else f"{type(text).__name__} {text!r}"[:80]
                raise StepError(f"text field {text_field!r} must be non-empty text, got {got}", shown, line)
            if target_field not in record or record[target_field] is None:
                raise StepError(f"target field {target_field!r} is missing", shown, line)
            try:
                target = _target_text(record[target_field])
            except StepError as err:
                raise StepError(f"target field {target_field!r} {err.message}", shown, line) from None
            try:
                prompt = format_prompt(template, record, text_field)
            except StepError as err:
                raise StepError(err.message, shown, line) from None
            if not target.strip():
                raise StepError(f"target field {target_field!r} is empty", shown, line)
            key = sha256_hex(normalise(prompt))
            if key in seen:
                stats["duplicates_dropped"] += 1
                if seen[key] != normalise(target):
                    stats["conflicting_duplicates"] += 1
                continue
            seen[key] = normalise(target)
            examples.append({"key": key, "prompt": prompt, "target": target})
    return examples, stats


def split(examples: Sequence[Dict[str, Any]], eval_fraction: float, seed: int) -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
    train: List[Dict[str, Any]] = []
    evaluation: List[Dict[str, Any]] = []
    for example in examples:
        (evaluation if unit_interval(seed, example["key"]) < eval_fraction else train).append(example)
    return train, evaluation


def run(input_uri: str, output_prefix: str, run_id: str, text_field: str, target_field: str, template: str, eval_fraction: float, seed: int, max_examples: int) -> Dict[str, Any]:
    if not 0 < eval_fraction < 1:
        raise StepError(f"eval_fraction is {eval_fraction}; allowed: more than 0 and less than 1")
    if max_examples < 0:
        raise StepError(f"max_examples is {max_examples}; allowed: 0 (keep every example) or more")
    if not run_id or not set(run_id.lower()) <= RUN_ID_CHARS or run_id.startswith("."):
        raise StepError(f"run_id {run_id!r} is not a folder name; allowed: letters, digits, '-', '_' and '.'")
    examples, stats = load_examples(expand(input_uri), text_field, target_field, template)
    if max_examples:
        examples = examples[:max_examples]
    train, evaluation = split(examples, eval_fraction, seed)
    if not train or not evaluation:
        raise StepError(f"the split left {len(train)} train and {len(evaluation)} evaluation examples out of {len(examples)} (eval_fraction {eval_fraction}); allowed: both non-empty: add data or change eval_fraction")
    folder = join(output_prefix, run_id)
    train_uri, eval_uri = join(folder, "train.jsonl"), join(folder, "evaluation.jsonl")
    write_records(local_path(train_uri), (tuning_example(e["prompt"], e["target"]) for e in train))
    write_records(local_path(eval_uri), (tuning_example(e["prompt"], e["target"]) for e in evaluation))
    stats.update(examples=len(examples), train_examples=len(train), eval_examples=len(evaluation))
    log(f"split {len(examples)} examples ({stats['duplicates_dropped']} duplicates dropped): {len(train)} to {train_uri}, {len(evaluation)} to {eval_uri}")
    return {"train_uri": train_uri, "eval_uri": eval_uri, "stats": stats}


def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(prog="llmops_data.split", description=__doc__)
    parser.add_argument("--input", required=True, help="the dataset artifact's URI: a file, folder or glob of JSONL")
    parser.add_argument("--output-prefix", required=True)
    parser.add_argument("--run-id", required=True)
    parser.add_argument("--text-field", default="text")
    parser.add_argument("--target-field", default="target")
    parser.add_argument("--prompt-template", default="{text}")
    parser.add_argument("--eval-fraction", default="0.1")
    parser.add_argument("--seed", default="42")
    parser.add_argument("--max-examples", default="0")
    parser.add_argument("--train-uri-file", required=True)
    parser.add_argument("--eval-uri-file", required=True)
    parser.add_argument("--stats", required=True, help="the stats (system.Metrics) artifact's path")
    parser.add_argument("--executor-input", default="", help="{{$}}: lets the step set the metrics' metadata")
    args = parser.parse_args(argv)
    result = run(
        args.input,
        args.output_prefix,
        args.run_id,
        args.text_field,
        args.target_field,
        args.prompt_template,
        parse_float("--eval-fraction", args.eval_fraction),
        parse_int("--seed", args.seed),
        parse_int("--max-examples", args.max_examples),
    )
    write_output_parameter(args.train_uri_file, result["train_uri"])
    write_output_parameter(args.eval_uri_file, result["eval_uri"])
    metrics = metric_values(result["stats"])
    write_json(args.stats, metrics)
    if args.executor_input:
        out = ExecutorOutput(parse_executor_input(args.executor_input))
        out.artifact("stats", metrics)
        out.write()


if __name__ == "__main__":
    raise SystemExit(run_step(main))
