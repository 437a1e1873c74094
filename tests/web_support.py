"""Helpers for the web application's tests: a throwaway database with users, a server on a free
loopback port, a headless Chromium (Debian's, driven by Playwright), screenshots."""

from __future__ import annotations

import os
import signal
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
SHARED_SCREENS = Path("/work/briefs/screens")

ADMIN = ("admin", "admin-password-1")
CLERK = ("clerk-shangrao", "clerk-password-1")
CLERK_AGENCY = "上饶市工业和信息化局"  # the agency of seed 002
REVIEWER = ("reviewer-xinyang", "review-password-1")


def make_users(db_url: str) -> None:
    from xxgk.store import open_database
    from xxgk.web import accounts

    engine = open_database(db_url)
    accounts.add_user(engine, ADMIN[0], ADMIN[1], "admin")
    accounts.add_user(engine, CLERK[0], CLERK[1], "clerk", agencies=[CLERK_AGENCY])
    accounts.add_user(engine, REVIEWER[0], REVIEWER[1], "reviewer", regions=["信阳市"])
    engine.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(db_url: str, log: Path):
    """``xxgk serve`` in a subprocess on a free loopback port; yields its base URL."""
    port = free_port()
    env = dict(os.environ)
    src = str(Path(__file__).resolve().parent.parent / "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "xxgk.cli", "serve", "--db", db_url, "--port", str(port)],
            stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                if proc.poll() is not None:
                    raise RuntimeError(f"xxgk serve exited: {log.read_text(errors='replace')}")
                try:
                    urllib.request.urlopen(base + "/login", timeout=1).read()
                    break
                except OSError:
                    time.sleep(0.1)
            else:
                raise RuntimeError("xxgk serve did not start")
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            # stopping the server stops its upload workers too: nothing of its session is left
            left = _session_alive(proc.pid)
            if left:
                os.killpg(proc.pid, signal.SIGKILL)
            assert not left, "xxgk serve left processes behind after it stopped"


def _session_alive(pgid: int, wait: float = 5.0) -> bool:
    """Whether a process of group ``pgid`` is still there after ``wait`` seconds."""
    deadline = time.monotonic() + wait
    while True:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        if time.monotonic() > deadline:
            return True
        time.sleep(0.1)


@contextmanager
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Screens:
    """Full-page screenshots into the test's folder, the latest also copied to
    /work/briefs/screens when that folder exists (for people to look at)."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def take(self, page, name: str, full_page: bool = True) -> Path:
        path = self.folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        if SHARED_SCREENS.is_dir():
            shutil.copy(path, SHARED_SCREENS / path.name)
        return path


def login(page, base: str, who: tuple[str, str]) -> None:
    page.goto(base + "/login")
    page.fill("input[name=name]", who[0])
    page.fill("input[name=password]", who[1])
    page.click("button.primary")
    page.wait_for_load_state("networkidle")
