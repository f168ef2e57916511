"""Make ``standins`` mean the stand-in package in these tests.

In importlib mode pytest names the modules of this folder ``standins.tests.*`` and, to do so,
imports ``standins`` from the project folder ``standins/`` as a namespace package, which hides
the real package ``standins/standins``. Drop that namespace package and import the real one.
"""

from __future__ import annotations

import base64
import importlib
import sys
from collections.abc import Callable

import pytest
import requests

if getattr(sys.modules.get("standins"), "__file__", None) is None:
    sys.modules.pop("standins", None)
    importlib.import_module("standins")

from standins import zoom

BASIC = base64.b64encode(f"{zoom.CLIENT_ID}:{zoom.CLIENT_SECRET}".encode()).decode()


def _zoom_session(url: str) -> requests.Session:
    token = requests.post(
        f"{url}/oauth/token",
        params={"grant_type": "account_credentials", "account_id": zoom.ACCOUNT_ID},
        headers={"Authorization": f"Basic {BASIC}"},
        timeout=5,
    ).json()["access_token"]
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    return session


@pytest.fixture
def zoom_session() -> Callable[[str], requests.Session]:
    """``zoom_session(url)``: a session holding a token from the Zoom stand-in at ``url``."""
    return _zoom_session


def _platform_session(standin, url: str) -> requests.Session:
    token = requests.post(
        f"{url}/oauth2/token/",
        data={"grant_type": "client_credentials"},
        auth=(standin.client_id, standin.client_secret),
        timeout=5,
    ).json()["access_token"]
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    return session


@pytest.fixture
def platform_session() -> Callable[..., requests.Session]:
    """``platform_session(standin, url)``: a session with a token from a Stepik/Hyperskill
    stand-in."""
    return _platform_session
