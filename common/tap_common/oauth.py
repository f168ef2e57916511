"""An OAuth 2.0 authenticator for taps whose requests run on several threads."""

from __future__ import annotations

import threading
from datetime import timedelta

import requests
from singer_sdk.authenticators import OAuthAuthenticator
from singer_sdk.helpers._util import utc_now

from tap_common.errors import AuthFailure

#: Renew this many seconds before the token's stated expiry.
RENEW_MARGIN_SECONDS = 60


class SharedOAuthAuthenticator(OAuthAuthenticator):
    """One token for every stream and thread of a tap.

    * renewed ``RENEW_MARGIN_SECONDS`` before it expires, under a lock (one token request even
      when many worker threads notice at once);
    * dropped once when the API rejects it (``renew_after_401``); a token fetched after a
      rejection that is rejected too means the credentials are the problem;
    * a refused token request stops the run with the provider's reason and the names of the
      settings to check, never their values;
    * a refresh token returned by the endpoint replaces the one in use (rotating tokens).
    """

    #: Settings named in the message when the token endpoint refuses the credentials.
    credential_settings = "client_id and client_secret"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._lock = threading.RLock()
        self._renewal_after_401 = False
        self._tokens_from_401: set[str] = set()
        self.token_requests = 0

    def is_token_valid(self) -> bool:
        """Valid until ``RENEW_MARGIN_SECONDS`` before the stated expiry."""
        if self.last_refreshed is None or not self.access_token:
            return False
        if not self.expires_in:
            return True
        lifetime = max(0, self.expires_in - RENEW_MARGIN_SECONDS)
        return utc_now() < self.last_refreshed + timedelta(seconds=lifetime)

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
        if response.status_code != 200:
            try:
                body = response.json()
                reason = (
                    body.get("reason")
                    or body.get("error_description")
                    or body.get("error")
                    or response.reason
                )
            except (ValueError, AttributeError):
                reason = response.reason
            msg = (
                f"The OAuth endpoint refused the credentials (HTTP {response.status_code}: "
                f"{reason}). Check the settings {self.credential_settings}."
            )
            raise AuthFailure(msg)
        body = response.json()
        self.access_token = body["access_token"]
        self.refresh_token = body.get("refresh_token") or self.refresh_token
        self.expires_in = int(body.get("expires_in") or self._default_expiration or 0) or None
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
