"""JSON schemas of the MTS Link records.

Conventions (see the README): every field is nullable; ids are integers (they exceed 2^31);
dates are ``date-time`` (RFC 3339 UTC after ``post_process``); durations are integer seconds;
0/1 flags are booleans; fields the PHP backend sends as ``[]`` when empty (``avatar``,
``referrer``, ``accessSettings``...) are ``object``-or-null and ``[]`` becomes ``null``.
Fields whose shape no public source shows are free-form arrays or objects.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

STR: Schema = {"type": ["string", "null"]}
INT: Schema = {"type": ["integer", "null"]}
NUM: Schema = {"type": ["number", "null"]}
BOOL: Schema = {"type": ["boolean", "null"]}
DATETIME: Schema = {"type": ["string", "null"], "format": "date-time"}
#: An object the API sends as ``[]`` when empty (normalised to null).
PHP_OBJECT: Schema = {"type": ["object", "null"]}
ANY_ARRAY: Schema = {"type": ["array", "null"]}


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

USER_REF = obj(id=INT, name=STR, secondName=STR, email=STR)
ACCESS_SETTINGS = obj(
    isPasswordRequired=BOOL, isRegistrationRequired=BOOL, isModerationRequired=BOOL
)
TIMEZONE_REF = obj(
    id=INT,
    name=STR,
    description=STR,
    offset=INT,
    isDeleted=BOOL,
    shortDescription=STR,
    abbreviation=STR,
)
LECTOR = obj(name=STR, secondName=STR, position=STR, avatar=PHP_OBJECT)
IMAGE = obj(
    id=INT,
    url=STR,
    name=STR,
    createAt=DATETIME,
    downloadUrl=STR,
    thumbnailUrl=STR,
    size=INT,
    mimeType=STR,
)

FILE = record(
    "id",
    id=INT,
    parent=INT,
    isDeleted=BOOL,
    createAt=DATETIME,
    name=STR,
    type=STR,
    user=INT,
    organization=INT,
    path=STR,
    url=STR,
    downloadUrl=STR,
    thumbnailUrl=STR,
    thumbnails=PHP_OBJECT,
    size=INT,
    format=STR,
    isHidden=BOOL,
    isSystem=BOOL,
    mimeType=STR,
    typeFile=STR,
    uri=STR,
    thumbnailUri=STR,
    duration=INT,
)
#: A file attached to a session or an event: the ``file`` wrapper flattened, plus its own keys.
ATTACHED_FILE = merge(FILE, position=INT, isShared=BOOL)

SESSION_SUMMARY = obj(
    id=INT, eventId=INT, status=STR, startsAt=DATETIME, name=STR, participationsCount=INT
)

EVENT_FIELDS: dict[str, Schema] = {
    "id": INT,
    "name": STR,
    "description": STR,
    "status": STR,
    "accessSettings": ACCESS_SETTINGS,
    "access": INT,
    "additionalFields": ANY_ARRAY,
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
    "tags": arr(STR),
    "announceFiles": ANY_ARRAY,
    "files": ANY_ARRAY,
}

# --- events and sessions ---

EVENT = record("id", **EVENT_FIELDS, eventSessions=arr(SESSION_SUMMARY))
#: A schedule row per session: the event's fields overlaid with the session's own.
EVENT_SESSION = record(
    "id",
    "eventId",
    **EVENT_FIELDS,
    eventId=INT,
    participationsCount=INT,
    link=STR,
)
EVENT_SESSION_DETAIL = record(
    "id",
    **{k: v for k, v in EVENT_FIELDS.items() if k not in {"rule", "additionalFields", "image"}},
    timezone=TIMEZONE_REF,
    maxParticipationSettings=STR,
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
    avatar=obj(url=STR, thumbnails=PHP_OBJECT),
    eventId=INT,
    eventSessionId=INT,
    connectionEventSessionId=INT,
    isAccepted=BOOL,
    role=STR,
    isSeen=BOOL,
    agreementStatus=STR,
    referrer=PHP_OBJECT,
    userId=INT,
    isOnline=BOOL,
    registerStatus=STR,
    registerDate=DATETIME,
    paymentStatus=STR,
    url=STR,
    additionalFieldValues=ANY_ARRAY,
    visited=BOOL,
    utms=ANY_ARRAY,
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
    thumbnails=PHP_OBJECT,
    authorId=INT,
    createAt=DATETIME,
    updateAt=DATETIME,
    updateUserId=INT,
    isDeleted=BOOL,
    additionalData=PHP_OBJECT,
    attachments=ANY_ARRAY,
)
QUESTION = record(
    "id",
    "eventSessionId",
    id=INT,
    eventSessionId=INT,
    authorName=STR,
    text=STR,
    isModerated=BOOL,
    authorId=INT,
    createAt=DATETIME,
    answer=STR,
    isDeleted=BOOL,
    additionalData=PHP_OBJECT,
)
TRANSCRIPT = record(
    "id", "eventSessionId", id=INT, eventSessionId=INT, status=STR, createdAt=DATETIME
)
TRANSCRIPT_DETAIL = record(
    "id",
    id=INT,
    eventSessionId=INT,
    transcriptId=INT,
    status=STR,
    createdAt=DATETIME,
    summary=STR,
    text=STR,
    duration=INT,
    speakers=ANY_ARRAY,
)
#: Agendas, checkpoints, raised hands, likes, emoji: no public shape; ``{id, userId, createAt}``.
SESSION_ACTIVITY = record(
    "id",
    "eventSessionId",
    id=INT,
    eventSessionId=INT,
    userId=INT,
    createAt=DATETIME,
    createdAt=DATETIME,
    title=STR,
    emoji=STR,
)
ATTENTION_INTERACTION = record(
    "id",
    "eventSessionId",
    id=INT,
    eventSessionId=INT,
    checkpointId=INT,
    userId=INT,
    createdAt=DATETIME,
    isConfirmed=BOOL,
)
SESSION_FILE = merge(ATTACHED_FILE, eventSessionId=key())
EVENT_FILE = merge(ATTACHED_FILE, eventId=key())
CONVERTED_RECORD = record(
    "id",
    "eventSessionId",
    id=INT,
    eventSessionId=INT,
    name=STR,
    quality=INT,
    view=STR,
    status=STR,
    createdAt=DATETIME,
    size=INT,
    downloadUrl=STR,
)
CONVERTED_RECORD_FILE = merge(FILE, conversionId=INT, eventSessionId=INT)
RECORD_CONVERSION = record(
    "id",
    id=INT,
    eventSessionId=INT,
    conversionId=INT,
    state=STR,
    progress=INT,
    convertedAt=DATETIME,
    downloadUrl=STR,
)
ENDLESS_MEETING = record("id", id=INT, name=STR, isEndless=BOOL, createUserId=INT, link=STR)
ENDLESS_ACTIVITY = record(
    "id",
    id=INT,
    eventSession=obj(
        id=INT, name=STR, createdBy=obj(id=INT, name=STR, secondName=STR, patrName=STR)
    ),
    participants=arr(obj(id=INT, name=STR)),
    startedAt=DATETIME,
    endedAt=DATETIME,
)
STREAM_FILE_URL = record("eventSessionId", "url", eventSessionId=INT, url=STR, createdAt=DATETIME)

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
    cuts=ANY_ARRAY,
    duration=INT,
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
    country=ANY_ARRAY,
    platform=PHP_OBJECT,
    utms=ANY_ARRAY,
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
    additionalFieldValues=arr(obj(label=STR, value=STR)),
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
            referrer=STR,
            platform=STR,
        )
    ),
    utms=ANY_ARRAY,
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
    organization=STR,
    position=STR,
    eventSessions=arr(STATS_USER_SESSION),
)
STATS_USER_VISIT = record(
    "userId",
    "eventSessionId",
    userId=INT,
    eventSessionId=INT,
    joined=DATETIME,
    duration=INT,
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
    organization=STR,
    sex=STR,
    photo=STR,
    avatar=obj(url=STR, thumbnails=PHP_OBJECT),
)
USER_EVENT = merge(EVENT, userId=key())
USER_STATS = record(
    "userId",
    userId=INT,
    eventsCount=INT,
    visitsCount=INT,
    totalDuration=INT,
    lastVisitAt=DATETIME,
)
USER_TEST_STATS = record(
    "userId",
    "testId",
    userId=INT,
    testId=INT,
    attempts=INT,
    bestScore=NUM,
    lastAttemptAt=DATETIME,
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
    tags=ANY_ARRAY,
)
CONTACT_USER = record("contactId", contactId=INT, id=INT, email=STR)
CHAT_TEAM = record("id", id=STR, name=STR, code=STR, description=STR)
CHAT_MEMBER = record(
    "chatUserId",
    chatUserId=STR,
    status=STR,
    organizationId=STR,
    role=STR,
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
CHAT_CHANNEL = record(
    "id",
    id=STR,
    name=STR,
    type=STR,
    isPublic=BOOL,
    isReadOnly=BOOL,
    ownerId=STR,
    description=STR,
    isNotifiable=BOOL,
    unreadMessageCount=INT,
    startedWebinarEventId=STR,
)
CHAT_CHANNEL_MESSAGE = record(
    "id",
    id=STR,
    authorId=STR,
    chatId=STR,
    text=STR,
    createdAtMs=DATETIME,
    type=STR,
    isPersonal=BOOL,
    status=STR,
    updatedAt=DATETIME,
    parentId=STR,
    repliedMessage=PHP_OBJECT,
    childrenCount=INT,
    unreadChildrenCount=INT,
    lastChild=PHP_OBJECT,
    files=arr(obj(id=STR, name=STR, url=STR, size=INT, mime=STR)),
    reactions=arr(obj(emoji=STR, count=INT, users=arr(STR))),
)
CHAT_CHANNEL_USER = record("channelId", "chatUserId", channelId=STR, chatUserId=STR, role=STR)
BRANDING = record("id", id=INT, name=STR, isDefault=BOOL, logo=PHP_OBJECT)
ORGANIZATION_GROUP = record("id", id=INT, name=STR, membersCount=INT)
PARTNER_APPLICATION = record(
    "id", id=INT, name=STR, status=STR, scopes=arr(STR), createdAt=DATETIME
)

# --- courses, tests ---

COURSE = record("id", id=INT, name=STR, owner=obj(id=INT), isPublish=BOOL)
COURSE_DETAIL = merge(
    COURSE,
    isPreModerationEnabled=BOOL,
    groups=arr(obj(id=INT, name=STR)),
    trajectory=ANY_ARRAY,
    passingScore=NUM,
    certSetting=PHP_OBJECT,
    visibilityStatus=STR,
    additionalFields=ANY_ARRAY,
    locale=STR,
)
COURSE_GROUP = record(
    "id",
    "courseId",
    id=INT,
    courseId=INT,
    groupId=INT,
    name=STR,
    startsAt=DATETIME,
    membersCount=INT,
)
COURSE_GROUP_STATS = record(
    "courseId",
    "groupId",
    courseId=INT,
    groupId=INT,
    studentsCount=INT,
    completedCount=INT,
    averageProgress=NUM,
)
TEST = record("id", id=INT, name=STR, createAt=DATETIME, questionsCount=INT)
TEST_DETAIL = merge(
    TEST,
    description=STR,
    questions=arr(obj(id=INT, text=STR)),
    settings=PHP_OBJECT,
    testId=INT,
)
TEST_RESULT = record(
    "id",
    "testId",
    id=INT,
    testId=INT,
    userId=INT,
    score=NUM,
    passed=BOOL,
    finishedAt=DATETIME,
)
TEST_CUSTOM_ANSWER = record(
    "id",
    "testId",
    id=INT,
    testId=INT,
    userId=INT,
    questionId=INT,
    answer=STR,
    createAt=DATETIME,
)
