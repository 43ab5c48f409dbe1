"""Waiting for Vertex AI jobs and long-running operations, and the ``gcp_resources`` record that
lets Vertex AI Pipelines link to (and cancel) the job a task started."""

from __future__ import annotations

import json
import time
from typing import Any, Callable, Dict

from ..errors import StepError
from ..executor import log

SUCCEEDED = "JOB_STATE_SUCCEEDED"
FAILED_STATES = {"JOB_STATE_FAILED", "JOB_STATE_CANCELLED", "JOB_STATE_EXPIRED", "JOB_STATE_PARTIALLY_SUCCEEDED"}


def wait_for_job(get: Callable[[str], Dict[str, Any]], name: str, what: str, poll_seconds: float = 30.0, timeout_seconds: float = 7 * 86400, sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> Dict[str, Any]:
    """Polls ``get(name)`` until the job ends; its final state on success, else a StepError with
    the job's own error message."""
    deadline = clock() + timeout_seconds
    last = ""
    while True:
        job = get(name)
        state = str(job.get("state", "JOB_STATE_UNSPECIFIED"))
        if state != last:
            log(f"{what} {name}: {state}")
            last = state
        if state == SUCCEEDED:
            return job
        if state in FAILED_STATES:
            error = job.get("error") or {}
            raise StepError(f"{what} {name} ended {state}: {error.get('message', 'no error message')}")
        if clock() > deadline:
            raise StepError(f"{what} {name} still {state} after {timeout_seconds:.0f}s; it keeps running: cancel it or raise the timeout")
        sleep(poll_seconds)


def wait_for_operation(get: Callable[[str], Dict[str, Any]], operation: Dict[str, Any], what: str, poll_seconds: float = 10.0, timeout_seconds: float = 3600.0, sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> Dict[str, Any]:
    """The ``response`` of a long-running operation, once ``done``."""
    deadline = clock() + timeout_seconds
    polled = False
    while not operation.get("done"):
        if clock() > deadline:
            raise StepError(f"{what}: operation {operation.get('name')} not done after {timeout_seconds:.0f}s")
        if polled:
            sleep(poll_seconds)
        polled = True
        operation = get(str(operation.get("name")))
    if "error" in operation:
        error = operation["error"] or {}
        raise StepError(f"{what}: operation {operation.get('name')} failed: {error.get('message', error)}")
    return operation.get("response") or {}


def gcp_resources(resource_type: str, api_host: str, name: str) -> str:
    """The serialised GcpResources proto Google Cloud Pipeline Components write for a job
    (``{"resources": [{"resourceType", "resourceUri"}]}``, kubeflow/pipelines
    ``components/google-cloud/google_cloud_pipeline_components/proto/gcp_resources.proto``)."""
    return json.dumps({"resources": [{"resourceType": resource_type, "resourceUri": f"https://{api_host}/v1/{name}"}]}, sort_keys=True)


def resource_name_from_gcp_resources(text: str, resource_type: str) -> str:
    """The resource name recorded by ``gcp_resources`` (its URI after ``/v1/``)."""
    try:
        resources = json.loads(text)["resources"]
    except (ValueError, KeyError, TypeError):
        raise StepError(f"gcp_resources is not a GcpResources record: {text[:200]!r}") from None
    for resource in resources:
        if resource.get("resourceType") == resource_type:
            uri = str(resource.get("resourceUri", ""))
            if "/v1/" in uri:
                return uri.split("/v1/", 1)[1]
    raise StepError(f"gcp_resources names no {resource_type}: {text[:200]!r}")


def vertex_host(location: str) -> str:
    return "aiplatform.googleapis.com" if location == "global" else f"{location}-aiplatform.googleapis.com"
