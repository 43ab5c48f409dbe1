"""``evaluate_model``: the tuned model answers every held-out example; the answers are scored.

The evaluation file is data preparation's: prompts already formatted with the model version's
template (``llmops_common.prompts``), so the model is asked exactly as it will be in production.
A tuned Gemini model (``tuning_method`` gemini-sft) is called through its endpoint
(``generateContent``); an open model (gemma-lora) is loaded from its ``gs://`` folder onto this
task's GPU. Output: ``score`` (the gated ``metric``) and a ``system.Metrics`` artifact with every
metric as metadata (ROUGE-L, ROUGE-Lsum, exact match, BLEU, and the judge's win rate when
``judge_model`` is set).
"""

from __future__ import annotations

import argparse
from typing import Dict, List, Sequence, Tuple

from llmops_common.errors import StepError
from llmops_common.executor import ExecutorOutput, log, metric_values, parse_executor_input, parse_int, run_step, write_output_parameter
from llmops_common.google import services
from llmops_common.jsonl import read_records, write_json
from llmops_common.prompts import example_parts, generation_request
from llmops_common.storage import expand, local_path

from .judge import win_rate
from .metrics import score_all

METRICS = ("rougeLsum", "rougeL", "exact_match", "bleu", "win_rate")
TUNING_METHODS = ("gemini-sft", "gemma-lora")


def read_eval(uri: str, max_examples: int) -> List[Tuple[str, str]]:
    examples: List[Tuple[str, str]] = []
    for path in expand(uri):
        for line, record in read_records(path):
            try:
                examples.append(example_parts(record))
            except StepError as err:
                raise StepError(err.message, path, line) from None
            if 0 < max_examples <= len(examples):
                return examples
    if not examples:
        raise StepError(f"{uri} has no evaluation examples")
    return examples


def generate(model_uri: str, tuning_method: str, prompts: List[str], max_output_tokens: int) -> List[str]:
    google = services()
    if tuning_method == "gemini-sft":
        if "/endpoints/" not in model_uri:
            raise StepError(f"model_uri {model_uri!r} is not a Vertex AI endpoint; a gemini-sft model is evaluated through its endpoint (projects/P/locations/L/endpoints/E)")
        request_config = {"generationConfig": {"temperature": 0.0, "maxOutputTokens": max_output_tokens}}
        return [google.vertex.generate_content(model_uri, {**generation_request(p), **request_config}) for p in prompts]
    return google.open_model(local_path(model_uri)).generate(prompts, max_output_tokens)


def evaluate(model_uri: str, tuning_method: str, eval_uri: str, metric: str, max_examples: int, judge_model: str, project: str, location: str, max_output_tokens: int = 512) -> Dict[str, float]:
    if tuning_method not in TUNING_METHODS:
        raise StepError(f"tuning_method {tuning_method!r} is unknown; allowed: {', '.join(TUNING_METHODS)}")
    if metric not in METRICS:
        raise StepError(f"metric {metric!r} is unknown; allowed: {', '.join(METRICS)}")
    if metric == "win_rate" and not judge_model:
        raise StepError("metric win_rate needs a judge: set judge_model (e.g. gemini-2.0-flash-001)")
    examples = read_eval(eval_uri, max_examples)
    prompts = [p for p, _ in examples]
    answers = generate(model_uri, tuning_method, prompts, max_output_tokens)
    if len(answers) != len(prompts):
        raise StepError(f"the model returned {len(answers)} answers for {len(prompts)} prompts")
    pairs = [(target, answer) for (_, target), answer in zip(examples, answers)]
    scores = score_all(pairs)
    if judge_model:
        judge = judge_model if judge_model.startswith("projects/") else f"projects/{project}/locations/{location}/publishers/google/models/{judge_model}"
        vertex = services().vertex
        scores.update(win_rate([(p, t, a) for (p, t), a in zip(examples, answers)], lambda text: vertex.generate_content(judge, {**generation_request(text), "generationConfig": {"temperature": 0.0, "maxOutputTokens": 8}})))
    scores["examples"] = float(len(examples))
    for (prompt, target), answer in list(zip(examples, answers))[:3]:
        log(f"example: prompt {prompt[-80:]!r} → {answer[:80]!r} (reference {target[:80]!r})")
    log(" ".join(f"{k}={v:.4f}" for k, v in sorted(scores.items())))
    return scores


def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(prog="llmops_eval.evaluate", description=__doc__)
    parser.add_argument("--model-uri", required=True)
    parser.add_argument("--tuning-method", required=True)
    parser.add_argument("--eval-data", required=True)
    parser.add_argument("--metric", default="rougeLsum")
    parser.add_argument("--max-examples", default="1000")
    parser.add_argument("--judge-model", default="", help="a Gemini model id (or full publisher model name) that judges answers; empty: no win rate")
    parser.add_argument("--project", default="")
    parser.add_argument("--location", default="")
    parser.add_argument("--score-file", required=True)
    parser.add_argument("--metrics", required=True, help="the metrics (system.Metrics) artifact's path")
    parser.add_argument("--executor-input", default="")
    args = parser.parse_args(argv)
    scores = evaluate(args.model_uri, args.tuning_method, args.eval_data, args.metric, parse_int("--max-examples", args.max_examples), args.judge_model, args.project, args.location)
    metrics = metric_values(scores)
    write_output_parameter(args.score_file, metrics[args.metric])
    write_json(args.metrics, metrics)
    if args.executor_input:
        out = ExecutorOutput(parse_executor_input(args.executor_input))
        out.artifact("metrics", metrics)
        out.write()


if __name__ == "__main__":
    raise SystemExit(run_step(main))
