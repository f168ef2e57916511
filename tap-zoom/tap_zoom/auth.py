"""Zoom Server-to-Server OAuth: one token per tap, renewed early and once after a 401."""

from __future__ import annotations

import base64
from collections.abc import Callable

from tap_common.oauth import SharedOAuthAuthenticator


class ZoomS2SAuthenticator(SharedOAuthAuthenticator):
    """``grant_type=account_credentials`` with the client id and secret in a Basic header."""

    credential_settings = "account_id, client_id and client_secret"

    def __init__(
        self,
        *,
        account_id: str,
        client_id: str,
        client_secret: str,
        oauth_url: str,
        on_secret: Callable[[str], None] | None = None,
    ) -> None:
        basic = base64.b64encode(f"{client_id}:{client_secret}".encode()).decode()
        super().__init__(
            auth_endpoint=oauth_url,
            client_id=client_id,
            client_secret=client_secret,
            oauth_headers={"Authorization": f"Basic {basic}"},
            default_expiration=3599,
            on_secret=on_secret,
        )
        self.account_id = account_id

    @property
    def oauth_request_body(self) -> dict:
        """Form body of the token request."""
        return {"grant_type": "account_credentials", "account_id": self.account_id}
