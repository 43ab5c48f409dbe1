# The CPU steps of the mission pipelines: standard-library Python, nothing installed from PyPI.
# Built by Cloud Build on `pulumi up` (infra/pipelines/images.ts) with pipelines/steps as the
# context. The base is pinned by digest; its source is in pipelines/llmops/images.ts
# (UPSTREAM_IMAGES.python). Components run `python3 -m <module>`.
FROM docker.io/library/python:3.11.15-slim-bookworm@sha256:d29f48a31a8b408ed19272ca1e7b10ebae13b240a27e862d3d4217c528e2e0c3

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/opt/llmops

COPY llmops_common /opt/llmops/llmops_common
COPY llmops_data /opt/llmops/llmops_data
COPY llmops_tuning /opt/llmops/llmops_tuning
COPY llmops_eval /opt/llmops/llmops_eval
COPY llmops_registry /opt/llmops/llmops_registry
COPY llmops_batch /opt/llmops/llmops_batch
COPY llmops_notify /opt/llmops/llmops_notify

WORKDIR /opt/llmops
# Every module must import in the image, or the build fails here rather than in a pipeline run.
RUN python3 -c "import llmops_common.google.real, llmops_data.split, llmops_data.export_bigquery, llmops_tuning.gemini_sft, llmops_tuning.plan_lora, llmops_tuning.lora_job, llmops_tuning.publish_lora, llmops_eval.evaluate, llmops_registry.register, llmops_registry.resolve, llmops_batch.prepare, llmops_batch.predict, llmops_batch.manifest, llmops_notify.report"
