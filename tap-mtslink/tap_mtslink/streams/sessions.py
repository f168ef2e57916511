"""What one event session holds: people, chat, questions, transcripts, activity, files, MP4s."""

from __future__ import annotations

from tap_mtslink import schemas
from tap_mtslink.client import CHAT_LIMIT
from tap_mtslink.specs import StreamSpec, by_field

SESSION = "/eventsessions/{eventSessionId}"
#: Largest ``perPage`` of participations (10, 50, 100, 250, 500).
PEOPLE_PAGE = 500
#: Largest ``perPage`` of converted records (10, 25, 50, 100, 250, 500) and interactions.
WRAPPED_PAGE = 500
#: Largest ``perPage`` of the transcript list (default 50, at most 1000).
TRANSCRIPT_PAGE = 1000
SESSION_KEYS = ("eventSessionId", "id")


def _activity(name: str, path: str, *, once_started: bool = True) -> StreamSpec:
    """A per-session list of unknown shape, keyed by session and id."""
    return StreamSpec(
        name=name,
        path=SESSION + path,
        parent="event_sessions",
        schema=schemas.SESSION_ACTIVITY,
        scope="events",
        primary_keys=SESSION_KEYS,
        once_started=once_started,
    )


SPECS = [
    StreamSpec(
        name="event_session_details",
        path=SESSION,
        parent="event_sessions",
        schema=schemas.EVENT_SESSION_DETAIL,
        scope="events",
        envelope="object",
    ),
    StreamSpec(
        name="participations",
        path=SESSION + "/participations",
        parent="event_sessions",
        schema=schemas.PARTICIPATION,
        scope="events",
        pagination="page",
        page_size=PEOPLE_PAGE,
    ),
    StreamSpec(
        name="chat_messages",
        path=SESSION + "/chat",
        parent="event_sessions",
        schema=schemas.CHAT_MESSAGE,
        scope="chats",
        primary_keys=SESSION_KEYS,
        params={"limit": CHAT_LIMIT},
        once_started=True,
    ),
    StreamSpec(
        name="questions",
        path=SESSION + "/questions",
        parent="event_sessions",
        schema=schemas.QUESTION,
        scope="events",
        primary_keys=SESSION_KEYS,
        once_started=True,
    ),
    StreamSpec(
        name="transcripts",
        path=SESSION + "/transcript/list",
        parent="event_sessions",
        schema=schemas.TRANSCRIPT,
        scope="transcripts",
        primary_keys=SESSION_KEYS,
        pagination="cursor",
        envelope="data.items",
        page_size=TRANSCRIPT_PAGE,
        child_contexts=by_field("transcriptId"),
        once_started=True,
    ),
    StreamSpec(
        name="transcript_details",
        path="/transcript/{transcriptId}",
        parent="transcripts",
        schema=schemas.TRANSCRIPT_DETAIL,
        scope="transcripts",
        envelope="data.object",
        notes="summary and full text of one transcript",
    ),
    _activity("agendas", "/agendas", once_started=False),  # prepared before the session
    _activity("attention_checkpoints", "/attention-control/checkpoints"),
    StreamSpec(
        name="attention_interactions",
        path=SESSION + "/attention-control/interactions",
        parent="event_sessions",
        schema=schemas.ATTENTION_INTERACTION,
        scope="events",
        primary_keys=SESSION_KEYS,
        pagination="page",
        envelope="data.items",
        page_size=WRAPPED_PAGE,
        once_started=True,
    ),
    _activity("raised_hands", "/raising-hands"),
    _activity("likes", "/likes"),
    _activity("emoji_reactions", "/emoji-reactions"),
    StreamSpec(
        name="session_files",
        path=SESSION + "/files",
        parent="event_sessions",
        schema=schemas.SESSION_FILE,
        scope="files",
        primary_keys=SESSION_KEYS,
        envelope="file-wrappers",
    ),
    StreamSpec(
        name="converted_records",
        path=SESSION + "/converted-records",
        parent="event_sessions",
        schema=schemas.CONVERTED_RECORD,
        scope="records",
        primary_keys=SESSION_KEYS,
        pagination="page",
        envelope="data.items",
        page_size=WRAPPED_PAGE,
        child_contexts=by_field("conversionId"),
        notes="MP4 files: metadata and download URLs, never the binary",
        once_started=True,
    ),
    StreamSpec(
        name="converted_record_downloads",
        path="/fileSystem/file/{conversionId}",
        parent="converted_records",
        schema=schemas.CONVERTED_RECORD_FILE,
        scope="files",
        envelope="object",
        notes="the MP4 file's metadata by conversion id (404 until the conversion is done)",
    ),
    StreamSpec(
        name="record_conversions",
        path="/records/conversions/{conversionId}",
        parent="converted_records",
        schema=schemas.RECORD_CONVERSION,
        scope="records",
        envelope="object",
    ),
]
