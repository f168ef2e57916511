"""Singer tap for the Oktopost API v2 and its BI exports."""
