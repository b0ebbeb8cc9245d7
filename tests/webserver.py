"""`monitor serve`'s application on a free local port, in a thread, for the web tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from monitor import pipeline, web

TOKEN = "web-token-for-tests-5f1c"


@contextmanager
def serving(m: pipeline.Monitor) -> Iterator[str]:
    """Serve ``m`` on 127.0.0.1 (a free port) until the block ends; yields the base URL."""
    server = web.make_server(m, "127.0.0.1", 0)
    thread = threading.Thread(target=server.run, name="web", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.stop()
        thread.join(timeout=10)
        assert not thread.is_alive(), "the web server did not stop"
