"""Oktopost streams: BI exports and their files, and the REST entities."""

from __future__ import annotations

from tap_oktopost.streams.bi import (
    BiExportDetailsStream,
    BiExportsStream,
    BiFileStream,
    bi_file_schema,
    bi_file_stream_type,
)
from tap_oktopost.streams.rest import build_rest_streams

REST_STREAM_TYPES = build_rest_streams()
STATIC_STREAM_TYPES = [BiExportsStream, BiExportDetailsStream, *REST_STREAM_TYPES]
STATIC_STREAM_NAMES = {s.name for s in STATIC_STREAM_TYPES}

__all__ = [
    "REST_STREAM_TYPES",
    "STATIC_STREAM_NAMES",
    "STATIC_STREAM_TYPES",
    "BiFileStream",
    "bi_file_schema",
    "bi_file_stream_type",
]
