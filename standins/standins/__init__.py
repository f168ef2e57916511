"""Local stand-ins for the vendor APIs the taps read.

Each module builds a ``StandIn`` (see ``server.py``) that answers like the real API as
described in the project's API notes: envelopes, pagination, error bodies, 429 with
Retry-After, odd date formats. Data is generated from a seed, so counts are known to tests.
"""
