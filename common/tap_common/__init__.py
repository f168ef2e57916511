"""Building blocks shared by the taps of this repository.

A distribution of its own (``vendor-api-taps-common``, in ``common/``) that every tap depends
on with a compatible version range, so several taps share one copy in one environment.
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
