"""Names, type inference and value coercion, one rule at a time."""

from __future__ import annotations

from decimal import Decimal

import pytest
from tap_oktopost.bi.coltypes import ColumnType, merge_kinds
from tap_oktopost.bi.names import column_names, stream_name
from tap_oktopost.coerce import coerce

NAMES = [
    ("2025-10-14-posts.csv", "bi_posts"),
    ("reports/2025-10-14-Post Stats.CSV", "bi_post_stats"),
    ("20251014_Clicks Report.csv", "bi_clicks_report"),
    ("2025-10-14 10-00-03 Leads.csv", "bi_leads"),
    ("Campaign-Summary (Q3).csv", "bi_campaign_summary_q3"),
    ("2025-10-14.csv", "bi_2025_10_14"),
]


@pytest.mark.parametrize(("file_name", "expected"), NAMES)
def test_stream_names(file_name, expected):
    assert stream_name(file_name) == expected


def test_column_names_are_unique_snake_case():
    header = [
        "\ufeffPost ID",
        '"Clicks"',
        "Engagement %",
        "# Comments",
        "",
        "Clicks",
        "2nd",
        "_export_id",
    ]

    assert column_names(header) == [
        "post_id",
        "clicks",
        "engagement_pct",
        "num_comments",
        "column_5",
        "clicks_2",
        "c_2nd",
        "export_id",
    ]


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        (["1", "", "42"], "integer"),
        (["1", "2.5"], "number"),
        (["007", "12"], "string"),
        (["true", "False"], "boolean"),
        (["1", "0"], "integer"),
        (["2025-10-14 10:00:03", "2025-10-14T10:00:03Z"], "date-time"),
        (["2025-10-14", "2025-02-30"], "string"),
        (["2025-10-14"], "date"),
        (["12", "n/a"], "string"),
        (["", "  "], None),
        (["9223372036854775808"], "number"),
        (["1e5"], "string"),
    ],
)
def test_column_types(values, kind):
    column = ColumnType()
    for value in values:
        column.add(value)
    assert column.kind == kind


def test_merging_kinds_falls_back_to_string():
    assert merge_kinds("integer", "number") == "number"
    assert merge_kinds(None, "date") == "date"
    assert merge_kinds("integer", "date") == "string"


@pytest.mark.parametrize(
    ("value", "schema", "expected"),
    [
        ("0000-00-00 00:00:00", {"type": ["string", "null"], "format": "date-time"}, None),
        (
            "2025-10-14 10:00:03",
            {"type": ["string"], "format": "date-time"},
            "2025-10-14T10:00:03Z",
        ),
        (1, {"type": ["boolean", "null"]}, True),
        ("0", {"type": ["boolean", "null"]}, False),
        ("12", {"type": ["integer", "null"]}, 12),
        ("", {"type": ["integer", "null"]}, None),
        ("1.50", {"type": ["number", "null"]}, Decimal("1.50")),
        # [] where only an object is declared is left to the schema guard (it reads it as null).
        ([], {"type": ["object", "null"], "properties": {}}, []),
        (7000000001, {"type": ["string", "null"]}, "7000000001"),
    ],
)
def test_coercion(value, schema, expected):
    assert coerce(value, schema) == expected
