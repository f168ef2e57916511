"""Dagster code location for the Meltano project: `vendor_taps_dagster.definitions`."""
