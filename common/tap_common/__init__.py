"""Building blocks shared by the taps of this repository.

Each tap ships this package inside its own wheel (``tap-x/tap_common`` is a link to
``common/tap_common``), so ``pip install ./tap-x`` needs nothing else from the repository.
"""

from __future__ import annotations

__all__ = [
    "AuthFailure",
    "ResilientRESTStream",
    "RuntimeTap",
    "SkippedResource",
    "StreamUnavailable",
]

from tap_common.errors import AuthFailure, SkippedResource, StreamUnavailable
from tap_common.stream import ResilientRESTStream
from tap_common.tap import RuntimeTap
