"""Text from feeds made safe to print on a terminal, and command lines safe to paste.  Pure.

A feed controls its titles, links and error texts.  Printed raw, an ESC starts a
terminal escape sequence (retitle the window, move the cursor, hide text), BEL rings,
CR overwrites the start of the line, and a bidi override (U+202E) shows a host name or a
command backwards.  ``term_safe`` shows each such character as a visible escape
(``\\x1b``, ``\\u202e``) instead.  ``command_line`` quotes each argument of a command we
suggest, so a link holding ``$(...)`` pasted into a shell is a string, not a command.
"""

from __future__ import annotations

import re
import shlex

#: Bidi embeddings, overrides and isolates, and the invisible direction marks.
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

# C0 controls and DEL, C1 controls, bidi controls; plus line and paragraph separators,
# which some terminals treat as line breaks
_UNSAFE = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{_BIDI}\u2028\u2029]")
_UNSAFE_KEEP_LINES = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{_BIDI}\u2028\u2029]")


def _escape(m: re.Match[str]) -> str:
    ch = m.group()
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def term_safe(text: str, *, multiline: bool = False) -> str:
    """``text`` with every control and bidi character shown as an escape.  With
    ``multiline``, newlines and tabs are kept (a CR is still escaped)."""
    pattern = _UNSAFE_KEEP_LINES if multiline else _UNSAFE
    return pattern.sub(_escape, text)


def command_line(*args: str) -> str:
    """``monitor ARGS`` with each argument shell-quoted (and terminal-safe)."""
    return term_safe(" ".join(["monitor", *(shlex.quote(a) for a in args)]))
