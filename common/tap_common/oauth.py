"""An OAuth 2.0 authenticator for taps whose requests run on several threads."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from http import HTTPStatus
from typing import Any

import requests
from singer_sdk.authenticators import OAuthAuthenticator
from singer_sdk.helpers._util import utc_now

from tap_common.errors import AuthFailure

#: Renew this many seconds before the token's stated expiry (at most half its lifetime).
RENEW_MARGIN_SECONDS = 60


class SharedOAuthAuthenticator(OAuthAuthenticator):
    """One token for every stream and thread of a tap.

    * renewed a margin before it expires, under a lock (one token request even when many
      worker threads notice at once);
    * dropped when the API rejects it (``renew_after_401``, called by the base stream, which
      then sends the request again); a token fetched after a rejection and rejected before any
      success means the credentials are the problem;
    * a refused token request stops the run with the provider's reason and the names of the
      settings to check, never their values;
    * every token obtained is handed to ``on_secret`` (the run's log redactor).
    """

    #: Settings named in the message when the token endpoint refuses the credentials.
    credential_settings = "client_id and client_secret"
    #: Renew this long before the stated expiry (at most half the token's lifetime).
    renew_margin_seconds = RENEW_MARGIN_SECONDS

    def __init__(self, *, on_secret: Callable[[str], None] | None = None, **kwargs: Any) -> None:
        """``on_secret`` is told every token obtained; ``kwargs`` go to the SDK's class."""
        super().__init__(**kwargs)
        self._on_secret = on_secret or (lambda _: None)
        self._lock = threading.RLock()
        self._renewal_after_401 = False
        self._tokens_from_401: set[str] = set()
        self.token_requests = 0

    def is_token_valid(self) -> bool:
        """Valid until the renewal margin before the stated expiry."""
        if self.last_refreshed is None or not self.access_token:
            return False
        if not self.expires_in:
            return True
        margin = min(self.renew_margin_seconds, self.expires_in // 2)
        return utc_now() < self.last_refreshed + timedelta(seconds=self.expires_in - margin)

    def authenticate_request(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        """Attach a valid bearer token, fetching one under the lock when needed."""
        with self._lock:
            if not self.is_token_valid():
                self.update_access_token()
            token = self.access_token
        request.headers["Authorization"] = f"Bearer {token}"
        return request

    def update_access_token(self) -> None:
        """Fetch a token; a refusal raises ``AuthFailure`` naming the settings to check."""
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
            msg = f"OAuth token request failed: {type(exc).__name__}"
            raise AuthFailure(msg) from None
        if response.status_code != HTTPStatus.OK:
            raise AuthFailure(self.refusal_message(response))
        try:
            body = response.json()
            access_token = str(body["access_token"])
        except (ValueError, KeyError, TypeError):
            msg = "The OAuth endpoint answered without an access_token."
            raise AuthFailure(msg) from None
        self._on_secret(access_token)
        self.access_token = access_token
        self.expires_in = int(body.get("expires_in") or self._default_expiration or 0) or None
        self.last_refreshed = request_time
        self.token_received(body)
        if self._renewal_after_401:
            self._tokens_from_401.add(access_token)
            self._renewal_after_401 = False

    def refusal_message(self, response: requests.Response) -> str:
        """The message when the token endpoint refuses: its reason, the settings to check."""
        try:
            body = response.json()
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        reason = (
            body.get("reason")
            or body.get("error_description")
            or body.get("error")
            or response.reason
        )
        return (
            f"The OAuth endpoint refused the credentials (HTTP {response.status_code}: "
            f"{reason}). Check the settings {self.credential_settings}."
        )

    def token_received(self, body: dict[str, Any]) -> None:
        """Hook for what else a token answer carries (a rotated refresh token, say)."""

    def confirm(self, token: str | None) -> None:
        """A request with ``token`` succeeded: a later 401 for it means it expired."""
        if token in self._tokens_from_401:
            with self._lock:
                self._tokens_from_401.discard(token)

    def renew_after_401(self, rejected_token: str | None) -> bool:
        """Drop a token the API rejected; ``False`` if it is itself a never-working renewal.

        A token fetched after a 401 and rejected before any success means the credentials,
        not the token's age, are the problem.
        """
        with self._lock:
            if rejected_token in self._tokens_from_401:
                return False
            if rejected_token == self.access_token:
                self.access_token = None
                self.last_refreshed = None
                self._renewal_after_401 = True
            return True
