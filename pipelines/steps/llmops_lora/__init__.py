"""The LoRA trainer: the worker of the CustomJob ``llmops_tuning.lora_job`` starts, in the GPU image."""
