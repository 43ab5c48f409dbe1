"""Data preparation: BigQuery export to JSONL (``export_bigquery``) and the deduplicated,
deterministic train/evaluation split in the tuning format (``split``)."""
