"""Run the tap: ``python -m tap_zoom``."""

from tap_zoom.tap import TapZoom

TapZoom.cli()
