"""``monitor check`` warns about signals that can never count and other dead configuration."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor.cli import main
from monitor.config import parse_config
from monitor.judge.lint import dead_configuration

DEAD = """
entities:
  ukraine:
    name: Ukraine
    aliases: [Ukraine, Kyiv]
commitments:
  - id: dead
    title: A commitment with dead signals
    statement: Something will hold.
    kind: other
    said_by: Someone
    parties: [pakistan, ukraine]
    topics: [Russian talks]
    topics_required: true
    signals:
      breach: ["Russian shelling", "the", "k*", {phrase: "opened fire", unless: [fire]}]
      met: ["talks held", "the", "bought * cargoes", "bought *"]
    exclude: [Russia, Ukraine, Kyiv]
"""


def test_dead_configuration_is_found() -> None:
    cfg = parse_config(DEAD, env={})
    warnings = "\n".join(dead_configuration(cfg.commitments, cfg.entities))
    assert "'Russian shelling' names the excluded 'Russia'" in warnings
    assert "breach signal 'the' is only common words" in warnings
    assert "'k*' is a very short prefix" in warnings
    assert "'bought *' starts or ends with a lone *" in warnings
    assert "'bought * cargoes' starts" not in warnings  # between words: any one word
    assert "'the' is both a breach and a met signal" in warnings
    assert "exception 'fire', which it contains" in warnings
    assert "every name of 'ukraine' is excluded" in warnings
    assert "every topic is excluded" in warnings
    assert all(w.startswith("dead: ") for w in warnings.splitlines())


def test_the_default_watchlist_has_no_dead_configuration() -> None:
    path = Path(__file__).resolve().parent.parent / "config" / "watchlist.yaml"
    cfg = parse_config(path.read_text(encoding="utf-8"), env={})
    assert dead_configuration(cfg.commitments, cfg.entities) == []


def test_check_prints_the_warnings(tmp_path: Path) -> None:
    f = tmp_path / "w.yaml"
    f.write_text(DEAD, encoding="utf-8")
    out = CliRunner().invoke(main, ["check", str(f)])
    assert out.exit_code == 0, out.output
    assert "warning: dead: breach signal 'Russian shelling'" in out.output


def test_a_signal_naming_another_conflicts_party_is_warned_about_unless_it_is_ours() -> None:
    from monitor.judge.data import SHIPPED

    # a name the shipped data lists as another conflict's party (whichever it is)
    other = next(p for p in SHIPPED.cue("other_parties") if "*" not in p and " " not in p)
    doc = f"""
entities:
  eastport: {{name: Eastport, aliases: [Eastport]}}
  westport: {{name: Westport, aliases: [Westport, Westport forces]}}
commitments:
  - id: truce
    title: Eastport and Westport stop fighting
    statement: Neither side attacks the other.
    kind: other
    said_by: Both
    parties: [eastport, westport]
    topics: [truce]
    signals:
      breach: ["Eastport strikes on {other}", "shelled Westport"]
"""
    cfg = parse_config(doc, env={})
    [warning] = dead_configuration(cfg.commitments, cfg.entities)
    assert warning.startswith(f"truce: breach signal 'Eastport strikes on {other}' names")
    assert "another conflict's party" in warning
    # once the name is one of the watchlist's own parties', it is theirs: no warning
    ours = parse_config(doc.replace("Westport forces]", f"Westport forces, {other}]"), env={})
    assert dead_configuration(ours.commitments, ours.entities) == []


#: A truce with a party outlets call "rebels"; ``{flag}`` is the watchlist's say, or nothing.
UNMARKED_GROUP = """
entities:
  north: {{name: Northland, aliases: [Northland]}}
  front: {{name: Eastvale Front, aliases: [Eastvale Front, Eastvale rebels]{flag}}}
commitments:
  - id: truce
    title: The Front's truce with Northland holds
    statement: The Eastvale Front stops its attacks on Northland.
    kind: {kind}
    said_by: The Front
    parties: [north, front]
    effective: 2025-11-01
"""


@pytest.mark.parametrize(
    ("kind", "flag", "asks"),
    [
        ("ceasefire", "", True),
        # said either way: nothing to ask
        ("ceasefire", ", armed_group: true", False),
        ("ceasefire", ", armed_group: false", False),
        # a kind where others' attacks are no question
        ("talks", "", False),
    ],
)
def test_a_truce_party_named_like_an_armed_group_is_asked_about(
    kind: str, flag: str, asks: bool
) -> None:
    cfg = parse_config(UNMARKED_GROUP.format(kind=kind, flag=flag), env={})
    warnings = dead_configuration(cfg.commitments, cfg.entities)
    asked = [w for w in warnings if "named like an armed group" in w]
    assert asked == (
        [
            "truce: party 'front' is named like an armed group ('Eastvale rebels') but not marked: "
            "with `armed_group: true` its attacks break the truce it is bound by; "
            "`armed_group: false` says it is none"
        ]
        if asks
        else []
    ), warnings
