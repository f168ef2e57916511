"""The tap for Stepik and Hyperskill: settings, the shared OAuth token, and the streams."""

from __future__ import annotations

import re
from functools import cached_property

from singer_sdk import typing as th

from tap_common import RuntimeTap
from tap_common.settings import ADAPTIVE_CEILING, runtime_properties
from tap_stepik.auth import PlatformAuthenticator, read_token_file
from tap_stepik.client import PlatformStream
from tap_stepik.ids import IdsError, collect_ids
from tap_stepik.platforms import (
    PLATFORMS,
    STEPIK,
    STREAM_SPECS,
    Platform,
    StreamSpec,
    custom_spec,
)

MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 100
_RESOURCE_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


class TapStepik(RuntimeTap):
    """Singer tap for the Stepik and Hyperskill REST APIs (OAuth2)."""

    name = "tap-stepik"

    config_jsonschema = th.PropertiesList(
        th.Property(
            "platform",
            th.StringType(allowed_values=sorted(PLATFORMS)),
            default=STEPIK,
            description="Which platform to read: stepik or hyperskill.",
        ),
        th.Property(
            "client_id",
            th.StringType(min_length=1),
            required=True,
            description="Client ID of the OAuth application (<site>/oauth2/applications/).",
        ),
        th.Property(
            "client_secret",
            th.StringType(min_length=1),
            secret=True,
            description=(
                "Client secret of the OAuth application. Required for the client-credentials "
                "grant (the default); optional with a refresh token of a public application."
            ),
        ),
        th.Property(
            "refresh_token",
            th.StringType(min_length=1),
            secret=True,
            description=(
                "A refresh token (from tap-stepik-login): the tap then acts as that user. The "
                "servers rotate refresh tokens, so prefer token_file, which the tap updates."
            ),
        ),
        th.Property(
            "token_file",
            th.StringType(min_length=1),
            description=(
                "JSON file written by tap-stepik-login holding a refresh token; the tap reads "
                "it and writes the rotated token back. Takes precedence over refresh_token."
            ),
        ),
        th.Property(
            "api_url",
            th.StringType,
            description=(
                "Base URL of the API. Default: https://stepik.org/api or "
                "https://hyperskill.org/api, per platform."
            ),
        ),
        th.Property(
            "oauth_url",
            th.StringType,
            description=(
                "Base URL of the OAuth2 server (token/ and authorize/ below it). Default: "
                "https://stepik.org/oauth2 or https://hyperskill.org/oauth2, per platform."
            ),
        ),
        th.Property(
            "ids",
            th.ObjectType(additional_properties=th.ArrayType(th.IntegerType)),
            description=(
                'Ids to read, per stream, e.g. {"steps": [1, 2]}: the stream then requests '
                "just those objects (Stepik ids[] in batches of 100, Hyperskill ids=1,2,3)."
            ),
        ),
        th.Property(
            "ids_file",
            th.StringType(min_length=1),
            description="CSV file whose column ids_column lists ids for stream ids_file_stream.",
        ),
        th.Property(
            "ids_column",
            th.StringType(min_length=1),
            default="id",
            description="Column of ids_file holding the ids.",
        ),
        th.Property(
            "ids_file_stream",
            th.StringType(min_length=1),
            description="Stream the ids of ids_file apply to (required with ids_file).",
        ),
        th.Property(
            "max_records",
            th.ObjectType(additional_properties=th.IntegerType(minimum=1)),
            description=(
                'Most records to emit per stream, e.g. {"submissions": 1000}; the key "*" '
                "applies to every stream without its own entry."
            ),
        ),
        th.Property(
            "custom_objects",
            th.ArrayType(th.StringType(min_length=1)),
            description=(
                "Other API objects to read, by endpoint name (e.g. sections, course-grades); "
                "each becomes a stream (dashes become underscores) with a permissive schema."
            ),
        ),
        th.Property(
            "start_date",
            th.DateTimeType,
            description=(
                "Records of incremental streams updated before this are not emitted. The APIs "
                "cannot filter by time, so they are still fetched."
            ),
        ),
        th.Property(
            "page_size",
            th.IntegerType(minimum=1, maximum=MAX_PAGE_SIZE),
            default=DEFAULT_PAGE_SIZE,
            description="Records per page on Hyperskill (Stepik ignores it: about 20 a page).",
        ),
        *runtime_properties(requests_per_second=ADAPTIVE_CEILING, max_concurrent_requests=4),
    ).to_dict()

    extra_secret_settings = ("refresh_token", "client_secret")

    # --- settings ------------------------------------------------------------------------

    @property
    def platform(self) -> Platform:
        """The platform the tap reads."""
        return PLATFORMS[self.config.get("platform") or STEPIK]

    @property
    def api_url(self) -> str:
        """``api_url`` or the platform's default, without a trailing slash."""
        return str(self.config.get("api_url") or self.platform.api_url).rstrip("/")

    @property
    def oauth_url(self) -> str:
        """``oauth_url`` or the platform's default."""
        return str(self.config.get("oauth_url") or self.platform.oauth_url).rstrip("/")

    def stream_specs(self) -> list[StreamSpec]:
        """The platform's streams, then one per custom object."""
        specs = list(STREAM_SPECS[self.platform.name])
        specs += [custom_spec(name) for name in self.config.get("custom_objects") or []]
        return specs

    def check_settings(self) -> list[str]:
        """URLs, dates, credentials, custom objects, ids and caps that make sense."""
        errors = super().check_settings()
        errors += self._check_credentials()
        errors += self._check_custom_objects()
        if errors:
            return errors
        names = [spec.name for spec in self.stream_specs()]
        try:
            collect_ids(self.config, names)
        except IdsError as exc:
            errors.append(str(exc))
        for key in self.config.get("max_records") or {}:
            if key != "*" and key not in names:
                errors.append(f"Setting 'max_records.{key}': no such stream.")
        return errors

    def _check_credentials(self) -> list[str]:
        token_file = self.config.get("token_file")
        if token_file:
            try:
                if not read_token_file(token_file).get("refresh_token"):
                    return ["Setting 'token_file': the file holds no refresh_token."]
            except (OSError, ValueError, TypeError):
                return ["Setting 'token_file' is not a readable JSON file from tap-stepik-login."]
            return []
        if not self.config.get("client_secret") and not self.config.get("refresh_token"):
            return [
                "Setting 'client_secret' is required unless 'refresh_token' or 'token_file' is set."
            ]
        return []

    def _check_custom_objects(self) -> list[str]:
        built_in = {spec.name for spec in STREAM_SPECS[self.platform.name]}
        seen: set[str] = set()
        for name in self.config.get("custom_objects") or []:
            spec = custom_spec(name)
            if not _RESOURCE_NAME.match(spec.resource):
                return [f"Setting 'custom_objects': '{name}' is not an API object name."]
            if spec.name in built_in or spec.name in seen:
                return [f"Setting 'custom_objects': '{name}' is already a stream."]
            seen.add(spec.name)
        return []

    @cached_property
    def chosen_ids(self) -> dict[str, list[int]]:
        """Stream name -> ids chosen in the settings (validated at start-up)."""
        return collect_ids(self.config, [spec.name for spec in self.stream_specs()])

    def ids_for(self, stream_name: str) -> list[int] | None:
        """The ids chosen for a stream, or ``None`` for "all"."""
        return self.chosen_ids.get(stream_name)

    # --- auth and streams ----------------------------------------------------------------

    @cached_property
    def authenticator(self) -> PlatformAuthenticator:
        """One token for every stream of this tap."""
        refresh_token = self.config.get("refresh_token")
        token_file = self.config.get("token_file")
        if token_file:
            refresh_token = read_token_file(token_file).get("refresh_token") or refresh_token
            self.redactor.add(refresh_token)
        return PlatformAuthenticator(
            platform=self.platform.name,
            oauth_url=self.oauth_url,
            client_id=self.config["client_id"],
            client_secret=self.config.get("client_secret"),
            refresh_token=refresh_token,
            token_file=token_file,
            on_secret=self.redactor.add,
        )

    def discover_streams(self) -> list[PlatformStream]:
        """The platform's streams and the custom objects; discovery needs no request.

        A stream with chosen ids reads them directly, without its parent.
        """
        classes: dict[str, type[PlatformStream]] = {}
        for spec in self.stream_specs():
            attrs: dict[str, object] = {
                "__module__": __name__,
                "name": spec.name,
                "path": f"/{spec.resource}",
                "primary_keys": spec.primary_keys,
                "replication_key": spec.replication_key,
                "schema": spec.schema,
                "spec": spec,
            }
            if spec.parent and self.ids_for(spec.name) is None:
                attrs["parent_stream_type"] = classes[spec.parent]
                attrs["state_partitioning_keys"] = []
            class_name = "".join(part.capitalize() for part in spec.name.split("_")) + "Stream"
            classes[spec.name] = type(class_name, (PlatformStream,), attrs)
        return [stream_class(tap=self) for stream_class in classes.values()]


if __name__ == "__main__":
    TapStepik.cli()
