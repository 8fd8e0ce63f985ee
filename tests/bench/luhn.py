"""The Luhn check digit the benchmark generators put on IMEIs (one copy for every script)."""

# Digit d doubled, with the digits of the result summed (precomputed).
DOUBLED = [0, 2, 4, 6, 8, 1, 3, 5, 7, 9]


def luhn_digit(body):
    """The check digit that makes `body` + digit pass the Luhn test."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = ord(ch) - 48
        total += DOUBLED[d] if i % 2 == 0 else d
    return chr(48 + (10 - total % 10) % 10)
