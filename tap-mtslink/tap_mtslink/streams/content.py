"""Recordings, statistics and the file system."""

from __future__ import annotations

from tap_mtslink import schemas
from tap_mtslink.specs import StreamSpec, by_field

#: ``/records`` takes ``limit`` 1..500.
RECORDS_LIMIT = 500
#: Statistics answer 404 or 406 when a window holds no data.
NO_DATA = frozenset({404, 406})

SPECS = [
    StreamSpec(
        name="records",
        path="/records",
        schema=schemas.RECORDING,
        scope="records",
        pagination="offset",
        page_size=RECORDS_LIMIT,
        window="past",
        replication_key="createAt",
        notes="recordings: metadata and links, never the binary",
    ),
    StreamSpec(
        name="stats_events",
        path="/stats/events",
        schema=schemas.STATS_EVENT,
        scope="stats",
        window="past",
        replication_key="startsAt",
        empty_statuses=NO_DATA,
    ),
    StreamSpec(
        name="stats_users",
        path="/stats/users",
        schema=schemas.STATS_USER,
        scope="stats",
        window="past",
        empty_statuses=NO_DATA,
    ),
    StreamSpec(
        name="stats_user_visits",
        path="/stats/users/visits",
        schema=schemas.STATS_USER_VISIT,
        scope="stats",
        primary_keys=("userId", "eventSessionId"),
        window="past",
        empty_statuses=NO_DATA,
    ),
    StreamSpec(
        name="files",
        path="/fileSystem/files",
        schema=schemas.FILE,
        scope="files",
        child_contexts=by_field("fileId"),
    ),
    StreamSpec(
        name="file_details",
        path="/fileSystem/file/{fileId}",
        parent="files",
        schema=schemas.FILE,
        scope="files",
        envelope="object",
    ),
    StreamSpec(
        name="converted_record_files",
        path="/fileSystem/files/converted-record",
        schema=schemas.FILE,
        scope="files",
    ),
]
