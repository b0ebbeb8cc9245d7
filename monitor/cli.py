"""The command line.  The only module that prints or sets exit codes.

Exit codes: 0 success, 1 a runtime failure (database, network), 2 bad config or
bad input.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from monitor import __version__, logs, pipeline
from monitor.clock import SystemClock
from monitor.config import Config, config_path, load_config
from monitor.db import make_engine, upgrade
from monitor.errors import ConfigError, InputError, MonitorError
from monitor.store import Store

F = TypeVar("F", bound=Callable[..., Any])

config_option = click.option(
    "--config",
    "config_file",
    metavar="FILE",
    default=None,
    help="Watchlist file (default: $MONITOR_CONFIG, else config/watchlist.yaml).",
)


def _fail(message: str, code: int) -> NoReturn:
    click.echo(f"monitor: {message}", err=True)
    sys.exit(code)


@contextmanager
def _errors() -> Iterator[None]:
    """Turn monitor's errors into a message and an exit code, never a traceback."""
    try:
        yield
    except ConfigError as e:
        _fail(f"{e}\nFix the file and run `monitor check {e.path}`.", 2)
    except InputError as e:
        _fail(str(e), 2)
    except MonitorError as e:
        _fail(str(e), 1)


def _load(config_file: str | None) -> Config:
    return load_config(config_path(config_file))


def _open(config: Config) -> Store:
    """The upgraded database; its connections close when the command ends."""
    upgrade(config.database_url)
    store = Store(make_engine(config.database_url))
    click.get_current_context().call_on_close(store.close)
    return store


def _progress() -> Callable[[str], None] | None:
    if not sys.stderr.isatty():
        return None

    def show(message: str) -> None:
        click.echo(f"\r\033[K{message}", err=True, nl=False)

    return show


def _setup_logging(verbose: bool, fmt: logs.LogFormat = "auto") -> None:
    logs.configure(fmt, verbose=verbose)


def _monitor(config: Config, *, progress: bool = True) -> pipeline.Monitor:
    store = _open(config)
    m = pipeline.Monitor(config, store, SystemClock(), progress=_progress() if progress else None)
    pipeline.sync(m)
    return m


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="monitor")
def main() -> None:
    """monitor: watch news feeds for evidence that public commitments are breached or met."""


@main.command()
@config_option
@click.option(
    "--once", is_flag=True, help="Run one full cycle (poll, judge, alert, deliver), then exit."
)
@click.option(
    "--tick",
    type=float,
    default=60.0,
    show_default=True,
    help="Seconds between cycles (each feed is polled at its own interval).",
)
@click.option("-v", "--verbose", is_flag=True, help="Log debug messages.")
def run(config_file: str | None, once: bool, tick: float, verbose: bool) -> None:
    """Run the monitor: as a daemon, or one cycle with --once."""
    from monitor import daemon

    _setup_logging(verbose)
    with _errors():
        config = _load(config_file)
        m = _monitor(config)
        if once:
            report = pipeline.run_cycle(m)
            if m.progress:
                click.echo("", err=True)
            _print_cycle(report)
            return
        daemon.run_forever(m, tick_seconds=tick)


def _print_cycle(r: pipeline.CycleReport) -> None:
    p = r.poll
    click.echo(
        f"polled {p.polled} feeds ({p.not_modified} not modified, {len(p.errors)} failed); "
        f"{p.new_articles} new articles; judged {r.judged}; {r.changes} status changes; "
        f"{r.queued} messages queued; delivered {r.delivery.sent}, "
        f"retrying {r.delivery.retrying}, failed {r.delivery.failed}"
    )
    for name, error in sorted(p.errors.items()):
        click.echo(f"  feed {name}: {error}")


@main.command()
@click.argument("file", required=False)
@config_option
def check(file: str | None, config_file: str | None) -> None:
    """Validate a watchlist file and summarise it."""
    with _errors():
        config = _load(file or config_file)
        click.echo(
            f"{config.path}: OK: {len(config.feeds)} feeds, "
            f"{len(config.commitments)} commitments "
            f"({', '.join(c.id for c in config.commitments)})"
        )
        click.echo(f"database: {_redact(config.database_url)}")
        channels = ["outbox folder " + str(config.outbox_dir)] if config.outbox_dir else []
        if config.file.alerts.smtp:
            s = config.file.alerts.smtp
            channels.append(f"smtp {s.host}:{s.port} ({s.security})")
        if config.file.alerts.webhook:
            channels.append("webhook")
        click.echo(f"alert channels: {', '.join(channels) or 'none'}")
        from monitor.judge.lint import dead_configuration

        for warning in dead_configuration(config.commitments, config.entities):
            click.echo(f"warning: {warning}")


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<unparseable URL>"


@main.command()
@config_option
def status(config_file: str | None) -> None:
    """Show each commitment's status and latest evidence, and each feed's health."""
    with _errors():
        config = _load(config_file)
        m = _monitor(config, progress=False)
        states = m.store.commitment_states()
        latest = m.store.latest_evidence()
        click.echo("Commitments")
        for c in config.commitments:
            st = states.get(c.id)
            since = ""
            if st and st.status_changed_at:
                since = f" since {st.status_changed_at:%Y-%m-%d %H:%M} UTC"
            click.echo(f"  {c.id:<18} {(st.status if st else 'pending'):<9}{since}  {c.title}")
            e = latest.get(c.id)
            if e:
                when = f"{e.published_at:%Y-%m-%d}" if e.published_at else "undated"
                click.echo(
                    f"      latest: {e.label} {e.score:.2f} {e.source} {when}: "
                    f'"{_clip(e.quote, 140)}"'
                )
        click.echo("Feeds")
        for h in pipeline.feed_health(m):
            state = "ok" if h.healthy else "UNHEALTHY"
            ok = f"{h.last_ok_at:%Y-%m-%d %H:%M}" if h.last_ok_at else "never"
            click.echo(
                f"  {h.name:<36} {state:<9} last ok {ok}"
                + (f"  errors {h.error_count}" if h.error_count else "")
                + (f"  {_clip(h.last_error, 120)}" if h.last_error else "")
            )
        counts = m.store.outbox_counts()
        click.echo(
            f"Outbox: {counts['pending']} pending, {counts['sent']} sent, {counts['failed']} failed"
        )
        for item in m.store.outbox(limit=200):
            if item.sent_at is None and item.last_error:
                state = (
                    "FAILED (not retried)"
                    if item.failed_at
                    else f"retrying (attempt "
                    f"{item.attempts}, next {item.next_attempt_at:%Y-%m-%d %H:%M} UTC)"
                )
                click.echo(
                    f"  {item.channel}: {_clip(item.subject, 60)}: {state}: "
                    f"{_clip(item.last_error, 100)}"
                )


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


@main.command()
@click.argument("article", required=False)
@click.option("--text", "pasted", default=None, help="Judge this text instead of a stored article.")
@click.option("--title", default="", help="Headline, with --text.")
@click.option("--published", default=None, help="Publication date (ISO 8601), with --text.")
@config_option
def explain(
    article: str | None,
    pasted: str | None,
    title: str,
    published: str | None,
    config_file: str | None,
) -> None:
    """Show which sentences counted for or against each commitment, and why.

    ARTICLE is a stored article's id or URL (a URL not stored is fetched, public
    addresses only); "-" reads the text from standard input.
    """
    from monitor.explain import format_explanation
    from monitor.match import Matcher

    with _errors():
        config = _load(config_file)
        matcher = Matcher(config.commitments, config.entities)
        published_at = _parse_when(published) if published else None
        if pasted is None and article == "-":
            pasted = sys.stdin.read()
        if pasted is not None:
            text = pasted
        elif article:
            m = _monitor(config, progress=False)
            found = (
                m.store.article(int(article))
                if article.isdigit()
                else m.store.article_by_url(article)
            )
            if found is not None:
                title, text, published_at = found.title, found.text, found.published_at
                click.echo(
                    f"{found.title}\n{found.source} {found.url or ''} {found.published_at or ''}\n"
                )
            elif article.startswith(("http://", "https://")):
                from monitor.pages import fetch_page

                page = fetch_page(
                    article, allow_private=config.file.polling.allow_private_addresses
                )
                title, text = page.title, page.text
                click.echo(f"{page.title}\n{page.url} (fetched now; not stored)\n")
            else:
                raise InputError(
                    article,
                    "no stored article has this id; give a URL, or "
                    "paste its text with --text or '-'",
                )
        else:
            raise InputError("explain", "give an article id, a URL, --text TEXT or '-'")
        verdicts = matcher.judge(title, text, published_at)
        click.echo(format_explanation(verdicts, {c.id: c for c in config.commitments}))


def _parse_when(value: str) -> datetime:
    from datetime import UTC

    try:
        at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as e:
        raise InputError(value, "not an ISO 8601 date") from e
    return at if at.tzinfo else at.replace(tzinfo=UTC)


@main.command(name="eval")
@click.argument("corpus", type=click.Path(dir_okay=False))
@click.option(
    "--predictions",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write one JSON line per article and commitment here.",
)
@config_option
def eval_(corpus: str, predictions: str | None, config_file: str | None) -> None:
    """Judge a labelled corpus and print precision, recall and F1 for breach and met."""
    from monitor import evaluate
    from monitor.match import Matcher

    with _errors():
        config = _load(config_file)
        items = evaluate.load_corpus(corpus)
        matcher = Matcher(config.commitments, config.entities)
        show = _progress()
        project = []
        for start in range(0, len(items), 100):
            project += evaluate.predict(matcher, items[start : start + 100])
            if show:
                show(f"judged {min(start + 100, len(items))}/{len(items)} articles")
        if show:
            click.echo("", err=True)
        baseline = evaluate.keyword_baseline(config.commitments, config.entities, items)
        ids = [c.id for c in config.commitments]
        click.echo(f"{corpus}: {len(items)} articles, {len(ids)} commitments")
        click.echo(
            evaluate.format_report(
                evaluate.score(items, project, ids), evaluate.score(items, baseline, ids)
            )
        )
        if predictions:
            with open(predictions, "w", encoding="utf-8") as out:
                for p in project:
                    out.write(json.dumps(evaluate.prediction_json(p), ensure_ascii=False) + "\n")
            click.echo(f"predictions written to {predictions}")


@main.command()
@click.option(
    "--articles",
    "n",
    type=click.IntRange(1),
    default=4000,
    show_default=True,
    help="Articles judged per measurement.",
)
@click.option(
    "--generated",
    type=click.IntRange(1),
    default=200,
    show_default=True,
    help="Generated commitments for the second measurement.",
)
@config_option
def bench(n: int, generated: int, config_file: str | None) -> None:
    """Measure judging speed: articles per second, with the watchlist's commitments and with
    many generated ones."""
    from monitor import bench as b

    with _errors():
        config = _load(config_file)
        articles = b.sample_articles()
        entities = dict(config.entities)
        click.echo(
            f"judging {n} articles (the demo's {len(articles)} sample items, repeated), one core"
        )
        first = b.run_bench("watchlist", config.commitments, entities, articles, n)
        click.echo(first.line())
        many = b.generated_commitments(config.commitments, generated)
        second = b.run_bench("generated", many, entities, articles, max(1, n // 4))
        click.echo(second.line())


@main.command()
@click.option("--now", "now_", is_flag=True, required=True, help="Make a digest now.")
@config_option
def digest(now_: bool, config_file: str | None) -> None:
    """Make the email digest now (status changes and new evidence since the last one)."""
    with _errors():
        config = _load(config_file)
        m = _monitor(config, progress=False)
        made = pipeline.digest(m)
        report = pipeline.deliver_pending(m)
        click.echo(
            f"digest {'queued' if made else 'already made'}; delivered {report.sent}, "
            f"retrying {report.retrying}, failed {report.failed}"
        )
        if config.outbox_dir:
            click.echo(f"outbox folder: {config.outbox_dir}")


@main.command()
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False),
    required=True,
    help="Folder for the demo's database, config and outbox (created).",
)
@config_option
def demo(directory: str, config_file: str | None) -> None:
    """Run one cycle on sample feeds served locally, with no network, and show the alerts."""
    from monitor.demo import run_demo

    with _errors():
        result = run_demo(Path(directory), config_path(config_file))
        click.echo(result.summary())


@main.command()
@click.argument("corpus", type=click.Path(dir_okay=False))
@config_option
def replay(corpus: str, config_file: str | None) -> None:
    """Run a corpus through the whole pipeline in publication order on a simulated clock.

    Prints the status timeline and the alerts it would have sent (nothing is sent); with
    labels, how many alerts were right and how long after the first true report each came.
    """
    from monitor import evaluate
    from monitor.replay import format_replay
    from monitor.replay import replay as run_replay

    with _errors():
        config = _load(config_file)
        items = evaluate.load_corpus(corpus)
        click.echo(format_replay(run_replay(config, items)))


@main.command()
@click.argument("corpora", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--out", default=None, help="Write the fitted weights here (JSON).")
@click.option("--loco", is_flag=True, help="Also print leave-one-conflict-out scores.")
@config_option
def train(corpora: tuple[str, ...], out: str | None, loco: bool, config_file: str | None) -> None:
    """Fit the judge's weights on labelled corpora (each judged with the watchlist.yaml
    beside it, else --config); monitor/data/weights.json is what ships."""
    from monitor import train as training

    with _errors():
        samples = training.collect(corpora, config_path(config_file))
        weights = training.train(samples)
        click.echo(f"fitted on {len(samples)} article x commitment pairs")
        click.echo(json.dumps(weights.to_json()))
        if loco:
            click.echo(training.format_loco(training.leave_one_out(samples)))
        if out:
            training.write_weights(weights, out)
            click.echo(f"weights written to {out}")


def entrypoint() -> None:  # pragma: no cover - used by python -m monitor
    main(prog_name="monitor")


if __name__ == "__main__":  # pragma: no cover
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    entrypoint()
