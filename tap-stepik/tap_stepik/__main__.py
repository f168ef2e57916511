"""Run the tap: ``python -m tap_stepik``."""

from tap_stepik.tap import TapStepik

TapStepik.cli()
