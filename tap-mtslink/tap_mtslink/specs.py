"""Endpoints as data: one ``StreamSpec`` per stream, turned into stream classes by a factory."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from tap_common.dates import parse_datetime

#: How an endpoint pages: ``page``/``perPage`` (stop on a short page), ``offset``/``limit``,
#: an opaque ``cursor`` (``data.nextPageCursor``), or a single request.
Pagination = Literal["none", "page", "offset", "cursor"]
#: How the body wraps the records (every list envelope is unwrapped defensively anyway).
Envelope = Literal["array", "data", "data.items", "object", "data.object", "file-wrappers"]
#: The date window sent as ``from``/``to``: none, up to now, or up to a year ahead (schedules).
Window = Literal["none", "past", "schedule"]
#: Context key of a child whose parent has not started (see ``StreamSpec.not_started``).
NOT_STARTED = "_not_started"

ChildContexts = Callable[
    [Mapping[str, Any], Mapping[str, Any] | None], Iterable["dict[str, Any] | NoChildId"]
]


@dataclass(frozen=True)
class NoChildId:
    """What a context function yields for a value that cannot address a child request.

    The stream logs and counts it (the record itself is written; its children are not read).
    """

    field: str
    value: Any


def child_id(value: Any) -> int | str | None:
    """An id a child request can be addressed with, or None.

    Integers (also as digits or an integral float) become ``int``, other non-blank text (chat
    UUIDs) is stripped; ``None``, blanks, booleans, objects and lists give None. The raw record
    (prefetch) and the conformed one (the SDK) so give the same context.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdigit():
            return int(text)
        return text or None
    return None


def by_field(context_key: str, field_name: str = "id") -> ChildContexts:
    """Children get the parent's context plus ``context_key`` = the record's ``field_name``.

    A record without a usable id (see ``child_id``) has no children; one whose id is there but
    unusable (blank, an object...) yields a ``NoChildId``.
    """

    def contexts(
        record: Mapping[str, Any], context: Mapping[str, Any] | None
    ) -> Iterable[dict[str, Any] | NoChildId]:
        raw = record.get(field_name)
        value = child_id(raw)
        if value is None:
            return [] if raw is None else [NoChildId(field_name, raw)]
        return [{**(context or {}), context_key: value}]

    return contexts


@dataclass(frozen=True)
class StreamSpec:
    """Everything that differs between two MTS Link streams."""

    name: str
    path: str
    schema: dict[str, Any]
    #: Endpoint family for error messages (which scope a 403 means is missing).
    scope: str
    primary_keys: tuple[str, ...] = ("id",)
    parent: str | None = None
    pagination: Pagination = "none"
    envelope: Envelope = "array"
    #: Largest page size the endpoint allows.
    page_size: int = 0
    params: Mapping[str, Any] = field(default_factory=dict)
    window: Window = "none"
    #: Send ``status[0..2]`` = ACTIVE, START, STOP (the schedule's default is ACTIVE only).
    all_statuses: bool = False
    replication_key: str | None = None
    #: Split each raw item into the records of this list field (schedule -> sessions).
    explode: str | None = None
    #: ``(setting, raw field)``: keep only items whose field is in the setting's id list.
    narrow: tuple[tuple[str, str], ...] = ()
    #: How this stream's records feed its children.
    child_contexts: ChildContexts | None = None
    #: Emit each primary key once per run (the same chat channel is listed for every member).
    dedupe: bool = False
    #: Statuses that mean "no data for this request" (skipped and counted, not fatal).
    empty_statuses: frozenset[int] = frozenset()
    #: Extra README text (quirks of this endpoint).
    notes: str = ""
    #: Parent streams: whether a record has not started yet (given the run's start); its
    #: children's contexts then carry ``NOT_STARTED``.
    not_started: Callable[[Mapping[str, Any], datetime], bool] | None = None
    #: Child streams: lists that fill only once the parent has started (a session's chat,
    #: questions...), not requested for a parent that has not; a later run reads them, since
    #: the parent stays in its schedule window until ``lookback_days`` after it starts.
    once_started: bool = False


def session_not_started(record: Mapping[str, Any], run_started: datetime) -> bool:
    """A session still planned: status ``ACTIVE`` and a start after the run's.

    A session whose start cannot be read counts as started, so everything of it is read.
    """
    if record.get("status") != "ACTIVE":
        return False
    for field_name in ("startsAt", "utcStartsAt"):
        try:
            starts = parse_datetime(record.get(field_name))
        except ValueError:
            continue
        if starts is not None:
            return starts > run_started
    return False
