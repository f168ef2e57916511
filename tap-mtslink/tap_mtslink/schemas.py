"""JSON schemas of the MTS Link records.

Conventions (see the README). A field is typed narrowly only where the API notes give its kind:
ids are integers (they exceed 2^31), UUID strings in the chat module; dates are ``date-time``
(RFC 3339 UTC after ``post_process``); durations are integer seconds; 0/1 flags are booleans;
an object the PHP backend sends as ``[]`` when empty is ``object``-or-null and ``[]`` becomes
``null``. Every other field is any JSON (``any_json()``: a field of a stream whose shape no
public source shows, or whose kind the notes do not give or contradict), or the union of the
shapes seen (``list_or_object()``: only ever seen as ``[]``, which PHP also sends for an empty
object). Keys stay strictly typed; every other field is nullable.
"""

from __future__ import annotations

from typing import Any

from tap_common.jsontypes import any_json, union

Schema = dict[str, Any]

STR: Schema = {"type": ["string", "null"]}
INT: Schema = {"type": ["integer", "null"]}
NUM: Schema = {"type": ["number", "null"]}
BOOL: Schema = {"type": ["boolean", "null"]}
DATETIME: Schema = {"type": ["string", "null"], "format": "date-time"}
#: An object the API sends as ``[]`` when empty (normalised to null).
PHP_OBJECT: Schema = {"type": ["object", "null"]}
#: A list whose items no source shows.
ANY_ARRAY: Schema = {"type": ["array", "null"]}


def list_or_object() -> Schema:
    """A field only ever seen as ``[]``: a list, or PHP's empty object (a JSON column)."""
    return union("array", "object")


def obj(**properties: Schema) -> Schema:
    """A nullable object with these properties (more keys allowed)."""
    return {"type": ["object", "null"], "properties": properties}


def arr(items: Schema) -> Schema:
    """A nullable array of ``items``."""
    return {"type": ["array", "null"], "items": items}


def record(*required: str, **properties: Schema) -> Schema:
    """A stream schema; ``required`` fields (the keys) are non-nullable."""
    props = dict(properties)
    for name in required:
        kind = props[name]["type"]
        props[name] = {**props[name], "type": kind[0] if isinstance(kind, list) else kind}
    return {"type": "object", "properties": props, "required": list(required)}


def merge(*schemas: Schema, **extra: Schema) -> Schema:
    """Properties of several record schemas plus ``extra``; required fields united."""
    props: dict[str, Schema] = {}
    required: list[str] = []
    for schema in schemas:
        props.update(schema["properties"])
        required += [r for r in schema.get("required", []) if r not in required]
    props.update(extra)
    required += [name for name, spec in extra.items() if isinstance(spec.get("type"), str)]
    return {"type": "object", "properties": props, "required": required}


def key(kind: str = "integer") -> Schema:
    """A non-null key field."""
    return {"type": kind}


# --- shared parts ---

#: ``createUser{id,name,secondName,email}`` (captured sessions).
USER_REF = obj(id=INT, name=STR, secondName=STR, email=STR)
#: ``accessSettings{3 bools}`` (captured sessions; ``[]`` when empty).
ACCESS_SETTINGS = obj(
    isPasswordRequired=BOOL, isRegistrationRequired=BOOL, isModerationRequired=BOOL
)
#: Embedded ``timezone{...}`` (captured) and ``/timezones`` rows (``offset`` in seconds).
TIMEZONE_REF = obj(
    id=INT,
    name=STR,
    description=STR,
    offset=INT,
    isDeleted=BOOL,
    shortDescription=STR,
    abbreviation=STR,
)
#: ``lectors[{name,secondName,position,avatar}]``: the lector's ``avatar`` has no known shape.
LECTOR = obj(name=STR, secondName=STR, position=STR, avatar=any_json())
#: ``image{id,createAt,name,thumbnails{...},...}`` of a session; ``thumbnails`` arrives as an
#: object or as JSON text, so it is any JSON.
IMAGE = obj(
    id=INT,
    url=STR,
    name=STR,
    createAt=DATETIME,
    downloadUrl=STR,
    thumbnailUrl=STR,
    thumbnails=any_json(),
    size=INT,
    mimeType=STR,
)
#: A participant's ``avatar``: ``[]`` when absent, ``{url, thumbnails}`` when present.
AVATAR = obj(url=STR, thumbnails=any_json())


def _file() -> Schema:
    """The File model (a fresh copy).

    ``parent``, ``user``, ``organization``, ``thumbnails`` and ``duration`` are listed without
    a kind (an id or an embedded object; seconds or ISO 8601), so they are any JSON.
    """
    return record(
        "id",
        id=INT,
        parent=any_json(),
        isDeleted=BOOL,
        createAt=DATETIME,
        name=STR,
        type=STR,
        user=any_json(),
        organization=any_json(),
        path=STR,
        url=STR,
        downloadUrl=STR,
        thumbnailUrl=STR,
        thumbnails=any_json(),
        size=INT,
        format=STR,
        isHidden=BOOL,
        isSystem=BOOL,
        mimeType=STR,
        typeFile=STR,
        uri=STR,
        thumbnailUri=STR,
        duration=any_json(),
    )


FILE = _file()
#: A file attached to a session or an event: the ``file`` wrapper flattened, plus the wrapper's
#: own keys (no source shows them).
ATTACHED_FILE = merge(_file(), position=any_json(), isShared=any_json())

#: An item of an event's ``eventSessions[]`` (``participationsCount`` seen in clients).
SESSION_SUMMARY = obj(
    id=INT, eventId=INT, status=STR, startsAt=DATETIME, name=STR, participationsCount=INT
)


def _event_fields() -> dict[str, Schema]:
    """The Event model (schedule rows, ``/organization/events/{id}``)."""
    return {
        "id": INT,
        "name": STR,
        "description": STR,
        "status": STR,
        "accessSettings": ACCESS_SETTINGS,
        "access": INT,
        "additionalFields": any_json(),
        "rule": STR,
        "lang": STR,
        "startsAt": DATETIME,
        "utcStartsAt": DATETIME,
        "createUserId": INT,
        "timezoneId": INT,
        "endsAt": DATETIME,
        "organizationId": INT,
        "type": STR,
        "createUser": USER_REF,
        "image": PHP_OBJECT,
        "lectors": arr(LECTOR),
        "tags": list_or_object(),
        "announceFiles": list_or_object(),
        "files": list_or_object(),
    }


# --- events and sessions ---

EVENT = record("id", **_event_fields(), eventSessions=arr(SESSION_SUMMARY))
#: A schedule row per session: the event's fields overlaid with the session's own.
EVENT_SESSION = record(
    "id",
    "eventId",
    **_event_fields(),
    eventId=INT,
    participationsCount=INT,
    link=STR,
)
EVENT_SESSION_DETAIL = record(
    "id",
    **{k: v for k, v in _event_fields().items() if k not in {"rule", "additionalFields", "image"}},
    timezone=TIMEZONE_REF,
    maxParticipationSettings=any_json(),
    isEndless=BOOL,
    image=IMAGE,
    startType=STR,
    link=STR,
    isPaid=BOOL,
    duration=INT,
    participationsCount=INT,
)
PARTICIPATION = record(
    "id",
    id=INT,
    name=STR,
    secondName=STR,
    nickname=STR,
    email=STR,
    avatar=AVATAR,
    eventId=INT,
    eventSessionId=INT,
    connectionEventSessionId=INT,
    isAccepted=BOOL,
    role=STR,
    isSeen=BOOL,
    agreementStatus=STR,
    referrer=any_json(),
    userId=INT,
    isOnline=BOOL,
    registerStatus=STR,
    registerDate=DATETIME,
    paymentStatus=STR,
    url=STR,
    additionalFieldValues=list_or_object(),
    visited=BOOL,
    utms=list_or_object(),
)
CHAT_MESSAGE = record(
    "id",
    "eventSessionId",
    id=INT,
    eventSessionId=INT,
    authorName=STR,
    text=STR,
    isModerated=BOOL,
    sentByAdmin=BOOL,
    avatarUrl=STR,
    thumbnails=any_json(),
    authorId=INT,
    createAt=DATETIME,
    updateAt=DATETIME,
    updateUserId=INT,
    isDeleted=BOOL,
    additionalData=any_json(),
    attachments=any_json(),
)
#: No public shape ("assume like chat"): every field but the keys is any JSON.
QUESTION = record(
    "id",
    "eventSessionId",
    id=INT,
    eventSessionId=INT,
    authorName=any_json(),
    text=any_json(),
    isModerated=any_json(),
    authorId=any_json(),
    createAt=any_json(),
    answer=any_json(),
    isDeleted=any_json(),
    additionalData=any_json(),
)
TRANSCRIPT = record(
    "id", "eventSessionId", id=INT, eventSessionId=INT, status=STR, createdAt=DATETIME
)
#: ``/transcript/{id}``: "summary + full text; shape unknown". The parent ids come from the tap.
TRANSCRIPT_DETAIL = record(
    "id",
    id=INT,
    eventSessionId=INT,
    transcriptId=INT,
    status=any_json(),
    createdAt=any_json(),
    summary=any_json(),
    text=any_json(),
    duration=any_json(),
    speakers=any_json(),
)
#: Agendas, checkpoints, raised hands, likes, emoji: no public shape; ``{id, userId, createAt}``
#: is a guess, so every field but the keys is any JSON.
SESSION_ACTIVITY = record(
    "id",
    "eventSessionId",
    id=INT,
    eventSessionId=INT,
    userId=any_json(),
    createAt=any_json(),
    createdAt=any_json(),
    title=any_json(),
    emoji=any_json(),
)
#: ``data.items`` of attention-control interactions: no item shape in any source.
ATTENTION_INTERACTION = record(
    "id",
    "eventSessionId",
    id=INT,
    eventSessionId=INT,
    checkpointId=any_json(),
    userId=any_json(),
    createdAt=any_json(),
    isConfirmed=any_json(),
)
SESSION_FILE = merge(ATTACHED_FILE, eventSessionId=key())
EVENT_FILE = merge(ATTACHED_FILE, eventId=key())
#: Converted MP4 rows: only ``downloadUrl`` (when finished) is described.
CONVERTED_RECORD = record(
    "id",
    "eventSessionId",
    id=INT,
    eventSessionId=INT,
    name=any_json(),
    quality=any_json(),
    view=any_json(),
    status=any_json(),
    createdAt=any_json(),
    size=any_json(),
    downloadUrl=STR,
)
CONVERTED_RECORD_FILE = merge(_file(), conversionId=INT, eventSessionId=INT)
RECORD_CONVERSION = record(
    "id",
    id=INT,
    eventSessionId=INT,
    conversionId=INT,
    state=STR,
    progress=NUM,
    convertedAt=DATETIME,
    downloadUrl=STR,
)
#: ``/eventsessions/endless``: "item shape unknown beyond id".
ENDLESS_MEETING = record(
    "id", id=INT, name=any_json(), isEndless=any_json(), createUserId=any_json(), link=any_json()
)
ENDLESS_ACTIVITY = record(
    "id",
    id=INT,
    eventSession=obj(
        id=INT, name=STR, createdBy=obj(id=INT, name=STR, secondName=STR, patrName=STR)
    ),
    participants=ANY_ARRAY,
    startedAt=DATETIME,
    endedAt=DATETIME,
)
#: ``streamFilesUrls``: no response shape in any public source.
STREAM_FILE_URL = record("eventSessionId", "url", eventSessionId=INT, url=STR, createdAt=any_json())

# --- records, stats ---

RECORDING = record(
    "id",
    id=INT,
    name=STR,
    createAt=DATETIME,
    size=INT,
    link=STR,
    isViewable=BOOL,
    password=STR,
    cuts=any_json(),
    duration=any_json(),
    eventSession=obj(id=INT, name=STR),
)
STATS_EVENT = record(
    "id",
    id=INT,
    name=STR,
    startsAt=DATETIME,
    endsAt=DATETIME,
    duration=INT,
    invitedCount=INT,
    invitedVisitedCount=INT,
    registeredCount=INT,
    registeredVisitedCount=INT,
    attendance=PHP_OBJECT,
    country=list_or_object(),
    platform=PHP_OBJECT,
    utms=list_or_object(),
    referrer=PHP_OBJECT,
    createUser=USER_REF,
)
STATS_USER_SESSION = obj(
    id=INT,
    name=STR,
    startsAt=DATETIME,
    endsAt=DATETIME,
    duration=INT,
    eventId=INT,
    questionCount=INT,
    userQuestionCount=INT,
    chatMessageCount=INT,
    userChatMessageCount=INT,
    additionalFieldValues=arr(obj(label=STR, value=any_json())),
    actualInvolvement=NUM,
    speechDuration=INT,
    percentOfTotalSpeechDuration=NUM,
    usersReactionClicks=INT,
    percentOfTotalReactionClicks=NUM,
    actualParticipantActivityPercent=NUM,
    rating=NUM,
    attentionControl=obj(percent=NUM, shownCount=INT, confirmedCount=INT),
    connections=arr(
        obj(
            joined=DATETIME,
            leaved=DATETIME,
            duration=INT,
            country=STR,
            city=STR,
            referrer=any_json(),
            platform=STR,
        )
    ),
    utms=list_or_object(),
)
STATS_USER = record(
    "id",
    id=INT,
    email=STR,
    name=STR,
    secondName=STR,
    patrName=STR,
    sex=STR,
    phone=STR,
    organization=any_json(),
    position=STR,
    eventSessions=arr(STATS_USER_SESSION),
)
#: ``/stats/users/visits``: known only to exist (PHP SDK).
STATS_USER_VISIT = record(
    "userId",
    "eventSessionId",
    userId=INT,
    eventSessionId=INT,
    joined=any_json(),
    duration=any_json(),
)

# --- organisation, people ---

MEMBER = record(
    "id",
    id=INT,
    name=STR,
    secondName=STR,
    patrName=STR,
    nickname=STR,
    email=STR,
    membershipId=INT,
    role=STR,
    phone=STR,
    position=STR,
    organization=any_json(),
    sex=STR,
    photo=any_json(),
    avatar=any_json(),
)
USER_EVENT = merge(EVENT, userId=key())
#: ``/organization/users/{id}/statistics``: shape unknown.
USER_STATS = record(
    "userId",
    userId=INT,
    eventsCount=any_json(),
    visitsCount=any_json(),
    totalDuration=any_json(),
    lastVisitAt=any_json(),
)
#: ``/users/{id}/tests/stats``: shape unknown.
USER_TEST_STATS = record(
    "userId",
    "testId",
    userId=INT,
    testId=INT,
    attempts=any_json(),
    bestScore=any_json(),
    lastAttemptAt=any_json(),
)
TIMEZONE = record("id", id=INT, name=STR, description=STR, offset=INT)
CONTACT = record(
    "id",
    id=INT,
    userId=INT,
    name=STR,
    secondName=STR,
    company=STR,
    position=STR,
    phoneMain=STR,
    email=STR,
    tags=any_json(),
)
#: ``/contacts/{id}/user``: "object with ``id``".
CONTACT_USER = record("contactId", contactId=INT, id=INT, email=any_json())
CHAT_TEAM = record("id", id=STR, name=STR, code=STR, description=STR)
CHAT_MEMBER = record(
    "chatUserId",
    chatUserId=STR,
    status=STR,
    organizationId=any_json(),
    role=any_json(),
    chatMemberProfile=obj(
        firstName=STR,
        lastName=STR,
        displayName=STR,
        email=STR,
        phone=STR,
        avatarUrl=STR,
        position=STR,
        department=STR,
    ),
)
#: Chat channels: no public shape (ids are UUIDs).
CHAT_CHANNEL = record(
    "id",
    id=STR,
    name=any_json(),
    type=any_json(),
    isPublic=any_json(),
    isReadOnly=any_json(),
    ownerId=any_json(),
    description=any_json(),
    isNotifiable=any_json(),
    unreadMessageCount=any_json(),
    startedWebinarEventId=any_json(),
)
#: Channel messages: only ``createdAtMs`` (epoch milliseconds) is described.
CHAT_CHANNEL_MESSAGE = record(
    "id",
    id=STR,
    authorId=any_json(),
    chatId=any_json(),
    text=any_json(),
    createdAtMs=DATETIME,
    type=any_json(),
    isPersonal=any_json(),
    status=any_json(),
    updatedAt=any_json(),
    parentId=any_json(),
    repliedMessage=any_json(),
    childrenCount=any_json(),
    unreadChildrenCount=any_json(),
    lastChild=any_json(),
    files=any_json(),
    reactions=any_json(),
)
CHAT_CHANNEL_USER = record(
    "channelId", "chatUserId", channelId=STR, chatUserId=STR, role=any_json()
)
#: ``/brandings``, ``/organization-groups``, ``/partner-applications``: shapes unknown.
BRANDING = record("id", id=INT, name=any_json(), isDefault=any_json(), logo=any_json())
ORGANIZATION_GROUP = record("id", id=INT, name=any_json(), membersCount=any_json())
PARTNER_APPLICATION = record(
    "id", id=INT, name=any_json(), status=any_json(), scopes=any_json(), createdAt=any_json()
)

# --- courses, tests ---

COURSE = record("id", id=INT, name=STR, owner=obj(id=INT), isPublish=BOOL)
COURSE_DETAIL = merge(
    COURSE,
    isPreModerationEnabled=BOOL,
    groups=any_json(),
    trajectory=any_json(),
    passingScore=NUM,
    certSetting=any_json(),
    visibilityStatus=STR,
    additionalFields=any_json(),
    locale=STR,
)
#: Course groups (``/courses/{c}/groups/{g}``, ``/organization/courses/groups``): shape
#: unknown; ``groupId`` is filled by the tap from the course detail.
COURSE_GROUP = record(
    "id",
    "courseId",
    id=INT,
    courseId=INT,
    groupId=INT,
    name=any_json(),
    startsAt=any_json(),
    membersCount=any_json(),
)
COURSE_GROUP_STATS = record(
    "courseId",
    "groupId",
    courseId=INT,
    groupId=INT,
    studentsCount=any_json(),
    completedCount=any_json(),
    averageProgress=any_json(),
)
#: Tests (``/tests/list``, ``/tests/{id}`` and below): shapes unknown.
TEST = record("id", id=INT, name=any_json(), createAt=any_json(), questionsCount=any_json())
TEST_DETAIL = merge(
    TEST,
    description=any_json(),
    questions=any_json(),
    settings=any_json(),
    testId=INT,
)
TEST_RESULT = record(
    "id",
    "testId",
    id=INT,
    testId=INT,
    userId=any_json(),
    score=any_json(),
    passed=any_json(),
    finishedAt=any_json(),
)
TEST_CUSTOM_ANSWER = record(
    "id",
    "testId",
    id=INT,
    testId=INT,
    userId=any_json(),
    questionId=any_json(),
    answer=any_json(),
    createAt=any_json(),
)
