"""Run the tap: ``python -m tap_oktopost``."""

from tap_oktopost.tap import TapOktopost

TapOktopost.cli()
