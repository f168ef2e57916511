"""Zoom Server-to-Server OAuth: one token per tap, renewed early and once after a 401."""

from __future__ import annotations

import base64
import threading
from datetime import timedelta

import requests
from singer_sdk.authenticators import OAuthAuthenticator
from singer_sdk.helpers._util import utc_now

from tap_common import AuthFailure

#: Renew this many seconds before Zoom's stated expiry (tokens live one hour).
RENEW_MARGIN_SECONDS = 60


class ZoomS2SAuthenticator(OAuthAuthenticator):
    """``grant_type=account_credentials`` with the client id and secret in a Basic header.

    Thread-safe: child requests run on worker threads and share this one token.
    """

    def __init__(
        self, *, account_id: str, client_id: str, client_secret: str, oauth_url: str
    ) -> None:
        basic = base64.b64encode(f"{client_id}:{client_secret}".encode()).decode()
        super().__init__(
            auth_endpoint=oauth_url,
            client_id=client_id,
            client_secret=client_secret,
            oauth_headers={"Authorization": f"Basic {basic}"},
            default_expiration=3599,
        )
        self.account_id = account_id
        self._lock = threading.RLock()
        self._renewal_after_401 = False
        self._tokens_from_401: set[str] = set()
        self.token_requests = 0

    @property
    def oauth_request_body(self) -> dict:
        """Form body of the token request."""
        return {"grant_type": "account_credentials", "account_id": self.account_id}

    def is_token_valid(self) -> bool:
        """Valid until ``RENEW_MARGIN_SECONDS`` before the stated expiry."""
        if self.last_refreshed is None or not self.access_token:
            return False
        if not self.expires_in:
            return True
        lifetime = max(0, self.expires_in - RENEW_MARGIN_SECONDS)
        return utc_now() < self.last_refreshed + timedelta(seconds=lifetime)

    def authenticate_request(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        """Attach a valid bearer token, fetching one under a lock when needed."""
        with self._lock:
            if not self.is_token_valid():
                self.update_access_token()
            token = self.access_token
        request.headers["Authorization"] = f"Bearer {token}"
        return request

    def update_access_token(self) -> None:
        """Fetch a token; a refusal stops the run with Zoom's reason (never the secret)."""
        self.token_requests += 1
        request_time = utc_now()
        try:
            response = self._session.post(
                self.auth_endpoint,
                headers=self._oauth_headers,
                data=self.oauth_request_payload,
                timeout=60,
            )
        except requests.RequestException as exc:
            msg = f"Zoom OAuth token request failed: {type(exc).__name__}"
            raise AuthFailure(msg) from None
        if response.status_code != 200:
            try:
                body = response.json()
                reason = body.get("reason") or body.get("error") or response.reason
            except ValueError:
                reason = response.reason
            msg = (
                f"Zoom OAuth refused the credentials (HTTP {response.status_code}: {reason}). "
                "Check the settings account_id, client_id and client_secret."
            )
            raise AuthFailure(msg)
        body = response.json()
        self.access_token = body["access_token"]
        self.expires_in = int(body.get("expires_in") or self._default_expiration)
        self.last_refreshed = request_time
        if self._renewal_after_401:
            self._tokens_from_401.add(self.access_token)
            self._renewal_after_401 = False

    def renew_after_401(self, rejected_token: str | None) -> bool:
        """Drop a token the API rejected; ``False`` if it was already a renewed one."""
        with self._lock:
            if rejected_token in self._tokens_from_401:
                return False
            if rejected_token == self.access_token:
                self.access_token = None
                self.last_refreshed = None
                self._renewal_after_401 = True
            return True
