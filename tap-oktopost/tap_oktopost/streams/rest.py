"""The REST entities, defined as data: one spec per endpoint, one class built per spec."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from tap_oktopost import schemas
from tap_oktopost.client import OktopostStream

if TYPE_CHECKING:
    from singer_sdk.helpers.types import Context


@dataclass(frozen=True)
class RestSpec:
    """One list endpoint of the API."""

    name: str
    path: str
    schema: dict
    records_key: str = "Items"
    params: dict[str, str] = field(default_factory=dict)
    max_count: int = 100
    primary_key: str = "Id"
    #: (parent stream name, context key, query parameter, record field)
    parent: tuple[str, str, str, str] | None = None
    doc: str = ""


SPECS: tuple[RestSpec, ...] = (
    RestSpec(
        "campaigns",
        "/campaign",
        schemas.CAMPAIGN,
        params={"withTags": "1"},
        doc="Campaigns, with their tags.",
    ),
    RestSpec(
        "messages",
        "/message",
        schemas.MESSAGE,
        params={"withTags": "1"},
        parent=("campaigns", "campaign_id", "campaignId", "CampaignId"),
        doc="Messages of each campaign (the API requires campaignId).",
    ),
    RestSpec("posts", "/post", schemas.POST, doc="Posts (scheduled and sent)."),
    RestSpec(
        "postlogs",
        "/postlog",
        schemas.POSTLOG,
        records_key="Postlogs",
        parent=("posts", "post_id", "postId", "PostId"),
        doc="Postlogs (social posts as sent to each network) of each post.",
    ),
    RestSpec(
        "social_profiles",
        "/credential",
        schemas.SOCIAL_PROFILE,
        params={"includeInvalid": "1"},
        doc="Connected social profiles, invalid ones included.",
    ),
    RestSpec("users", "/user", schemas.USER, doc="Users of the account."),
    RestSpec("leads", "/lead", schemas.LEAD, params={"all_leads": "true"}, doc="All leads."),
    RestSpec("tags", "/tag", schemas.TAG, doc="Tags."),
    RestSpec("boards", "/board", schemas.BOARD, doc="Advocacy boards."),
    RestSpec("advocates", "/advocate", schemas.ADVOCATE, doc="Advocates."),
    RestSpec(
        "stories",
        "/story",
        schemas.STORY,
        primary_key="ID",
        parent=("boards", "board_id", "boardId", "BoardId"),
        doc="Stories of each board (key ``ID``).",
    ),
)


class ClicksStream(OktopostStream):
    """``GET /click``: link clicks, incremental on ``Created`` (``after`` goes to the API)."""

    name = "clicks"
    path = "/click"
    primary_keys = ("Id",)
    replication_key = "Created"
    schema = schemas.CLICK
    max_count = 200
    extra_params: ClassVar[dict[str, str]] = {"_order": "created"}

    def get_url_params(self, context: Context | None, next_page_token: Any) -> dict[str, Any]:
        """The bound of this run as ``after`` (Oktopost's ``2019-06-30T00:00:00`` form)."""
        params = super().get_url_params(context, next_page_token)
        start: datetime | None = self.get_starting_timestamp(context)
        if start is not None:
            params["after"] = start.strftime("%Y-%m-%dT%H:%M:%S")
        return params


def build_rest_streams() -> list[type[OktopostStream]]:
    """A stream class per spec (parents before children), plus clicks."""
    classes: dict[str, type[OktopostStream]] = {}
    for spec in SPECS:
        attrs: dict[str, Any] = {
            "__doc__": f"``GET {spec.path}``: {spec.doc}",
            "__module__": __name__,
            "name": spec.name,
            "path": spec.path,
            "primary_keys": (spec.primary_key,),
            "schema": spec.schema,
            "records_key": spec.records_key,
            "max_count": spec.max_count,
            "extra_params": dict(spec.params),
        }
        if spec.parent:
            parent_name, context_key, param, record_field = spec.parent
            attrs.update(
                parent_stream_type=classes[parent_name],
                state_partitioning_keys=[],
                context_params={context_key: param},
                parent_fields={context_key: record_field},
                skip_not_found=True,
            )
        classes[spec.name] = type(_class_name(spec.name), (OktopostStream,), attrs)
    for spec in SPECS:
        if spec.parent:
            parent_name, context_key, _, _ = spec.parent
            _give_child_context(classes[parent_name], context_key)
    return [*classes.values(), ClicksStream]


def _class_name(name: str) -> str:
    return "".join(part.title() for part in name.split("_")) + "Stream"


def child_id(record: Any) -> str | None:
    """The record's ``Id`` as the child's query parameter, or ``None`` if it has no usable one.

    The same record may come raw (prefetch) or processed (the SDK): an id sent as a number
    gives the same context either way.
    """
    value = record.get("Id") if isinstance(record, Mapping) else None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _give_child_context(parent: type[OktopostStream], context_key: str) -> None:
    def get_child_context(
        self: OktopostStream,
        record: dict,
        context: Context | None,  # noqa: ARG001
    ) -> dict | None:
        """The child's context from the record's ``Id``; none (children skipped) without one."""
        value = child_id(record)
        if value is None:
            if not getattr(self, "_warned_no_id", False):
                self._warned_no_id = True
                self.logger.warning(
                    "Stream '%s': a record has no usable Id (%r); the records of its child "
                    "streams cannot be requested and are skipped.",
                    self.name,
                    record.get("Id") if isinstance(record, Mapping) else record,
                )
            return None
        return {context_key: value}

    parent.get_child_context = get_child_context  # type: ignore[method-assign]
