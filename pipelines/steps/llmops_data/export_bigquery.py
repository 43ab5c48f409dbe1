"""``export_bigquery``: a BigQuery table to one JSONL file, one object per row with every column.

Command line (pipelines/llmops/components/data.ts): ``--source-uri bq://P.D.T --text-field F
--target-field F --max-examples N --project P --output <dataset artifact path>``. Rows whose
text or target column is empty are errors naming the row, so bad data stops here rather than
in the split.
"""

from __future__ import annotations

import argparse
from typing import Sequence

from llmops_common.errors import StepError
from llmops_common.executor import log, parse_int, run_step
from llmops_common.google import services
from llmops_common.jsonl import write_records


def export(source_uri: str, text_field: str, target_field: str, max_examples: int, output: str) -> int:
    if not source_uri.startswith("bq://"):
        raise StepError(f"source_uri {source_uri!r} is not a BigQuery table; allowed: bq://PROJECT.DATASET.TABLE (use source_type gcs for files)")
    if max_examples < 0:
        raise StepError(f"max_examples is {max_examples}; allowed: 0 (every row) or more")
    rows = []
    for index, row in enumerate(services().bigquery.read_rows(source_uri, max_examples), start=1):
        for field in (text_field, target_field):
            if field not in row:
                raise StepError(f"has no column {field!r}; columns: {', '.join(sorted(row))}", source_uri)
            if row[field] is None or (isinstance(row[field], str) and not row[field].strip()):
                raise StepError(f"row {index}: column {field!r} is empty", source_uri)
        rows.append(row)
    if not rows:
        raise StepError("has no rows to export", source_uri)
    count = write_records(output, rows)
    log(f"exported {count} rows of {source_uri} to {output}")
    return count


def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(prog="llmops_data.export_bigquery", description=__doc__)
    parser.add_argument("--source-uri", required=True)
    parser.add_argument("--text-field", default="text")
    parser.add_argument("--target-field", default="target")
    parser.add_argument("--max-examples", default="0")
    parser.add_argument("--project", default="", help="billing project (tabledata.list bills no queries; kept for the record)")
    parser.add_argument("--output", required=True)
    args = parser.parse_args(argv)
    export(args.source_uri, args.text_field, args.target_field, parse_int("--max-examples", args.max_examples), args.output)


if __name__ == "__main__":
    raise SystemExit(run_step(main))
