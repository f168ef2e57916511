"""``postlogs``: every post's postlogs in bulk pages, or one post at a time when refused.

The API notes (§3) cite ``/postlog?withStats=1&_page&_count`` without ``postId``: one request
lists the postlogs of many posts. The documented form (§2) needs ``postId``. The stream asks
for bulk pages first; when the API refuses them (``Result: false`` or HTTP 400/404/405/422 on
the first page) it logs one warning and reads the postlogs one post at a time for the rest of
the run, listing the posts itself (every post: a post created long ago can be sent later).

Both ways give the same records, keys and schema: a postlog's post is its own ``PostId``
(filled from the post asked for when the per-post answer leaves it out), and both ways ask
``withStats=1``, so every record carries the postlog's ``Stats`` counters. The stream is full
table in both ways (``/postlog`` takes no time filter) and has no parent, so its state holds
no partitions and does not depend on the way it was read.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import parse_qs, urlsplit

from singer_sdk.exceptions import FatalAPIError

from tap_common import SkippedResource
from tap_common.stream import collect_records
from tap_oktopost import schemas
from tap_oktopost.client import OktopostStream, child_id
from tap_oktopost.coerce import is_blank

if TYPE_CHECKING:
    from concurrent.futures import Future

    import requests
    from singer_sdk.helpers.types import Context

#: HTTP statuses by which the API may refuse the bulk listing (besides ``Result: false``).
#: 401 (credentials), 403 (no permission), 429 and 5xx keep their usual meaning.
BULK_REFUSAL_STATUSES = frozenset({400, 404, 405, 422})


class BulkRefused(FatalAPIError):
    """The API would not list postlogs without ``postId``."""


def is_bulk_request(response: requests.Response) -> bool:
    """Whether the request behind ``response`` asked for postlogs without ``postId``."""
    request = response.request
    url = getattr(request, "url", None) or response.url or ""
    return "postId" not in parse_qs(urlsplit(str(url)).query)


def refuses_bulk(response: requests.Response) -> bool:
    """A refusal of the bulk listing: ``Result: false`` under 400, or a refusing 4xx."""
    status = response.status_code
    if status in BULK_REFUSAL_STATUSES:
        return True
    if status >= HTTPStatus.BAD_REQUEST:
        return False
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, Mapping) and body.get("Result") is False


class PostIdsProbe(OktopostStream):
    """``GET /post`` unbounded, for the ids of every post (per-post mode; not in the catalog).

    Named after the stream it serves, so its requests count as that stream's.
    """

    name = "postlogs"
    path = "/post"
    schema: ClassVar[dict] = {"type": "object", "properties": {}}
    extra_params: ClassVar[dict[str, str]] = {"_order": "created"}

    def post_ids(self) -> Iterator[str]:
        """Each post's id once, in the order listed."""
        seen: set[str] = set()
        for post in self.request_records(None):
            post_id = child_id(post)
            if post_id is not None and post_id not in seen:
                seen.add(post_id)
                yield post_id


class PostlogsStream(OktopostStream):
    """``GET /postlog``: postlogs (social posts as sent to each network) of every post."""

    name = "postlogs"
    path = "/postlog"
    primary_keys = ("Id",)
    schema = schemas.POSTLOG
    records_key = "Postlogs"
    context_params: ClassVar[dict[str, str]] = {"post_id": "postId"}
    # Per post: a 404 means the post was deleted meanwhile; it is skipped and counted.
    skip_not_found = True
    #: ``None`` until the first bulk page answers; then whether the bulk listing works.
    bulk: bool | None = None

    def get_url_params(self, context: Context | None, next_page_token: Any) -> dict[str, Any]:
        """``withStats=1`` as the notes cite it; bulk: ``_page&_count``; per post: ``postId``."""
        params = super().get_url_params(context, next_page_token)
        params["withStats"] = "1"  # the counters come along in both ways, at no extra request
        return params

    def classify_error(self, response: requests.Response) -> None:
        """A refused bulk page raises ``BulkRefused`` (the per-post way follows)."""
        if is_bulk_request(response) and refuses_bulk(response):
            msg = self.tap.redactor(
                f"HTTP {response.status_code}: {self.error_details(response)[1]}"
            )
            raise BulkRefused(msg)
        super().classify_error(response)

    def fetch_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        """Bulk pages, or one post at a time once the API refused them."""
        if context:
            return self.request_records(context)
        return self._every_postlog()

    def _every_postlog(self) -> Iterator[dict[str, Any]]:
        if self.bulk is not False:
            try:
                for row in self.request_records(None):
                    self.bulk = True
                    yield self._from_bulk(row)
            except BulkRefused as exc:
                if self.bulk:
                    raise  # a later page failed: the endpoint did list postlogs
                self.bulk = False
                self.logger.warning(
                    "Oktopost refused to list postlogs without postId (%s); reading them one "
                    "post at a time for the rest of the run (a request per post).",
                    exc,
                )
            else:
                self.bulk = True
                return
        yield from self._per_post()

    def _from_bulk(self, row: Any) -> Any:
        """The record as the per-post answer has it (``Stats`` included: nothing is dropped)."""
        if not isinstance(row, Mapping):
            return row
        row = dict(row)
        if is_blank(row.get("PostId")) and not getattr(self, "_warned_no_post", False):
            self._warned_no_post = True
            self.logger.warning(
                "Stream 'postlogs': postlog %r came without its PostId in the bulk listing; "
                "it is emitted without it.",
                row.get("Id"),
            )
        return row

    # --- one post at a time ----------------------------------------------------------------

    def _per_post(self) -> Iterator[dict[str, Any]]:
        """Each post's postlogs, in the order of the posts; fetched ahead on worker threads."""
        contexts = ({"post_id": post_id} for post_id in PostIdsProbe(tap=self.tap).post_ids())
        if not self.runtime.concurrent:
            for context in contexts:
                yield from self._post_records(
                    context, collect_records(self.request_records, context)
                )
            return
        window = max(2, self.runtime.max_workers * 2)
        pending: deque[tuple[dict, Future]] = deque()
        try:
            for context in contexts:
                pending.append(
                    (
                        context,
                        self.runtime.executor.submit(
                            collect_records, self.request_records, context
                        ),
                    )
                )
                if len(pending) >= window:
                    head, future = pending.popleft()
                    yield from self._post_records(head, future.result())
            while pending:
                head, future = pending.popleft()
                yield from self._post_records(head, future.result())
        finally:
            for _, future in pending:
                future.cancel()

    def _post_records(
        self, context: dict, fetched: tuple[list[Any], BaseException | None]
    ) -> Iterator[Any]:
        records, error = fetched
        for row in records:
            if isinstance(row, Mapping) and is_blank(row.get("PostId")):
                row = {**row, "PostId": context["post_id"]}  # noqa: PLW2901
            yield row
        if isinstance(error, SkippedResource):
            self.skip(context, error)
        elif error is not None:
            raise error
