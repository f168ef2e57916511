"""Seeded "drift mode": records served with some fields in another JSON shape.

Every stand-in takes these options (``build(...)`` keywords, or ``--option`` on the CLI)::

    drift=<share>        share 0..1 of eligible fields (and of objects, for added fields)
                         that change shape; default 0 (off). A string such as "0.3" is parsed.
    drift_seed=<int>     seed of the drift decisions; default 1.
    drift_log=<path>     optional: append each new change to this file as one JSON line.
    fail_path=<regex>    every request whose raw path matches gets the API's own 404.
    keyless=<regex>      records served from matching raw paths lose their key fields.

e.g. ``python -m standins zoom --option drift=0.3 --option drift_seed=5
--option drift_log=/tmp/changes.jsonl``.

Decisions are a pure function of (seed, resource, record identity, field path): the same record
served twice (another page, a second run, a retry) drifts the same way. Drift changes shapes,
never which records exist, and applies to records only (never to envelopes: page tokens,
totals, ``Result``, ``meta``). Responses are served from a copy: stored data never changes.

What changes, by the JSON type of the value (``kind`` names what the value became):

* object  -> ``array`` (``[]``), ``empty_string`` (``""``), ``json_text`` (``json.dumps``)
* integer or other number -> ``string`` (``"123"``), ``object`` (``{"value": 123}``)
* array   -> ``object`` (``{"0": first, "1": second, ...}``)
* boolean -> ``int`` (0/1)
* any of these, and strings -> ``null`` or ``missing`` (the key is deleted); ``null`` values
  may only go ``missing``
* ``extra``: an unknown field ``x_drift_<n>`` added to an object (an object, string or integer)

Nested objects, and objects inside arrays, are walked too (paths such as
``["settings", "audio", "type"]`` or ``["recording_files", 0, "file_size"]``); a field that
drifts is not walked further. Protected field names (keys, replication keys, parent links,
whatever the stand-in or the taps' paging needs) never change at any depth, but objects under
them are walked.

In-process, ``standin.drift.changes`` lists the changes served so far, each once (a change is
recorded the first time it is served; serving it again adds nothing)::

    {"resource": "/v2/users", "path": ["dept"], "key": {"id": "KDcu..."},
     "kind": "null", "before": "Research", "after": null}

``resource`` is a stable name of the endpoint (its route template, or for Oktopost's BI
exports the CSV's name in the ZIP); ``key`` holds the record's identity fields (for child
records, also the parent key from the path, named as the tap names it); ``before``/``after``
hold ``MISSING`` (``"<missing>"``) for a deleted or an added field. CSV cells drift with the
kinds ``text`` (a non-numeric word such as ``n/a``) and ``empty``.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: ``before``/``after`` of a field that is not there (deleted, or added by drift).
MISSING = "<missing>"
#: The options every stand-in's ``build`` accepts for drift and breakage.
SWITCHES = ("drift", "drift_seed", "drift_log", "fail_path", "keyless")
#: What a drifted CSV cell becomes with the kind ``text``.
CELL_TEXTS = ("n/a", "N/A", "-", "unknown", "#VALUE!")

Key = dict[str, Any]
FieldPath = list[str | int]


# --- decisions ------------------------------------------------------------------------------


def kinds_for(value: Any) -> tuple[str, ...]:
    """The kinds of drift a value of this JSON type may undergo."""
    if value is None:
        return ("missing",)
    if isinstance(value, bool):
        return ("int", "null", "missing")
    if isinstance(value, (int, float)):
        return ("string", "object", "null", "missing")
    if isinstance(value, dict):
        return ("array", "empty_string", "json_text", "null", "missing")
    if isinstance(value, list):
        return ("object", "null", "missing")
    return ("null", "missing")


def changed_value(kind: str, value: Any) -> Any:
    """``value`` after drift of ``kind`` (``MISSING`` for ``missing``)."""
    if kind == "missing":
        return MISSING
    if kind == "null":
        return None
    if kind == "int":
        return int(value)
    if kind == "string":
        return str(value)
    if kind == "object":
        if isinstance(value, list):
            return {str(i): item for i, item in enumerate(value)}
        return {"value": value}
    if kind == "array":
        return []
    if kind == "empty_string":
        return ""
    if kind == "json_text":
        return json.dumps(value)
    raise ValueError(f"unknown drift kind {kind!r}")


def identity_of(key: Key, record: Any) -> str:
    """The record's identity for hashing: its key, or its content when it has no key."""
    if any(v is not None for v in key.values()):
        return json.dumps(key, sort_keys=True, default=str)
    text = json.dumps(record, sort_keys=True, default=str)
    return "content:" + hashlib.sha1(text.encode()).hexdigest()  # noqa: S324 (not security)


def parse_share(value: Any) -> float:
    """A share 0..1 from a number or a CLI string such as ``"0.3"``."""
    share = float(value) if value not in (None, "") else 0.0
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"drift must be a share between 0 and 1, not {value!r}")
    return share


@dataclass
class _Spot:
    """The record being drifted: what the hash of each decision is made of."""

    resource: str
    identity: str
    key: Key
    protected: frozenset[str]


class Drifter:
    """Changes the shape of record fields, deterministically per seed, and logs each change."""

    def __init__(
        self, share: float | str = 0.0, seed: int | str = 1, log_path: str | Path | None = None
    ) -> None:
        self.share = parse_share(share)
        self.seed = int(seed)
        self.log_path = Path(log_path) if log_path else None
        self._lock = threading.Lock()
        self._changes: list[dict[str, Any]] = []
        self._seen: set[str] = set()

    @property
    def active(self) -> bool:
        """Whether anything drifts at all."""
        return self.share > 0

    @property
    def changes(self) -> list[dict[str, Any]]:
        """A copy of every change served so far, in the order first served."""
        with self._lock:
            return copy.deepcopy(self._changes)

    def changes_for(self, resource: str) -> list[dict[str, Any]]:
        """The changes served from one resource."""
        return [c for c in self.changes if c["resource"] == resource]

    def clear(self) -> None:
        """Forget the changes recorded so far (decisions stay the same)."""
        with self._lock:
            self._changes.clear()
            self._seen.clear()

    # --- hashing ---------------------------------------------------------------------------

    def unit(self, *parts: Any) -> float:
        """A number in [0, 1) that depends only on the seed and ``parts``."""
        text = json.dumps([self.seed, *parts], sort_keys=True, default=str)
        digest = hashlib.blake2b(text.encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big") / 2**64

    def _hit(self, spot: _Spot, path: FieldPath, salt: str) -> bool:
        return self.unit(spot.resource, spot.identity, path, salt) < self.share

    def _pick(self, spot: _Spot, path: FieldPath, salt: str, options: tuple[Any, ...]) -> Any:
        index = int(self.unit(spot.resource, spot.identity, path, salt) * len(options))
        return options[min(index, len(options) - 1)]

    # --- records ---------------------------------------------------------------------------

    def drift_record(
        self,
        resource: str,
        record: dict[str, Any],
        key: Key,
        protected: Iterable[str] = (),
    ) -> dict[str, Any]:
        """A drifted copy of ``record`` (the original is left alone); changes are logged."""
        served = json.loads(json.dumps(record))
        self.apply(resource, served, key, protected)
        return served

    def apply(
        self,
        resource: str,
        record: dict[str, Any],
        key: Key,
        protected: Iterable[str] = (),
    ) -> None:
        """Drift ``record`` in place: call it on a copy that is about to be served."""
        if not self.active:
            return
        spot = _Spot(resource, identity_of(key, record), dict(key), frozenset(protected))
        self._walk(spot, record, [])

    def _walk(self, spot: _Spot, obj: dict[str, Any], path: FieldPath) -> None:
        for name in list(obj):
            here: FieldPath = [*path, name]
            if name not in spot.protected and self._hit(spot, here, "field"):
                self._change(spot, obj, name, here)
            else:
                self._descend(spot, obj[name], here)
        self._add_extra(spot, obj, path)

    def _descend(self, spot: _Spot, value: Any, path: FieldPath) -> None:
        if isinstance(value, dict):
            self._walk(spot, value, path)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    self._walk(spot, item, [*path, index])

    def _change(self, spot: _Spot, obj: dict[str, Any], name: str, path: FieldPath) -> None:
        before = obj[name]
        kind = self._pick(spot, path, "kind", kinds_for(before))
        after = changed_value(kind, before)
        if kind == "missing":
            del obj[name]
        else:
            obj[name] = after
        self._record(spot, path, kind, before, after)

    def _add_extra(self, spot: _Spot, obj: dict[str, Any], path: FieldPath) -> None:
        if not self._hit(spot, [*path, "+"], "extra"):
            return
        number = int(self.unit(spot.resource, spot.identity, path, "extra-name") * 100)
        name = f"x_drift_{number}"
        if name in obj:
            return
        value = self._pick(
            spot,
            path,
            "extra-value",
            ({"note": "added by drift", "n": number}, f"drift {number}", number),
        )
        obj[name] = copy.deepcopy(value)
        self._record(spot, [*path, name], "extra", MISSING, value)

    def _record(self, spot: _Spot, path: FieldPath, kind: str, before: Any, after: Any) -> None:
        change = {
            "resource": spot.resource,
            "path": list(path),
            "key": spot.key,
            "kind": kind,
            "before": before,
            "after": after,
        }
        self.record(change)

    def record(self, change: dict[str, Any]) -> None:
        """Keep ``change`` unless an equal one was served before; append it to the log file."""
        line = json.dumps(change, sort_keys=True, default=str)
        with self._lock:
            if line in self._seen:
                return
            self._seen.add(line)
            self._changes.append(json.loads(line))
            if self.log_path is not None:
                with self.log_path.open("a", encoding="utf-8") as out:
                    out.write(line + "\n")

    # --- CSV cells -------------------------------------------------------------------------

    def drift_cell(self, resource: str, key: Key, column: str, value: str) -> str:
        """A CSV cell of a numeric or date column, maybe turned into text or blank."""
        if not self.active or not value.strip():
            return value
        spot = _Spot(resource, identity_of(key, None), dict(key), frozenset())
        path: FieldPath = [column]
        if not self._hit(spot, path, "cell"):
            return value
        kind = self._pick(spot, path, "kind", ("text", "empty"))
        after = self._pick(spot, path, "text", CELL_TEXTS) if kind == "text" else ""
        self._record(spot, path, kind, value, after)
        return after


# --- where records are in a response ----------------------------------------------------------

Locator = Callable[[Any], list[dict[str, Any]]]
Context = Callable[[dict[str, str], Any], Key]


def records_at(*steps: str) -> Locator:
    """A locator: follow ``steps`` (keys, ``*`` for every item of a list) to the records.

    ``records_at("users", "*")`` finds ``body["users"][i]``; ``records_at("*")`` the items of
    a bare array; ``records_at()`` the body itself; ``records_at("data")`` a wrapped object.
    """

    def locate(body: Any) -> list[dict[str, Any]]:
        nodes = [body]
        for step in steps:
            following: list[Any] = []
            for node in nodes:
                if step == "*" and isinstance(node, list):
                    following.extend(node)
                elif isinstance(node, dict) and step in node:
                    following.append(node[step])
            nodes = following
        return [node for node in nodes if isinstance(node, dict)]

    return locate


def dig(record: dict[str, Any], dotted: str) -> Any:
    """The value at a dotted path (``file.id``), ``None`` if any step is missing."""
    node: Any = record
    for part in dotted.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def drop(record: dict[str, Any], dotted: str) -> None:
    """Delete the field at a dotted path, if it is there."""
    *parents, last = dotted.split(".")
    node: Any = record
    for part in parents:
        node = node.get(part) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node.pop(last, None)


@dataclass(frozen=True)
class RecordRoute:
    """Where one endpoint's answers hold records, and what identifies each record.

    ``pattern`` is matched against the raw path (whole match); ``key`` lists record fields
    (dotted for nested ones: ``file.id`` is keyed as ``id``); ``context`` adds key fields from
    the path's named groups and the request (a parent's id, named as the tap names it);
    ``protected`` adds field names that never drift on this endpoint.
    """

    pattern: re.Pattern[str]
    resource: Callable[[dict[str, str]], str]
    locate: Locator
    key: tuple[str, ...] = ("id",)
    context: Context | None = None
    protected: frozenset[str] = frozenset()

    def key_of(self, record: dict[str, Any], params: dict[str, str], request: Any) -> Key:
        """The record's key: context fields first, then its own key fields."""
        key: Key = dict(self.context(params, request)) if self.context else {}
        for dotted in self.key:
            key[dotted.rsplit(".", 1)[-1]] = dig(record, dotted)
        return key

    def protected_names(self, shared: frozenset[str]) -> frozenset[str]:
        """Names that never drift here: the stand-in's, this route's, and every key step."""
        steps = {part for dotted in self.key for part in dotted.split(".")}
        return shared | self.protected | steps


def path_params(**converters: Callable[[str], Any]) -> Context:
    """A ``context`` taking key fields from the path's named groups, each converted."""

    def context(params: dict[str, str], request: Any) -> Key:  # noqa: ARG001
        return {name: convert(params[name]) for name, convert in converters.items()}

    return context


def pop_switches(options: dict[str, Any]) -> dict[str, Any]:
    """Remove the drift and breakage options from ``options`` and return them."""
    return {name: options.pop(name) for name in SWITCHES if name in options}
