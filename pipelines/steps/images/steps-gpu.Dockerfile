# The GPU steps: the LoRA trainer (the worker of the CustomJob llmops_tuning.lora_job starts) and
# evaluation of open models. vLLM's image brings PyTorch with CUDA, Transformers and vLLM; the
# steps add only standard-library Python, so nothing is installed from PyPI. Built by Cloud Build
# on `pulumi up` (infra/pipelines/images.ts); the base is pinned by digest, its source in
# pipelines/llmops/images.ts (UPSTREAM_IMAGES.vllm).
FROM docker.io/vllm/vllm-openai:v0.14.0@sha256:1d6866b87630d94f5e0cdae55ab5abb4ce0b03fcb84d9d10612f9d518d19d4fd

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/opt/llmops

COPY llmops_common /opt/llmops/llmops_common
COPY llmops_lora /opt/llmops/llmops_lora
COPY llmops_eval /opt/llmops/llmops_eval

WORKDIR /opt/llmops
# vLLM's image starts its server; components and the CustomJob give their own command.
ENTRYPOINT []
CMD ["python3", "-m", "llmops_lora.train", "--help"]
# No GPU on the build machine: import what loads without one.
RUN python3 -c "import torch, transformers, llmops_lora.train, llmops_eval.evaluate"
