import threading
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tap_common import http
from tap_common.governor import BudgetSpec, Governor
from tap_common.http import parse_retry_after

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)


def test_retry_after_forms():
    assert parse_retry_after("7") == 7
    assert parse_retry_after("1.5") == 1.5
    assert (
        parse_retry_after(format_datetime(NOW + timedelta(seconds=90), usegmt=True), now=NOW) == 90
    )
    assert parse_retry_after("2026-01-01T12:00:30Z", now=NOW) == 30
    assert parse_retry_after("2025-01-01T00:00:00Z", now=NOW) == 0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None


class _Answers(BaseHTTPRequestHandler):
    """Answers 429 (with Zoom's headers) on /report/..., 200 elsewhere."""

    def do_GET(self) -> None:
        if self.path.startswith("/v2/report/"):
            self.send_response(429)
            self.send_header("Retry-After", "0")
            self.send_header("X-RateLimit-Category", "Heavy")
        else:
            self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        pass


def test_sessions_send_through_the_governor_which_learns_from_each_answer():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Answers)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/v2"
    governor = Governor(
        [BudgetSpec("Heavy", 10), BudgetSpec("Medium", 20)],
        [(r"/report/", "Heavy"), (r".", "Medium")],
    )
    session = http.SessionPool(governor).session()
    try:
        assert session.get(f"{base}/users").status_code == 200
        assert session.get(f"{base}/report/daily").status_code == 429
    finally:
        server.shutdown()

    assert governor.budgets["Medium"].stats.requests == 1
    assert governor.budgets["Heavy"].stats.requests == 1
    assert governor.budgets["Heavy"].stats.throttled == 1
