"""The command line.  The only module that prints or sets exit codes.

Exit codes: 0 success, 1 a runtime failure (database, network), 2 bad config or
bad input.
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, NoReturn, TextIO, TypeVar
from urllib.parse import urlsplit

import click

from monitor import __version__, logs, pipeline
from monitor.clock import SystemClock
from monitor.config import Config, config_path, load_config
from monitor.db import make_engine, upgrade
from monitor.errors import ConfigError, InputError, MonitorError
from monitor.render import ascii_host, ascii_url
from monitor.store import Store
from monitor.termsafe import command_line, term_safe

F = TypeVar("F", bound=Callable[..., Any])


def _path(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """A file or folder argument: a NUL byte (which no path may hold) is a usage error."""
    if isinstance(value, str) and "\x00" in value:
        raise click.BadParameter("a path cannot contain a NUL byte", ctx, param)
    return value


config_option = click.option(
    "--config",
    "config_file",
    metavar="FILE",
    default=None,
    callback=_path,
    help="Watchlist file (default: $MONITOR_CONFIG, else config/watchlist.yaml).",
)


def _echo(message: str = "", *, err: bool = False, nl: bool = True) -> None:
    """Print a line; control and bidi characters (from feeds, pages, errors) are escaped."""
    click.echo(term_safe(message, multiline=True), err=err, nl=nl)


def _fail(message: str, code: int) -> NoReturn:
    _echo(f"monitor: {message}", err=True)
    sys.exit(code)


@contextmanager
def _errors() -> Iterator[None]:
    """Turn monitor's errors into a message and an exit code, never a traceback."""
    try:
        yield
    except ConfigError as e:
        _fail(f"{e}\nFix the file and run `{command_line('check', e.path)}`.", 2)
    except InputError as e:
        _fail(str(e), 2)
    except MonitorError as e:
        _fail(str(e), 1)
    except OSError as e:  # a folder or file the command was pointed at
        where = f": {e.filename}" if e.filename else ""
        _fail(f"{e.strerror or e}{where}", 1)


def _load(config_file: str | None) -> Config:
    path = config_path(config_file)
    if not config_file and not os.environ.get("MONITOR_CONFIG") and not Path(path).exists():
        _fail(
            f"no watchlist here ({path} does not exist in {Path.cwd().name or '/'}/).\n"
            "Run monitor in the folder that holds config/watchlist.yaml, or give "
            "--config FILE (or set $MONITOR_CONFIG), or make a starter watchlist with "
            f"`{command_line('init')}`.",
            2,
        )
    return load_config(path)


def _open(config: Config) -> Store:
    """The upgraded database; its connections close when the command ends."""
    upgrade(config.database_url)
    store = Store(make_engine(config.database_url))
    click.get_current_context().call_on_close(store.close)
    return store


class ProgressStream:
    """Standard error shared by the progress line and the log handler: a log line first
    clears a progress line that is showing, so the two never run into each other."""

    def __init__(self, target: Callable[[], TextIO] = lambda: sys.stderr) -> None:
        self._target = target
        self.showing = False

    def write(self, text: str) -> int:
        out = self._target()
        if self.showing and text:
            out.write("\r\033[K")
            self.showing = False
        return out.write(text)

    def flush(self) -> None:
        self._target().flush()

    def isatty(self) -> bool:
        return self._target().isatty()

    def show(self, message: str) -> None:
        """Redraw the progress line in place (on a terminal only)."""
        out = self._target()
        out.write(f"\r\033[K{term_safe(message)}")
        out.flush()
        self.showing = True

    def end(self) -> None:
        """Finish the progress line, if one is showing."""
        if self.showing:
            self._target().write("\n")
            self.showing = False


STDERR = ProgressStream()


def _progress() -> Callable[[str], None] | None:
    if not STDERR.isatty():
        return None
    return STDERR.show


def _setup_logging(verbose: bool, fmt: logs.LogFormat = "auto") -> None:
    logs.configure(fmt, verbose=verbose, stream=STDERR)  # type: ignore[arg-type]


log_format_option = click.option(
    "--log-format",
    type=click.Choice(["auto", "console", "json", "logfmt"]),
    default="auto",
    show_default=True,
    help="Log lines: auto is console on a terminal, JSON lines otherwise.",
)


def _monitor(config: Config, *, progress: bool = True) -> pipeline.Monitor:
    store = _open(config)
    m = pipeline.Monitor(config, store, SystemClock(), progress=_progress() if progress else None)
    pipeline.sync(m)
    return m


class Seconds(click.ParamType[float, Any]):
    """A finite number of seconds within [low, high]: a negative, zero, infinite or NaN
    tick is refused before anything runs."""

    name = "seconds"

    def __init__(self, low: float, high: float) -> None:
        self.low, self.high = low, high

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not (math.isfinite(seconds) and self.low <= seconds <= self.high):
            self.fail(
                f"{value!r} is not between {self.low:g} and {self.high:g} seconds", param, ctx
            )
        return seconds


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
    type=Seconds(0.1, 24 * 3600),
    default=60.0,
    show_default=True,
    help="Seconds between cycles (each feed is polled at its own interval).",
)
@click.option("-v", "--verbose", is_flag=True, help="Log debug messages.")
@log_format_option
def run(config_file: str | None, once: bool, tick: float, verbose: bool, log_format: str) -> None:
    """Run the monitor: as a daemon, or one cycle with --once."""
    import gc

    from monitor import daemon, parsepool

    _setup_logging(verbose, log_format)  # type: ignore[arg-type]
    with _errors():
        config = _load(config_file)
        parsepool.warm()  # the parse workers' fork server starts while the database opens
        m = _monitor(config)
        # what start-up built lives as long as the process: keep it out of the collector's
        # full passes, which otherwise land inside polls (about 0.1 s each, measured)
        gc.freeze()
        try:
            if once:
                report = pipeline.run_cycle(m)
                STDERR.end()
                _print_cycle(report)
                return
            if config.file.web.enabled:  # the status page beside the daemon (monitor/web.py)
                from monitor import web

                web.serve_in_background(m)
            m.tick_seconds = tick  # recorded with each cycle: the heartbeat `status` reads
            daemon.run_forever(m, tick_seconds=tick)
        finally:
            gc.unfreeze()  # (run in-process, as tests do: leave the heap as it was)


def _print_cycle(r: pipeline.CycleReport) -> None:
    p = r.poll
    _echo(
        f"polled {p.polled} feeds ({p.not_modified} not modified, {len(p.errors)} failed); "
        f"{p.new_articles} new articles; judged {r.judged}; {r.changes} status changes; "
        f"{r.queued} messages queued; delivered {r.delivery.sent}, "
        f"retrying {r.delivery.retrying}, failed {r.delivery.failed}"
    )
    for name, error in sorted(p.errors.items()):
        _echo(f"  feed {name}: {error}")


@main.command()
@click.argument("file", required=False, callback=_path)
@config_option
def check(file: str | None, config_file: str | None) -> None:
    """Validate a watchlist file and summarise it."""
    with _errors():
        config = _load(file or config_file)
        _echo(
            f"{config.path}: OK: {len(config.feeds)} feeds, "
            f"{len(config.commitments)} commitments "
            f"({', '.join(c.id for c in config.commitments)})"
        )
        _echo(f"database: {_redact(config.database_url)}")
        channels = ["outbox folder " + str(config.outbox_dir)] if config.outbox_dir else []
        if config.file.alerts.smtp:
            s = config.file.alerts.smtp
            channels.append(f"smtp {s.host}:{s.port} ({s.security})")
        if config.file.alerts.webhook:
            channels.append("webhook")
        if config.file.alerts.apprise:
            schemes = [
                u.get_secret_value().split("://", 1)[0] for u in config.file.alerts.apprise.urls
            ]
            channels.append(f"apprise ({', '.join(f'{s}://…' for s in schemes)})")
        _echo(f"alert channels: {', '.join(channels) or 'none'}")
        from monitor.judge.lint import dead_configuration

        for warning in dead_configuration(config.commitments, config.entities):
            _echo(f"warning: {warning}")


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<unparseable URL>"


@main.command()
@config_option
@click.option("--json", "as_json", is_flag=True, help="Print the status as one JSON object.")
@log_format_option
def status(config_file: str | None, as_json: bool, log_format: str) -> None:
    """Show whether the daemon runs and what it read, each commitment's status and latest
    evidence, each feed's health and the deliveries that failed."""
    from monitor.status import collect

    _setup_logging(False, log_format)  # type: ignore[arg-type]
    with _errors():
        config = _load(config_file)
        m = _monitor(config, progress=False)
        report = collect(m)
        if as_json:  # ASCII-only JSON: no control or bidi character reaches the terminal
            click.echo(json.dumps(report, indent=2, ensure_ascii=True))
            return
        redact = config.redact
        _print_heartbeat(report)
        states = m.store.commitment_states()
        latest = m.store.latest_evidence()
        _echo("Commitments")
        by_id = {c["id"]: c for c in report["commitments"]}
        for c in config.commitments:
            st = states.get(c.id)
            since = ""
            if st and st.status_changed_at:
                since = f" since {st.status_changed_at:%Y-%m-%d %H:%M} UTC"
            _echo(f"  {c.id:<18} {(st.status if st else 'pending'):<9}{since}  {c.title}")
            cov = by_id[c.id]["coverage"]
            if c.renewals:
                last = c.renewals[-1]
                source = f" ({last.source})" if last.source else ""
                _echo(
                    f"      renewed {last.at:%Y-%m-%d}{source}: runs until "
                    f"{last.deadline:%Y-%m-%d %H:%M} UTC"
                )
            if c.superseded_by is not None and c.ended_at is not None:
                _echo(f"      superseded by {c.superseded_by} from {c.ended_at:%Y-%m-%d %H:%M} UTC")
            status_now = st.status if st else "pending"
            if "read_hours_since_deadline" in cov and status_now in ("pending", "at risk"):
                _echo(
                    f"      deadline passed: feeds read {cov['read_hours_since_deadline']:g} h "
                    f"of the {cov['grace_hours']:g} h needed before it counts as overdue"
                )
            e = latest.get(c.id)
            if e:
                when = f"{e.published_at:%Y-%m-%d}" if e.published_at else "undated"
                _echo(
                    f"      latest: {e.label} {e.score:.2f} {ascii_host(e.source)} {when}: "
                    f'"{_clip(e.quote, 140)}"'
                )
        _echo("Feeds")
        for h in pipeline.feed_health(m):
            state = "ok" if h.healthy else "UNHEALTHY"
            ok = f"{h.last_ok_at:%Y-%m-%d %H:%M}" if h.last_ok_at else "never"
            _echo(
                f"  {h.name:<36} {state:<9} last ok {ok}"
                + (f"  errors {h.error_count}" if h.error_count else "")
                + (f"  {_clip(redact(h.last_error), 120)}" if h.last_error else "")
            )
        silences = m.store.silences(m.clock.now())  # people in the loop (monitor/review.py)
        if silences:
            _echo("Silences")
            for sil in silences:
                _echo(
                    f"  {sil.scope} {sil.target} until {sil.until_at:%Y-%m-%d %H:%M} UTC "
                    f"by {sil.by}: {_clip(sil.reason, 80)}"
                )
        counts = m.store.outbox_counts()
        partly = m.store.outbox_partly_failed()
        _echo(
            f"Outbox: {counts['pending']} pending, {counts['sent']} sent, "
            f"{counts['failed'] + partly} failed"
            + (f" ({partly} partly: sent, but recipients refused)" if partly else "")
        )
        for item in m.store.outbox(limit=200):
            if item.sent_at is not None and item.refused and item.group_key is None:
                click.echo(
                    f"  {item.channel}: {_clip(item.subject, 60)}: FAILED PARTLY, refused: "
                    f"{_clip(item.refused, 160)}"
                )
            if item.sent_at is None and item.last_error:
                state = (
                    "FAILED (not retried)"
                    if item.failed_at
                    else f"retrying (attempt "
                    f"{item.attempts}, next {item.next_attempt_at:%Y-%m-%d %H:%M} UTC)"
                )
                _echo(
                    f"  {item.channel}: {_clip(redact(item.subject), 60)}: {state}: "
                    f"{_clip(redact(item.last_error), 100)}"
                )


def _when(iso: str | None) -> str:
    return iso.replace("T", " ")[:16] + " UTC" if iso else "never"


def _print_heartbeat(report: dict[str, Any]) -> None:
    d, cov = report["daemon"], report["coverage"]
    if d["running"]:
        _echo(
            f"Daemon: running on {d['host']} (pid {d['pid']}); last cycle "
            f"{_when(d['last_cycle_at'])}, next {_when(d['next_cycle_at'])}"
        )
    elif d["cycles"]:
        who = f" (last daemon: {d['host']}, pid {d['pid']})" if d["host"] else ""
        _echo(f"Daemon: NOT running{who}; last cycle {_when(d['last_cycle_at'])}")
    else:
        _echo(f"Daemon: no cycle recorded yet; start it with `{command_line('run')}`")
    _echo(
        f"Coverage: last successful poll {_when(d['last_successful_poll_at'])}; last cycle "
        f"read {cov['feeds_read_last_cycle']} of {cov['feeds_due_last_cycle']} due feeds "
        f"({cov['feeds']} in all); last 24 h: feeds read {cov['read_hours_last_24h']:g} h, "
        f"{cov['new_articles_last_24h']} new articles"
    )
    unread = cov.get("not_judged_last_24h") or {}
    if unread:
        langs = ", ".join(f"{lang} {n}" for lang, n in unread.items())
        _echo(
            f"Not judged: {sum(unread.values())} articles of the last 24 h are in a language "
            f"the judge does not read ({langs}); only a readable headline was judged"
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
    from monitor.judge import Matcher

    with _errors():
        config = _load(config_file)
        matcher = Matcher(config.commitments, config.entities)
        published_at = _parse_when(published) if published else None
        if pasted is None and article == "-":
            pasted = sys.stdin.read()
        if pasted is not None:
            text = pasted
        elif article:
            ref = _article_ref(article)
            m = _monitor(config, progress=False)
            found = m.store.article(ref) if isinstance(ref, int) else m.store.article_by_url(ref)
            if found is not None:
                title, text, published_at = found.title, found.text, found.published_at
                _echo(
                    f"{found.title}\n{ascii_host(found.source)} "
                    f"{ascii_url(found.url) if found.url else ''} {found.published_at or ''}\n"
                )
            elif isinstance(ref, str):
                from monitor.pages import fetch_page

                page = fetch_page(
                    article, allow_private=config.file.polling.allow_private_addresses
                )
                title, text = page.title, page.text
                _echo(f"{page.title}\n{ascii_url(page.url)} (fetched now; not stored)\n")
            else:
                raise InputError(
                    _clip(article, 40),
                    "no stored article has this id; give a URL, or "
                    "paste its text with --text or '-'",
                )
        else:
            raise InputError("explain", "give an article id, a URL, --text TEXT or '-'")
        verdicts = matcher.judge(title, text, published_at)
        _echo(format_explanation(verdicts, {c.id: c for c in config.commitments}))


#: The largest article id a database holds (a signed 64-bit integer).
_MAX_ID = 2**63 - 1


def _article_ref(article: str) -> int | str:
    """An article id (ASCII digits that fit the database) or an http(s) URL with a host
    and a valid port; anything else is an ``InputError``."""
    if re.fullmatch(r"[0-9]+", article, flags=re.ASCII):
        if len(article) > 19 or int(article) > _MAX_ID:
            raise InputError(_clip(article, 40), "no stored article has this id")
        return int(article)
    if not article.startswith(("http://", "https://")):
        raise InputError(
            _clip(article, 80),
            "give a stored article's id (digits), its URL (http:// or https://), "
            "or paste its text with --text or '-'",
        )
    try:
        parts = urlsplit(article)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError as e:
        raise InputError(_clip(article, 80), f"not a valid URL: {e}") from None
    if not parts.hostname:
        raise InputError(_clip(article, 80), "not a valid URL: it names no host")
    return article


def _parse_when(value: str) -> datetime:
    from datetime import UTC

    from monitor.config import MAX_DATE, MIN_DATE

    try:
        at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as e:
        raise InputError(_clip(value, 40), "not an ISO 8601 date") from e
    if not MIN_DATE <= at.date() <= MAX_DATE:
        raise InputError(_clip(value, 40), f"must be between {MIN_DATE} and {MAX_DATE}")
    return at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC)


@main.command(name="eval")
@click.argument("corpus", type=click.Path(dir_okay=False), callback=_path)
@click.option(
    "--predictions",
    type=click.Path(dir_okay=False),
    default=None,
    callback=_path,
    help="Write one JSON line per article and commitment here.",
)
@config_option
def eval_(corpus: str, predictions: str | None, config_file: str | None) -> None:
    """Judge a labelled corpus and print precision, recall and F1 for breach and met."""
    from monitor import evaluate
    from monitor.judge import Matcher

    with _errors():
        config = _load(config_file)
        items = _load_corpus(corpus)
        matcher = Matcher(config.commitments, config.entities)
        show = _progress()
        project = []
        for start in range(0, len(items), 100):
            project += evaluate.predict(matcher, items[start : start + 100])
            if show:
                show(f"judged {min(start + 100, len(items))}/{len(items)} articles")
        STDERR.end()
        baseline = evaluate.keyword_baseline(config.commitments, config.entities, items)
        ids = [c.id for c in config.commitments]
        _echo(f"{corpus}: {len(items)} articles, {len(ids)} commitments")
        _echo(
            evaluate.format_report(
                evaluate.score(items, project, ids), evaluate.score(items, baseline, ids)
            )
        )
        if predictions:
            with open(predictions, "w", encoding="utf-8") as out:
                for p in project:
                    out.write(json.dumps(evaluate.prediction_json(p), ensure_ascii=False) + "\n")
            _echo(f"predictions written to {predictions}")


def _load_corpus(corpus: str) -> list[Any]:
    """``evaluate.load_corpus``, with every input error an ``InputError`` naming the line:
    JSON nested too deep, a number too long to read, a date out of range."""
    from monitor import evaluate
    from monitor.config import MAX_DATE, MIN_DATE

    try:
        items = evaluate.load_corpus(corpus)
    except (RecursionError, ValueError, OverflowError) as e:
        raise InputError(_corpus_line(corpus), _input_problem(e)) from None
    for item in items:
        at = item.published_at
        if at is not None and not MIN_DATE <= at.date() <= MAX_DATE:
            raise InputError(
                f"{corpus}: article {_clip(item.id, 40)!r}",
                f"published date {at.date()} is not between {MIN_DATE} and {MAX_DATE}",
            )
    return items


def _input_problem(e: BaseException) -> str:
    if isinstance(e, RecursionError):
        return "JSON nested too deeply"
    if "digits" in str(e):
        return "a number has too many digits to read"
    return _clip(str(e), 200) or type(e).__name__


def _corpus_line(corpus: str) -> str:
    """``CORPUS line N`` for the first line that cannot be read, else ``CORPUS``."""
    from monitor import evaluate

    try:
        lines = Path(corpus).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return corpus
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            evaluate.parse_corpus_line(line, f"{corpus} line {n}")
        except InputError:
            continue
        except (RecursionError, ValueError, OverflowError):
            return f"{corpus} line {n}"
    return corpus


@main.command()
@click.option(
    "--articles",
    "n",
    type=click.IntRange(1, 1_000_000),
    default=4000,
    show_default=True,
    help="Articles judged per measurement.",
)
@click.option(
    "--generated",
    type=click.IntRange(1, 10_000),
    default=200,
    show_default=True,
    help="Generated commitments for the second measurement.",
)
@click.option(
    "--scale",
    type=click.IntRange(200),
    default=None,
    help="Instead: fill a database with this many articles and time a cycle and status.",
)
@click.option("--database-url", default=None, help="With --scale: an empty database to fill.")
@click.option(
    "--poll", "poll_n", type=click.IntRange(1, 5000), help="Measure a poll cycle instead."
)
@click.option("--latency", type=click.FloatRange(0, 10), default=0.1, show_default=True)
@click.option(
    "--feeds",
    "feeds_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="With --poll: serve copies of the feed files (.xml, .rss, .atom) in this folder "
    "instead of the shipped samples.",
)
@click.option(
    "--hostile",
    is_flag=True,
    help="With --poll: then two more first cycles, the second with a feed that takes "
    "feedparser 20-30 s to parse among them: how long it delays the other feeds' alerts.",
)
@config_option
def bench(
    n: int,
    generated: int,
    scale: int | None,
    database_url: str | None,
    poll_n: int | None,
    latency: float,
    feeds_dir: Path | None,
    hostile: bool,
    config_file: str | None,
) -> None:
    """Measure judging speed: articles per second, with the watchlist's commitments and with
    many generated ones.  With --poll N: a poll cycle of N local feeds, each answer delayed
    --latency seconds, beside the sequential loop and the parse floor."""
    from monitor import bench as b

    if poll_n is not None:
        from monitor import benchpoll

        with _errors():
            rows = benchpoll.run(
                poll_n, latency, config_path(config_file), click.echo, feeds_dir, hostile=hostile
            )
            for line in benchpoll.table(rows):
                click.echo(line)
        return
    with _errors():
        config = _load(config_file)
        if scale is not None:
            from monitor.benchscale import run_scale

            report = run_scale(config, scale, database_url=database_url, progress=_progress())
            for line in report.lines():
                click.echo(line)
            return
        articles = b.sample_articles()
        entities = dict(config.entities)
        _echo(f"judging {n} articles (the demo's {len(articles)} sample items, repeated), one core")
        first = b.run_bench("watchlist", config.commitments, entities, articles, n)
        _echo(first.line())
        many = b.generated_commitments(config.commitments, generated)
        second = b.run_bench("generated", many, entities, articles, max(1, n // 4))
        _echo(second.line())


@main.command()
@click.option("--now", "now_", is_flag=True, required=True, help="Make a digest now.")
@config_option
@log_format_option
def digest(now_: bool, config_file: str | None, log_format: str) -> None:
    """Make the email digest now (status changes and new evidence since the last one)."""
    _setup_logging(False, log_format)  # type: ignore[arg-type]
    with _errors():
        config = _load(config_file)
        m = _monitor(config, progress=False)
        made = pipeline.digest(m)
        report = pipeline.deliver_pending(m)
        _echo(
            f"digest {'queued' if made else 'already made'}; delivered {report.sent}, "
            f"retrying {report.retrying}, failed {report.failed}"
        )
        if config.outbox_dir:
            _echo(f"outbox folder: {config.outbox_dir}")


@main.command()
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False),
    required=True,
    callback=_path,
    help="Folder for the demo's database, config and outbox (created).",
)
@config_option
@log_format_option
def demo(directory: str, config_file: str | None, log_format: str) -> None:
    """Run one cycle on sample feeds served locally, with no network, and show the alerts."""
    from monitor.demo import run_demo

    _setup_logging(False, log_format)  # type: ignore[arg-type]
    with _errors():
        result = run_demo(Path(directory), config_path(config_file))
        _echo(result.summary())


@main.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False), callback=_path)
def init(directory: str) -> None:
    """Write a commented starter watchlist to DIRECTORY/config/watchlist.yaml."""
    from importlib import resources

    target = Path(directory) / "config" / "watchlist.yaml"
    with _errors():
        if target.exists():
            raise InputError(str(target), "already exists; edit it, or init another folder")
        starter = resources.files("monitor").joinpath("data/starter-watchlist.yaml")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(starter.read_text(encoding="utf-8"), encoding="utf-8")
    where = [] if Path(directory).resolve() == Path.cwd() else [f"cd {_shell(directory)}"]
    steps = [
        *where,
        "edit config/watchlist.yaml (feeds, commitments; read its comments)",
        command_line("check"),
        command_line("run", "--once"),
        command_line("status"),
        f"{command_line('run')}   (the daemon)",
    ]
    _echo(f"wrote {target}\nNext:")
    for n, step in enumerate(steps, 1):
        _echo(f"  {n}. {step}")


def _shell(arg: str) -> str:
    import shlex

    return shlex.quote(arg)


@main.group()
def feeds() -> None:
    """The watchlist's feeds: export and import OPML, find a site's feed."""


@feeds.command(name="export")
@config_option
def feeds_export(config_file: str | None) -> None:
    """Print the watchlist's feeds as OPML (for a feed reader)."""
    from monitor.opml import FeedEntry, to_opml

    with _errors():
        config = _load(config_file)
        entries = [FeedEntry(f.name, config.redact(f.url)) for f in config.file.feeds]
        click.echo(to_opml(entries), nl=False)


@feeds.command(name="import")
@click.argument("opml_file", type=click.Path(dir_okay=False), callback=_path)
@config_option
def feeds_import(opml_file: str, config_file: str | None) -> None:
    """Print the feeds of an OPML file as watchlist YAML to paste under `feeds:`.

    Feeds the watchlist already has (same URL) are left out.  The watchlist file is not
    changed: its comments and order stay yours."""
    from monitor.opml import from_opml

    with _errors():
        config = _load(config_file)
        try:
            data = Path(opml_file).read_bytes()
        except OSError as e:
            raise InputError(opml_file, e.strerror or str(e)) from None
        have_urls = {f.url for f in config.file.feeds}
        have_names = {f.name for f in config.file.feeds}
        found = from_opml(data, opml_file)
        new = [f for f in found if f.url not in have_urls]
        _echo(
            f"# {len(found)} feeds in {opml_file}, {len(found) - len(new)} already in "
            f"{config.path}; paste these under feeds:"
        )
        for f in new:
            name = f.name if f.name not in have_names else f"{f.name} ({f.url})"
            have_names.add(name)
            _echo(_feed_yaml(name, f.url))


def _feed_yaml(name: str, url: str) -> str:
    import yaml

    text = yaml.safe_dump([{"name": name, "url": url}], allow_unicode=True, sort_keys=False)
    return "\n".join("  " + line for line in text.splitlines())


@feeds.command(name="add")
@click.argument("url")
@config_option
def feeds_add(url: str, config_file: str | None) -> None:
    """Find the feeds a site advertises on its home page (or check that URL is a feed)
    and print them as watchlist YAML to paste under `feeds:`."""
    from monitor.discover import discover

    with _errors():
        config = _load(config_file)
        if not url.startswith(("http://", "https://")):
            raise InputError(_clip(url, 80), "give the site's http:// or https:// URL")
        ref = str(_article_ref(url))  # a valid URL, or an InputError
        links = discover(ref, allow_private=config.file.polling.allow_private_addresses)
        have = {f.url for f in config.file.feeds}
        _echo(f"# {len(links)} feed{'s' if len(links) != 1 else ''} found at {ref}:")
        for link in links:
            note = "   # already in the watchlist" if link.url in have else ""
            _echo(f"{_feed_yaml(link.title, link.url)}{note}")


# --- people in the loop: review, rejudge, ack, silence, serve (monitor/oversight.py) -----

LABELS = ("breach", "met", "related", "none")


def _duration(value: str) -> timedelta:
    """``90m``, ``12h``, ``3d`` or ``2w``."""
    import re

    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([mhdw])\s*", value)
    if not found:
        raise InputError(value, "give a duration such as 90m, 12h, 3d or 2w")
    n, unit = float(found.group(1)), found.group(2)
    return timedelta(minutes=n * {"m": 1, "h": 60, "d": 1440, "w": 10080}[unit])


def _by(by: str | None) -> str:
    return by or os.environ.get("USER") or "analyst"


def _send_now(m: pipeline.Monitor) -> None:
    """Queue the alerts a correction caused and deliver what is due."""
    queued = pipeline.alert(m)
    report = pipeline.deliver_pending(m)
    click.echo(
        f"{queued} alerts queued; delivered {report.sent}, retrying {report.retrying}, "
        f"failed {report.failed}"
    )


@main.command()
@click.argument("article_id", required=False, type=int)
@click.argument("commitment_id", required=False)
@click.option("--verdict", type=click.Choice(LABELS), help="What the article shows.")
@click.option("--note", default=None, help="Why (kept with the verdict).")
@click.option("--by", default=None, help="Who decides (default: $USER).")
@click.option(
    "--export",
    "export",
    type=click.Path(dir_okay=False),
    default=None,
    help="Instead: write every reviewed article as a labelled corpus (JSON lines).",
)
@config_option
def review(
    article_id: int | None,
    commitment_id: str | None,
    verdict: str | None,
    note: str | None,
    by: str | None,
    export: str | None,
    config_file: str | None,
) -> None:
    """Record a person's verdict on an article for a commitment (it overrides the judge,
    and the commitment is reassessed at once), or --export the verdicts as a corpus."""
    from monitor import oversight
    from monitor.models import Label

    with _errors():
        if export is not None:
            if article_id is not None or verdict is not None:
                raise InputError("--export", "give either --export FILE or a verdict, not both")
            m = _monitor(_load(config_file), progress=False)
            n = oversight.export_corpus(m, Path(export))
            click.echo(f"{n} reviewed articles written to {export}")
            return
        if article_id is None or commitment_id is None or verdict is None:
            raise InputError(
                "review", "give ARTICLE_ID COMMITMENT_ID --verdict breach|met|related|none"
            )
        m = _monitor(_load(config_file), progress=False)
        out = oversight.record_verdict(
            m, article_id, commitment_id, Label(verdict), by=_by(by), note=note
        )
        click.echo(
            f"verdict recorded: article {article_id} is {verdict} for {commitment_id} "
            f"(by {out.verdict.by})"
        )
        if out.change is None:
            click.echo("status unchanged")
        else:
            c = out.change
            kind = "retracted" if out.retracted else "changed"
            click.echo(f"status {kind}: {c.from_status} -> {c.to_status}")
        _send_now(m)


@main.command()
@click.option("--since", default=None, help="Only articles published on or after this date.")
@config_option
def rejudge(since: str | None, config_file: str | None) -> None:
    """Judge the stored articles again with the current watchlist, bring the evidence in
    line, reassess, and alert on changed statuses only."""
    from monitor import oversight

    with _errors():
        when = _parse_when(since) if since else None
        m = _monitor(_load(config_file))
        report = oversight.rejudge(m, since=when, by=f"rejudge by {_by(None)}")
        if m.progress:
            click.echo("", err=True)
        click.echo(
            f"re-judged {report.articles} articles; evidence changed for "
            f"{len(report.commitments)} commitments; {len(report.changes)} status changes"
        )
        if report.pruned:
            click.echo(
                f"left {report.pruned} articles as they were: their text was pruned "
                "(retention.article_text_days), so their evidence stands"
            )
        for c in report.changes:
            click.echo(f"  {c.commitment_id}: {c.from_status} -> {c.to_status}")
        _send_now(m)


@main.command()
@click.argument("commitment_id")
@click.option("--note", default=None, help="Why.")
@click.option("--by", default=None, help="Who (default: $USER).")
@config_option
def ack(commitment_id: str, note: str | None, by: str | None, config_file: str | None) -> None:
    """Acknowledge a commitment's status: no reminders until it changes."""
    from monitor import oversight

    with _errors():
        m = _monitor(_load(config_file), progress=False)
        a = oversight.acknowledge(m, commitment_id, by=_by(by), note=note)
        click.echo(f"{commitment_id}: {a.status} acknowledged by {a.by}")


@main.group()
def silence() -> None:
    """Silence a commitment, a feed or a channel for a while (add, list, remove)."""


@silence.command(name="add")
@click.argument("scope", type=click.Choice(["commitment", "feed", "channel"]))
@click.argument("target")
@click.option("--for", "duration", required=True, help="How long: 90m, 12h, 3d, 2w.")
@click.option("--reason", required=True, help="Why (shown with the silence).")
@click.option("--by", default=None, help="Who (default: $USER).")
@config_option
def silence_add(
    scope: str,
    target: str,
    duration: str,
    reason: str,
    by: str | None,
    config_file: str | None,
) -> None:
    """Silence SCOPE TARGET (a commitment id, a feed name or a channel name)."""
    from monitor import oversight
    from monitor.models import SilenceScope

    with _errors():
        length = _duration(duration)
        m = _monitor(_load(config_file), progress=False)
        s = oversight.add_silence(
            m, SilenceScope(scope), target, duration=length, reason=reason, by=_by(by)
        )
        click.echo(
            f"silence {s.id}: {s.scope} {s.target} until {s.until_at:%Y-%m-%d %H:%M} UTC "
            f"({s.reason}, by {s.by})"
        )


@silence.command(name="list")
@config_option
def silence_list(config_file: str | None) -> None:
    """List the silences in force."""
    with _errors():
        m = _monitor(_load(config_file), progress=False)
        found = m.store.silences(m.clock.now())
        if not found:
            click.echo("no silences in force")
        for s in found:
            click.echo(
                f"  {s.id:>4}  {s.scope:<10} {s.target:<24} until "
                f"{s.until_at:%Y-%m-%d %H:%M} UTC  by {s.by}: {_clip(s.reason, 80)}"
            )


@silence.command(name="remove")
@click.argument("silence_id", type=int)
@config_option
def silence_remove(silence_id: int, config_file: str | None) -> None:
    """End a silence now."""
    with _errors():
        m = _monitor(_load(config_file), progress=False)
        if not m.store.remove_silence(silence_id, m.clock.now()):
            raise InputError(str(silence_id), "no silence in force has this id")
        click.echo(f"silence {silence_id} removed")


@main.command()
@click.option("--listen", default=None, help="HOST:PORT (default: web.listen, 127.0.0.1:8080).")
@config_option
def serve(listen: str | None, config_file: str | None) -> None:
    """Serve the status page, the JSON API, /healthz and /metrics."""
    from monitor import web

    with _errors():
        config = _load(config_file)
        m = _monitor(config, progress=False)
        host, port = web.parse_listen(listen or config.file.web.listen)
        server = web.make_server(m, host, port)
        click.echo(f"serving on http://{web.display_host(host)}:{server.effective_port}/")
        try:
            server.run()
        except KeyboardInterrupt:
            pass


@main.command()
@click.argument("corpus", type=click.Path(dir_okay=False))
@click.option(
    "--misses",
    is_flag=True,
    help="Also show why each labelled report was missed, each false alert, and phrases to add.",
)
@config_option
def replay(corpus: str, misses: bool, config_file: str | None) -> None:
    """Run a corpus through the whole pipeline in publication order on a simulated clock.

    Prints the status timeline and the alerts it would have sent (nothing is sent); with
    labels, how many alerts were right and how long after the first true report each came.
    With --misses (labels needed), per commitment: each labelled breach or met report the
    judge missed and why, each false alert, and phrases to add as signals, each tried on
    the corpus (the reports it would catch, the false ones it would add).
    """
    from monitor import evaluate
    from monitor.replay import format_replay, wrong_alerts
    from monitor.replay import replay as run_replay

    with _errors():
        config = _load(config_file)
        items = evaluate.load_corpus(corpus)
        if misses and not any(i.labels for i in items):
            raise InputError(corpus, "--misses needs labels: no article of the corpus has any")
        result = run_replay(config, items)
        _echo(format_replay(result))
        if misses:
            from monitor.misses import find_gaps, format_gaps

            gaps = find_gaps(config.commitments, config.entities, items, wrong_alerts(result))
            _echo()
            _echo(format_gaps(gaps))


@main.command()
@click.argument("corpora", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--out", default=None, help="Write the fitted learned model here (JSON).")
@click.option("--weights-out", default=None, help="Write the old measured weights here (JSON).")
@click.option("--loco", is_flag=True, help="Also print leave-one-conflict-out scores.")
@click.option(
    "--bits",
    default=18,
    show_default=True,
    type=click.IntRange(8, 24),
    help="Hash the features into 2**BITS buckets.",
)
@config_option
def train(
    corpora: tuple[str, ...],
    out: str | None,
    weights_out: str | None,
    loco: bool,
    bits: int,
    config_file: str | None,
) -> None:
    """Fit the judge's learned second stage on labelled corpora (each judged with the
    watchlist.yaml beside it, else --config); monitor/data/model.json is what ships."""
    from monitor import train as training

    with _errors():
        samples = training.collect(corpora, config_path(config_file), bits)
        groups = sorted({s.group for s in samples})
        click.echo(
            f"{len(samples)} article x commitment pairs from {len(groups)} watchlist(s); "
            f"{sum(1 for s in samples if s.buckets)} where the engine found something"
        )
        if loco:
            if len(groups) < 3:
                raise click.UsageError("--loco needs corpora of at least three watchlists")
            rows = training.leave_one_out(
                samples, bits, progress=lambda g: click.echo(f"holding out {g} ...", err=True)
            )
            click.echo(training.format_loco(rows))
        if out or weights_out:
            if weights_out:
                training.write_weights(training.train(samples), weights_out)
                click.echo(f"old weights written to {weights_out}")
            if out:
                model = training.train_model(samples, bits)
                training.write_model(model, out)
                margins = ", ".join(
                    f"{k.value} {'never' if v == float('inf') else v}"
                    for k, v in model.margins.items()
                )
                click.echo(
                    f"model written to {out} ({len(model.weights)} buckets; margins: {margins})"
                )


def entrypoint() -> None:  # pragma: no cover - used by python -m monitor
    main(prog_name="monitor")


if __name__ == "__main__":  # pragma: no cover
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    entrypoint()
