"""Keep secrets out of everything monitor writes: logs, ``status``, mail, the database.

A secret is any value the watchlist took from the environment (``${VAR}``), the SMTP
password, the webhook URL and the database password.  Besides the value itself, the
forms a server or a library may echo back are redacted too: URL-encoded, base64 (SMTP
``AUTH LOGIN``) and the base64 of ``AUTH PLAIN``'s ``\\0user\\0password``.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

#: What a secret is replaced with.
MASK = "***"

#: Shorter values are not treated as secrets: masking every "ab" would garble the text.
MIN_LENGTH = 4


_BASE64_TOKEN = re.compile(r"[A-Za-z0-9+/]{6,}={0,2}")


def _b64(raw: str) -> str:
    return base64.b64encode(raw.encode("utf-8")).decode("ascii")


def secret_forms(secret: str) -> set[str]:
    """The secret and the encodings of it that may be echoed back."""
    forms = {secret, quote(secret, safe=""), quote_plus(secret), _b64(secret)}
    # base64 of the secret at the three alignments, as it appears inside a longer base64
    # text (AUTH PLAIN carries "\0user\0password" as one base64 string)
    for pad in range(3):
        encoded = _b64("\0" * pad + secret)
        skip = (pad * 4 + 2) // 3
        # the last characters depend on whatever follows the secret
        core = encoded[skip:].rstrip("=")[:-2]
        if len(core) >= MIN_LENGTH + 4:
            forms.add(core)
    return {f for f in forms if len(f) >= MIN_LENGTH}


class Redactor:
    """``redact(text)`` masks every known secret in ``text``."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        forms: set[str] = set()
        for s in secrets:
            if s and len(s) >= MIN_LENGTH:
                forms |= secret_forms(s)
        self._forms = tuple(sorted(forms, key=len, reverse=True))
        self._pattern = (
            re.compile("|".join(re.escape(f) for f in self._forms)) if self._forms else None
        )

    def __bool__(self) -> bool:
        return self._pattern is not None

    def __call__(self, text: str) -> str:
        if self._pattern is None or not text:
            return text
        text = _BASE64_TOKEN.sub(self._mask_encoded, text)
        return self._pattern.sub(MASK, text)

    def _mask_encoded(self, m: re.Match[str]) -> str:
        """A base64 token whose decoded bytes hold a secret is masked whole."""
        token = m.group(0)
        try:
            decoded = base64.b64decode(token + "=" * (-len(token) % 4), validate=True)
        except ValueError:
            return token
        plain = decoded.decode("utf-8", errors="replace")
        assert self._pattern is not None
        return MASK if self._pattern.search(plain) else token

    def with_secrets(self, more: Iterable[str]) -> Redactor:
        """A redactor that also masks ``more``."""
        return Redactor((*self._forms, *more))


def env_references(text: str) -> set[str]:
    """The names of the ``${VAR}`` references in a watchlist's text."""
    return set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", text))
