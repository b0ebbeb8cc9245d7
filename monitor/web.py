"""`monitor serve`: the status page, its JSON API, ``/healthz`` and ``/metrics``.

A small WSGI application (Werkzeug routing and requests, Jinja2 pages rendered on the
server, no JavaScript needed) served by waitress.  Reading is open to whoever can reach
the address, which is 127.0.0.1 unless the watchlist says otherwise (``web.listen``).
Writing (a verdict, an acknowledgement) needs the watchlist's ``web.token``: the page
signs in with it (a signed, HttpOnly, SameSite=Strict cookie, and a CSRF token in every
form); the API takes it as ``Authorization: Bearer <token>``.  With no token configured,
nothing can be written through the web.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any
from urllib.parse import quote

import jinja2
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from monitor import cyclelog, pipeline, render, review
from monitor.errors import InputError, MonitorError
from monitor.logs import get_logger
from monitor.models import Evidence, Label, PersonVerdict, SilenceScope, Status

log = get_logger()

SESSION_COOKIE = "monitor_session"
SESSION_HOURS = 12


def parse_listen(value: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:8080`` for IPv6) -> (host, port)."""
    host, sep, port = value.strip().rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) <= 65535 or not host:
        raise InputError(value, "give --listen as HOST:PORT, e.g. 127.0.0.1:8080")
    return host.strip("[]"), int(port)


def display_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# --- the data every page and the API show ---------------------------------------------------


@dataclass(frozen=True)
class CommitmentView:
    id: str
    title: str
    statement: str
    status: Status
    since: datetime | None
    strongest: Evidence | None
    acknowledged_by: str | None
    silenced: str | None


@dataclass(frozen=True)
class EvidenceView:
    evidence: Evidence
    verdict: PersonVerdict | None


def _iso(at: datetime | None) -> str | None:
    return at.isoformat().replace("+00:00", "Z") if at else None


def _evidence_json(e: Evidence, v: PersonVerdict | None) -> dict[str, Any]:
    return {
        "article_id": e.article_id,
        "label": e.label.value,
        "score": e.score,
        "quote": e.quote,
        "url": e.url,
        "source": e.source,
        "published": _iso(e.published_at),
        "verdict_by": v.by if v else None,
        "verdict_at": _iso(v.at) if v else None,
        "verdict_note": v.note if v else None,
        "judge_label": (v.judge_label.value if v and v.judge_label else None)
        if v
        else e.label.value,
        "signals": list(e.signals),
    }


# --- sessions and CSRF --------------------------------------------------------------------------


class Guard:
    """Checks the watchlist's token: sessions for the page, bearer tokens for the API."""

    def __init__(self, token: str | None) -> None:
        self.token = token or None

    def _sign(self, text: str) -> str:
        assert self.token is not None
        return hmac.new(self.token.encode(), text.encode(), hashlib.sha256).hexdigest()

    def check_token(self, given: str | None) -> bool:
        return bool(self.token and given) and hmac.compare_digest(
            str(given).encode(), str(self.token).encode()
        )

    def session_for(self, name: str, now: float) -> str:
        body = f"{int(now + SESSION_HOURS * 3600)}:{quote(name, safe='')}"
        return f"{body}:{self._sign('session:' + body)}"

    def session_name(self, cookie: str | None, now: float) -> str | None:
        """The signed-in person's name, or None."""
        if not self.token or not cookie or cookie.count(":") != 2:
            return None
        expires, name, sig = cookie.split(":")
        body = f"{expires}:{name}"
        if not hmac.compare_digest(sig, self._sign("session:" + body)):
            return None
        if not expires.isdigit() or int(expires) < now:
            return None
        from urllib.parse import unquote

        return unquote(name)

    def csrf_for(self, cookie: str) -> str:
        return self._sign("csrf:" + cookie)

    def check_csrf(self, cookie: str, given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(self.csrf_for(cookie), str(given))


# --- the application ---------------------------------------------------------------------------


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("monitor", "templates/web"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        one_line=render.one_line,
        at=render.format_at,
        date=render.format_date,
        status=render.status_label,
        score=lambda s: f"{float(s):.2f}",
        link=render.html_link,
    )
    return env


_URLS = Map(
    [
        Rule("/", endpoint="overview", methods=["GET"]),
        Rule("/commitments/<cid>", endpoint="commitment", methods=["GET"]),
        Rule("/commitments/<cid>/review", endpoint="review", methods=["POST"]),
        Rule("/commitments/<cid>/ack", endpoint="ack", methods=["POST"]),
        Rule("/feeds", endpoint="feeds", methods=["GET"]),
        Rule("/outbox", endpoint="outbox", methods=["GET"]),
        Rule("/login", endpoint="login", methods=["GET", "POST"]),
        Rule("/logout", endpoint="logout", methods=["POST"]),
        Rule("/healthz", endpoint="healthz", methods=["GET"]),
        Rule("/metrics", endpoint="metrics", methods=["GET"]),
        Rule("/api/commitments", endpoint="api_commitments", methods=["GET"]),
        Rule("/api/commitments/<cid>", endpoint="api_commitment", methods=["GET"]),
        Rule("/api/commitments/<cid>/verdicts", endpoint="api_verdict", methods=["POST"]),
        Rule("/api/feeds", endpoint="api_feeds", methods=["GET"]),
        Rule("/api/outbox", endpoint="api_outbox", methods=["GET"]),
    ],
    strict_slashes=False,
)


class WebApp:
    """The WSGI application over one ``pipeline.Monitor``."""

    def __init__(self, m: pipeline.Monitor) -> None:
        self.m = m
        token = m.config.file.web.token
        self.guard = Guard(token.get_secret_value() if token else None)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        request = Request(environ)
        try:
            response = self.dispatch(request)
        except HTTPException as e:
            response = e.get_response()
        except MonitorError as e:
            log.error("web_error", path=request.path, error=self.m.config.redact(str(e)))
            response = Response(f"error: {self.m.config.redact(str(e))}\n", status=500)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'"
        )
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        adapter = _URLS.bind_to_environ(request.environ)
        endpoint, args = adapter.match()
        handler: Callable[..., Response] = getattr(self, f"on_{endpoint}")
        return handler(request, **args)

    # --- helpers --------------------------------------------------------------------

    def page(self, request: Request, name: str, status: int = 200, **values: Any) -> Response:
        cookie = request.cookies.get(SESSION_COOKIE)
        who = self.guard.session_name(cookie, time.time())
        html = (
            _environment()
            .get_template(name)
            .render(
                who=who,
                csrf=self.guard.csrf_for(cookie) if who and cookie else "",
                can_write=self.guard.token is not None,
                now=self.m.clock.now(),
                **values,
            )
        )
        return Response(html, status=status, mimetype="text/html")

    @staticmethod
    def json(data: Any, status: int = 200) -> Response:
        return Response(
            json.dumps(data, ensure_ascii=False, indent=1) + "\n",
            status=status,
            mimetype="application/json",
        )

    def commitment_views(self, only: str | None = None) -> list[CommitmentView]:
        store, now = self.m.store, self.m.clock.now()
        states = store.commitment_states()
        strongest = store.strongest_evidence(only)
        acks = store.acknowledgements()
        silences = store.silences(now)
        out = []
        for c in self.m.config.commitments:
            if only is not None and c.id != only:
                continue
            st = states.get(c.id)
            status = st.status if st else Status.PENDING
            since = st.status_changed_at if st else None
            ack = acks.get(c.id)
            muted = review.silence_for(silences, SilenceScope.COMMITMENT, c.id, now)
            out.append(
                CommitmentView(
                    c.id,
                    c.title,
                    c.statement,
                    status,
                    since,
                    strongest.get(c.id),
                    ack.by if review.acknowledged(ack, status, since) and ack else None,
                    review.silence_reason(muted) if muted else None,
                )
            )
        return out

    def coverage(self) -> dict[str, Any]:
        feeds = pipeline.feed_health(self.m)
        return {
            "feeds": len(feeds),
            "healthy": sum(1 for f in feeds if f.healthy),
            "last_poll": self.m.store.last_poll_at(),
            # articles of the last 24 h whose text the judge could not read, by language
            "unread": self.m.store.unread_languages(self.m.clock.now() - timedelta(hours=24)),
        }

    def find(self, cid: str) -> CommitmentView:
        for v in self.commitment_views(only=cid):
            return v
        raise NotFound(f"no commitment {cid!r}")

    def writer(self, request: Request) -> str | None:
        """The signed-in person, if the form carries a valid CSRF token; else None."""
        cookie = request.cookies.get(SESSION_COOKIE)
        who = self.guard.session_name(cookie, time.time())
        if who is None or cookie is None:
            return None
        if not self.guard.check_csrf(cookie, request.form.get("csrf")):
            return None
        return who

    def refused(self, request: Request) -> Response:
        why = (
            "writing is turned off: the watchlist sets no web.token"
            if self.guard.token is None
            else "sign in with the watchlist's web token first (and submit the page's own form)"
        )
        return self.page(request, "message.html", status=403, title="Refused", message=why)

    # --- pages ----------------------------------------------------------------------

    def on_overview(self, request: Request) -> Response:
        return self.page(
            request,
            "overview.html",
            commitments=self.commitment_views(),
            coverage=self.coverage(),
            feeds=pipeline.feed_health(self.m),
            silences=self.m.store.silences(self.m.clock.now()),
        )

    def on_commitment(self, request: Request, cid: str) -> Response:
        view = self.find(cid)
        rows = [EvidenceView(e, v) for e, v in self.m.store.commitment_evidence(cid)]
        return self.page(
            request,
            "commitment.html",
            c=view,
            commitment=self.m.commitments[cid],
            evidence=rows,
            events=self.m.store.status_events(cid),
            labels=[label.value for label in Label],
            message=request.args.get("done", ""),
        )

    def on_feeds(self, request: Request) -> Response:
        return self.page(request, "feeds.html", feeds=pipeline.feed_health(self.m))

    def on_outbox(self, request: Request) -> Response:
        return self.page(
            request,
            "outbox.html",
            items=self.m.store.outbox(limit=200),
            counts=self.m.store.outbox_counts(),
        )

    def on_login(self, request: Request) -> Response:
        if request.method == "GET":
            return self.page(
                request, "login.html", error="", request_next=_safe_next(request.args.get("next"))
            )
        if self.guard.token is None:
            return self.refused(request)
        name = " ".join(request.form.get("name", "").split())[:100]
        if not self.guard.check_token(request.form.get("token")) or not name:
            log.warning("web_login_refused", remote=request.remote_addr)
            return self.page(
                request,
                "login.html",
                status=403,
                error="Wrong token, or no name given.",
                request_next=_safe_next(request.form.get("next")),
            )
        response = redirect(_safe_next(request.form.get("next")), code=303)
        response.set_cookie(
            SESSION_COOKIE,
            self.guard.session_for(name, time.time()),
            max_age=SESSION_HOURS * 3600,
            httponly=True,
            samesite="Strict",
            secure=request.scheme == "https",
        )
        return response

    def on_logout(self, request: Request) -> Response:
        response = redirect("/", code=303)
        response.delete_cookie(SESSION_COOKIE)
        return response

    def on_review(self, request: Request, cid: str) -> Response:
        from monitor import oversight

        who = self.writer(request)
        if who is None:
            return self.refused(request)
        self.find(cid)
        try:
            article_id = int(request.form.get("article_id", ""))
            label = Label(request.form.get("verdict", ""))
        except ValueError:
            return self.page(
                request, "message.html", 400, title="Bad request", message="bad verdict form"
            )
        note = request.form.get("note") or None
        try:
            out = oversight.record_verdict(self.m, article_id, cid, label, by=who, note=note)
        except InputError as e:
            return self.page(request, "message.html", 400, title="Bad request", message=str(e))
        pipeline.alert(self.m)
        done = f"article {article_id} marked {label.value}"
        if out.change is not None:
            done += f"; status {out.change.from_status} -> {out.change.to_status}"
        return redirect(f"/commitments/{quote(cid)}?done={quote(done)}", code=303)

    def on_ack(self, request: Request, cid: str) -> Response:
        from monitor import oversight

        who = self.writer(request)
        if who is None:
            return self.refused(request)
        self.find(cid)
        a = oversight.acknowledge(self.m, cid, by=who, note=request.form.get("note") or None)
        done = f"{a.status} acknowledged"
        return redirect(f"/commitments/{quote(cid)}?done={quote(done)}", code=303)

    # --- health and metrics -----------------------------------------------------------

    def on_healthz(self, request: Request) -> Response:
        now = self.m.clock.now()
        try:
            self.m.store.ping()
            cycle = cyclelog.last_cycle(self.m.store)  # the daemon's heartbeat
        except MonitorError as e:
            return self.json({"ok": False, "problem": f"database: {e}"}, 503)
        last = cycle.started_at if cycle is not None else None
        stale = timedelta(minutes=self.m.config.file.web.stale_after_minutes)
        if last is None:
            return self.json({"ok": False, "problem": "no poll cycle has run yet"}, 503)
        if now - last > stale:
            return self.json(
                {"ok": False, "problem": f"no cycle since {_iso(last)}", "last_cycle": _iso(last)},
                503,
            )
        return self.json({"ok": True, "last_cycle": _iso(last)})

    def on_metrics(self, request: Request) -> Response:
        return Response(metrics_text(self.m), mimetype="text/plain; version=0.0.4")

    # --- the JSON API ---------------------------------------------------------------

    def on_api_commitments(self, request: Request) -> Response:
        return self.json([_view_json(v) for v in self.commitment_views()])

    def on_api_commitment(self, request: Request, cid: str) -> Response:
        view = self.find(cid)
        data = _view_json(view)
        data["statement"] = view.statement
        data["evidence"] = [_evidence_json(e, v) for e, v in self.m.store.commitment_evidence(cid)]
        return self.json(data)

    def on_api_verdict(self, request: Request, cid: str) -> Response:
        from monitor import oversight

        auth = request.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or not self.guard.check_token(auth[7:].strip()):
            return self.json({"error": "needs Authorization: Bearer <web token>"}, 403)
        self.find(cid)
        try:
            body = json.loads(request.get_data(as_text=True) or "{}")
            article_id = int(body["article_id"])
            label = Label(body["verdict"])
            by = str(body.get("by") or "api")
            note = body.get("note")
            out = oversight.record_verdict(
                self.m, article_id, cid, label, by=by, note=str(note) if note else None
            )
        except (ValueError, KeyError, TypeError) as e:
            return self.json({"error": f"bad request: {e}"}, 400)
        except InputError as e:
            return self.json({"error": str(e)}, 400)
        pipeline.alert(self.m)
        return self.json(
            {
                "verdict_id": out.verdict.id,
                "status": str(out.change.to_status) if out.change else None,
                "retracted": out.retracted,
            }
        )

    def on_api_feeds(self, request: Request) -> Response:
        return self.json(
            [
                {
                    "name": f.name,
                    "url": f.url,
                    "healthy": f.healthy,
                    "last_ok": _iso(f.last_ok_at),
                    "last_new": _iso(f.last_new_at),
                    "error_count": f.error_count,
                    "error": self.m.config.redact(f.last_error) if f.last_error else None,
                }
                for f in pipeline.feed_health(self.m)
            ]
        )

    def on_api_outbox(self, request: Request) -> Response:
        return self.json(
            [
                {
                    "key": i.key,
                    "channel": i.channel,
                    "kind": i.kind,
                    "subject": i.subject,
                    "sent": _iso(i.sent_at),
                    "failed": _iso(i.failed_at),
                    "attempts": i.attempts,
                    "error": self.m.config.redact(i.last_error) if i.last_error else None,
                }
                for i in self.m.store.outbox(limit=200)
            ]
        )


def _view_json(v: CommitmentView) -> dict[str, Any]:
    return {
        "id": v.id,
        "title": v.title,
        "status": v.status.value,
        "since": _iso(v.since),
        "acknowledged_by": v.acknowledged_by,
        "silenced": v.silenced,
    }


def _safe_next(value: str | None) -> str:
    """Only a path on this site: never another host."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


# --- /metrics ----------------------------------------------------------------------------------


def metrics_text(m: pipeline.Monitor) -> bytes:
    """The Prometheus text exposition of the database's counts."""
    from prometheus_client import CollectorRegistry, generate_latest
    from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
    from prometheus_client.registry import Collector

    counts = m.store.metrics_counts()
    states = m.store.commitment_states()
    last = m.store.last_poll_at()
    cycles = cyclelog.cycle_count(m.store)
    cycle = cyclelog.last_cycle(m.store)
    now = m.clock.now()

    class _Collector(Collector):
        def collect(self) -> Iterable[GaugeMetricFamily | CounterMetricFamily]:
            c = CounterMetricFamily("monitor_cycles", "Poll cycles run (all daemons).")
            c.add_metric([], cycles)
            yield c
            g = GaugeMetricFamily(
                "monitor_last_cycle_duration_seconds", "How long the newest finished cycle took."
            )
            took = (
                (cycle.ended_at - cycle.started_at).total_seconds()
                if cycle is not None and cycle.ended_at is not None
                else 0.0
            )
            g.add_metric([], took)
            yield g
            g = GaugeMetricFamily("monitor_articles", "Stored articles.")
            g.add_metric([], counts["articles"])
            yield g
            g = GaugeMetricFamily("monitor_evidence", "Evidence by label.", labels=["label"])
            for label, n in counts["evidence"]:
                g.add_metric([str(label)], n)
            yield g
            g = GaugeMetricFamily("monitor_status_events", "Status changes recorded.")
            g.add_metric([], counts["events"])
            yield g
            g = GaugeMetricFamily(
                "monitor_commitments", "Commitments by status.", labels=["status"]
            )
            by_status = {s.value: 0 for s in Status}
            for st in states.values():
                by_status[st.status.value] += 1
            for status, n in by_status.items():
                g.add_metric([status], n)
            yield g
            g = GaugeMetricFamily("monitor_feeds", "Feeds by health.", labels=["health"])
            for health, n in counts["feeds"]:
                g.add_metric([str(health)], n)
            yield g
            g = GaugeMetricFamily(
                "monitor_outbox_messages",
                "Messages (alerts, digests, health) by kind, channel and state.",
                labels=["kind", "channel", "state"],
            )
            for kind, channel, state, n in counts["outbox"]:
                g.add_metric([str(kind), str(channel), str(state)], n)
            yield g
            g = GaugeMetricFamily(
                "monitor_delivery_retrying", "Messages whose delivery failed and will be retried."
            )
            g.add_metric([], counts["retrying"])
            yield g
            g = GaugeMetricFamily("monitor_verdicts", "Verdicts people recorded.")
            g.add_metric([], counts["verdicts"])
            yield g
            g = GaugeMetricFamily(
                "monitor_last_poll_timestamp_seconds", "When a feed was last polled (Unix time)."
            )
            g.add_metric([], last.timestamp() if last else 0)
            yield g
            g = GaugeMetricFamily(
                "monitor_last_poll_age_seconds", "Seconds since a feed was last polled."
            )
            g.add_metric([], (now - last).total_seconds() if last else float("inf"))
            yield g

    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Collector())
    return generate_latest(registry)


# --- serving -----------------------------------------------------------------------------------


class WebServer:
    """The page served by waitress: ``run()`` serves until ``stop()`` (from any thread).

    The loop is ours rather than waitress's ``run()`` so that shutting down happens in one
    thread and in a safe order: connections end first (a worker blocked on one is woken),
    then the worker threads finish while the wake-up pipe is still open (they pull it when a
    response is ready), and only then are the listening socket and the pipe closed.  Nothing
    writes to a descriptor after it is closed, when its number may already be another file's.
    """

    def __init__(self, app: WebApp, host: str, port: int) -> None:
        import threading

        from waitress.server import create_server

        self._server: Any = create_server(
            app,
            host=host,
            port=port,
            threads=4,
            ident="monitor",
            clear_untrusted_proxy_headers=True,
        )
        self.effective_port: int = self._server.effective_port
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._closed = False

    def run(self) -> None:
        from waitress import wasyncore

        server = self._server
        try:
            while not self._stopping.is_set() and server._map:
                wasyncore.loop(timeout=1.0, map=server._map, use_poll=True, count=1)
        finally:
            self._close()

    def _close(self) -> None:
        server = self._server
        for channel in list(server._map.values()):
            if channel is not server and channel is not server.trigger:
                channel.handle_close()
        server.task_dispatcher.shutdown(timeout=5)
        with self._lock:
            self._closed = True
            server.close()  # the listening socket and the wake-up pipe

    def stop(self) -> None:
        """End ``run()``; safe to call more than once, before, during or after it."""
        self._stopping.set()
        with self._lock:
            if not self._closed:
                self._server.trigger.pull_trigger()


def make_server(m: pipeline.Monitor, host: str, port: int) -> WebServer:
    """The page's server (``.run()`` serves, ``.stop()`` ends).  Refuses a non-loopback
    address unless the watchlist's ``web.listen`` names it."""
    configured = parse_listen(m.config.file.web.listen)[0]
    if not is_loopback(host) and host != configured:
        raise InputError(
            host,
            "serving beyond this machine must be configured: set web.listen in the watchlist",
        )
    return WebServer(WebApp(m), host, port)


def serve_in_background(m: pipeline.Monitor) -> WebServer:
    """Serve the page from a daemon thread (``monitor run`` with ``web.enabled``)."""
    import threading

    host, port = parse_listen(m.config.file.web.listen)
    server = make_server(m, host, port)
    threading.Thread(target=server.run, name="monitor-web", daemon=True).start()
    log.info("web_serving", url=f"http://{display_host(host)}:{server.effective_port}/")
    return server
