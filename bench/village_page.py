"""The public village page under load, served the way `make demo` serves it.

    .venv/bin/python bench/village_page.py --villages 1000              # about 3 minutes
    .venv/bin/python bench/village_page.py --villages 10000 --var-dir var/bench-10000

Builds a county with `qinglian demo --villages N --finance-months 0
--disclosure-months 36` (no books: the monthly lists are generated; see
``qinglian.demo.disclosures``) into ``--var-dir`` (default: a temporary folder,
removed afterwards; a folder given is kept, and a county already built there is
reused as it is), collects the static files, renders the village pages ahead
(`qinglian village_pages_render`, as `make demo` does: those missing or stale;
timed) and starts
`qinglian serve` on a free loopback port with production settings and the same
web workers as `make demo` (gunicorn, 2 sync workers, SQLite, the local-memory
cache, the job worker beside).

Then, in rounds, 32 connections (pycurl's multi interface: libcurl does the
HTTP, so the client costs the two cores little) request for ``--seconds`` each:

- the baseline, a trivial response of the same server: ``/static/core/site.css``
  through WhiteNoise, the cheapest real endpoint (``/healthz`` runs two queries);
  ``/healthz`` is measured as well and printed;
- the village page ``/v/<code>/`` of a village drawn at random from the whole
  county for each request.

Each connection is one visitor whose browser keeps its cookies (the form token's
cookie comes back after its first page; ``--no-cookies``: every request a new
visitor, the worst case). Every request's latency is libcurl's
total time of that transfer. Each round
prints its figures; the summary takes every request of every round: p50, p95
and p99 latency, and throughput (requests over seconds). ``ratio`` is the
page's throughput over the baseline's. The last line printed is one JSON
object: {"villages", "p95_ms", "rps", "baseline_rps", "ratio"}.

Only the loopback address is ever requested; every loop stops at its deadline
or its request cap.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pycurl

PROJECT_ROOT = Path(__file__).resolve().parent.parent
QINGLIAN = Path(sys.executable).with_name("qinglian")
BASELINE_PATH = "/static/core/site.css"
MAX_REQUESTS_PER_RUN = 200_000
SERVER_START_SECONDS = 120
_UNWANTED = ("DATABASE_URL", "REDIS_URL", "HUEY_IMMEDIATE", "ALLOWED_HOSTS", "WEB_WORKERS")


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--villages", type=int, default=1000)
    parser.add_argument("--months", type=int, default=36, help="months of disclosures")
    parser.add_argument(
        "--var-dir", type=Path, help="keep the county here (reused when already built)"
    )
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--no-cookies",
        action="store_true",
        help="every request a new visitor (no cookie jar): the form token's secret is made anew",
    )
    return parser.parse_args(argv)


# --- the county and the server ---------------------------------------------------------------


def _keys(var_dir: Path) -> dict[str, str]:
    """The secrets of this county, made once and kept beside its database."""
    path = var_dir / "bench-keys.json"
    if path.exists():
        return dict(json.loads(path.read_text()))
    sys.path.insert(0, str(PROJECT_ROOT))
    from qinglian.transparency.notes import Signer

    keys = {
        "SECRET_KEY": secrets.token_urlsafe(60),
        "PII_HASH_KEY": secrets.token_urlsafe(60),
        "TRANSPARENCY_SIGNING_KEY": Signer.generate("qinglian-bench-log").encoded(),
    }
    path.write_text(json.dumps(keys))
    return keys


def _env(var_dir: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _UNWANTED}
    env.update(
        _keys(var_dir),
        QINGLIAN_VAR_DIR=str(var_dir),
        DEBUG="0",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        PORT=str(port),
        PUBLIC_BASE_URL=f"http://127.0.0.1:{port}",
        STATIC_ROOT=str(var_dir / "static"),
        DJANGO_SETTINGS_MODULE="qinglian.settings",
        PYTHONUNBUFFERED="1",
        XDG_RUNTIME_DIR=str(var_dir),
    )
    return env


def _run(args: list[str], env: dict[str, str]) -> None:
    subprocess.run([str(QINGLIAN), *args], env=env, cwd=PROJECT_ROOT, check=True)  # noqa: S603


def _villages(database: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        return [code for (code,) in db.execute(
            "SELECT code FROM directory_region WHERE level = 'village' ORDER BY code"
        )]  # fmt: skip


def _build(options: argparse.Namespace, var_dir: Path, env: dict[str, str]) -> float | None:
    """Build the county unless it is there; the seconds it took (None when reused)."""
    database = var_dir / "qinglian.sqlite3"
    if database.exists() and _villages(database):
        found = len(_villages(database))
        if found != options.villages:
            raise SystemExit(
                f"{var_dir} holds a county of {found} villages, not {options.villages}"
            )
        print(f"reusing the county in {var_dir} ({found:,} villages)", flush=True)
        return None
    started = time.perf_counter()
    _run(["migrate", "--no-input", "-v", "0"], env)
    _run(
        [
            "demo",
            "--villages", str(options.villages),
            "--finance-months", "0",
            "--disclosure-months", str(options.months),
        ],
        env,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    size = database.stat().st_size / 2**20
    print(f"built {options.villages:,} villages in {seconds:.0f} s ({size:,.0f} MiB)", flush=True)
    return seconds


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers_200(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@contextlib.contextmanager
def _server(var_dir: Path, env: dict[str, str], port: int) -> Iterator[str]:
    """`qinglian serve` as `make demo` runs it, stopped with its whole process group."""
    log = (var_dir / "serve.log").open("wb")
    server = subprocess.Popen(  # noqa: S603
        [str(QINGLIAN), "serve", "--port", str(port)],
        env=env,
        cwd=PROJECT_ROOT,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while not _answers_200(f"{url}/healthz"):
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not start; see {var_dir / 'serve.log'}")
            time.sleep(0.2)
        yield url
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.wait(timeout=20)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=5)
        log.close()


# --- the load ----------------------------------------------------------------------------------


@dataclass
class Run:
    label: str
    latencies_ms: list[float]
    seconds: float
    errors: int
    bytes: int

    @property
    def rps(self) -> float:
        return len(self.latencies_ms) / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]

    def line(self) -> str:
        return (
            f"{self.label:<9} {len(self.latencies_ms):>7,} requests {self.rps:>7.0f}/s  "
            f"p50 {self.percentile(50):5.1f} ms  p95 {self.percentile(95):5.1f} ms  "
            f"p99 {self.percentile(99):5.1f} ms  errors {self.errors}  "
            f"{self.bytes / max(1, len(self.latencies_ms)) / 1024:.1f} KiB each"
        )


def load(
    label: str,
    next_url: Callable[[], str],
    *,
    connections: int,
    seconds: float,
    cookies: bool = True,
) -> Run:
    """Keep ``connections`` requests in flight for ``seconds``; each one's latency."""
    multi = pycurl.CurlMulti()
    received = [0]

    def sink(data: bytes) -> int:
        received[0] += len(data)
        return len(data)

    def start(handle: pycurl.Curl) -> None:
        handle.setopt(pycurl.URL, next_url())
        multi.add_handle(handle)

    handles = []
    for _ in range(connections):
        handle = pycurl.Curl()
        handle.setopt(pycurl.WRITEFUNCTION, sink)
        handle.setopt(pycurl.NOSIGNAL, 1)
        handle.setopt(pycurl.TIMEOUT, 30)
        handle.setopt(pycurl.HTTPHEADER, ["Accept-Language: zh-CN", "User-Agent: qinglian-bench"])
        if cookies:  # each connection keeps its cookies, as a phone's browser does
            handle.setopt(pycurl.COOKIEFILE, "")
        handles.append(handle)
    latencies: list[float] = []
    errors = 0
    started = time.perf_counter()
    deadline = started + seconds
    for handle in handles:
        start(handle)
    active = len(handles)
    while active:
        while multi.perform()[0] == pycurl.E_CALL_MULTI_PERFORM:
            pass
        _queued, done, failed = multi.info_read()
        now = time.perf_counter()
        for handle in done:
            multi.remove_handle(handle)
            if handle.getinfo(pycurl.RESPONSE_CODE) == 200:
                latencies.append(handle.getinfo(pycurl.TOTAL_TIME) * 1000)
            else:
                errors += 1
            if now < deadline and len(latencies) + errors < MAX_REQUESTS_PER_RUN:
                start(handle)
            else:
                active -= 1
        for handle, _code, _message in failed:
            multi.remove_handle(handle)
            errors += 1
            active -= 1
        if active:
            multi.select(0.05)
    elapsed = time.perf_counter() - started
    for handle in handles:
        handle.close()
    multi.close()
    return Run(label, latencies, elapsed, errors, received[0])


def _merged(label: str, runs: list[Run]) -> Run:
    return Run(
        label,
        [ms for run in runs for ms in run.latencies_ms],
        sum(run.seconds for run in runs),
        sum(run.errors for run in runs),
        sum(run.bytes for run in runs),
    )


def measure(url: str, codes: list[str], options: argparse.Namespace) -> dict[str, float]:
    rng = random.Random(options.seed)

    def page() -> str:
        return f"{url}/v/{rng.choice(codes)}/"

    def baseline() -> str:
        return url + BASELINE_PATH

    def healthz() -> str:
        return url + "/healthz"

    connections, cookies = options.connections, not options.no_cookies
    load("warm-up", baseline, seconds=2, connections=connections, cookies=cookies)
    load("warm-up", page, seconds=3, connections=connections, cookies=cookies)
    runs: dict[str, list[Run]] = {"baseline": [], "healthz": [], "page": []}
    for number in range(1, options.rounds + 1):
        print(f"round {number} of {options.rounds}", flush=True)
        for label, next_url in (("baseline", baseline), ("page", page), ("healthz", healthz)):
            seconds = options.seconds if label != "healthz" else options.seconds / 2
            run = load(label, next_url, seconds=seconds, connections=connections, cookies=cookies)
            if run.errors:
                raise SystemExit(f"{run.errors} requests of the {label} failed: {run.line()}")
            runs[label].append(run)
            print("  " + run.line(), flush=True)
    merged = {label: _merged(label, found) for label, found in runs.items()}
    print(f"all rounds ({options.connections} connections):")
    for run in merged.values():
        print("  " + run.line())
    page_rps = [run.rps for run in runs["page"]]
    base_rps = [run.rps for run in runs["baseline"]]
    ratios = [p / b for p, b in zip(page_rps, base_rps, strict=True)]
    print(
        "ratio per round: " + ", ".join(f"{r:.2f}" for r in ratios)
        + f" (median {statistics.median(ratios):.2f})"
    )  # fmt: skip
    return {
        "p95_ms": round(merged["page"].percentile(95), 1),
        "rps": round(merged["page"].rps),
        "baseline_rps": round(merged["baseline"].rps),
        "ratio": round(merged["page"].rps / merged["baseline"].rps, 2),
    }


def main(argv: list[str]) -> int:
    options = _arguments(argv)
    keep = options.var_dir is not None
    var_dir = (options.var_dir or Path(tempfile.mkdtemp(prefix="qinglian-bench-"))).resolve()
    var_dir.mkdir(parents=True, exist_ok=True)
    try:
        port = _free_port()
        env = _env(var_dir, port)
        built = _build(options, var_dir, env)
        _run(["migrate", "--no-input", "-v", "0"], env)  # a county kept from an older version
        _run(["collectstatic", "--no-input", "-v", "0"], env)
        started = time.perf_counter()
        _run(["village_pages_render"], env)  # those stale or missing (all, on a new day)
        rendered = time.perf_counter() - started
        codes = _villages(var_dir / "qinglian.sqlite3")
        with _server(var_dir, env, port) as url:
            figures = measure(url, codes, options)
        if built is not None:
            print(f"build: {built:.0f} s")
        print(f"village pages rendered ahead: {rendered:.0f} s")
        print(json.dumps({"villages": len(codes), **figures}))
    finally:
        if not keep:
            shutil.rmtree(var_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
