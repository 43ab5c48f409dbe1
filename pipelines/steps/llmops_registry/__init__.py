"""Vertex AI Model Registry: register a version that passed the gate (``register``), resolve a
model name to the version a batch run uses (``resolve``)."""
