"""JSON schemas of the REST entities and of the BI-export metadata.

A field is typed narrowly only where the API notes (``api-notes/oktopost.md``) state its type:

* ids (``Id``, ``CampaignId``, ... ``LinkIds[]``): strings. Notes §1.3: "IDs are 15-character
  prefixed strings" (profile ids hold dashes);
* timestamps the notes list for the entity (``Created``, ``Modified``, ``LastLogin``,
  ``StartDate``...): date-time. Notes §1.3: epoch seconds or ``"2015-12-07 23:47:30"``, zero
  dates ``"0000-00-00 00:00:00"``; the tap turns both forms into RFC 3339 and zero dates into null;
* the 0/1 flags the notes name (``NativePostsEnabled``, ``IsBoardMessage``, ``Queued``,
  ``IsAppMessage``): booleans;
* fields whose values the notes enumerate or quote (``Status``, ``Network``, ``DestinationType``,
  ``Type``, ``Frequency``, ``TimeRange``, ``LastRunFile``): strings;
* counts the notes list: integer or string (notes §1.3: "Some counts are strings ... Schemas
  should allow both, or coerce"; numeric strings become integers, anything else is kept);
  ``Picture`` likewise ("can be "1" or 1").

Every other field (listed without a type, or not in the notes at all) is any JSON, so whatever
shape arrives is kept. Primary and replication keys are required and not nullable; every other
field is nullable.
"""

from __future__ import annotations

from singer_sdk import typing as th

from tap_common.jsontypes import AnyJSON, union

S, B, D = th.StringType, th.BooleanType, th.DateTimeType


def _props(*fields: th.Property) -> dict:
    return th.PropertiesList(*fields).to_dict()


def _f(name: str, kind: type | th.JSONTypeHelper) -> th.Property:
    """A nullable field."""
    return th.Property(name, kind)


def _key(name: str, kind: type | th.JSONTypeHelper = S) -> th.Property:
    """A primary or replication key: strictly typed, required, not nullable."""
    return th.Property(name, kind, required=True)


def _any(name: str) -> th.Property:
    """A field whose type the notes do not state: any JSON value."""
    return th.Property(name, AnyJSON())


def _count(name: str) -> th.Property:
    """A count: an integer, or a string (notes §1.3: some counts arrive as strings)."""
    return th.Property(name, th.CustomType(union("integer", "string")))


#: ``Tags``: an object of tag id -> tag name, or ``[]`` when there is none (PHP's empty array).
#: Both are kept as they came.
TAGS = th.CustomType(union("object", "array"))

CAMPAIGN = _props(
    _key("Id"),
    _any("Name"),
    _count("TotalPosts"),
    _count("TotalPendingPosts"),
    _count("TotalDraftPosts"),
    _count("Clicks"),
    _count("Converts"),
    _f("Created", D),
    _f("StartDate", D),
    _f("EndDate", D),
    _f("LastConversionDate", D),
    _f("Status", S),
    _count("Comments"),
    _count("PostsSent"),
    _f("Tags", TAGS),
)

MESSAGE = _props(
    _key("Id"),
    _f("CampaignId", S),
    _f("Network", S),
    _any("Subject"),
    _any("Content"),
    _any("Link"),
    _count("Picture"),
    _any("Created"),
    _any("Modified"),
    _any("CreatedBy"),
    _f("IsBoardMessage", B),
    _f("IsAppMessage", B),
    _f("Tags", TAGS),
    # "Media[]" (notes §2): items not described. Any JSON rather than an array of any JSON:
    # target-postgres makes the latter a jsonb[] column, which rejects scalar or array items.
    _any("Media"),
)

POST = _props(
    _key("Id"),
    _f("CampaignId", S),
    _f("MessageId", S),
    _f("CredentialId", S),
    _f("Network", S),
    _any("Status"),
    _f("StartDateTime", D),
    _key("Created", D),
    _f("Modified", D),
    _any("CreatedBy"),
    _any("Source"),
    _any("Message"),
    _f("Queued", B),
)

POSTLOG = _props(
    _key("Id"),
    _f("PostId", S),
    _f("CampaignId", S),
    _f("MessageId", S),
    _f("CredentialId", S),
    _f("LinkId", S),
    _f("LinkIds", th.ArrayType(S)),
    _f("Created", D),
    _f("Modified", D),
    _f("Status", S),
    _f("Network", S),
    _any("RemoteId"),
    _any("RemoteUrl"),
    _any("Error"),
    # ``withStats=1``: LinkClicks, Conversions, Comments, Likes, Shares, ImpressionsAdded,
    # MediaClicksAdded, ... (notes §2); their types are not documented.
    _any("Stats"),
)

SOCIAL_PROFILE = _props(
    _key("Id"),
    _f("Created", D),
    _any("Name"),
    _any("DisplayName"),
    _f("Status", S),
    _f("Network", S),
    _any("ImageLink"),
    _any("NetworkUsername"),
    _f("NativePostsEnabled", B),
)

USER = _props(
    _key("Id"),
    _any("Name"),
    _any("Email"),
    _f("LastLogin", D),
    _any("Role"),
    _any("Timezone"),
)

CLICK = _props(
    _key("Id"),
    _key("Created", D),
    _f("CampaignId", S),
    _f("MessageId", S),
    _f("PostId", S),
    _f("PostlogId", S),
    _f("LeadId", S),
    _f("ConversionTagId", S),
    _f("CredentialId", S),
    _any("CampaignName"),
    _any("CredentialName"),
    _any("Message"),
    _any("LinkUrl"),
    _any("LinkTitle"),
    _any("ImageUrl"),
    _count("Picture"),
    _any("RemoteUrl"),
    _f("ConvertedDate", D),
    _f("Network", S),
    _any("UserAgent"),
    _any("GeoCountry"),
    _any("GeoCity"),
)

LEAD = _props(
    _key("Id"),
    _f("ParentId", S),
    _f("AccountId", S),
    _any("Type"),
    _any("Email"),
    _any("Name"),
    _any("FirstName"),
    _any("LastName"),
    _any("Photo"),
    _any("Phone"),
    _any("IsTracked"),
    # "Profiles[], RemoteLeads[]" (notes §2): items not described; any JSON, as Media above.
    _any("Profiles"),
    _any("RemoteLeads"),
)

TAG = _props(
    _key("Id"),
    _any("Name"),
    _f("Created", D),
    _any("LastUsed"),
    _any("Used"),
)

#: The notes list no field of boards, advocates or stories (beyond the story key ``ID``).
BOARD = _props(
    _key("Id"),
    _any("Name"),
    _any("Description"),
    _any("Created"),
    _any("Status"),
    _any("IsDefault"),
    _any("TotalAdvocates"),
)

ADVOCATE = _props(
    _key("Id"),
    _any("Name"),
    _any("Email"),
    _any("Title"),
    _any("Company"),
    _any("Created"),
    _any("LastActivity"),
    _any("Points"),
    _any("Status"),
)

#: Stories spell their key ``ID`` (API notes §1.4).
STORY = _props(
    _key("ID"),
    _f("BoardId", S),
    _any("Title"),
    _any("Content"),
    _any("Link"),
    _any("Created"),
    _any("ExpirationDate"),
    _any("IsFeatured"),
    _any("Shares"),
)

#: Destination fields that may reach a record; anything else (Username, Password, keys,
#: tokens, connection strings) is dropped.
SAFE_DESTINATION_FIELDS = (
    "Host",
    "Port",
    "Path",
    "Directory",
    "Emails",
    "Email",
    "Bucket",
    "Region",
    "Container",
    "AccountName",
)

#: "Destination (object that varies by type)" (notes §2.1): an object whose fields' types the
#: notes do not give.
DESTINATION = th.ObjectType(
    *(th.Property(name, AnyJSON()) for name in SAFE_DESTINATION_FIELDS),
    th.Property(
        "CredentialsRemoved",
        B,
        description="True when the tap dropped credentials (user names, passwords, keys).",
    ),
    additional_properties=False,
)

_EXPORT_FIELDS: tuple[th.Property, ...] = (
    _key("Id"),
    _f("DestinationType", S),
    _f("Destination", DESTINATION),
    _f("Type", S),
    _f("Frequency", S),
    _f("TimeRange", S),
    _f("Status", S),
    _any("Created"),
)

BI_EXPORT = _props(*_EXPORT_FIELDS)

BI_EXPORT_DETAIL = _props(
    *_EXPORT_FIELDS,
    _f("LastRunDate", D),
    _f("LastRunFile", S),
    _f("LastRunFileName", S),
)
