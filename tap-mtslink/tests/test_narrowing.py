"""Id settings narrow a run the way the old scripts' command-line ids did."""

from __future__ import annotations


def test_event_session_ids_narrow_sessions_and_their_children(standin, config, sync):
    wanted = [standin.big_session_id]
    config["event_session_ids"] = wanted
    result = sync(config, streams=["event_sessions", "participations", "chat_messages"])

    assert [r["id"] for r in result.records["event_sessions"]] == wanted
    assert {r["eventSessionId"] for r in result.records["participations"]} == set(wanted)
    assert result.count("participations") == len(standin.participations[wanted[0]])
    asked = {r.path.split("/")[3] for r in standin.log if r.path.startswith("/v3/eventsessions/")}
    assert asked == {str(wanted[0])}


def test_event_ids_narrow_events_sessions_and_event_children(standin, config, sync):
    event = max(standin.events, key=lambda e: len(e["eventSessions"]))
    config["event_ids"] = [event["id"]]
    result = sync(config, streams=["events", "event_sessions", "event_files", "questions"])

    assert [e["id"] for e in result.records["events"]] == [event["id"]]
    sessions = {s["id"] for s in event["eventSessions"]}
    assert {s["id"] for s in result.records["event_sessions"]} == sessions
    assert {f["eventId"] for f in result.records["event_files"]} <= {event["id"]}
    assert {q["eventSessionId"] for q in result.records["questions"]} <= sessions


def test_user_ids_narrow_members_and_their_children(standin, config, sync):
    user = standin.members[3]["id"]
    config["user_ids"] = [user]
    result = sync(config, streams=["organization_members", "user_stats", "user_events"])

    assert [m["id"] for m in result.records["organization_members"]] == [user]
    assert [s["userId"] for s in result.records["user_stats"]] == [user]
    assert len(standin.requests_to(r"/organization/users/\d+/statistics$")) == 1


def test_course_and_test_ids(standin, config, sync):
    course = standin.courses[2]["id"]
    test = standin.tests[1]["id"]
    config.update(course_ids=[course], test_ids=[test])
    result = sync(config, streams=["courses", "course_groups", "tests", "test_results"])

    assert [c["id"] for c in result.records["courses"]] == [course]
    assert {g["courseId"] for g in result.records["course_groups"]} == {course}
    assert [t["id"] for t in result.records["tests"]] == [test]
    assert {r["testId"] for r in result.records["test_results"]} == {test}
    assert result.count("test_results") == len(standin.test_results[test])
