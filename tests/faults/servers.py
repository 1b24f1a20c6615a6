"""Private Redis and PostgreSQL servers, and the application as a real server process, for the fault
tests: each on its own free port and in its own temporary directory, never the shared ones, so a
test may stop and restart them at will (docs/reliability.md, *Faults*)."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_open(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
        return True
    return False


def wait_until(predicate, *, timeout: float, what: str, interval: float = 0.05) -> float:
    """Poll ``predicate`` until it holds; the seconds it took. Fails the test after ``timeout``."""
    started = time.monotonic()
    while not predicate():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"{what}: not within {timeout:.0f} s")
        time.sleep(interval)
    return time.monotonic() - started


def binary(name: str) -> str:
    """A server binary on PATH or in PostgreSQL's versioned directory; missing is a failure, not a
    skip (CI installs redis-server and postgresql, and forbids skips)."""
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    assert found, f"{name} is not installed (apt-get install redis-server postgresql)"
    return found


class PrivateRedis:
    """``redis-server`` on a free port, persisting nothing, in a temporary directory."""

    def __init__(self):
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="faults-redis-"))
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> float:
        started = time.monotonic()
        self.process = subprocess.Popen(
            [binary("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.dir),
             "--save", "", "--appendonly", "no", "--logfile", str(self.dir / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
        wait_until(lambda: port_open(self.port) or self.process.poll() is not None, timeout=START_TIMEOUT,
                   what="redis-server start")
        assert self.process.poll() is None, f"redis-server exited:\n{self.log()}"
        return time.monotonic() - started

    def stop(self) -> float:
        """Stop the server (SIGTERM: it closes every client connection, as a crash or restart does)."""
        started = time.monotonic()
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        wait_until(lambda: not port_open(self.port), timeout=10, what="redis-server port closed")
        return time.monotonic() - started

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        path = self.dir / "redis.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def cleanup(self) -> None:
        with contextlib.suppress(Exception):
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class PrivatePostgres:
    """A PostgreSQL cluster of its own: ``initdb`` in a temporary directory owned by the
    ``postgres`` OS user (initdb refuses to run as root, so every server command runs as that
    user through ``runuser``), trust authentication, its own port, its socket in the directory."""

    user = "postgres"
    database = "matchplats_faults"

    def __init__(self):
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="faults-pg-"))
        self.data = self.dir / "data"
        self.url = f"postgres://{self.user}@127.0.0.1:{self.port}/{self.database}"

    def _as_postgres(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        prefix = [binary("runuser"), "-u", self.user, "--"] if os.geteuid() == 0 else []
        result = subprocess.run([*prefix, *command], capture_output=True, text=True, timeout=120)
        if check and result.returncode:
            raise AssertionError(f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
                                 f"\n{self.log()}")
        return result

    def init(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.dir, user=self.user, group=self.user)
        self._as_postgres(binary("initdb"), "-D", str(self.data), "-U", self.user, "--auth=trust",
                          "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")

    def start(self) -> float:
        started = time.monotonic()
        options = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100")
        self._as_postgres(binary("pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.dir / "postgres.log"),
                          "-w", "-t", str(int(START_TIMEOUT)), "start")
        return time.monotonic() - started

    def stop(self) -> float:
        """A fast shutdown: open connections are cut, as in a restart or fail-over."""
        started = time.monotonic()
        self._as_postgres(binary("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        return time.monotonic() - started

    @property
    def running(self) -> bool:
        return self._as_postgres(binary("pg_ctl"), "-D", str(self.data), "status", check=False).returncode == 0

    def create_database(self) -> None:
        self._as_postgres(binary("createdb"), "-h", str(self.dir), "-p", str(self.port), "-U", self.user,
                          self.database)

    def query(self, sql: str) -> str:
        return self._as_postgres(binary("psql"), "-h", str(self.dir), "-p", str(self.port), "-U", self.user,
                                 "-d", self.database, "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql).stdout.strip()

    def log(self) -> str:
        path = self.dir / "postgres.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def cleanup(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._as_postgres(binary("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.dir, ignore_errors=True)


def manage(env: dict, *args: str, timeout: float = 300) -> str:
    """Run ``manage.py`` with ``env`` in a subprocess; its output."""
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=timeout)
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


class AppServer:
    """The application under uvicorn, as the README runs it in production (one process)."""

    def __init__(self, env: dict):
        self.env = env
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.logfile = tempfile.NamedTemporaryFile(mode="w+", prefix="faults-app-", suffix=".log")
        self.process: subprocess.Popen | None = None

    def start(self) -> float:
        started = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "tests.browser.live_asgi:application", "--host", "127.0.0.1",
             "--port", str(self.port), "--lifespan", "off", "--no-access-log"],
            cwd=ROOT, env=self.env, stdout=self.logfile, stderr=subprocess.STDOUT, start_new_session=True)
        wait_until(lambda: port_open(self.port) or self.process.poll() is not None, timeout=START_TIMEOUT,
                   what="uvicorn start")
        assert self.process.poll() is None, f"the server exited:\n{self.log()}"
        return time.monotonic() - started

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        self.logfile.flush()
        return Path(self.logfile.name).read_text(errors="replace")

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None

    def cleanup(self) -> None:
        self.stop()
        self.logfile.close()
