"""Google REST APIs over the standard library: JSON requests with a bearer token, bounded retries on
429/5xx, and errors that say which call failed and why (never the token).

Credentials, in order: ``LLMOPS_ACCESS_TOKEN`` (e.g. ``$(gcloud auth print-access-token)`` when a
step is run by hand against real services), else the metadata server, which every Vertex AI
task has: it answers for the account the task runs as
(https://cloud.google.com/compute/docs/access/authenticate-workloads#applications).
"""

from __future__ import annotations

import json
import os
import random
import time
import urllib.error
import urllib.request
from typing import Any, Callable, Dict, Optional

from ..errors import StepError

METADATA = "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default"
TOKEN_ENV = "LLMOPS_ACCESS_TOKEN"
RETRIED = {429, 500, 502, 503, 504}


class TokenSource:
    """An OAuth access token for ``cloud-platform``, refreshed a minute before it expires."""

    def __init__(self, metadata_url: str = METADATA, clock: Callable[[], float] = time.time):
        self.metadata_url = metadata_url
        self.clock = clock
        self._token: Optional[str] = None
        self._expires = 0.0

    def token(self) -> str:
        fixed = os.environ.get(TOKEN_ENV)
        if fixed:
            return fixed
        if self._token and self.clock() < self._expires - 60:
            return self._token
        request = urllib.request.Request(f"{self.metadata_url}/token", headers={"Metadata-Flavor": "Google"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                body = json.loads(response.read().decode("utf-8"))
        except (urllib.error.URLError, OSError, ValueError) as err:
            raise StepError(f"no Google credentials: the metadata server did not answer ({err}); outside Google Cloud set {TOKEN_ENV}, or run under the local runner's fakes (LLMOPS_GOOGLE=fake)") from None
        self._token = str(body["access_token"])
        self._expires = self.clock() + float(body.get("expires_in", 0))
        return self._token

    def service_account_email(self) -> str:
        request = urllib.request.Request(f"{self.metadata_url}/email", headers={"Metadata-Flavor": "Google"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.read().decode("utf-8").strip()
        except (urllib.error.URLError, OSError) as err:
            raise StepError(f"cannot tell which service account this task runs as: the metadata server did not answer ({err}); pass the account explicitly") from None


class RestClient:
    """JSON over HTTPS. ``send`` returns the decoded body; non-2xx answers raise StepError with the
    API's own message, after retrying 429 and 5xx with exponential backoff."""

    def __init__(self, tokens: Optional[TokenSource] = None, max_attempts: int = 5, initial_delay: float = 1.0, sleep: Callable[[float], None] = time.sleep, timeout: float = 120.0):
        self.tokens = tokens or TokenSource()
        self.max_attempts = max_attempts
        self.initial_delay = initial_delay
        self.sleep = sleep
        self.timeout = timeout

    def send(self, method: str, url: str, body: Optional[Any] = None, what: str = "", raw: Optional[bytes] = None, content_type: str = "application/json") -> Any:
        label = what or f"{method} {url.split('?')[0]}"
        data = raw if raw is not None else (json.dumps(body).encode("utf-8") if body is not None else None)
        for attempt in range(1, self.max_attempts + 1):
            request = urllib.request.Request(url, data=data, method=method)
            request.add_header("Authorization", f"Bearer {self.tokens.token()}")
            if data is not None:
                request.add_header("Content-Type", content_type)
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    text = response.read().decode("utf-8")
                    return json.loads(text) if text.strip() else {}
            except urllib.error.HTTPError as err:
                status, message = _describe(err)
                if err.code in RETRIED and attempt < self.max_attempts:
                    self.sleep(_delay(self.initial_delay, attempt))
                    continue
                raise StepError(f"{label}: HTTP {err.code} {status}: {message}") from None
            except (urllib.error.URLError, TimeoutError, ConnectionError) as err:
                if attempt < self.max_attempts:
                    self.sleep(_delay(self.initial_delay, attempt))
                    continue
                raise StepError(f"{label}: no answer after {attempt} attempts ({err})") from None
        raise StepError(f"{label}: gave up")  # unreachable: the loop returns or raises


def _delay(initial: float, attempt: int) -> float:
    ceiling = min(60.0, initial * 2 ** (attempt - 1))
    return ceiling / 2 + random.random() * ceiling / 2


def _describe(err: urllib.error.HTTPError) -> "tuple[str, str]":
    """Google's JSON error body (``{"error": {"code", "message", "status"}}``), else the reason."""
    try:
        body = json.loads(err.read().decode("utf-8"))
        error: Dict[str, Any] = body.get("error", {}) if isinstance(body, dict) else {}
        return str(error.get("status", err.reason)), str(error.get("message", err.reason))
    except (ValueError, OSError):
        return str(err.reason), str(err.reason)
