"""A throw-away PostgreSQL server on 127.0.0.1 for the ledger tests (Debian postgresql 15 binaries).

Started once per test session in a temporary directory, as an unprivileged
user when the tests run as root, on a free port; stopped at the end.  Skipped
only when the binaries are absent, and never under ``CI=true``.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

BIN = Path(os.environ.get("ZWGK_PG_BIN", "/usr/lib/postgresql/15/bin"))
_counter = itertools.count(1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "nobody", "--", *cmd]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """Base URL ``postgresql+psycopg://zwgk@127.0.0.1:PORT``."""
    if not (BIN / "initdb").exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL 未安装（{BIN}）：CI 上必须运行这些测试")
        pytest.skip(f"PostgreSQL binaries not found in {BIN}")
    base = Path(tempfile.mkdtemp(prefix="zwgk-pg-"))
    data = base / "data"
    if os.geteuid() == 0:
        shutil.chown(base, "nobody")
        os.chmod(base, 0o700)
    port = _free_port()
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    subprocess.run(
        _as_user(
            [
                str(BIN / "initdb"),
                "-D",
                str(data),
                "-U",
                "zwgk",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-locale",
            ]
        ),
        check=True,
        capture_output=True,
        env=env,
        cwd=base,
    )
    opts = f"-p {port} -c listen_addresses=127.0.0.1 -k {base} -c fsync=off -c max_connections=40"
    subprocess.run(
        _as_user(
            [
                str(BIN / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                opts,
                "-l",
                str(base / "log"),
                "-w",
                "start",
            ]
        ),
        check=True,
        capture_output=True,
        env=env,
        cwd=base,
    )
    try:
        yield f"postgresql+psycopg://zwgk@127.0.0.1:{port}"
    finally:
        subprocess.run(
            _as_user([str(BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
            capture_output=True,
            env=env,
            cwd=base,
        )
        shutil.rmtree(base, ignore_errors=True)


def fresh_database(base_url: str) -> str:
    """Create an empty database on the server; return its URL."""
    import psycopg

    name = f"ledger_{os.getpid()}_{next(_counter)}"
    dsn = base_url.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base_url}/{name}"
