"""BI exports: names, type inference, streamed downloads and reading rows from ZIPs."""
