"""Secrets and the forms a server may echo back are masked."""

from __future__ import annotations

import base64

from hypothesis import given
from hypothesis import strategies as st

from monitor.config import parse_config
from monitor.redact import MASK, Redactor

WATCHLIST = """
feeds:
  - name: wire
    url: https://feeds.example.org/rss?token=${FEED_TOKEN}
alerts:
  smtp:
    host: mail.example.org
    username: alice
    password: ${SMTP_PASSWORD}
    sender: monitor@example.org
    recipients: [desk@example.org]
"""


def test_config_collects_its_secrets() -> None:
    env = {"FEED_TOKEN": "tok-123456", "SMTP_PASSWORD": "hunter2-long"}
    config = parse_config(WATCHLIST, env=env)
    plain = base64.b64encode(b"\0alice\0hunter2-long").decode()
    login = base64.b64encode(b"hunter2-long").decode()
    text = f"GET ...?token=tok-123456 failed; 535 {plain}; 334 {login}"
    redacted = config.redact(text)
    assert "tok-123456" not in redacted
    assert "hunter2" not in redacted
    assert base64.b64encode(b"hunter2-long").decode() not in redacted
    assert plain not in redacted
    assert redacted.count(MASK) == 3


def test_no_secrets_leaves_text_alone() -> None:
    assert Redactor()("nothing to hide") == "nothing to hide"
    assert Redactor(["ab"])("ab ab") == "ab ab"  # too short to be a secret


@given(
    user=st.text(min_size=1, max_size=12).filter(lambda s: "\0" not in s),
    secret=st.text(min_size=4, max_size=40).filter(lambda s: "\0" not in s),
)
def test_auth_plain_never_shows_the_password(user: str, secret: str) -> None:
    plain = base64.b64encode(f"\0{user}\0{secret}".encode()).decode()
    redacted = Redactor([secret])(f"535 5.7.8 bad credentials {plain}")
    assert plain not in redacted
    assert secret not in redacted
