"""``python -m tap_mtslink``."""

from tap_mtslink.tap import TapMtsLink

TapMtsLink.cli()
