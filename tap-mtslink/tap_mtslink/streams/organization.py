"""The organisation: members and their statistics, contacts, chats, branding, settings."""

from __future__ import annotations

from tap_mtslink import schemas
from tap_mtslink.specs import StreamSpec, by_field

MEMBER = "/users/{userId}"
#: Largest ``perPage`` of members (10, 50, 100, 250, 500); the chat module takes 100.
MEMBERS_PAGE = 500
CHAT_MEMBERS_PAGE = 100
SCHEDULE_PAGE = 250

SPECS = [
    StreamSpec(
        name="organization_members",
        path="/organization/members",
        schema=schemas.MEMBER,
        scope="organization",
        pagination="page",
        page_size=MEMBERS_PAGE,
        narrow=(("user_ids", "id"),),
        child_contexts=by_field("userId"),
    ),
    StreamSpec(
        name="user_events",
        path=MEMBER + "/events/schedule",
        parent="organization_members",
        schema=schemas.USER_EVENT,
        scope="events",
        primary_keys=("userId", "id"),
        pagination="page",
        page_size=SCHEDULE_PAGE,
        window="schedule",
        all_statuses=True,
        notes="each member's own schedule",
    ),
    StreamSpec(
        name="user_stats",
        path="/organization/users/{userId}/statistics",
        parent="organization_members",
        schema=schemas.USER_STATS,
        scope="stats",
        primary_keys=("userId",),
        envelope="object",
    ),
    StreamSpec(
        name="user_test_stats",
        path=MEMBER + "/tests/stats",
        parent="organization_members",
        schema=schemas.USER_TEST_STATS,
        scope="tests",
        primary_keys=("userId", "testId"),
    ),
    StreamSpec(
        name="timezones",
        path="/timezones",
        schema=schemas.TIMEZONE,
        scope="organization",
    ),
    StreamSpec(
        name="contacts",
        path="/contacts/search",
        schema=schemas.CONTACT,
        scope="contacts",
        child_contexts=by_field("contactId"),
    ),
    StreamSpec(
        name="contact_details",
        path="/contacts/{contactId}",
        parent="contacts",
        schema=schemas.CONTACT,
        scope="contacts",
        envelope="object",
    ),
    StreamSpec(
        name="contact_users",
        path="/contacts/{contactId}/user",
        parent="contacts",
        schema=schemas.CONTACT_USER,
        scope="contacts",
        primary_keys=("contactId",),
        envelope="object",
        notes="404 for a contact that is not a platform user: skipped",
    ),
    StreamSpec(
        name="chat_teams",
        path="/chats/teams",
        schema=schemas.CHAT_TEAM,
        scope="chats",
    ),
    StreamSpec(
        name="chat_members",
        path="/chats/organization/members",
        schema=schemas.CHAT_MEMBER,
        scope="chats",
        primary_keys=("chatUserId",),
        pagination="page",
        page_size=CHAT_MEMBERS_PAGE,
        child_contexts=by_field("chatUserId", "chatUserId"),
    ),
    StreamSpec(
        name="chat_channels",
        path="/chats/channels/{chatUserId}",
        parent="chat_members",
        schema=schemas.CHAT_CHANNEL,
        scope="chats",
        dedupe=True,
        child_contexts=by_field("channelId"),
        notes="channels and chats of every member, each channel once",
    ),
    StreamSpec(
        name="chat_channel_details",
        path="/chats/channel/{channelId}",
        parent="chat_channels",
        schema=schemas.CHAT_CHANNEL,
        scope="chats",
        envelope="object",
    ),
    StreamSpec(
        name="chat_channel_messages",
        path="/chats/channel/{channelId}/messages",
        parent="chat_channels",
        schema=schemas.CHAT_CHANNEL_MESSAGE,
        scope="chats",
    ),
    StreamSpec(
        name="chat_channel_users",
        path="/chats/channels/{channelId}/users",
        parent="chat_channels",
        schema=schemas.CHAT_CHANNEL_USER,
        scope="chats",
        primary_keys=("channelId", "chatUserId"),
    ),
    StreamSpec(
        name="brandings",
        path="/brandings",
        schema=schemas.BRANDING,
        scope="organization",
    ),
    StreamSpec(
        name="organization_groups",
        path="/organization-groups",
        schema=schemas.ORGANIZATION_GROUP,
        scope="organization",
    ),
    StreamSpec(
        name="partner_applications",
        path="/partner-applications",
        schema=schemas.PARTNER_APPLICATION,
        scope="organization",
        envelope="data",
        params={"approval": "all"},
    ),
]
