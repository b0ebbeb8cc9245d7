"""The store on SQLite and PostgreSQL: migrations, dedup, claiming, outbox bookkeeping."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from alembic import command
from monitor.db import Base, alembic_config, make_engine, upgrade
from monitor.models import Commitment, Entry, Kind, Label, Status, StatusChange, Verdict
from monitor.store import FeedSpec, NewOutboxItem, Store

NOW = datetime(2025, 10, 28, 9, 0, tzinfo=UTC)
COMMITMENT = Commitment(
    id="ceasefire",
    title="Ceasefire",
    statement="s",
    kind=Kind.CEASEFIRE,
    said_by="x",
    said_at=None,
    source_url=None,
    parties=("pakistan", "afghanistan"),
)


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    upgrade(database_url)
    engine = make_engine(database_url)
    s = Store(engine)
    s.sync_watchlist(
        [FeedSpec("A", "http://a.example/feed", 900), FeedSpec("B", "http://b.example/feed", 900)],
        [COMMITMENT],
        NOW,
    )
    yield s
    engine.dispose()


def entry(identity: str, url: str | None, title: str = "T", text: str = "body") -> Entry:
    return Entry(
        identity=identity, guid=identity, url=url, title=title, text=text, published_at=NOW
    )


def save(store: Store, feed_name: str, entries: list[Entry]) -> int:
    feed = next(f for f in store.feeds() if f.name == feed_name)
    return store.save_entries(
        feed,
        entries,
        now=NOW,
        status=200,
        etag='"e"',
        last_modified=None,
        next_poll_at=NOW + timedelta(minutes=15),
    )


def test_migrations_match_the_models(database_url: str) -> None:
    upgrade(database_url)
    upgrade(database_url)  # idempotent
    engine = make_engine(database_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []
    command.check(alembic_config(database_url))  # `alembic check`: raises if not clean


def test_a_batch_of_feeds_is_stored_in_a_few_statements_as_if_one_after_another(
    store: Store,
) -> None:
    """``save_polls``: every feed's entries go in with one key look-up and one insert of
    articles and of keys; the feeds' rows in one UPDATE per shape.  An entry another feed
    of the batch brought first is that article (B's copy of A's link is not new)."""
    from sqlalchemy import event, select

    from monitor.db import FeedRow
    from monitor.store import FeedPoll

    a, b = sorted(store.feeds(), key=lambda f: f.name)
    later = NOW + timedelta(minutes=15)
    polls = [
        FeedPoll(
            a,
            [entry("a1", "https://news.example/1"), entry("a2", None, "U", "two")],
            200,
            '"ea"',
            None,
            later,
            None,
            body=("h" * 64, 3),
        ),
        FeedPoll(
            b,
            [entry("b1", "https://news.example/1", "T", "copy")],
            200,
            '"eb"',
            "Tue",
            later,
            "note",
        ),
        FeedPoll(b, [], 304, None, None, later),  # the same feed again: a 304 keeps "eb"
        FeedPoll(a, [], 304, None, None, later),  # a 304 too: the same UPDATE as B's
    ]
    statements: list[str] = []

    def seen(_c: object, _cur: object, sql: str, *_rest: object) -> None:
        statements.append(sql.split(None, 3)[:3][-1] if sql.startswith("INSERT") else sql[:6])

    event.listen(store.engine, "before_cursor_execute", seen)
    try:
        assert store.save_polls(polls, now=NOW) == [2, 0, 0, 0]
    finally:
        event.remove(store.engine, "before_cursor_execute", seen)
    assert statements.count("articles") == 1 and statements.count("article_keys") == 1
    assert statements.count("UPDATE") == 3  # new articles and a body; none new; the 304s
    feeds = {f.name: f for f in store.feeds()}
    with store.transaction() as s:
        seen = {n: c for n, c in s.execute(select(FeedRow.name, FeedRow.articles_seen))}
    assert seen == {"A": 2, "B": 0} and feeds["A"].last_new_at == NOW
    assert feeds["A"].body_hash == "h" * 64 and feeds["A"].entries_dropped == 3
    assert feeds["A"].etag == '"ea"' and feeds["A"].last_status == 304
    assert feeds["B"].etag == '"eb"'
    assert feeds["B"].last_status == 304 and feeds["B"].last_error is None
    assert store.counts()["articles"] == 2
    # B's entry is known by its own keys too: stored alone now, it is not new either
    assert save(store, "B", [entry("b1", None, "T", "copy")]) == 0


def test_article_stored_once_across_refetch_guid_change_and_feeds(store: Store) -> None:
    assert save(store, "A", [entry("g1", "https://news.example/a1")]) == 1
    assert save(store, "A", [entry("g1", "https://news.example/a1")]) == 0  # re-fetched
    assert save(store, "A", [entry("g1-changed", "https://news.example/a1")]) == 0  # new guid
    assert save(store, "B", [entry("other", "https://news.example/a1")]) == 0  # other feed
    assert save(store, "A", [entry("g1", "https://news.example/a1?moved")]) == 0  # same guid
    assert (
        save(store, "A", [entry("g2", None, "Same", "text"), entry("g2", None, "Same", "text")])
        == 1
    )  # dup within one fetch
    assert store.counts()["articles"] == 2


def test_save_entries_records_validators_and_next_poll(store: Store) -> None:
    save(store, "A", [entry("g1", "https://news.example/a1")])
    feed = next(f for f in store.feeds() if f.name == "A")
    assert feed.etag == '"e"'
    assert feed.next_poll_at == NOW + timedelta(minutes=15)
    assert feed.last_ok_at == NOW and feed.error_count == 0


def test_claim_due_feeds_leases_them(store: Store) -> None:
    lease = timedelta(minutes=5)
    assert {f.name for f in store.claim_due_feeds(NOW, lease)} == {"A", "B"}
    assert store.claim_due_feeds(NOW, lease) == []  # leased
    assert {f.name for f in store.claim_due_feeds(NOW + lease, lease)} == {"A", "B"}


def test_feed_errors_accumulate_and_reset(store: Store) -> None:
    feed = store.feeds()[0]
    for i in range(3):
        store.record_feed_error(
            feed.id,
            now=NOW,
            error=f"boom {i}",
            status=500,
            next_poll_at=NOW + timedelta(hours=i + 1),
        )
    failing = store.feeds()[0]
    assert failing.error_count == 3 and failing.last_error == "boom 2"
    save(store, failing.name, [])
    assert store.feeds()[0].error_count == 0


def test_sync_disables_removed_feeds_and_keeps_status(store: Store) -> None:
    store.sync_watchlist([FeedSpec("A", "http://a.example/feed", 600)], [COMMITMENT], NOW)
    assert [f.name for f in store.feeds()] == ["A"]
    assert store.commitment_states()["ceasefire"].status is Status.PENDING


def test_verdicts_assessment_alerts_outbox(store: Store) -> None:
    save(store, "A", [entry("g1", "https://news.example/a1")])
    [article] = store.unjudged_articles(10)
    verdicts = [
        Verdict("ceasefire", Label.BREACH, 0.9, "They clashed.", ("clash",)),
        Verdict("unknown", Label.BREACH, 0.9, "x"),
    ]
    assert store.save_verdicts([(article, verdicts)], NOW) == 1
    assert store.save_verdicts([(article, verdicts)], NOW) == 0  # judged once
    assert store.unjudged_articles(10) == []
    [ev] = store.evidence_for("ceasefire")
    assert ev.source == "news.example" and ev.quote == "They clashed."
    assert store.unassessed_evidence(["ceasefire", "other"]) == {"ceasefire": {ev.id}}
    change = StatusChange("ceasefire", Status.PENDING, Status.BREACHED, NOW, "strong", (ev.id,))
    assert store.apply_assessment("ceasefire", Status.PENDING, [change], [ev.id], NOW)
    assert not store.apply_assessment("ceasefire", Status.PENDING, [change], [ev.id], NOW)
    assert store.unassessed_evidence_ids("ceasefire") == set()
    assert store.unassessed_evidence(["ceasefire"]) == {}
    [event] = store.unalerted_events()
    item = NewOutboxItem("alert:1:outbox", "outbox", "alert", "S", "<m@x>", b"payload")
    assert store.enqueue_alerts([item, item], alerted=[event.id], suppressed={}, now=NOW) == 1
    assert store.enqueue_alerts([item], alerted=[], suppressed={}, now=NOW) == 0
    assert store.unalerted_events() == []
    [due] = store.due_outbox(NOW)
    assert store.claim_outbox(due.id, NOW, timedelta(minutes=5))
    assert not store.claim_outbox(due.id, NOW, timedelta(minutes=5))  # leased
    store.mark_retry(due.id, NOW, "451 later", NOW + timedelta(seconds=30))
    assert store.due_outbox(NOW) == []
    [again] = store.due_outbox(NOW + timedelta(seconds=30))
    assert again.attempts == 1 and again.last_error == "451 later"
    store.mark_sent(due.id, NOW)
    assert store.due_outbox(NOW + timedelta(days=1)) == []
    assert store.outbox_counts() == {"pending": 0, "sent": 1, "failed": 0}


def test_digest_recorded_once_per_key(store: Store) -> None:
    item = NewOutboxItem("digest:x:outbox", "outbox", "digest", "D", "<d@x>", b"p")
    assert store.record_digest("digest:x", None, NOW, [item], NOW)
    assert not store.record_digest("digest:x", None, NOW, [item], NOW)
    assert store.last_digest_end() == NOW


def test_naive_datetimes_are_refused(store: Store) -> None:
    with pytest.raises(Exception, match="naive datetime"):
        store.record_feed_error(
            store.feeds()[0].id,
            now=NOW,
            error="x",
            status=None,
            next_poll_at=datetime(2025, 1, 1),  # noqa: DTZ001
        )


def test_named_publisher_is_the_source(store: Store) -> None:
    via_aggregator = Entry(
        identity="g9",
        guid="g9",
        url="https://news.google.com/a/1",
        title="T",
        text="x",
        published_at=NOW,
        publisher="dawn.com",
    )
    save(store, "A", [via_aggregator, entry("g10", "https://news.google.com/a/2", "U", "y")])
    sources = sorted(a.source for a in store.unjudged_articles(10))
    assert sources == ["dawn.com", "news.google.com"]


def test_entry_rows_fit_the_article_columns() -> None:
    from monitor.db import ArticleRow
    from monitor.entryrows import GUID_CHARS, SOURCE_CHARS

    assert GUID_CHARS == ArticleRow.__table__.c.guid.type.length
    assert SOURCE_CHARS == ArticleRow.__table__.c.source.type.length


def test_entries_prepared_by_a_parse_worker_are_stored_as_plain_ones(store: Store) -> None:
    from monitor.entryrows import PreparedEntry, prepare
    from monitor.parsepool import ParseJob, run_job

    feeds = {f.name: f for f in store.feeds()}
    a, b = feeds["A"], feeds["B"]
    body = (
        b"<?xml version='1.0'?><rss version='2.0'><channel><title>F</title>"
        b"<item><guid isPermaLink='false'>w1</guid>"
        b"<link>https://www.news.example/w1</link><title>One</title>"
        b"<description>first story</description></item>"
        b"<item><guid isPermaLink='false'>w2</guid><title>Two</title>"
        b"<description>second story</description></item>"
        b"</channel></rss>"
    )
    job = ParseJob(body, "https://news.example/feed", {}, NOW, feed_id=a.id, feed_name=a.name)
    parsed = run_job(job)
    assert all(isinstance(e, PreparedEntry) and e.made_for(a.id, a.name) for e in parsed.entries)
    assert [e.keys for e in parsed.entries] == [
        tuple(prepare(a.id, a.name, Entry(**{k: getattr(e, k) for k in FIELDS})).keys)
        for e in parsed.entries
    ]
    assert save(store, "A", list(parsed.entries)) == 2
    # the same entries as plain ones: known by the same keys, nothing new
    plain = [Entry(**{k: getattr(e, k) for k in FIELDS}) for e in parsed.entries]
    assert save(store, "A", plain) == 0
    # made for feed A, given for feed B: B's own keys and name are used (w1 is known by its
    # link; w2, with no link, is B's own entry)
    assert save(store, "B", list(parsed.entries)) == 1
    got = sorted((art.title, art.feed_id, art.source) for art in store.unjudged_articles(10))
    assert got == [("One", a.id, "news.example"), ("Two", a.id, "A"), ("Two", b.id, "B")]


FIELDS = tuple(Entry.__dataclass_fields__)


def test_many_new_articles_get_their_own_keys_and_the_stored_forms_of_their_values(
    store: Store,
) -> None:
    """More new entries than one INSERT statement takes (SQLite's are the driver's own,
    a few hundred parameters each): every key belongs to its own article, and the values
    are stored in the forms SQLAlchemy binds (a query comparing datetimes finds them)."""
    from sqlalchemy import func, select

    from monitor.db import ArticleKeyRow, ArticleRow
    from monitor.entryrows import key

    n = 450
    entries = [
        entry(f"g{i}", f"https://news.example/{i}", f"title {i}", f"text {i}") for i in range(n)
    ]
    assert save(store, "A", entries) == n
    with store.transaction() as s:
        pairs = s.execute(
            select(ArticleKeyRow.key, ArticleRow.title).join(
                ArticleRow, ArticleRow.id == ArticleKeyRow.article_id
            )
        ).all()
        same_time = s.scalar(
            select(func.count())
            .select_from(ArticleRow)
            .where(ArticleRow.published_at == NOW, ArticleRow.fetched_at == NOW)
        )
    owner = dict(pairs)
    assert len(owner) == 3 * n
    assert all(owner[key("url", f"https://news.example/{i}")] == f"title {i}" for i in range(n))
    assert same_time == n
    assert save(store, "A", entries) == 0
