"""Every stream, built from the spec tables by one factory."""

from __future__ import annotations

from typing import Any

from tap_mtslink.client import MtsLinkStream
from tap_mtslink.specs import StreamSpec
from tap_mtslink.streams import content, events, learning, organization, sessions

SPECS: list[StreamSpec] = [
    *events.SPECS,
    *sessions.SPECS,
    *organization.SPECS,
    *content.SPECS,
    *learning.SPECS,
]


def _class_name(name: str) -> str:
    return "".join(part.title() for part in name.split("_")) + "Stream"


def build_stream_types(specs: list[StreamSpec]) -> list[type[MtsLinkStream]]:
    """One ``MtsLinkStream`` subclass per spec, parents before their children."""
    built: dict[str, type[MtsLinkStream]] = {}
    for spec in specs:
        if spec.parent is not None and spec.parent not in built:
            msg = f"stream '{spec.name}' is declared before its parent '{spec.parent}'"
            raise ValueError(msg)
        attrs: dict[str, Any] = {
            "spec": spec,
            "name": spec.name,
            "path": spec.path,
            "primary_keys": spec.primary_keys,
            "replication_key": spec.replication_key,
            "schema": spec.schema,
            "__doc__": f"``GET {spec.path}``" + (f": {spec.notes}." if spec.notes else "."),
            "__module__": __name__,
        }
        if spec.parent is not None:
            attrs["parent_stream_type"] = built[spec.parent]
            attrs["state_partitioning_keys"] = []
        built[spec.name] = type(_class_name(spec.name), (MtsLinkStream,), attrs)
    return list(built.values())


STREAM_TYPES = build_stream_types(SPECS)
