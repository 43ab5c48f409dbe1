"""What every pipeline step shares: the KFP executor protocol, storage paths, JSONL with
file:line errors, the one prompt-formatting implementation, and the narrow interface to the
Google APIs the steps call (real over REST, or local fakes under ``LLMOPS_GOOGLE=fake``).

Standard library only: the images need no packages from PyPI (see pipelines/README.md).
"""
