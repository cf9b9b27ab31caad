"""Crash test of the mailbox: kill -9 the server mid-load, then find every acknowledged case.

    .venv/bin/python bench/appeals_durability.py                    # about a minute
    .venv/bin/python bench/appeals_durability.py --seconds 30 --after 15 --connections 24

security.md §4.6, for the application server. On PostgreSQL: ``DATABASE_URL``
when set (migrated, reused as it is), otherwise a fresh database
``qinglian_bench_appeals`` on 127.0.0.1:5432 that is dropped again at the end
(``--keep`` keeps it). The bench makes a county, a township and a village through
the directory services, then starts the server as production does: ``qinglian
serve --no-worker`` (gunicorn, ``--workers`` sync workers) on a free loopback
port, with Redis (``--redis-url``, a database of its own) as the cache, so rate
limiting stays on: ``APPEALS_SUBMIT_RATE`` is raised to 1000000/s, not switched
off, and every submission still counts against it in Redis.

Then ``--connections`` transfers stay in flight (pycurl's multi interface: libcurl
does the HTTP, so the client costs the two cores little), each POSTing a case to
``/api/v1/villages/<code>/appeals/`` with a random UUID submission key and a text
of its own; a 2xx answer is an acknowledgement, remembered with its key, receipt
and the content digest the server must have stored. ``--double-taps`` of them are
sent twice at once with the same key (a double tap on a phone). After
``--seconds``, the server's whole process group (``serve``, the gunicorn master
and its workers) gets SIGKILL in the middle of the load; requests then in flight,
and those refused until the server is back, have an unknown outcome. The server
is started again, the load goes on for ``--after`` seconds, then half of the
unknown submissions are sent again with their key, as a client retries (the same
receipt if the first had been committed, a new case if not); the other half stay
unknown. Then, in the database:

- every acknowledged key has exactly one case, with the acknowledged receipt, the
  expected content digest and submission hash, and one "received" event (found);
- no submission was stored twice, and both taps of a double tap got the same
  receipt (duplicates);
- each unknown submission exists at most once, and no case exists that was never
  sent.

``rate_per_s`` is acknowledged submissions per second while the server was up
(before the kill and after the restart). PostgreSQL's durability settings are
printed (this test kills the application server, not PostgreSQL: a power loss or
a PostgreSQL crash is another test). The last line printed is one JSON object:
{"rate_per_s", "acknowledged", "found", "duplicates"}; the exit status is 1 when
an acknowledged case is missing or anything was stored twice.

Only the loopback address is ever requested.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import io
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pycurl

PROJECT_ROOT = Path(__file__).resolve().parent.parent
QINGLIAN = Path(sys.executable).with_name("qinglian")
DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/qinglian_bench_appeals"
DEFAULT_REDIS = "redis://127.0.0.1:6379/11"
VILLAGE = ("339901100201", "上塘村")
KINDS = ("question", "complaint", "suggestion", "report")
SERVER_START_SECONDS = 60
MAX_REQUESTS = 500_000
_UNWANTED = ("HUEY_IMMEDIATE", "ALLOWED_HOSTS", "WEB_WORKERS", "BEHIND_TLS_PROXY")


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="load before the kill")
    parser.add_argument("--after", type=float, default=10.0, help="load after the restart")
    parser.add_argument("--connections", type=int, default=16, help="transfers in flight")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--double-taps", type=float, default=0.05, help="share sent twice at once")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the database made by the bench")
    return parser.parse_args(argv)


# --- the database, the village and the server ---------------------------------------------


def _database(url: str, *, fresh: bool) -> None:
    """Drop and create the bench's own database (never one named by DATABASE_URL)."""
    import psycopg

    if not fresh:
        return
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def _drop(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _env(var_dir: Path, database_url: str, redis_url: str, port: int) -> dict[str, str]:
    from qinglian.transparency.notes import Signer

    env = {k: v for k, v in os.environ.items() if k not in _UNWANTED}
    env.update(
        SECRET_KEY=secrets.token_urlsafe(60),
        PII_HASH_KEY=secrets.token_urlsafe(60),
        TRANSPARENCY_SIGNING_KEY=Signer.generate("qinglian-bench-log").encoded(),
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        APPEALS_SUBMIT_RATE="1000000/s",
        QINGLIAN_VAR_DIR=str(var_dir),
        MEDIA_ROOT=str(var_dir / "media"),
        DEBUG="0",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        PUBLIC_BASE_URL=f"http://127.0.0.1:{port}",
        DJANGO_SETTINGS_MODULE="qinglian.settings",
        PYTHONUNBUFFERED="1",
    )
    return env


def _village() -> Any:
    """The bench's village (and its township and county), made once through the services."""
    from qinglian.directory.models import Region, RegionLevel
    from qinglian.directory.services import region_create

    found = Region.objects.filter(code=VILLAGE[0]).first()
    if found is not None:
        return found
    county = region_create(actor=None, code="339901000000", name="清河县", level=RegionLevel.COUNTY)
    town = region_create(
        actor=None, code="339901100000", name="青山镇", level=RegionLevel.TOWNSHIP, parent=county
    )
    return region_create(
        actor=None, code=VILLAGE[0], name=VILLAGE[1], level=RegionLevel.VILLAGE, parent=town
    )


def _durability() -> dict[str, str]:
    from django.db import connection

    names = ("fsync", "synchronous_commit", "full_page_writes", "wal_level", "data_checksums")
    with connection.cursor() as cursor:
        shown = {}
        for name in names:
            cursor.execute(f"SHOW {name}")
            shown[name] = str(cursor.fetchone()[0])
    return shown


def _cpu_seconds(pids: list[int]) -> float:
    """User and system CPU seconds the processes have used so far (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def _database_pids() -> list[int]:
    """The PostgreSQL backends serving the bench's database (the server's connections)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


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


class Server:
    """`qinglian serve --no-worker` in a process group of its own, killed as a whole."""

    def __init__(self, env: dict[str, str], port: int, workers: int, log: Path) -> None:
        self.env, self.port, self.workers, self.log_path = env, port, workers, log
        self.process: subprocess.Popen[bytes] | None = None
        self.url = f"http://127.0.0.1:{port}"

    def start(self) -> float:
        """Start and wait until /healthz answers; the seconds that took."""
        started = time.perf_counter()
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603
                [str(QINGLIAN), "serve", "--no-worker", "--port", str(self.port),
                 "--web-workers", str(self.workers)],
                env=self.env,
                cwd=PROJECT_ROOT,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + SERVER_START_SECONDS
        while not _answers_200(f"{self.url}/healthz"):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not start; see {self.log_path}")
            time.sleep(0.05)
        return time.perf_counter() - started

    def pids(self) -> list[int]:
        """The processes of the server's group: serve, the gunicorn master, its workers."""
        assert self.process is not None
        found = subprocess.run(  # noqa: S603
            ["/usr/bin/pgrep", "-g", str(self.process.pid)],
            capture_output=True,
            text=True,
            check=False,
        )
        return [int(pid) for pid in found.stdout.split()]

    def kill(self) -> int:
        """SIGKILL to the whole process group; the number of processes it held."""
        assert self.process is not None
        members = self.pids()
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # the workers are gone once the port is free
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) != 0:
                    break
            time.sleep(0.02)
        return len(members)

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=20)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)


# --- the load ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    key: str
    kind: str
    text: str
    body: bytes


@dataclass
class Ledger:
    """What the clients sent and heard: acknowledgements, unknowns, refusals."""

    run_id: str
    sent: dict[str, Submission] = field(default_factory=dict)
    acked: dict[str, str] = field(default_factory=dict)  # key → receipt
    ack_times: list[float] = field(default_factory=list)
    unknown: dict[str, Submission] = field(default_factory=dict)
    refused: collections.Counter[int] = field(default_factory=collections.Counter)
    tap_mismatches: int = 0
    replays: int = 0  # 200 answers: the same key answered again
    created: int = 0  # 201 answers
    lock: threading.Lock = field(default_factory=threading.Lock)

    def new(self, rng: random.Random) -> Submission:
        key = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        kind = rng.choice(KINDS)
        text = f"bench {self.run_id} {key} 村道路灯坏了三个月，请尽快修理。"
        body = json.dumps({"kind": kind, "text": text, "submission_key": key}).encode()
        submission = Submission(key, kind, text, body)
        self.sent[key] = submission
        return submission

    def heard(self, submission: Submission, status: int, payload: bytes) -> None:
        with self.lock:
            if status in (200, 201):
                receipt = json.loads(payload)["receipt"]
                earlier = self.acked.get(submission.key)
                if earlier is not None and earlier != receipt:
                    self.tap_mismatches += 1
                self.acked[submission.key] = receipt
                self.unknown.pop(submission.key, None)
                self.ack_times.append(time.perf_counter())
                self.replays += status == 200
                self.created += status == 201
            elif status in (0,) or status >= 500:
                if submission.key not in self.acked:
                    self.unknown[submission.key] = submission
            else:
                self.refused[status] += 1


def load(
    url: str,
    ledger: Ledger,
    *,
    connections: int,
    stop: threading.Event,
    rng: random.Random,
    double_taps: float = 0.0,
    only: list[Submission] | None = None,
) -> int:
    """Keep ``connections`` submissions in flight until ``stop`` (or ``only`` is sent)."""
    multi = pycurl.CurlMulti()
    twins: collections.deque[Submission] = collections.deque()
    queue = collections.deque(only) if only is not None else None
    idle: list[tuple[float, pycurl.Curl]] = []  # a slot waits a moment after a failure
    requests = 0

    def next_submission() -> Submission | None:
        if queue is not None:
            return queue.popleft() if queue else None
        if twins:
            return twins.popleft()
        submission = ledger.new(rng)
        if rng.random() < double_taps:
            twins.append(submission)
        return submission

    def start(handle: pycurl.Curl) -> bool:
        nonlocal requests
        submission = next_submission()
        if submission is None or stop.is_set() or requests >= MAX_REQUESTS:
            return False
        buffer = io.BytesIO()
        handle.submission = submission  # type: ignore[attr-defined]
        handle.buffer = buffer  # type: ignore[attr-defined]
        handle.setopt(pycurl.WRITEDATA, buffer)
        handle.setopt(pycurl.POSTFIELDS, submission.body)
        multi.add_handle(handle)
        requests += 1
        return True

    active = 0
    for _ in range(connections):
        handle = pycurl.Curl()
        handle.setopt(pycurl.URL, f"{url}/api/v1/villages/{VILLAGE[0]}/appeals/")
        handle.setopt(pycurl.NOSIGNAL, 1)
        handle.setopt(pycurl.TIMEOUT, 30)
        handle.setopt(pycurl.HTTPHEADER, ["Content-Type: application/json", "Expect:"])
        active += start(handle)
    while active or idle:
        while multi.perform()[0] == pycurl.E_CALL_MULTI_PERFORM:
            pass
        _queued, done, failed = multi.info_read()
        for handle in done:
            multi.remove_handle(handle)
            ledger.heard(
                handle.submission,  # type: ignore[attr-defined]
                handle.getinfo(pycurl.RESPONSE_CODE),
                handle.buffer.getvalue(),  # type: ignore[attr-defined]
            )
            active -= 1
            active += start(handle)
        for handle, _code, _message in failed:
            multi.remove_handle(handle)
            ledger.heard(handle.submission, 0, b"")  # type: ignore[attr-defined]
            active -= 1
            idle.append((time.perf_counter() + 0.05, handle))
        now = time.perf_counter()
        for entry in [e for e in idle if e[0] <= now]:
            idle.remove(entry)
            active += start(entry[1])
        if stop.is_set() and not active:
            break
        if active:
            multi.select(0.02)
        elif idle:
            time.sleep(0.01)
    multi.close()
    return requests


# --- checking the database -----------------------------------------------------------------


@dataclass
class Verdict:
    acknowledged: int
    found: int
    duplicates: int
    unknown: int
    unknown_stored: int
    phantoms: int
    broken: list[str]


def verify(ledger: Ledger, village: Any) -> Verdict:
    from django.db.models import Count

    from qinglian.appeals import tokens
    from qinglian.appeals.models import Appeal

    stored: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    rows = (
        Appeal.objects.filter(village=village, text__startswith=f"bench {ledger.run_id} ")
        .annotate(events_count=Count("events"))
        .values("text", "receipt", "content_digest", "submission_hash", "events_count")
    )
    for row in rows.iterator(chunk_size=5000):
        stored[row["text"]].append(row)
    broken: list[str] = []
    found = 0
    for key, receipt in ledger.acked.items():
        submission = ledger.sent[key]
        cases = stored.get(submission.text, [])
        digest = tokens.content_digest(village.code, submission.kind, submission.text, "", "")
        if (
            len(cases) == 1
            and cases[0]["receipt"] == receipt
            and cases[0]["content_digest"] == digest
            and cases[0]["submission_hash"] == tokens.submission_hash(key)
            and cases[0]["events_count"] == 1
        ):
            found += 1
        elif len(broken) < 10:
            broken.append(f"{key}: acknowledged {receipt}, stored {cases}")
    texts = {submission.text for submission in ledger.sent.values()}
    duplicates = sum(len(cases) - 1 for cases in stored.values()) + ledger.tap_mismatches
    unknown_stored = sum(1 for s in ledger.unknown.values() if stored.get(s.text))
    return Verdict(
        acknowledged=len(ledger.acked),
        found=found,
        duplicates=duplicates,
        unknown=len(ledger.unknown),
        unknown_stored=unknown_stored,
        phantoms=sum(1 for text in stored if text not in texts),
        broken=broken,
    )


def _count(times: list[float], start: float, end: float) -> int:
    return sum(1 for t in times if start <= t < end)


def _rate(times: list[float], start: float, end: float) -> float:
    return _count(times, start, end) / max(end - start, 1e-9)


def _ratelimit_keys(redis_url: str) -> int:
    """Counters django-ratelimit keeps in the bench's Redis database: proof it was on."""
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        return sum(1 for _ in client.scan_iter(match="*rl:*", count=1000))
    finally:
        client.close()


def main(argv: list[str]) -> int:
    options = _arguments(argv)
    rng = random.Random(options.seed)
    given = os.environ.get("DATABASE_URL", "")
    if given and not given.startswith(("postgres://", "postgresql://")):
        raise SystemExit("DATABASE_URL must name a PostgreSQL database")
    database_url = given or DEFAULT_DATABASE
    var_dir = Path(tempfile.mkdtemp(prefix="qinglian-bench-appeals-"))
    server: Server | None = None
    sys.path.insert(0, str(PROJECT_ROOT))
    try:
        print(f"database {database_url} ({'as given' if given else 'made afresh'})", flush=True)
        _database(database_url, fresh=not given)
        port = _free_port()
        env = _env(var_dir, database_url, options.redis_url, port)
        started = time.perf_counter()
        subprocess.run(  # noqa: S603
            [str(QINGLIAN), "migrate", "--no-input", "-v", "0"],
            env=env,
            cwd=PROJECT_ROOT,
            check=True,
        )
        print(f"migrated in {time.perf_counter() - started:.1f} s", flush=True)
        os.environ.update(env)  # this process reads and checks the same database, same keys
        import django

        django.setup()
        village = _village()
        durability = _durability()
        print(
            "PostgreSQL: " + ", ".join(f"{name}={value}" for name, value in durability.items()),
            flush=True,
        )
        if durability["fsync"] != "on" or durability["synchronous_commit"] != "on":
            print("WARNING: fsync and synchronous_commit must be on in production", flush=True)

        server = Server(env, port, options.workers, var_dir / "serve.log")
        print(f"server up in {server.start():.1f} s ({options.workers} workers)", flush=True)
        ledger = Ledger(run_id=secrets.token_hex(4))
        stop = threading.Event()
        client = threading.Thread(
            target=load,
            args=(server.url, ledger),
            kwargs={
                "connections": options.connections,
                "stop": stop,
                "rng": rng,
                "double_taps": options.double_taps,
            },
        )
        load_started = time.perf_counter()
        client.start()
        time.sleep(min(1.0, options.seconds / 4))  # the workers have connected by now
        acked_at_sample = len(ledger.ack_times)
        measured = server.pids(), _database_pids()
        cpu = _cpu_seconds(measured[0]), _cpu_seconds(measured[1]), time.process_time()
        time.sleep(max(0.0, load_started + options.seconds - time.perf_counter()))
        cpu_used = (
            _cpu_seconds(measured[0]) - cpu[0],
            _cpu_seconds(measured[1]) - cpu[1],
            time.process_time() - cpu[2],
        )
        sampled = max(1, len(ledger.ack_times) - acked_at_sample)
        killed_at = time.perf_counter()
        rate_before = _rate(ledger.ack_times, load_started, killed_at)
        acked_before = len(ledger.acked)
        members = server.kill()
        print(
            f"{options.seconds:.0f} s: {acked_before:,} acknowledged ({rate_before:.0f}/s); "
            f"SIGKILL to the server's process group ({members} processes)",
            flush=True,
        )
        per = [1000 * seconds / sampled for seconds in cpu_used]
        print(
            f"CPU per acknowledged submission: server {per[0]:.1f} ms, PostgreSQL "
            f"{per[1]:.1f} ms, client {per[2]:.1f} ms: {2000 / sum(per):.0f}/s would fill two "
            f"cores (load average {os.getloadavg()[0]:.1f}, this bench's own processes included)",
            flush=True,
        )
        in_flight = len(ledger.unknown)
        restart = server.start()
        back_at = time.perf_counter()
        print(
            f"restarted in {restart:.1f} s; {len(ledger.unknown):,} submissions of unknown "
            f"outcome so far ({in_flight} when the kill landed)",
            flush=True,
        )
        time.sleep(options.after)
        stop.set()
        client.join()
        ended = time.perf_counter()
        rate_after = _rate(ledger.ack_times, back_at, ended)
        up = [(load_started, killed_at), (back_at, ended)]
        rate = sum(_count(ledger.ack_times, *span) for span in up) / sum(b - a for a, b in up)
        print(f"after the restart: {rate_after:.0f}/s for {ended - back_at:.1f} s", flush=True)

        retry = sorted(ledger.unknown.values(), key=lambda s: s.key)[::2]
        replays, created = ledger.replays, ledger.created
        load(server.url, ledger, connections=4, stop=threading.Event(), rng=rng, only=retry)
        print(
            f"retried {len(retry):,} of them with their keys: {ledger.replays - replays:,} had "
            f"been stored (their receipt came back), {ledger.created - created:,} had not; "
            f"{len(ledger.unknown):,} stay unknown",
            flush=True,
        )
        print(f"rate-limit counters in Redis: {_ratelimit_keys(options.redis_url)}", flush=True)
        server.stop()
        if ledger.refused:
            print(f"refused: {dict(ledger.refused)}", flush=True)

        verdict = verify(ledger, village)
        print(
            f"sent {len(ledger.sent):,} submissions ({ledger.replays:,} answered as replays); "
            f"acknowledged {verdict.acknowledged:,}, found {verdict.found:,} intact; "
            f"duplicates {verdict.duplicates}; unknown {verdict.unknown:,}, of which stored "
            f"once {verdict.unknown_stored:,}; never sent yet stored {verdict.phantoms}",
            flush=True,
        )
        for line in verdict.broken:
            print("  MISSING OR CHANGED " + line, flush=True)
        failed = verdict.found != verdict.acknowledged or verdict.duplicates or verdict.phantoms
        print(
            json.dumps(
                {
                    "rate_per_s": round(rate, 1),
                    "acknowledged": verdict.acknowledged,
                    "found": verdict.found,
                    "duplicates": verdict.duplicates,
                }
            )
        )
        return 1 if failed else 0
    finally:
        if server is not None:
            server.stop()
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        if not given and not options.keep:
            _drop(database_url)
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
