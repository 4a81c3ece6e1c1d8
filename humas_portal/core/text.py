"""Characters that have no place in what people type into the portal.

C0 control characters (NUL above all: PostgreSQL refuses it in text and the
request would end in an error page) are removed from every query parameter
and form value; tab, line feed and carriage return stay, as text areas need
them. Names and titles, which are shown in lists, letters and e-mails, also
lose the invisible characters that can disguise them: bidirectional
overrides and isolates (a name that reads backwards) and zero-width ones.

Own code rather than a library: it is two translation tables over the
Unicode code points named here, which Python's ``str.translate`` applies.
"""

from __future__ import annotations

KEPT_CONTROLS = {"\t", "\n", "\r"}
_CONTROLS = {code: None for code in [*range(0x00, 0x20), 0x7F] if chr(code) not in KEPT_CONTROLS}
# U+202A–U+202E embeddings and overrides, U+2066–U+2069 isolates, the marks
# U+200E/U+200F/U+061C, and the zero-width space, joiners and no-break space.
_INVISIBLE = {
    code: None
    for code in [
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
        0x200E,
        0x200F,
        0x061C,
        0x200B,
        0x200C,
        0x200D,
        0x2060,
        0xFEFF,
    ]
}
_NAME_TABLE = {**_CONTROLS, **_INVISIBLE}


def strip_controls(value: str) -> str:
    """``value`` without C0 control characters other than tab and newlines."""
    return value.translate(_CONTROLS)


def has_controls(value: str) -> bool:
    return any(ord(char) < 0x20 or ord(char) == 0x7F for char in value if char not in KEPT_CONTROLS)


def clean_name(value: str) -> str:
    """A title or a person's name as it should be shown: no control, no
    direction override, no zero-width character, and on one line."""
    return " ".join(value.translate(_NAME_TABLE).split())


class NameFieldsMixin:
    """For a model whose ``NAME_FIELDS`` (titles, names of people and
    places) must be clean however they arrive: a form, the admin, a service,
    an import. They are cleaned with ``clean_name`` before the model's field
    validation (so a ModelForm checks uniqueness and length on the cleaned
    value) and again before every save.

    Put it before the model base class: ``class Tag(NameFieldsMixin,
    models.Model)``."""

    NAME_FIELDS: tuple[str, ...] = ()

    def clean_names(self) -> None:
        for field in self.NAME_FIELDS:
            value = getattr(self, field)
            if isinstance(value, str):
                setattr(self, field, clean_name(value))

    def clean_fields(self, exclude=None):
        self.clean_names()
        super().clean_fields(exclude=exclude)

    def save(self, *args, **kwargs):
        self.clean_names()
        super().save(*args, **kwargs)
