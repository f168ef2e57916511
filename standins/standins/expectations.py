"""What each tap should emit from a stand-in's data: the yardstick of the end-to-end tests.

Counts are derived from the generated data with the API's rules (windows, skipped resources),
never written down by hand.
"""

from __future__ import annotations

from datetime import date

from standins.support import days_ago


def zoom_expected_counts(standin, start_date: str | None = None) -> dict[str, int]:  # noqa: ANN001
    """Records per tap-zoom stream for a run from ``start_date`` (default 90 days ago) to now."""
    start = date.fromisoformat((start_date or days_ago(90))[:10])
    today = standin.today

    def in_range(rows: list[dict]) -> list[dict]:
        return [r for r in rows if start <= date.fromisoformat(r["start_time"][:10]) <= today]

    reports = in_range(standin.report_instances)
    dashboards = in_range(standin.metrics_meetings)
    webinars = in_range(standin.past_webinars)
    deleted = standin.deleted_uuids
    host_months = {
        (m["host_id"], max(start, date.fromisoformat(m["start_time"][:10]).replace(day=1)))
        for m in reports
    }
    return {
        "users": len(standin.users),
        "meetings": sum(len(rows) for rows in standin.series.values()),
        "webinars": sum(len(rows) for rows in standin.webinars.values()),
        "recordings": sum(len(in_range(rows)) for rows in standin.recordings.values()),
        "active_hosts": len(host_months),
        "past_meetings": len(reports),
        "meeting_participants": sum(
            len(standin.participants[m["uuid"]]) for m in reports if m["uuid"] not in deleted
        ),
        "daily_usage": sum(start <= date.fromisoformat(d["date"]) <= today for d in standin.daily),
        "dashboard_meetings": len(dashboards),
        "dashboard_meeting_participants": sum(
            len(standin.metrics_participants[m["uuid"]])
            for m in dashboards
            if m["uuid"] not in deleted
        ),
        "dashboard_webinars": len(webinars),
        "webinar_participants": sum(len(standin.webinar_participants[w["uuid"]]) for w in webinars),
    }
