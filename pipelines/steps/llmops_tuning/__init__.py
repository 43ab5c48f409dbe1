"""Tuning: Gemini supervised tuning through the Vertex AI tuning-jobs API (``gemini_sft``), and
LoRA fine-tuning of an open model as a Vertex AI CustomJob (``plan_lora``, ``lora_job``,
``publish_lora``; the worker itself is ``llmops_lora.train``)."""
