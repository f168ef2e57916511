"""The REST entities: most as data (one spec per endpoint, one class built per spec).

Posts and clicks (bounded by ``after``/``before``) and postlogs (bulk pages) have classes of
their own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from tap_oktopost import schemas
from tap_oktopost.client import OktopostStream, api_datetime, child_id
from tap_oktopost.streams.postlogs import PostlogsStream

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


class CreatedWindowStream(OktopostStream):
    """A list endpoint that takes ``after``/``before`` on ``Created``: incremental on it.

    Each request carries ``after`` = the bookmark (``start_date`` on the first run) and
    ``before`` = when the run began, so a rerun asks only for what was created since, and
    records created while the run pages do not shift its pages.
    """

    primary_keys = ("Id",)
    replication_key = "Created"
    extra_params: ClassVar[dict[str, str]] = {"_order": "created"}

    def get_url_params(self, context: Context | None, next_page_token: Any) -> dict[str, Any]:
        """``after`` and ``before`` in Oktopost's ``2019-06-30T00:00:00`` form (UTC)."""
        params = super().get_url_params(context, next_page_token)
        start: datetime | None = self.get_starting_timestamp(context)
        end: datetime = self.tap.run_started  # type: ignore[attr-defined]
        if start is not None:
            params["after"] = api_datetime(start)
        if start is None or api_datetime(end) > api_datetime(start):
            params["before"] = api_datetime(end)
        return params


class PostsStream(CreatedWindowStream):
    """``GET /post``: posts (scheduled and sent), incremental on ``Created``."""

    name = "posts"
    path = "/post"
    schema = schemas.POST


class ClicksStream(CreatedWindowStream):
    """``GET /click``: link clicks, incremental on ``Created`` (``_count`` up to 200)."""

    name = "clicks"
    path = "/click"
    schema = schemas.CLICK
    max_count = 200


#: The REST streams in catalog order: spec names, and the streams with classes of their own.
STREAM_ORDER: tuple[str | type[OktopostStream], ...] = (
    "campaigns",
    "messages",
    PostsStream,
    PostlogsStream,
    "social_profiles",
    "users",
    "leads",
    "tags",
    "boards",
    "advocates",
    "stories",
    ClicksStream,
)


def build_rest_streams() -> list[type[OktopostStream]]:
    """A stream class per spec (parents before children) and the other REST streams."""
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
    return [classes[item] if isinstance(item, str) else item for item in STREAM_ORDER]


def _class_name(name: str) -> str:
    return "".join(part.title() for part in name.split("_")) + "Stream"


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
