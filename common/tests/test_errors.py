from tap_common.errors import SkipLedger


def test_ledger_counts_and_summarises():
    ledger = SkipLedger()
    ledger.add("participants", "resource", "uuid=a: gone")
    ledger.add("participants", "resource", "uuid=b: gone")
    ledger.add("meetings", "resource", "user_id=x: unlicensed")

    assert ledger.total == 3
    assert ledger.summary_lines() == [
        "meetings: 1 skipped (resource), e.g. user_id=x: unlicensed",
        "participants: 2 skipped (resource), e.g. uuid=a: gone",
    ]
