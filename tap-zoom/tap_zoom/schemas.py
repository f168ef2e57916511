"""JSON schemas of the Zoom records, in the types the API really returns."""

from __future__ import annotations

from singer_sdk import typing as th

S = th.StringType
DT = th.DateTimeType
INT = th.IntegerType
BOOL = th.BooleanType
NUM = th.NumberType


def prop(name: str, kind: th.JSONTypeHelper, **kwargs: object) -> th.Property:
    """A nullable property (Zoom omits or nulls most fields somewhere)."""
    return th.Property(name, kind, **kwargs)  # type: ignore[arg-type]


def strings(*names: str) -> list[th.Property]:
    """Several string properties."""
    return [prop(n, S) for n in names]


USER = th.PropertiesList(
    prop("id", S, required=True, description="Zoom user id"),
    *strings("first_name", "last_name", "display_name", "email", "timezone", "dept"),
    *strings("status", "language", "phone_number", "employee_unique_id", "role_id"),
    *strings("last_client_version", "pic_url", "host_key", "cms_user_id", "jid", "account_id"),
    *strings("login_type", "plan_united_type", "account_number", "cluster", "user_type"),
    prop("type", INT, description="1 basic, 2 licensed, 4 unassigned, 99 none"),
    prop("pmi", INT),
    prop("verified", INT),
    prop("created_at", DT),
    prop("user_created_at", DT),
    prop("last_login_time", DT),
    prop("group_ids", th.ArrayType(S)),
    prop("im_group_ids", th.ArrayType(S)),
    prop("custom_attributes", th.ArrayType(th.ObjectType(additional_properties=True))),
).to_dict()

MEETING_SERIES = th.PropertiesList(
    prop("id", INT, required=True, description="Series id, shared by every instance"),
    prop("uuid", S, description="UUID of the latest instance"),
    prop("user_id", S, description="The host's user id (parent key)"),
    *strings("host_id", "topic", "timezone", "join_url", "agenda", "password"),
    prop("type", INT, description="1 instant, 2 scheduled, 3 recurring, 8 recurring fixed"),
    prop("start_time", DT),
    prop("created_at", DT),
    prop("duration", INT, description="Minutes"),
    prop("pmi", S),
).to_dict()

PAST_MEETING = th.PropertiesList(
    prop("uuid", S, required=True, description="This instance"),
    prop("id", INT, description="Series id (meeting number)"),
    prop("user_id", S, description="The host's user id (parent key)"),
    *strings("host_id", "topic", "user_name", "user_email", "source", "dept"),
    prop("type", INT),
    prop("start_time", DT),
    prop("end_time", DT),
    prop("schedule_time", DT),
    prop("join_waiting_room_time", DT),
    prop("duration", INT, description="Minutes"),
    prop("total_minutes", INT),
    prop("participants_count", INT),
    prop("session_key", S),
    prop("has_meeting_summary", BOOL),
    prop("custom_keys", th.ArrayType(th.ObjectType(additional_properties=True))),
    prop("tracking_fields", th.ArrayType(th.ObjectType(additional_properties=True))),
).to_dict()

PARTICIPANT_SESSION = th.PropertiesList(
    prop("meeting_uuid", S, required=True, description="Instance UUID (parent key)"),
    prop("meeting_id", INT, description="Series id (parent key)"),
    prop("user_id", S, required=True, description="Participant id within the instance"),
    prop("join_time", DT, required=True, description="Start of this session"),
    prop("leave_time", DT),
    prop("id", S, description="Zoom user id; empty for guests"),
    *strings("name", "user_email", "registrant_id", "participant_user_id", "status"),
    *strings("customer_key", "attentiveness_score", "bo_mtg_id", "groupId", "internal_user"),
    prop("duration", INT, description="Seconds"),
    prop("failover", BOOL),
).to_dict()

WEBINAR_PARTICIPANT_SESSION = th.PropertiesList(
    prop("webinar_uuid", S, required=True, description="Webinar instance UUID (parent key)"),
    prop("webinar_id", INT, description="Webinar id (parent key)"),
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
    *strings("email", "user_name", "dept", "last_client_version"),
    prop("type", INT),
    prop("meetings", INT),
    prop("participants", INT),
    prop("meeting_minutes", INT),
    prop("last_login_time", DT),
    prop("create_time", DT),
    prop("custom_attributes", th.ArrayType(th.ObjectType(additional_properties=True))),
).to_dict()

DASHBOARD_MEETING = th.PropertiesList(
    prop("uuid", S, required=True),
    prop("id", INT),
    *strings("topic", "host", "email", "user_type", "dept", "duration"),
    prop("duration_seconds", INT, description="duration ('HH:MM:SS' or 'MM:SS') in seconds"),
    prop("start_time", DT),
    prop("end_time", DT),
    prop("participants", INT),
    prop("in_room_participants", INT),
    *[
        prop(flag, BOOL)
        for flag in (
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
        )
    ],
    prop("custom_keys", th.ArrayType(th.ObjectType(additional_properties=True))),
    prop("tracking_fields", th.ArrayType(th.ObjectType(additional_properties=True))),
).to_dict()

DASHBOARD_PARTICIPANT = th.PropertiesList(
    prop("meeting_uuid", S, required=True, description="Instance UUID (parent key)"),
    prop("meeting_id", INT, description="Series id (parent key)"),
    prop("user_id", S, required=True),
    prop("join_time", DT, required=True),
    prop("leave_time", DT),
    *strings("id", "user_name", "device", "ip_address", "location", "network_type"),
    *strings("microphone", "speaker", "camera", "data_center", "connection_type"),
    *strings("pc_name", "domain", "mac_addr", "harddisk_id", "version", "leave_reason"),
    *strings("email", "registrant_id", "status", "customer_key", "full_data_center", "os"),
    *strings("os_version", "device_name", "groupId", "participant_user_id", "audio_call"),
    prop("share_application", BOOL),
    prop("share_desktop", BOOL),
    prop("share_whiteboard", BOOL),
    prop("recording", BOOL),
    prop("from_sip_uri", S),
    prop("role", S),
).to_dict()

RECORDING_FILE = th.ObjectType(
    prop("id", S),
    prop("meeting_id", S),
    prop("recording_start", DT),
    prop("recording_end", DT),
    *strings("file_type", "file_extension", "play_url", "download_url", "status"),
    *strings("recording_type", "deleted_time", "file_path"),
    prop("file_size", INT),
    additional_properties=True,
)

RECORDING = th.PropertiesList(
    prop("uuid", S, required=True),
    prop("id", INT),
    prop("user_id", S, description="The host's user id (parent key)"),
    *strings("account_id", "host_id", "topic", "share_url", "password"),
    prop("type", INT),
    prop("start_time", DT),
    prop("duration", INT),
    prop("total_size", INT),
    prop("recording_count", INT),
    prop("recording_files", th.ArrayType(RECORDING_FILE)),
).to_dict()

WEBINAR_SERIES = th.PropertiesList(
    prop("id", INT, required=True),
    prop("uuid", S),
    prop("user_id", S, description="The host's user id (parent key)"),
    *strings("host_id", "topic", "timezone", "join_url", "agenda"),
    prop("type", INT),
    prop("start_time", DT),
    prop("created_at", DT),
    prop("duration", INT),
    prop("is_simulive", BOOL),
).to_dict()

DAILY_USAGE = th.PropertiesList(
    prop("date", th.DateType, required=True),
    prop("new_users", INT),
    prop("meetings", INT),
    prop("participants", INT),
    prop("meeting_minutes", INT),
).to_dict()
