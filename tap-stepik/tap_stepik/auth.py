"""OAuth2 for Stepik and Hyperskill: one token per tap, renewed early and once after a 401.

Client credentials by default; the refresh-token grant when a refresh token is given (from the
``refresh_token`` setting or the ``token_file`` written by ``tap-stepik-login``). Both servers
behave like django-oauth-toolkit, which by default *rotates* refresh tokens: the one used is
revoked and a new one comes back. The new one is kept for the rest of the run and, when
``token_file`` is set, written back to that file so the next run can use it.
"""

from __future__ import annotations

import base64
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from tap_common.oauth import SharedOAuthAuthenticator

#: Renew this long before the stated expiry at most (Hyperskill's own plugin uses 600 s).
RENEW_MARGIN_SECONDS = 600
#: Stepik issues tokens for 36000 s (10 h); used when an answer has no ``expires_in``.
DEFAULT_EXPIRATION = 36000


def token_url(oauth_url: str) -> str:
    """The token endpoint under an ``oauth_url`` such as ``https://stepik.org/oauth2``."""
    return oauth_url.rstrip("/") + "/token/"


def authorize_url(oauth_url: str) -> str:
    """The authorization endpoint under ``oauth_url``."""
    return oauth_url.rstrip("/") + "/authorize/"


def basic_header(client_id: str, client_secret: str) -> str:
    """``Basic base64(id:secret)``."""
    return "Basic " + base64.b64encode(f"{client_id}:{client_secret}".encode()).decode()


def read_token_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The JSON object stored by ``tap-stepik-login``."""
    data = json.loads(Path(path).read_text())
    if not isinstance(data, dict):
        msg = "not a JSON object"
        raise TypeError(msg)
    return data


def write_token_file(path: str | os.PathLike[str], data: dict[str, Any]) -> None:
    """Write ``data`` atomically, readable by the owner only."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "w") as handle:
            json.dump(data, handle, indent=2)
            handle.write("\n")
        Path(tmp).chmod(0o600)
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class PlatformAuthenticator(SharedOAuthAuthenticator):
    """Bearer tokens from ``{oauth_url}/token/``, shared by every stream and worker thread."""

    #: Hyperskill's own plugin renews 600 s ahead; Stepik's tokens live 10 h.
    renew_margin_seconds = RENEW_MARGIN_SECONDS

    def __init__(
        self,
        *,
        platform: str,
        oauth_url: str,
        client_id: str,
        client_secret: str | None,
        refresh_token: str | None = None,
        token_file: str | None = None,
        on_secret: Callable[[str], None] | None = None,
    ) -> None:
        headers = {"Authorization": basic_header(client_id, client_secret)} if client_secret else {}
        super().__init__(
            auth_endpoint=token_url(oauth_url),
            client_id=client_id,
            client_secret=client_secret,
            oauth_headers=headers,
            default_expiration=DEFAULT_EXPIRATION,
            on_secret=on_secret,
        )
        self.platform = platform
        self.refresh_token = refresh_token
        self.token_file = token_file

    @property
    def grant_type(self) -> str:
        """``refresh_token`` when a refresh token is known, else ``client_credentials``."""
        return "refresh_token" if self.refresh_token else "client_credentials"

    @property
    def oauth_request_body(self) -> dict:
        """Form body of the token request."""
        body: dict[str, str] = {"grant_type": self.grant_type}
        if self.refresh_token:
            body["refresh_token"] = self.refresh_token
        if not self.client_secret:
            body["client_id"] = str(self.client_id)  # a public client (PKCE login)
        return body

    def refusal_message(self, response: requests.Response) -> str:
        """The server's reason, and what to do: log in again, or check the client."""
        try:
            body = response.json()
        except ValueError:
            body = {}
        reason = body.get("error") if isinstance(body, dict) else None
        reason = reason or response.reason or "refused"
        if self.grant_type == "refresh_token":
            hint = (
                "The refresh token was rejected (used already, revoked or expired). Run "
                f"'tap-stepik-login --platform {self.platform}' again and point 'token_file' "
                "(or 'refresh_token') at the new token."
            )
        else:
            hint = "Check the settings client_id and client_secret."
        return (
            f"{self.platform.capitalize()} OAuth refused the {self.grant_type} grant "
            f"(HTTP {response.status_code}: {reason}). {hint}"
        )

    def token_received(self, body: dict[str, Any]) -> None:
        """Keep a rotated refresh token for the rest of the run and, if set, the token file."""
        new_refresh = body.get("refresh_token")
        if new_refresh and new_refresh != self.refresh_token and self.refresh_token:
            self._on_secret(new_refresh)
            self.refresh_token = str(new_refresh)
            self._store_rotated_refresh_token()

    def _store_rotated_refresh_token(self) -> None:
        if not self.token_file:
            self.logger.warning(
                "The OAuth server rotated the refresh token: the 'refresh_token' setting is now "
                "spent. Set 'token_file' so the tap can keep the new one for the next run."
            )
            return
        try:
            data = read_token_file(self.token_file)
        except (OSError, ValueError, TypeError):
            data = {}
        data.update(
            {
                "platform": self.platform,
                "client_id": self.client_id,
                "refresh_token": self.refresh_token,
            }
        )
        write_token_file(self.token_file, data)
        self.logger.info("Stored the rotated refresh token in the token file.")
