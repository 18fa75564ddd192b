"""The receipt's secret lookup code: generated, hashed and checked (pure functions, no database)."""

import secrets

from django.utils.crypto import constant_time_compare, salted_hmac

# No 0/O, 1/I/L: read aloud or copied from paper without confusion. 8 characters: 31^8 ≈ 8.5·10^11 codes,
# against lookups throttled per address (PUBLIC_LOOKUP_RATE).
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 8


def receipt_code_generate():
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def receipt_codes_generate(count):
    """`count` codes at once (the Excel import): one read of the system's random source instead of one per
    character; uniform over the alphabet (bytes at or above the largest multiple of its size are dropped)."""
    limit = 256 - 256 % len(ALPHABET)
    codes = []
    while len(codes) < count:
        chars = [
            ALPHABET[byte % len(ALPHABET)]
            for byte in secrets.token_bytes(LENGTH * (count - len(codes)) * 9 // 8 + LENGTH)
            if byte < limit
        ]
        codes.extend("".join(chars[start : start + LENGTH]) for start in range(0, len(chars) - LENGTH + 1, LENGTH))
    return codes[:count]


def receipt_code_normalise(code):
    """What a voter types: spaces and dashes ignored, any case."""
    return "".join(ch for ch in str(code or "").upper() if ch.isalnum())[:32]


def receipt_code_hash(petition_pk, code):
    """HMAC keyed by SECRET_KEY and bound to the petition: a copy of the database alone cannot be used to try
    codes offline. (Rotating SECRET_KEY voids the codes issued before; reissue a receipt then.)"""
    value = f"{petition_pk}:{receipt_code_normalise(code)}"
    return salted_hmac("voters.receipt", value, algorithm="sha256").hexdigest()


def receipt_code_matches(petition_pk, stored_hash, code):
    expected = receipt_code_hash(petition_pk or 0, code)
    return bool(stored_hash) and constant_time_compare(expected, stored_hash)
