"""``report_run_status``: the exit handler's task. Reads the guarded tasks' final status (KFP's
``PipelineTaskFinalStatus``: ``{"state", "pipelineJobResourceName", "pipelineTaskName",
"error": {"code", "message"}}``, the struct the SDK's ``executor.py`` reads) and logs it; with a
topic, also publishes it to Pub/Sub as JSON, with the state as a message attribute so
subscriptions can filter on failures.
"""

from __future__ import annotations

import argparse
import json
from typing import Any, Dict, Sequence

from llmops_common.errors import StepError
from llmops_common.executor import log, run_step
from llmops_common.google import services

STATES = ("SUCCEEDED", "FAILED", "CANCELLED", "NOT_TRIGGERED")


def parse_status(text: str) -> Dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        raise StepError(f"--status is not JSON: {text[:120]!r}; expected the PipelineTaskFinalStatus struct") from None
    if not isinstance(value, dict) or not isinstance(value.get("state"), str):
        raise StepError(f"--status has no state: {text[:120]!r}; expected the PipelineTaskFinalStatus struct")
    return value


def message(status: Dict[str, Any], pipeline: str) -> Dict[str, Any]:
    error = status.get("error") or {}
    return {
        "pipeline": pipeline,
        "state": status["state"],
        "job": status.get("pipelineJobResourceName") or status.get("pipeline_job_resource_name") or "",
        "task": status.get("pipelineTaskName") or status.get("pipeline_task_name") or "",
        "error": {"code": error.get("code", 0), "message": error.get("message", "")} if error else None,
    }


def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(prog="llmops_notify.report", description=__doc__)
    parser.add_argument("--status", required=True)
    parser.add_argument("--pipeline", required=True)
    parser.add_argument("--topic", default="")
    args = parser.parse_args(argv)
    report = message(parse_status(args.status), args.pipeline)
    reason = f": {report['error']['message']}" if report["error"] and report["error"]["message"] else ""
    log(f"pipeline {args.pipeline} run {report['job'] or '?'} ended {report['state']}{reason}")
    if args.topic:
        data = json.dumps(report, sort_keys=True).encode("utf-8")
        message_id = services().pubsub.publish(args.topic, data, {"pipeline": args.pipeline, "state": report["state"]})
        log(f"published to {args.topic} (message {message_id})")


if __name__ == "__main__":
    raise SystemExit(run_step(main))
