"""SIREN numbers: the 9-digit identifier INSEE gives every French legal entity.

The last digit is a Luhn check digit over the first eight (INSEE, répertoire SIRENE).
"""

SIREN_LENGTH = 9


def luhn_checksum_is_valid(digits: str) -> bool:
    """Return True when the digit string passes the Luhn (mod 10) check."""
    total = 0
    for position, character in enumerate(reversed(digits)):
        value = int(character)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalise_siren(raw: str) -> str:
    """Drop the spaces people type in SIRENs (``"200 054 781"``)."""
    return "".join(raw.split())


def siren_is_valid(raw: str) -> bool:
    siren = normalise_siren(raw)
    return len(siren) == SIREN_LENGTH and siren.isascii() and siren.isdigit() and luhn_checksum_is_valid(siren)


def siren_with_check_digit(first_eight_digits: str) -> str:
    """Complete eight digits into a valid SIREN (used by demo data and factories)."""
    for check_digit in "0123456789":
        candidate = first_eight_digits + check_digit
        if luhn_checksum_is_valid(candidate):
            return candidate
    raise AssertionError("unreachable: one of ten check digits always satisfies Luhn")
