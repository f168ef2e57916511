"""Keeping secrets out of logs and error messages."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Mapping
from typing import Any

MASK = "***"
_MIN_SECRET_LENGTH = 4
# Values that follow these words in free text are masked even if we were not told them.
_CREDENTIAL_PATTERN = re.compile(
    r"(?i)((?:authorization|x-auth-token|access_token|refresh_token|client_secret|password|"
    r"api_key|apikey|token)[\"']?\s*[:=]\s*[\"']?)(?:basic |bearer )?[^\s\"',&}]+"
)


def secret_setting_names(config_schema: Mapping[str, Any]) -> set[str]:
    """Names of top-level settings marked ``secret`` in a tap's config JSON schema."""
    props = config_schema.get("properties", {})
    return {name for name, spec in props.items() if spec.get("secret") or spec.get("writeOnly")}


class Redactor:
    """Replaces known secret values, and credential-looking pairs, with ``***``."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._secrets: set[str] = set()
        self.add(*secrets)

    def add(self, *values: object) -> None:
        """Remember more secret values (tokens obtained at run time, for instance)."""
        with self._lock:
            for value in values:
                if isinstance(value, str) and len(value) >= _MIN_SECRET_LENGTH:
                    self._secrets.add(value)

    def __call__(self, text: str) -> str:
        """Return ``text`` with every secret masked."""
        with self._lock:
            secrets = sorted(self._secrets, key=len, reverse=True)
        for secret in secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return _CREDENTIAL_PATTERN.sub(lambda m: m.group(1) + MASK, text)


class RedactingFilter(logging.Filter):
    """A logging filter that masks secrets in every record passing through a handler."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            return True
        cleaned = self.redactor(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            text = str(exc)
            if self.redactor(text) != text:
                # Keep the type, drop the text that carried a secret.
                record.exc_info = None
                record.msg = f"{record.msg} ({type(exc).__name__}: {self.redactor(text)})"
        return True


def install_log_redaction(redactor: Redactor) -> None:
    """Attach the redacting filter to every handler of the root and SDK loggers."""
    loggers = [
        logging.getLogger(),
        *(logging.getLogger(name) for name in list(logging.root.manager.loggerDict)),
    ]
    for logger in loggers:
        for handler in getattr(logger, "handlers", []):
            if not any(isinstance(f, RedactingFilter) for f in handler.filters):
                handler.addFilter(RedactingFilter(redactor))
