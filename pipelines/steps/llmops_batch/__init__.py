"""Batch prediction: prompts rendered with the model's template (``prepare``), the Vertex AI batch
job (``predict``), and the run manifest (``manifest``)."""
