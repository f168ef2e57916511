"""HTTP plumbing: Retry-After, per-thread sessions that send through the run's governor."""

from __future__ import annotations

import threading
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING
from urllib.parse import urlparse

import requests
from requests.adapters import HTTPAdapter

if TYPE_CHECKING:
    from tap_common.governor import Governor


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value: seconds, an HTTP date or an ISO date.

    Returns ``None`` when the header is absent or unreadable, and never a negative number.
    """
    if not value:
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    moment: datetime | None
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        moment = None
    if moment is None:
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    now = now or datetime.now(tz=timezone.utc)
    return max(0.0, (moment - now).total_seconds())


class GovernedAdapter(HTTPAdapter):
    """A transport adapter that asks the run's governor before each send and reports after.

    The governor picks the request's budget from its path, waits for a token and a slot in
    flight, and learns from the answer (429 and 503 pause and slow the budget, rate-limit
    headers are read).
    """

    def __init__(self, governor: Governor, pool_size: int = 10) -> None:
        super().__init__(pool_connections=pool_size, pool_maxsize=pool_size)
        self.governor = governor

    def send(self, request: requests.PreparedRequest, **kwargs: object) -> requests.Response:  # type: ignore[override]
        """Wait for the governor, send, and tell it what came back."""
        path = urlparse(request.url or "").path
        budget = self.governor.acquire(path)
        started = self.governor.clock.now()
        try:
            response = super().send(request, **kwargs)  # type: ignore[arg-type]
        finally:
            self.governor.release()
        elapsed = self.governor.clock.now() - started
        self.governor.observe(budget, response.status_code, response.headers, elapsed, path=path)
        return response


class SessionPool:
    """One ``requests.Session`` per thread, all sending through the same governor."""

    def __init__(self, governor: Governor) -> None:
        self.governor = governor
        self._local = threading.local()

    def session(self) -> requests.Session:
        """The calling thread's session, created on first use."""
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            adapter = GovernedAdapter(self.governor)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            self._local.session = session
        return session
