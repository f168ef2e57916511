"""Singer tap for the Zoom API v2."""
