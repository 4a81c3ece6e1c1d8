"""Tracking codes: unguessable, and easy to read aloud over the phone.

A code is ``DMS-`` and sixteen characters in groups of four, from an
alphabet without the look-alikes 0/O and 1/I/L (and without U, as in
Crockford's alphabet), so a caller never has to ask "nol atau o?". Fifteen characters are random
(30^15 ≈ 2^73.6, so guessing one is hopeless even at millions of tries) and
the last is a check character that catches any single mistyped character
before a lookup is made.
"""

from __future__ import annotations

import math
import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "DMS"
RANDOM_LENGTH = 15
GROUP = 4

# Weights coprime to 30: a single substituted character always changes the
# weighted sum modulo 30.
_WEIGHTS = (1, 7, 11, 13, 17, 19, 23, 29)
_INDEX = {char: i for i, char in enumerate(ALPHABET)}


def _check_char(body: str) -> str:
    total = sum(_INDEX[char] * _WEIGHTS[i % len(_WEIGHTS)] for i, char in enumerate(body))
    return ALPHABET[total % len(ALPHABET)]


def _format(chars: str) -> str:
    groups = [chars[i : i + GROUP] for i in range(0, len(chars), GROUP)]
    return "-".join([PREFIX, *groups])


def generate() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return _format(body + _check_char(body))


def entropy_bits() -> float:
    return RANDOM_LENGTH * math.log2(len(ALPHABET))


def normalize(raw: str) -> str | None:
    """The canonical form of a code as a person typed it (any case, with or
    without the prefix, dashes or spaces), or ``None`` when it cannot be a
    code: wrong length, a character outside the alphabet, or a failed check
    character."""
    chars = re.sub(r"[\s\-–—_.]", "", raw or "").upper()
    if chars.startswith(PREFIX) and len(chars) == len(PREFIX) + RANDOM_LENGTH + 1:
        chars = chars[len(PREFIX) :]
    if len(chars) != RANDOM_LENGTH + 1 or any(char not in _INDEX for char in chars):
        return None
    body, check = chars[:-1], chars[-1]
    if _check_char(body) != check:
        return None
    return _format(chars)
