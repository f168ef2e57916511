"""JSON schemas of the Zoom records: narrow types only where the API's type is known.

A field is typed narrowly only where the project's API notes (``api-notes/zoom.md``) state its
type: primary and replication keys, the parent keys copied from them, int64 meeting ids
(notes §5), ``uuid`` strings (§5), ``type`` codes of users and meeting series (§4),
``pmi (int64)`` of users (§4), ``duration`` as a string in the dashboards and an integer
elsewhere (§5), timestamps (ISO 8601 UTC, §5), ``file_type`` and arrays the notes mark ``[]``.
Every other field (listed by name only, or not in the notes) is any JSON, so a shape the
stand-ins never send still loads. Every non-key field is nullable.
"""

from __future__ import annotations

from singer_sdk import typing as th

from tap_common.jsontypes import AnyJSON

S = th.StringType
DT = th.DateTimeType
INT = th.IntegerType


def prop(name: str, kind: th.JSONTypeHelper, **kwargs: object) -> th.Property:
    """A nullable property (Zoom omits or nulls most fields somewhere)."""
    return th.Property(name, kind, **kwargs)  # type: ignore[arg-type]


def anys(*names: str) -> list[th.Property]:
    """Several any-JSON properties: the notes give no type for them."""
    return [prop(n, AnyJSON()) for n in names]


def json_array() -> th.ArrayType:
    """An array (the notes mark the field ``[]``) whose items' type is not known."""
    return th.ArrayType(AnyJSON())


USER = th.PropertiesList(
    prop("id", S, required=True, description="Zoom user id"),
    *anys("first_name", "last_name", "display_name", "email", "timezone", "dept"),
    *anys("status", "language", "phone_number", "employee_unique_id", "role_id"),
    *anys("last_client_version", "pic_url", "host_key", "cms_user_id", "jid", "account_id"),
    *anys("login_type", "plan_united_type", "account_number", "cluster", "user_type"),
    prop("type", INT, description="1 basic, 2 licensed, 4 unassigned, 99 none"),
    prop("pmi", INT),
    prop("verified", AnyJSON()),
    prop("created_at", DT),
    prop("user_created_at", DT),
    prop("last_login_time", DT),
    prop("group_ids", json_array()),
    prop("im_group_ids", json_array()),
    prop("custom_attributes", json_array()),
).to_dict()

MEETING_SERIES = th.PropertiesList(
    prop("id", INT, required=True, description="Series id, shared by every instance"),
    prop("uuid", S, description="UUID of the latest instance"),
    prop("user_id", S, description="The host's user id (parent key)"),
    *anys("host_id", "topic", "timezone", "join_url", "agenda", "password"),
    prop("type", INT, description="1 instant, 2 scheduled, 3 recurring, 8 recurring fixed"),
    prop("start_time", DT),
    prop("created_at", DT),
    prop("duration", INT, description="Minutes"),
    prop("pmi", S, description="Personal meeting id; integers are written as strings"),
).to_dict()

PAST_MEETING = th.PropertiesList(
    prop("uuid", S, required=True, description="This instance"),
    prop("id", INT, description="Series id (meeting number)"),
    prop("user_id", S, description="The host's user id (parent key)"),
    *anys("host_id", "topic", "user_name", "user_email", "source", "dept"),
    prop("type", AnyJSON()),
    prop("start_time", DT),
    prop("end_time", DT),
    prop("schedule_time", DT),
    prop("join_waiting_room_time", DT),
    prop("duration", INT, description="Minutes"),
    *anys("total_minutes", "participants_count", "session_key", "has_meeting_summary"),
    *anys("custom_keys", "tracking_fields"),
).to_dict()

PARTICIPANT_SESSION = th.PropertiesList(
    prop("meeting_uuid", S, required=True, description="Instance UUID (parent key)"),
    prop("meeting_id", INT, description="Series id (parent key)"),
    prop("user_id", S, required=True, description="Participant id within the instance"),
    prop("join_time", DT, required=True, description="Start of this session"),
    prop("leave_time", DT),
    prop("id", AnyJSON(), description="Zoom user id; empty for guests"),
    *anys("name", "user_email", "registrant_id", "participant_user_id", "status"),
    *anys("customer_key", "attentiveness_score", "bo_mtg_id", "groupId", "internal_user"),
    prop("duration", INT, description="Seconds"),
    prop("failover", AnyJSON()),
).to_dict()

WEBINAR_PARTICIPANT_SESSION = th.PropertiesList(
    prop("webinar_uuid", S, required=True, description="Webinar instance UUID (parent key)"),
    prop("webinar_id", AnyJSON(), description="Webinar id (parent key)"),
    *[
        th.Property(name, th.CustomType(spec), required=name in PARTICIPANT_SESSION["required"])
        for name, spec in PARTICIPANT_SESSION["properties"].items()
        if name not in {"meeting_uuid", "meeting_id"}
    ],
).to_dict()

ACTIVE_HOST = th.PropertiesList(
    prop("id", S, required=True),
    prop("window_from", DT, required=True, description="First day of the report window"),
    prop("window_to", DT, description="Last day of the report window"),
    *anys("email", "user_name", "dept", "last_client_version"),
    *anys("type", "meetings", "participants", "meeting_minutes"),
    prop("last_login_time", DT),
    *anys("create_time", "custom_attributes"),
).to_dict()


def _dashboard_instance(id_kind: th.JSONTypeHelper) -> dict:
    return th.PropertiesList(
        prop("uuid", S, required=True),
        prop("id", id_kind),
        *anys("topic", "host", "email", "user_type", "dept"),
        prop("duration", S, description="'HH:MM:SS' or 'MM:SS', as Zoom sends it"),
        prop("duration_seconds", INT, description="duration ('HH:MM:SS' or 'MM:SS') in seconds"),
        prop("start_time", DT),
        prop("end_time", DT),
        *anys("participants", "in_room_participants"),
        *anys(
            "has_pstn",
            "has_voip",
            "has_3rd_party_audio",
            "has_video",
            "has_screen_share",
            "has_recording",
            "has_sip",
            "has_archiving",
            "has_manual_captions",
            "has_automated_captions",
        ),
        *anys("custom_keys", "tracking_fields"),
    ).to_dict()


#: ``/metrics/meetings``: meeting ids are int64 (notes §5).
DASHBOARD_MEETING = _dashboard_instance(INT)
#: ``/metrics/webinars``: the notes state no type for webinar ids.
DASHBOARD_WEBINAR = _dashboard_instance(AnyJSON())

DASHBOARD_PARTICIPANT = th.PropertiesList(
    prop("meeting_uuid", S, required=True, description="Instance UUID (parent key)"),
    prop("meeting_id", INT, description="Series id (parent key)"),
    prop("user_id", S, required=True),
    prop("join_time", DT, required=True),
    prop("leave_time", DT),
    *anys("id", "user_name", "device", "ip_address", "location", "network_type"),
    *anys("microphone", "speaker", "camera", "data_center", "connection_type"),
    *anys("pc_name", "domain", "mac_addr", "harddisk_id", "version", "leave_reason"),
    *anys("email", "registrant_id", "status", "customer_key", "full_data_center", "os"),
    *anys("os_version", "device_name", "groupId", "participant_user_id", "audio_call"),
    *anys("share_application", "share_desktop", "share_whiteboard", "recording"),
    *anys("from_sip_uri", "role"),
).to_dict()

RECORDING_FILE = th.ObjectType(
    prop("id", AnyJSON()),
    prop("meeting_id", S, description="The instance UUID"),
    prop("recording_start", DT),
    prop("recording_end", DT),
    prop("file_type", S, description="MP4, M4A, CHAT, TRANSCRIPT, ..."),
    *anys("file_extension", "play_url", "download_url", "status"),
    *anys("recording_type", "deleted_time", "file_path", "file_size"),
    additional_properties=True,
)

RECORDING = th.PropertiesList(
    prop("uuid", S, required=True),
    prop("id", INT),
    prop("user_id", S, description="The host's user id (parent key)"),
    *anys("account_id", "host_id", "topic", "share_url", "password"),
    prop("type", AnyJSON()),
    prop("start_time", DT),
    prop("duration", INT),
    *anys("total_size", "recording_count"),
    prop("recording_files", th.ArrayType(RECORDING_FILE)),
).to_dict()

WEBINAR_SERIES = th.PropertiesList(
    prop("id", INT, required=True),
    prop("uuid", S),
    prop("user_id", S, description="The host's user id (parent key)"),
    *anys("host_id", "topic", "timezone", "join_url", "agenda"),
    prop("type", AnyJSON()),
    prop("start_time", DT),
    prop("created_at", DT),
    prop("duration", INT),
    prop("is_simulive", AnyJSON()),
).to_dict()

DAILY_USAGE = th.PropertiesList(
    prop("date", th.DateType, required=True),
    *anys("new_users", "meetings", "participants", "meeting_minutes"),
).to_dict()
