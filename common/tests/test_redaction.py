import logging

from tap_common.redaction import RedactingFilter, Redactor, secret_setting_names


def test_known_secrets_and_credential_pairs_are_masked():
    redact = Redactor(["s3cr3t-value"])

    assert redact("token s3cr3t-value here") == "token *** here"
    assert redact('{"access_token": "abc.def"}') == '{"access_token": "***"}'
    assert redact("Authorization: Bearer eyJhbGci") == "Authorization: ***"
    assert redact("nothing to hide") == "nothing to hide"


def test_short_values_are_not_treated_as_secrets():
    assert Redactor(["ab"])("a cab") == "a cab"


def test_secret_settings_come_from_the_schema():
    schema = {"properties": {"a": {"type": "string", "secret": True}, "b": {"type": "string"}}}
    assert secret_setting_names(schema) == {"a"}


def test_log_filter_masks_messages_and_arguments():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "got %s", ("s3cr3t-value",), None)
    RedactingFilter(Redactor(["s3cr3t-value"])).filter(record)
    assert record.getMessage() == "got ***"
