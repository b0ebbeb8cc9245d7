"""Why an article got its verdicts: plain text for ``monitor explain``.  Pure."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

from monitor.models import Commitment, Label, Verdict

_WIDTH = 100


def _quote(sentence: str, indent: str) -> str:
    return textwrap.fill(
        f'"{sentence}"', width=_WIDTH, initial_indent=indent, subsequent_indent=indent + " "
    )


def format_explanation(verdicts: Sequence[Verdict], commitments: Mapping[str, Commitment]) -> str:
    """Per commitment: label and score, each sentence that counted, each near miss and why."""
    blocks: list[str] = []
    for v in verdicts:
        c = commitments.get(v.commitment_id)
        title = f"{v.commitment_id} ({c.title})" if c is not None else v.commitment_id
        lines = [
            f"{title}: {v.label.value}"
            + (f", score {v.score:.2f}" if v.label in (Label.BREACH, Label.MET) else "")
        ]
        if v.language is not None:
            lines.append(
                f"  text not judged: language {v.language} (only a readable headline is judged)"
            )
        counted = [f for f in v.findings if f.counted]
        missed = [f for f in v.findings if not f.counted]
        if not v.findings:
            if v.label is Label.RELATED and v.quote:
                lines.append("  about it, but no breach or met signal:")
                lines.append(_quote(v.quote, "    "))
            elif v.label is Label.NONE:
                lines.append("  nothing in the article is about it")
        for f in counted:
            mark = "*" if f.sentence == v.quote and f.label is v.label else "-"
            lines.append(
                f"  {mark} counted as {f.label.value} ({f.score:.2f}); "
                f"signals: {', '.join(f.signals)}"
            )
            lines.append(_quote(f.sentence, "      "))
            if f.reasons:
                lines.append("      notes: " + "; ".join(f.reasons))
        for f in missed:
            lines.append(
                f"  - near miss for {f.label.value} ({f.score:.2f}); "
                f"signals: {', '.join(f.signals)}"
            )
            lines.append(_quote(f.sentence, "      "))
            lines.append("      not counted: " + "; ".join(f.reasons or ("no reason given",)))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
