"""Model fields that keep personal data out of the database in plain text (R-SEC-1).

``ProtectedJSONField`` is a JSON field for what a citizen types into a form (an
application form, an applicant's basic information). Before a row is written, every
string in the JSON that holds an identity number (``idnumber.holds_number``: an
18-character or 15-digit run, whatever the field's key or type, so a number typed into
a free-text field is caught too) is replaced by its cipher text (``core.crypto``, the
key of the other encrypted columns) behind the ``enc:v1:`` marker; reading the row gives
the plain values back to the services. Pages and the API never show them as read:
selectors mask them (``idnumber.mask_text``), and a full number leaves a service only
through the logged reveal (``core.pii``).

The JSON's keys stay readable, so a query on a key still works; a query on the value
of an identity number does not (look such a person up by ``id_number_digest``).
"""

from __future__ import annotations

from django.db import models

from onewindow.core import crypto, idnumber

MARK = "enc:v1:"


def seal(value):
    """``value`` (any JSON) with every string holding an identity number encrypted."""
    if isinstance(value, str):
        if value.startswith(MARK) or not idnumber.holds_number(value):
            return value
        return MARK + crypto.encrypt(value)
    if isinstance(value, dict):
        return {key: seal(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [seal(item) for item in value]
    return value


def unseal(value):
    """``value`` as written by ``seal`` with the encrypted strings decrypted."""
    if isinstance(value, str):
        if not value.startswith(MARK):
            return value
        try:
            return crypto.decrypt(value[len(MARK) :])
        except ValueError:  # not ours (a text that starts like the marker), or lost key
            return value
    if isinstance(value, dict):
        return {key: unseal(item) for key, item in value.items()}
    if isinstance(value, list):
        return [unseal(item) for item in value]
    return value


def is_sealed(value) -> bool:
    """Whether no string in ``value`` holds an identity number in plain text."""
    if isinstance(value, str):
        return value.startswith(MARK) or not idnumber.holds_number(value)
    if isinstance(value, dict):
        return all(is_sealed(item) for item in value.values())
    if isinstance(value, list):
        return all(is_sealed(item) for item in value)
    return True


class ProtectedJSONField(models.JSONField):
    """A JSONField whose identity numbers are encrypted at rest (see the module)."""

    def get_prep_value(self, value):
        return super().get_prep_value(seal(value))

    def from_db_value(self, value, expression, connection):
        return unseal(super().from_db_value(value, expression, connection))
