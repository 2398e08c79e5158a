"""Real services for the tests that need them: Redis, a Celery worker, headless Chromium.

Each is started on 127.0.0.1 in a temporary directory and stopped afterwards. When a service
cannot be found, the test is skipped with its reason on a laptop and *fails* in CI (CI=true).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

SERVICES_USED: list[str] = []
ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def need_service(reason: str) -> None:
    """Skip (laptop) or fail (CI) because a service is missing."""
    if in_ci():
        pytest.fail(f"service missing in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.05)
    return False


@contextmanager
def broker_unreachable() -> Iterator[str]:
    """Celery as in production (tasks go through a broker), with a broker that cannot be
    reached: nothing listens on its port. Leaving the block brings back the test settings
    (tasks run at once in this process), as a broker that answers again."""
    from kombu import pools

    from peerlearn.celery import app

    def fresh_connections() -> None:
        pools.reset()
        app._pool = None
        app.amqp._producer_pool = None

    url = f"redis://127.0.0.1:{free_port()}/0"
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url")}
    fresh_connections()
    app.conf.update(task_always_eager=False, broker_url=url)
    try:
        yield url
    finally:
        fresh_connections()
        app.conf.update(saved)


@dataclass
class RedisServer:
    url: str
    port: int


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    binary = shutil.which("redis-server")
    if binary is None:
        need_service("redis-server is not installed (apt-get install -y redis-server)")
    assert binary is not None
    port = free_port()
    directory = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(directory),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        if not wait_for_port(port):
            need_service("redis-server did not start")
        version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout
        SERVICES_USED.append(f"redis: {version.split()[2]} on 127.0.0.1:{port}")
        yield RedisServer(url=f"redis://127.0.0.1:{port}/0", port=port)
    finally:
        process.terminate()
        process.wait(timeout=10)


def database_url_for_current_test_db() -> str:
    """A DATABASE_URL pointing another process at the database the tests are using."""
    from django.db import connection

    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings.get("USER") or ""
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = settings.get("HOST") or "127.0.0.1"
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{settings['NAME']}"


@dataclass
class CeleryWorker:
    broker_url: str
    mail_dir: Path
    log: Path

    def send(self, task_name: str, *args: Any) -> None:
        """Send a task by name through the real broker, as the web process would."""
        from celery import Celery

        client = Celery("peerlearn-test-client", broker=self.broker_url, set_as_current=False)
        try:
            client.send_task(task_name, args=list(args))
        finally:
            client.close()


@pytest.fixture
def celery_worker(
    redis_server: RedisServer, transactional_db: None, tmp_path: Path
) -> Iterator[CeleryWorker]:
    """A real ``celery worker`` process on the test database, fed through real Redis."""
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "peerlearn.settings.dev",
        "DEBUG": "false",
        "DATABASE_URL": database_url_for_current_test_db(),
        "CELERY_BROKER_URL": redis_server.url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_URL": f"filemail:///{mail_dir}",
        "SITE_URL": "http://testserver",
    }
    ready = tmp_path / "ready"
    with log.open("w") as log_file:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "peerlearn",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
                "-n",
                f"test-{os.getpid()}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if "ready." in log.read_text():
                ready.touch()
                break
            if process.poll() is not None:
                break
            time.sleep(0.2)
        if not ready.exists():
            pytest.fail(f"the Celery worker did not start:\n{log.read_text()[-3000:]}")
        SERVICES_USED.append(f"celery worker: pid {process.pid}, broker {redis_server.url}")
        yield CeleryWorker(broker_url=redis_server.url, mail_dir=mail_dir, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


MAKE_RUN_JOBS = ["celery", "-A", "peerlearn", "worker", "--beat", "--loglevel=INFO"]


def wait_until(predicate: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


@pytest.fixture
def make_run_jobs(transactional_db: None, tmp_path: Path) -> Iterator[Path]:
    """The jobs process of ``make run`` (development settings, no broker or Redis configured)
    on the test database; its email goes to files in the folder it yields."""
    mail = tmp_path / "mail"
    mail.mkdir()
    log = tmp_path / "jobs.log"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CELERY_BROKER_URL", "REDIS_URL", "CELERY_TASK_ALWAYS_EAGER"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "peerlearn.settings.dev",
            "DEBUG": "false",
            "DATABASE_URL": database_url_for_current_test_db(),
            "PEERLEARN_RUN_DIR": str(tmp_path / "run"),
            "EMAIL_URL": f"filemail:///{mail}",
            "EVALUATION_WAVE_SCHEDULE_SECONDS": "2",
        }
    )
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", *MAKE_RUN_JOBS],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        # Starting takes long on a busy machine; a process that ends is not waited for.
        started = wait_until(
            lambda: "ready." in log.read_text() or process.poll() is not None, timeout=240
        )
        if not started or process.poll() is not None:
            pytest.fail(f"the jobs process did not start:\n{log.read_text()[-3000:]}")
        SERVICES_USED.append(f"make run jobs: celery worker --beat, pid {process.pid}")
        yield mail
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    assert "filesystem" in log.read_text()


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium driven by Playwright (it cannot download its own browser)."""
    if not Path(CHROMIUM).exists():
        need_service(f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need_service("the playwright package is not installed")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        SERVICES_USED.append(f"chromium: {chromium.version} ({CHROMIUM}) via Playwright")
        yield chromium
        chromium.close()
