"""JSON schemas of the REST entities and of the BI-export metadata.

Ids are Oktopost's 15-character prefixed strings (profile ids hold dashes), so they stay strings.
Dates are RFC 3339 strings (zero dates become null), 0/1 flags booleans, counts integers.
"""

from __future__ import annotations

from singer_sdk import typing as th

S, INT, B, D = th.StringType, th.IntegerType, th.BooleanType, th.DateTimeType


def _props(*fields: tuple[str, type | th.JSONTypeHelper]) -> dict:
    return th.PropertiesList(*(th.Property(name, kind) for name, kind in fields)).to_dict()


#: ``Tags``: an object of tag id -> tag name; Oktopost sends ``[]`` when there is none.
TAGS = th.ObjectType(additional_properties=th.StringType)

CAMPAIGN = _props(
    ("Id", S),
    ("Name", S),
    ("TotalPosts", INT),
    ("TotalPendingPosts", INT),
    ("TotalDraftPosts", INT),
    ("Clicks", INT),
    ("Converts", INT),
    ("Created", D),
    ("StartDate", D),
    ("EndDate", D),
    ("Status", S),
    ("Comments", INT),
    ("PostsSent", INT),
    ("Tags", TAGS),
)

MESSAGE = _props(
    ("Id", S),
    ("CampaignId", S),
    ("Network", S),
    ("Subject", S),
    ("Content", S),
    ("Link", S),
    ("Picture", B),
    ("Created", D),
    ("Modified", D),
    ("CreatedBy", S),
    ("IsBoardMessage", B),
    ("IsAppMessage", B),
    ("Tags", TAGS),
)

POST = _props(
    ("Id", S),
    ("CampaignId", S),
    ("MessageId", S),
    ("CredentialId", S),
    ("Network", S),
    ("Status", S),
    ("StartDateTime", D),
    ("Created", D),
    ("Modified", D),
    ("CreatedBy", S),
    ("Source", S),
    ("Message", S),
    ("Queued", B),
)

POSTLOG = _props(
    ("Id", S),
    ("PostId", S),
    ("CampaignId", S),
    ("MessageId", S),
    ("CredentialId", S),
    ("LinkId", S),
    ("LinkIds", th.ArrayType(S)),
    ("Created", D),
    ("Modified", D),
    ("Status", S),
    ("Network", S),
    ("RemoteId", S),
    ("RemoteUrl", S),
    ("Error", S),
)

SOCIAL_PROFILE = _props(
    ("Id", S),
    ("Created", D),
    ("Name", S),
    ("DisplayName", S),
    ("Status", S),
    ("Network", S),
    ("ImageLink", S),
    ("NetworkUsername", S),
    ("NativePostsEnabled", B),
)

USER = _props(
    ("Id", S),
    ("Name", S),
    ("Email", S),
    ("LastLogin", D),
    ("Role", S),
    ("Timezone", S),
)

CLICK = _props(
    ("Id", S),
    ("Created", D),
    ("CampaignId", S),
    ("MessageId", S),
    ("PostId", S),
    ("PostlogId", S),
    ("LeadId", S),
    ("ConversionTagId", S),
    ("CredentialId", S),
    ("CampaignName", S),
    ("CredentialName", S),
    ("Message", S),
    ("LinkUrl", S),
    ("LinkTitle", S),
    ("ImageUrl", S),
    ("Picture", B),
    ("RemoteUrl", S),
    ("ConvertedDate", D),
    ("Network", S),
    ("UserAgent", S),
    ("GeoCountry", S),
    ("GeoCity", S),
)

LEAD = _props(
    ("Id", S),
    ("ParentId", S),
    ("AccountId", S),
    ("Type", S),
    ("Email", S),
    ("Name", S),
    ("FirstName", S),
    ("LastName", S),
    ("Photo", S),
    ("Phone", S),
    ("IsTracked", B),
    ("Profiles", th.ArrayType(th.ObjectType(additional_properties=True))),
    ("RemoteLeads", th.ArrayType(th.ObjectType(additional_properties=True))),
)

TAG = _props(
    ("Id", S),
    ("Name", S),
    ("Created", D),
    ("LastUsed", D),
    ("Used", INT),
)

BOARD = _props(
    ("Id", S),
    ("Name", S),
    ("Description", S),
    ("Created", D),
    ("Status", S),
    ("IsDefault", B),
    ("TotalAdvocates", INT),
)

ADVOCATE = _props(
    ("Id", S),
    ("Name", S),
    ("Email", S),
    ("Title", S),
    ("Company", S),
    ("Created", D),
    ("LastActivity", D),
    ("Points", INT),
    ("Status", S),
)

#: Stories spell their key ``ID`` (API notes §1.4).
STORY = _props(
    ("ID", S),
    ("BoardId", S),
    ("Title", S),
    ("Content", S),
    ("Link", S),
    ("Created", D),
    ("ExpirationDate", D),
    ("IsFeatured", B),
    ("Shares", INT),
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

DESTINATION = th.ObjectType(
    th.Property("Host", S),
    th.Property("Port", INT),
    th.Property("Path", S),
    th.Property("Directory", S),
    th.Property("Emails", th.ArrayType(S)),
    th.Property("Email", S),
    th.Property("Bucket", S),
    th.Property("Region", S),
    th.Property("Container", S),
    th.Property("AccountName", S),
    th.Property(
        "CredentialsRemoved",
        B,
        description="True when the tap dropped credentials (user names, passwords, keys).",
    ),
    additional_properties=False,
)

_EXPORT_FIELDS: tuple[tuple[str, type | th.JSONTypeHelper], ...] = (
    ("Id", S),
    ("DestinationType", S),
    ("Destination", DESTINATION),
    ("Type", S),
    ("Frequency", S),
    ("TimeRange", S),
    ("Status", S),
    ("Created", D),
)

BI_EXPORT = _props(*_EXPORT_FIELDS)

BI_EXPORT_DETAIL = _props(
    *_EXPORT_FIELDS,
    ("LastRunDate", D),
    ("LastRunFile", S),
    ("LastRunFileName", S),
)
