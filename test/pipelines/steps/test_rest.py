"""The real Google clients (REST over urllib) against a local HTTP server that answers as the
documented APIs do: URLs, methods, bodies, the bearer token, pagination, retries, errors."""

import base64
import contextlib
import io
import json
import threading
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Tuple

import support  # noqa: F401  (puts the steps package on the path)

from llmops_common.errors import StepError
from llmops_common.google.jobs import wait_for_job, wait_for_operation
from llmops_common.google.real import RealGoogle, convert_cell, parse_table
from llmops_common.google.rest import RestClient, TokenSource

Handler = Callable[[str, str, Any], Tuple[int, Any]]


class FakeApi:
    """Routes ``(method, path)`` to canned answers and records every request."""

    def __init__(self) -> None:
        self.requests: List[Dict[str, Any]] = []
        self.routes: Dict[Tuple[str, str], List[Tuple[int, Any]]] = {}
        api = self

        class RequestHandler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else None
                api.requests.append({"method": self.command, "path": self.path, "auth": self.headers.get("Authorization"), "body": body})
                key = (self.command, self.path.split("?")[0])
                answers = api.routes.get(key) or [(404, {"error": {"code": 404, "status": "NOT_FOUND", "message": f"no route {key}"}})]
                status, answer = answers.pop(0) if len(answers) > 1 else answers[0]
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _serve

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), RequestHandler)
        # shutdown() waits for the loop's next poll: 0.5 s by default, half a second per test.
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def route(self, method: str, path: str, *answers: Tuple[int, Any]) -> None:
        self.routes[(method, path)] = list(answers)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class FixedToken(TokenSource):
    def token(self) -> str:
        return "token-123"

    def service_account_email(self) -> str:
        return "runner@p.iam.gserviceaccount.com"


class RealClients(unittest.TestCase):
    def setUp(self) -> None:
        self.api = FakeApi()
        self.addCleanup(self.api.close)
        rest = RestClient(FixedToken(), max_attempts=3, initial_delay=0, sleep=lambda _s: None)
        self.google = RealGoogle({"bigquery": self.api.url, "aiplatform": self.api.url, "pubsub": self.api.url}, rest=rest, tokens=FixedToken())

    def test_bigquery_reads_every_page_typed_by_the_schema(self):
        base = "/bigquery/v2/projects/p/datasets/d/tables/t"
        schema = {"schema": {"fields": [{"name": "text", "type": "STRING"}, {"name": "stars", "type": "INTEGER"}, {"name": "tags", "type": "STRING", "mode": "REPEATED"}]}}
        self.api.route("GET", base, (200, schema))
        self.api.route("GET", f"{base}/data", (200, {"rows": [{"f": [{"v": "good"}, {"v": "5"}, {"v": [{"v": "a"}]}]}], "pageToken": "next"}), (200, {"rows": [{"f": [{"v": "bad"}, {"v": "1"}, {"v": []}]}]}))
        rows = list(self.google.bigquery.read_rows("bq://p.d.t"))
        self.assertEqual(rows, [{"text": "good", "stars": 5, "tags": ["a"]}, {"text": "bad", "stars": 1, "tags": []}])
        data_calls = [r for r in self.api.requests if r["path"].startswith(f"{base}/data")]
        self.assertIn("pageToken=next", data_calls[1]["path"])
        self.assertTrue(all(r["auth"] == "Bearer token-123" for r in self.api.requests))

    def test_table_names_and_cells(self):
        self.assertEqual(parse_table("bq://p.d.t"), ("p", "d", "t"))
        with self.assertRaisesRegex(StepError, "bq://PROJECT.DATASET.TABLE"):
            parse_table("bq://p.t")
        self.assertEqual(convert_cell({"type": "BOOLEAN"}, "true"), True)
        self.assertEqual(convert_cell({"type": "RECORD", "fields": [{"name": "x", "type": "FLOAT"}]}, {"f": [{"v": "1.5"}]}), {"x": 1.5})

    def test_vertex_calls_post_the_documented_bodies_and_retry_throttling(self):
        parent = "projects/p/locations/us-central1"
        self.api.route("POST", f"/v1/{parent}/tuningJobs", (429, {"error": {"code": 429, "status": "RESOURCE_EXHAUSTED", "message": "slow down"}}), (200, {"name": f"{parent}/tuningJobs/7"}))
        job = self.google.vertex.create_tuning_job(parent, {"baseModel": "gemini-2.0-flash-001"})
        self.assertEqual(job["name"], f"{parent}/tuningJobs/7")
        posts = [r for r in self.api.requests if r["method"] == "POST"]
        self.assertEqual(len(posts), 2)
        self.assertEqual(posts[1]["body"], {"baseModel": "gemini-2.0-flash-001"})

    def test_api_errors_carry_status_and_message_not_the_token(self):
        name = "projects/p/locations/us-central1/models/9"
        self.api.route("GET", f"/v1/{name}", (403, {"error": {"code": 403, "status": "PERMISSION_DENIED", "message": "aiplatform.models.get denied"}}))
        with self.assertRaises(StepError) as caught:
            self.google.vertex.get_model(name)
        self.assertIn("HTTP 403 PERMISSION_DENIED: aiplatform.models.get denied", str(caught.exception))
        self.assertNotIn("token-123", str(caught.exception))

    def test_generate_content_returns_the_first_candidates_text(self):
        endpoint = "projects/p/locations/europe-west4/endpoints/5"
        self.api.route("POST", f"/v1/{endpoint}:generateContent", (200, {"candidates": [{"content": {"parts": [{"text": "posi"}, {"text": "tive"}]}}]}))
        self.assertEqual(self.google.vertex.generate_content(endpoint, {"contents": []}), "positive")
        self.api.route("POST", f"/v1/{endpoint}:generateContent", (200, {"promptFeedback": {"blockReason": "SAFETY"}}))
        with self.assertRaisesRegex(StepError, "SAFETY"):
            self.google.vertex.generate_content(endpoint, {"contents": []})

    def test_pubsub_publishes_base64_data(self):
        self.api.route("POST", "/v1/projects/p/topics/runs:publish", (200, {"messageIds": ["42"]}))
        self.assertEqual(self.google.pubsub.publish("projects/p/topics/runs", b'{"state":"FAILED"}', {"state": "FAILED"}), "42")
        message = self.api.requests[-1]["body"]["messages"][0]
        self.assertEqual(base64.b64decode(message["data"]), b'{"state":"FAILED"}')
        with self.assertRaisesRegex(StepError, "projects/PROJECT/topics/TOPIC"):
            self.google.pubsub.publish("runs", b"", {})


class Waiting(unittest.TestCase):
    def setUp(self) -> None:
        quiet = contextlib.redirect_stdout(io.StringIO())
        quiet.__enter__()
        self.addCleanup(quiet.__exit__, None, None, None)

    def test_jobs_are_polled_until_they_end(self):
        states = iter(["JOB_STATE_PENDING", "JOB_STATE_RUNNING", "JOB_STATE_SUCCEEDED"])
        job = wait_for_job(lambda name: {"name": name, "state": next(states)}, "j", "job", sleep=lambda _s: None)
        self.assertEqual(job["state"], "JOB_STATE_SUCCEEDED")

    def test_a_failed_job_reports_its_own_error(self):
        with self.assertRaisesRegex(StepError, "ended JOB_STATE_FAILED: out of memory"):
            wait_for_job(lambda name: {"state": "JOB_STATE_FAILED", "error": {"message": "out of memory"}}, "j", "job", sleep=lambda _s: None)

    def test_a_job_past_its_deadline_is_reported_running(self):
        clock = iter([0.0, 10.0, 20.0])
        with self.assertRaisesRegex(StepError, "still JOB_STATE_RUNNING after 5s"):
            wait_for_job(lambda name: {"state": "JOB_STATE_RUNNING"}, "j", "job", timeout_seconds=5, sleep=lambda _s: None, clock=lambda: next(clock))

    def test_operations_return_their_response_or_error(self):
        ops = iter([{"name": "op", "done": True, "response": {"model": "m"}}])
        self.assertEqual(wait_for_operation(lambda _n: next(ops), {"name": "op"}, "upload", sleep=lambda _s: None), {"model": "m"})
        with self.assertRaisesRegex(StepError, "failed: bad image"):
            wait_for_operation(lambda _n: {}, {"name": "op", "done": True, "error": {"message": "bad image"}}, "upload")


if __name__ == "__main__":
    unittest.main()
