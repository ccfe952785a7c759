"""Valid identity numbers for tests: USCC (GB 32100) and resident ID numbers (GB 11643)."""

from __future__ import annotations

from portal.core.identity import id_check_character, uscc_check_character


def make_uscc(serial: int | str = "MA5D8XXX1", *, region: str = "440300") -> str:
    """A valid 18-character USCC: ``91``, the registration authority's division ``region``, a
    9-character organisation code and its check character. An int ``serial`` gives ``MA`` and
    7 digits, so a sequence gives distinct codes (``factory.Sequence(make_uscc)``)."""
    code = f"MA{serial:07d}" if isinstance(serial, int) else serial
    first17 = "91" + region + code
    return first17 + uscc_check_character(first17)


def make_id_number(seq: int | str = "123", *, region: str = "440305", birth: str = "19900101") -> str:
    """A valid 18-character ID number of someone born on ``birth`` in ``region``; an int ``seq``
    gives the last 3 digits before the check character (``factory.Sequence(make_id_number)``)."""
    sequence = f"{seq % 1000:03d}" if isinstance(seq, int) else seq
    first17 = region + birth + sequence
    return first17 + id_check_character(first17)


def wrong_check(value: str) -> str:
    """``value`` with a wrong check character."""
    last = value[-1]
    return value[:-1] + ("1" if last != "1" else "2")
