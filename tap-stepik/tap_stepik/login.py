"""``tap-stepik-login``: get a refresh token with the OAuth2 authorization-code flow.

It listens on ``http://localhost:<port><redirect-path>``, prints the authorize URL (and opens a
browser with ``--open-browser``), waits for the redirect carrying the code, checks ``state``,
exchanges the code (with a PKCE verifier) at ``<oauth_url>/token/`` and writes the tokens to
``--output`` (mode 0600). Point the tap's ``token_file`` setting at that file.

The OAuth application must list the same redirect URI, e.g. ``http://localhost:8000/``.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import os
import secrets
import sys
import threading
import webbrowser
from collections.abc import Iterable
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import requests

from tap_stepik.auth import authorize_url, basic_header, token_url, write_token_file
from tap_stepik.platforms import PLATFORMS, STEPIK

_PAGE = (
    "<!doctype html><html><body><h1>{title}</h1><p>{text}</p>"
    "<p>You can close this window.</p></body></html>"
)


class LoginError(Exception):
    """The login did not complete; the message says why."""


def pkce_pair() -> tuple[str, str]:
    """A PKCE ``(verifier, S256 challenge)``."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class _Redirect:
    """What the one expected redirect brought."""

    def __init__(self) -> None:
        self.query: dict[str, list[str]] | None = None
        self.done = threading.Event()


def _handler(path: str, redirect: _Redirect) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            split = urlsplit(self.path)
            if split.path.rstrip("/") != path.rstrip("/"):
                self.send_error(404)
                return
            query = parse_qs(split.query)
            ok = "code" in query
            title = "Logged in" if ok else "Login failed"
            text = (
                "The tap has the authorization code."
                if ok
                else (query.get("error") or ["no code in the redirect"])[0]
            )
            payload = _PAGE.format(title=title, text=text).encode()
            self.send_response(200 if ok else 400)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            redirect.query = query
            redirect.done.set()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: ARG002
            return

    return Handler


def exchange_code(
    *,
    oauth_url: str,
    client_id: str,
    client_secret: str | None,
    code: str,
    redirect_uri: str,
    code_verifier: str,
    timeout: float = 60,
) -> dict[str, Any]:
    """POST the authorization code to the token endpoint; the token JSON."""
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": code_verifier,
    }
    headers = {}
    if client_secret:
        headers["Authorization"] = basic_header(client_id, client_secret)
    else:
        data["client_id"] = client_id
    response = requests.post(token_url(oauth_url), data=data, headers=headers, timeout=timeout)
    if response.status_code != 200:
        try:
            reason = response.json().get("error", response.reason)
        except ValueError:
            reason = response.reason
        msg = f"the token endpoint refused the code (HTTP {response.status_code}: {reason})"
        raise LoginError(msg)
    body = response.json()
    if not body.get("refresh_token"):
        msg = (
            "the token answer has no refresh_token: give the OAuth application the "
            "'Authorization code' grant type"
        )
        raise LoginError(msg)
    return body


def login(
    *,
    platform: str,
    client_id: str,
    client_secret: str | None,
    port: int,
    output: str,
    oauth_url: str | None = None,
    redirect_path: str = "/",
    host: str = "localhost",
    open_browser: bool = False,
    timeout: float = 300,
    say: Any = print,
) -> dict[str, Any]:
    """Run the whole flow; returns what was written to ``output``."""
    oauth_url = (oauth_url or PLATFORMS[platform].oauth_url).rstrip("/")
    redirect = _Redirect()
    server = HTTPServer((host, port), _handler(redirect_path, redirect))
    bound_port = server.server_address[1]
    redirect_uri = f"http://{host}:{bound_port}{redirect_path}"
    state = secrets.token_urlsafe(16)
    verifier, challenge = pkce_pair()
    url = (
        authorize_url(oauth_url)
        + "?"
        + urlencode(
            {
                "response_type": "code",
                "client_id": client_id,
                "redirect_uri": redirect_uri,
                "scope": "read write",
                "state": state,
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            }
        )
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        say(f"Open this URL in a browser and allow access:\n{url}")
        say(f"Waiting for the redirect on {redirect_uri} ...")
        if open_browser:
            webbrowser.open(url)
        if not redirect.done.wait(timeout):
            msg = f"no redirect arrived on {redirect_uri} within {timeout:.0f} s"
            raise LoginError(msg)
    finally:
        server.shutdown()
        server.server_close()
    query = redirect.query or {}
    if (query.get("state") or [""])[0] != state:
        msg = "the redirect's state does not match (a stale or forged redirect)"
        raise LoginError(msg)
    if "code" not in query:
        msg = f"authorization refused: {(query.get('error') or ['no code'])[0]}"
        raise LoginError(msg)
    tokens = exchange_code(
        oauth_url=oauth_url,
        client_id=client_id,
        client_secret=client_secret,
        code=query["code"][0],
        redirect_uri=redirect_uri,
        code_verifier=verifier,
    )
    stored = {
        "platform": platform,
        "client_id": client_id,
        "oauth_url": oauth_url,
        "refresh_token": tokens["refresh_token"],
        "obtained_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    write_token_file(output, stored)
    say(f"Refresh token saved to {output}. Set the tap's token_file setting to this path.")
    return stored


def _first_env(names: Iterable[str]) -> str | None:
    for name in names:
        value = os.environ.get(name)
        if value:
            return value
    return None


def main(argv: list[str] | None = None) -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="tap-stepik-login", description=__doc__.split("\n")[0])
    parser.add_argument("--platform", choices=sorted(PLATFORMS), default=STEPIK)
    parser.add_argument("--port", type=int, default=8000, help="local redirect port (8000)")
    parser.add_argument("--output", required=True, help="file to write the tokens to")
    parser.add_argument("--client-id", help="default: env <PLATFORM>_CLIENT_ID")
    parser.add_argument(
        "--client-secret-env",
        help="name of the env var holding the client secret (default <PLATFORM>_CLIENT_SECRET,"
        " then TAP_<PLATFORM>_CLIENT_SECRET); leave them unset for a public application",
    )
    parser.add_argument("--oauth-url", help="OAuth2 base URL (default per platform)")
    parser.add_argument("--redirect-path", default="/", help="path of the redirect URI (/)")
    parser.add_argument("--host", default="localhost", help="redirect host (localhost)")
    parser.add_argument("--open-browser", action="store_true", help="open the URL in a browser")
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait (300)")
    args = parser.parse_args(argv)

    prefix = args.platform.upper()
    # The seed's variables first, then what Meltano exports for tap-<platform> / tap-stepik.
    prefixes = (prefix, f"TAP_{prefix}", "TAP_STEPIK")
    client_id = args.client_id or _first_env(f"{p}_CLIENT_ID" for p in prefixes)
    if not client_id:
        parser.error(f"give --client-id or set {prefix}_CLIENT_ID")
    secret_vars = [args.client_secret_env] if args.client_secret_env else prefixes
    client_secret = _first_env(
        name if args.client_secret_env else f"{name}_CLIENT_SECRET" for name in secret_vars
    )
    oauth_url = args.oauth_url or _first_env(f"{p}_OAUTH_URL" for p in prefixes[1:])
    try:
        login(
            platform=args.platform,
            client_id=client_id,
            client_secret=client_secret,
            port=args.port,
            output=args.output,
            oauth_url=oauth_url,
            redirect_path=args.redirect_path,
            host=args.host,
            open_browser=args.open_browser,
            timeout=args.timeout,
            say=lambda text: print(text, flush=True),  # noqa: T201 - a console command
        )
    except (LoginError, OSError, requests.RequestException) as exc:
        sys.stderr.write(f"tap-stepik-login: {exc}\n")
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
