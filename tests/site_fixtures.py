"""Fixtures for the site tests: the knowledge base built from samples/, a running
`tilskudd serve`, and an in-process Datasette.

`samples_kb(path)` builds the base the way `tilskudd demo` does:
`KnowledgeBase(path).ingest("samples/")` (through `kb.publish.build_demo_db`).
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
TILSKUDD = Path(sys.executable).parent / "tilskudd"


def samples_kb(path: Path) -> Path:
    """Build the knowledge base from samples/ through the store, the way `tilskudd demo` does."""
    from kb.publish import build_demo_db

    build_demo_db(path, SAMPLES)
    return path


# ---------------------------------------------------------------------------------------------
# a running server

def free_port() -> int:
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_server(db: Path, port: int | None = None, timeout: float = 60.0, command: str = "serve"):
    """`tilskudd serve --db DB --port PORT` (or `demo`) as a subprocess; yields the base URL."""
    import httpx

    port = port or free_port()
    log = open(Path(db).with_suffix(f".{command}.log"), "w")
    proc = subprocess.Popen([str(TILSKUDD), command, "--db", str(db), "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, cwd=str(REPO))
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                log.flush()
                raise RuntimeError(f"tilskudd {command} exited: " + Path(log.name).read_text()[-2000:])
            try:
                if httpx.get(url + "/-/versions.json", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"tilskudd {command} did not answer in time")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


# ---------------------------------------------------------------------------------------------
# pytest fixtures (imported by the tests/test_site_*.py modules)

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def site_db(tmp_path_factory) -> tuple[Path, str]:
    """Path of the base built from samples/, once per test session: every test module that
    imports this fixture shares the same file (it is only ever read)."""
    folder = tmp_path_factory.getbasetemp() / "site-db"
    path = folder / "tilskudd.sqlite"
    done = folder / "built"
    if not done.exists():
        folder.mkdir(exist_ok=True)
        samples_kb(path)
        done.touch()
    return path


@pytest.fixture(scope="session")
def site_app(site_db):
    """An in-process, started Datasette on the site base, and a `get(path)` helper."""
    import asyncio

    from kb.publish import datasette_instance

    ds = datasette_instance(site_db)
    loop = asyncio.new_event_loop()
    loop.run_until_complete(ds.invoke_startup())

    def get(path: str):
        return loop.run_until_complete(ds.client.get(path))

    yield get
    loop.close()
