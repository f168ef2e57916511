"""Meltano Hub plugin definitions of this repository's taps (``python -m hub.generate``)."""
