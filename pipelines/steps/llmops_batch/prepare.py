"""``prepare_prompts``: one input of a batch run rendered into prediction instances.

The input is a ``bq://P.D.T`` table or JSONL files (a file, folder or glob); ``{date}`` in it is
replaced by the prediction date: ``prediction_date`` (YYYY-MM-DD) when set, else the date of the
schedule time (``{{$.pipeline_job_schedule_time_utc}}``), else today in UTC (a manual run).
Every row's prompt is formatted with the model version's template, through the same code data
preparation tuned it with (``llmops_common.prompts``). Instances are ``{"key", "prompt"}``: the
key (a hash of the row) comes back with each prediction, and the batch job does not send it to
the model (``instanceConfig.keyField``).
"""

from __future__ import annotations

import argparse
import datetime
import re
from typing import Any, Dict, Iterator, Sequence, Tuple

from llmops_common.errors import StepError
from llmops_common.executor import log, run_step, write_output_parameter
from llmops_common.google import services
from llmops_common.hashing import sha256_hex
from llmops_common.jsonl import dumps, read_records, write_records
from llmops_common.prompts import format_prompt, template_fields
from llmops_common.storage import expand, to_uri

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def prediction_date(date: str, schedule_time: str, today: datetime.date) -> str:
    if date:
        if not DATE.match(date):
            raise StepError(f"prediction_date {date!r} is not a date; allowed: YYYY-MM-DD, or empty for the schedule's date")
        try:
            datetime.date.fromisoformat(date)
        except ValueError:
            raise StepError(f"prediction_date {date!r} is not a calendar date") from None
        return date
    if schedule_time and not schedule_time.startswith("{{"):
        try:
            return datetime.datetime.fromisoformat(schedule_time.replace("Z", "+00:00")).astimezone(datetime.timezone.utc).date().isoformat()
        except ValueError:
            raise StepError(f"schedule_time {schedule_time!r} is not an RFC 3339 time") from None
    return today.isoformat()


def rows(input_uri: str) -> Iterator[Tuple[str, int, Dict[str, Any]]]:
    """``(source, line or row number, row)``."""
    if input_uri.startswith("bq://"):
        for index, row in enumerate(services().bigquery.read_rows(input_uri), start=1):
            yield input_uri, index, row
        return
    for path in expand(input_uri):
        for line, record in read_records(path):
            yield to_uri(path), line, record


def instances(input_uri: str, template: str, text_field: str) -> Iterator[Dict[str, str]]:
    template_fields(template)
    for source, line, row in rows(input_uri):
        try:
            prompt = format_prompt(template, row, text_field)
        except StepError as err:
            raise StepError(err.message, source, line) from None
        yield {"key": sha256_hex(dumps(row))[:16], "prompt": prompt}


def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(prog="llmops_batch.prepare", description=__doc__)
    parser.add_argument("--input-uri", required=True)
    parser.add_argument("--prompt-template", required=True)
    parser.add_argument("--date", default="")
    parser.add_argument("--schedule-time", default="")
    parser.add_argument("--text-field", default="text")
    parser.add_argument("--instances", required=True)
    parser.add_argument("--row-count-file", required=True)
    args = parser.parse_args(argv)
    date = prediction_date(args.date, args.schedule_time, datetime.datetime.now(datetime.timezone.utc).date())
    source = args.input_uri.replace("{date}", date)
    count = write_records(args.instances, instances(source, args.prompt_template, args.text_field))
    if count == 0:
        raise StepError(f"{source} has no rows for {date}: nothing to predict")
    write_output_parameter(args.row_count_file, count)
    log(f"{count} instances for {date} from {source}")


if __name__ == "__main__":
    raise SystemExit(run_step(main))
