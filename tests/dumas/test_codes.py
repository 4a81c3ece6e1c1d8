"""Tracking codes are unguessable and easy to read aloud."""

import math
import re

from dumas import codes

CODE_PATTERN = re.compile(r"^DMS(-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{4}){4}$")


def test_codes_are_grouped_and_use_no_look_alike_characters():
    for _ in range(200):
        code = codes.generate()
        assert CODE_PATTERN.match(code), code
        assert not set("01OILU") & set(code.replace("DMS", ""))


def test_codes_carry_more_than_sixty_bits_of_randomness():
    assert codes.entropy_bits() >= 60
    assert codes.entropy_bits() == codes.RANDOM_LENGTH * math.log2(len(codes.ALPHABET))


def test_ten_thousand_codes_do_not_repeat():
    generated = {codes.generate() for _ in range(10_000)}
    assert len(generated) == 10_000


def test_each_position_varies():
    """No fixed or predictable characters: every random position takes many values."""
    samples = [codes.generate().replace("-", "")[3:] for _ in range(2000)]
    for position in range(codes.RANDOM_LENGTH):
        assert len({sample[position] for sample in samples}) >= 25


def test_codes_are_read_back_in_any_case_and_spacing():
    code = codes.generate()
    body = code.replace("DMS-", "").replace("-", "")
    assert codes.normalize(code.lower()) == code
    assert codes.normalize(" ".join(body)) == code
    assert codes.normalize(body.lower()) == code
    assert codes.normalize(f"dms {body[:8]} - {body[8:]}") == code


def test_any_single_mistyped_character_is_caught():
    code = codes.generate()
    body = code.replace("DMS-", "").replace("-", "")
    for position in range(len(body)):
        for char in codes.ALPHABET:
            if char == body[position]:
                continue
            typo = body[:position] + char + body[position + 1 :]
            assert codes.normalize(typo) is None, typo


def test_look_alike_and_foreign_characters_are_refused():
    code = codes.generate()
    body = code.replace("DMS-", "").replace("-", "")
    for char in "0O1IL":
        assert codes.normalize(char + body[1:]) is None
    assert codes.normalize("") is None
    assert codes.normalize(body[:-1]) is None
    assert codes.normalize("DMS-<script>") is None
