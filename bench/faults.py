"""
The faults of a surge, each reported as seen: `python bench/faults.py` (about 4 minutes).

1. Mail server unreachable, then answering 421, then accepting: signing is as fast as with the
   server up, and every confirmation mail owed is delivered once it is back (retries with
   back-off in petitions/tasks.py), none lost.
2. The job worker killed with SIGKILL mid-batch: after a restart (and the periodic
   `queue_confirmation_mails`) no mail is lost.
3. 100 identical submissions at once over HTTP: exactly one signature, no 5xx.
4. With `--postgres-restart` only: PostgreSQL restarted in the middle of a sign surge. This
   restarts the machine's PostgreSQL for a second or two: never on a shared server in use.
5. The admin edit of issue 12's finding 1 in the middle of a sign surge: staff change a counted
   signature's country to one whose tally is 0, then its signer withdraws. The public count
   must keep moving every half-second, and end equal to the confirmed signatures.
6. Redis killed for 8 s in the middle of a sign surge with proof of work on: the site's own
   redis-server (port BENCH_FAULT_REDIS_PORT, 6391), never the machine's shared one. Signing
   and pages keep working (campaign/shared_cache.py), /healthz says the cache is down while it
   is, and every signature answered 302 is in the database.

Runs the site under gunicorn with the bench's production settings against its own database
(`candlelight_faults`, or BENCH_FAULTS_DATABASE), a tiny SMTP server of its own (below) and
`manage.py db_worker`.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import http.client
import itertools
import json
import multiprocessing
import os
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp
import altcha
import psycopg

from bench.common import (
    PG,
    PYTHON,
    RESULTS,
    ROOT,
    SITE_PORT,
    bench_env,
    manage,
    query,
    recreate_database,
    start_gunicorn,
    stop,
)
from bench.loadgen import FORM_READING_SECONDS, HIDDEN_INPUT, Plan, admin_session, run_load

DATABASE = os.environ.get("BENCH_FAULTS_DATABASE", "candlelight_faults")
SMTP_PORT = 8733
SITE = f"http://127.0.0.1:{SITE_PORT}"
SIGN_PAGE, SIGN_URL = "/petitions/bench-sign/", "/petitions/bench-sign/sign/"
TASKS = "django_tasks_database_dbtaskresult"
CHALLENGE_URL = "/petitions/proof-of-work/challenge/"
# Fault 6's own Redis: killing the machine's shared one would take other people's caches down.
FAULT_REDIS_PORT = int(os.environ.get("BENCH_FAULT_REDIS_PORT", "6391"))


class SmtpServer:
    """
    Just enough SMTP for Django's backend. `refuse` connections get "421" and are closed (a
    server that is overloaded or restarting); after that, every message is accepted and its
    recipients counted. `stop()` closes the port: connections are then refused outright.
    """

    def __init__(self, port: int) -> None:
        self.port = port
        self.received: Counter = Counter()
        self.refuse = 0
        self.refused = 0
        self.delay = 0.0
        self.loop = asyncio.new_event_loop()
        self.server = None
        threading.Thread(target=self.loop.run_forever, daemon=True).start()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            if self.refuse > 0:
                self.refuse -= 1
                self.refused += 1
                writer.write(b"421 4.3.2 Service not available, try again later\r\n")
                await writer.drain()
                return
            writer.write(b"220 bench ESMTP\r\n")
            recipients = []
            while line := await reader.readline():
                command = line.decode(errors="replace").strip().upper()
                if command.startswith(("EHLO", "HELO")):
                    writer.write(b"250 bench\r\n")
                elif command.startswith("RCPT TO:"):
                    recipients.append(line.decode().split(":", 1)[1].strip().strip("<>"))
                    writer.write(b"250 OK\r\n")
                elif command == "DATA":
                    writer.write(b"354 End with .\r\n")
                    await writer.drain()
                    while (await reader.readline()) not in (b".\r\n", b""):
                        pass
                    await asyncio.sleep(self.delay)
                    self.received.update(recipients)
                    recipients = []
                    writer.write(b"250 OK queued\r\n")
                elif command == "QUIT":
                    writer.write(b"221 Bye\r\n")
                    await writer.drain()
                    return
                else:  # MAIL FROM, RSET, NOOP
                    writer.write(b"250 OK\r\n")
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()

    def start(self, refuse: int = 0) -> None:
        self.refuse = refuse

        async def serve() -> None:
            self.server = await asyncio.start_server(self._session, "127.0.0.1", self.port)

        asyncio.run_coroutine_threadsafe(serve(), self.loop).result()

    def stop(self) -> None:
        async def close() -> None:
            self.server.close()
            await self.server.wait_closed()

        if self.server is not None:
            asyncio.run_coroutine_threadsafe(close(), self.loop).result()
            self.server = None


class Faults:
    def __init__(self) -> None:
        RESULTS.mkdir(parents=True, exist_ok=True)
        self.log = RESULTS / "faults-servers.log"
        self.env = bench_env(DATABASE, EMAIL_URL=f"smtp://127.0.0.1:{SMTP_PORT}")
        self.smtp = SmtpServer(SMTP_PORT)
        self.site = None
        self.workers: list[subprocess.Popen] = []
        self.report: list[str] = []

    def say(self, line: str) -> None:
        print(line, flush=True)
        self.report.append(line)

    def set_up(self) -> None:
        recreate_database(DATABASE)
        manage(self.env, "migrate", "--noinput")
        manage(self.env, "collectstatic", "--noinput")
        subprocess.run(
            [
                PYTHON,
                "bench/seed.py",
                str(RESULTS / "faults-seed.json"),
                "--large=1000",
                "--pending=0",
            ],
            cwd=ROOT,
            env=self.env,
            check=True,
        )
        self.site = start_gunicorn("campaign.wsgi", SITE_PORT, self.env, self.log)

    def tear_down(self) -> None:
        for worker in self.workers:
            stop(worker)
        stop(self.site)
        self.smtp.stop()

    def start_worker(self) -> subprocess.Popen:
        worker = subprocess.Popen(
            [PYTHON, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.workers.append(worker)
        return worker

    def stop_workers(self) -> None:
        for worker in self.workers:
            stop(worker)
        self.workers = []

    def surge(self, tag: str, clients: int, seconds: float):
        return run_load(Plan("sign", SITE, SIGN_PAGE, SIGN_URL, tag=tag), clients, seconds)

    def addresses(self, tag: str) -> set[str]:
        rows = query(
            DATABASE, "SELECT email FROM petitions_signature WHERE email LIKE %s", [f"{tag}-%"]
        )
        return {row[0] for row in rows}

    def wait_for_mail(self, wanted: set[str], timeout: float) -> float | None:
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if wanted <= set(self.smtp.received):
                return time.monotonic() - started
            time.sleep(0.5)
        return None

    def task_counts(self) -> dict[str, int]:
        rows = query(
            DATABASE,
            f"SELECT status, count(*) FROM {TASKS} WHERE task_path LIKE %s GROUP BY status",
            ["%send_owed_confirmation_mails"],
        )
        return dict(rows)

    def owed(self, tag: str) -> int:
        return query(
            DATABASE,
            "SELECT count(*) FROM petitions_signature WHERE email LIKE %s AND status = 'pending' "
            "AND confirmation_mails_sent < confirmation_mails_requested",
            [f"{tag}-%"],
        )[0][0]

    # --- 1. mail server down, 421, back ---------------------------------------------------

    def mail_outage(self) -> None:
        self.say("== Fault 1: mail server unreachable, then 421, then accepting")
        self.smtp.start()
        self.start_worker()
        self.start_worker()
        up = self.surge("mailup", 8, 6)
        up_mail = self.wait_for_mail(self.addresses("mailup"), 120)
        self.say(
            f"mail server up:   signing {up.throughput:.0f}/s, p99 {up.percentile(99) * 1000:.0f}"
            f" ms, errors {up.errors}; {len(self.addresses('mailup'))} mails delivered in "
            f"{up_mail:.0f} s"
            if up_mail is not None
            else "mail up: mails NOT all delivered"
        )
        self.smtp.stop()
        down = self.surge("maildown", 8, 6)
        owed = self.addresses("maildown")
        time.sleep(3)
        delivered_while_down = len(owed & set(self.smtp.received))
        self.say(
            f"mail server down: signing {down.throughput:.0f}/s, p99 "
            f"{down.percentile(99) * 1000:.0f} ms, errors {down.errors} "
            f"(ratio to up: {down.throughput / up.throughput:.2f}); {len(owed)} mails owed, "
            f"{delivered_while_down} delivered while down"
        )
        refuse = 2  # a server back from an outage, refusing for a moment (421)
        self.smtp.start(refuse=refuse)
        took = self.wait_for_mail(owed, 240)
        retries = query(
            DATABASE,
            f"SELECT count(*) FROM {TASKS} WHERE task_path LIKE %s "
            f"AND jsonb_array_length(args_kwargs->'args') > 0",
            ["%send_owed_confirmation_mails"],
        )[0][0]
        got = Counter({address: self.smtp.received[address] for address in owed})
        missing = len(owed) - len(+got)
        duplicates = sum(n - 1 for n in got.values() if n > 1)
        self.say(
            f"server back (first {refuse} connections answered 421, {self.smtp.refused} "
            f"refused in all): {len(+got)}/{len(owed)} owed mails delivered "
            + (f"{took:.0f} s after it came back" if took is not None else "(timed out)")
            + f"; lost {missing}; duplicates {duplicates}; mail jobs queued "
            f"{sum(self.task_counts().values())} in all, {retries} of them retries; "
            f"signatures still owed mail {self.owed('maildown')}"
        )
        self.say(
            "RESULT fault 1: "
            + ("ok" if missing == 0 and down.throughput >= 0.8 * up.throughput else "FAIL")
        )
        self.stop_workers()

    # --- 2. worker killed mid-batch -------------------------------------------------------

    def worker_killed(self) -> None:
        self.say("== Fault 2: job worker killed with SIGKILL mid-batch")
        if self.smtp.server is None:
            self.smtp.start()
        self.smtp.delay = 0.2  # a slow mail server: the kill surely lands mid-send
        self.surge("killed", 8, 3)
        wanted = self.addresses("killed")
        worker = self.start_worker()
        time.sleep(2)
        import os
        import signal

        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
        self.workers.remove(worker)
        time.sleep(1)
        sent_before = len(wanted & set(self.smtp.received))
        stuck = self.task_counts().get("RUNNING", 0)
        self.say(
            f"{len(wanted)} mails owed; worker killed after {sent_before} sent; "
            f"jobs left RUNNING by the dead worker: {stuck}"
        )
        self.smtp.delay = 0
        self.start_worker()
        deadline = time.monotonic() + 120
        while self.task_counts().get("READY", 0) and time.monotonic() < deadline:
            time.sleep(0.5)
        owed_after_restart = self.owed("killed")
        self.say(
            f"after a new worker drained the queue: {owed_after_restart} signature(s) still owed "
            f"a mail (django-tasks-db never re-runs a RUNNING job), jobs still RUNNING: "
            f"{self.task_counts().get('RUNNING', 0)}"
        )
        out = subprocess.run(
            [PYTHON, "manage.py", "queue_confirmation_mails", "--older-than", "0"],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        took = self.wait_for_mail(wanted, 60)
        deadline = time.monotonic() + 60
        while self.owed("killed") and time.monotonic() < deadline:
            time.sleep(0.5)
        missing = len(wanted - set(self.smtp.received))
        duplicates = sum(self.smtp.received[a] - 1 for a in wanted if self.smtp.received[a] > 1)
        self.say(
            f"queue_confirmation_mails: {out!r}; then {len(wanted) - missing}/{len(wanted)} "
            f"delivered"
            + (f" in {took:.0f} s" if took is not None else " (timed out)")
            + f"; lost {missing}; duplicates {duplicates}; owed now {self.owed('killed')}"
        )
        self.say(f"RESULT fault 2: {'ok' if missing == 0 else 'FAIL'}")
        self.stop_workers()

    # --- 3. 100 identical submissions -----------------------------------------------------

    def identical_submissions(self) -> None:
        self.say("== Fault 3: 100 identical submissions at once (over HTTP, under gunicorn)")
        statuses = asyncio.run(_identical_posts(100))
        rows = query(
            DATABASE,
            "SELECT count(*), max(confirmation_mails_requested), max(status) "
            "FROM petitions_signature WHERE email = 'same-person@example.org'",
        )[0]
        counts = Counter(statuses)
        self.say(
            f"statuses {dict(counts)}; rows {rows[0]} ({rows[2]}); mails requested {rows[1]} "
            "(capped at 3)"
        )
        ok = rows[0] == 1 and all(status < 500 for status in statuses)
        self.say(f"RESULT fault 3: {'ok' if ok else 'FAIL'}")

    # --- 4. PostgreSQL restarted mid-surge ------------------------------------------------

    def postgres_restart(self) -> None:
        self.say("== Fault 4: PostgreSQL restarted in the middle of a sign surge")
        outcome: dict = {}
        surge = threading.Thread(
            target=lambda: outcome.setdefault("result", self.surge("pgrestart", 16, 20))
        )
        surge.start()
        time.sleep(7)
        probe = _Probe()
        probe.start()
        command_started = time.time()
        try:
            subprocess.run(
                ["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart"],
                check=True,
                capture_output=True,
                timeout=60,
            )
        finally:
            _ensure_postgres_running()
        command_ended = time.time()
        surge.join()
        probe.stop()
        result = outcome["result"]
        down_from = probe.down_from or command_started
        up_at = probe.up_at or command_ended
        late = [(t, s) for t, s in result.fail_times if t < down_from - 0.5 or t > up_at + 5]
        failures_after = [t - up_at for t, _ in result.fail_times if t > up_at]
        stored = self.addresses("pgrestart")
        lost = set(result.signed_emails) - stored
        site_pid_same = self.site.poll() is None
        after = run_load(Plan("sign", SITE, SIGN_PAGE, SIGN_URL, tag="pgafter"), 4, 2, 1)
        self.say(
            f"PostgreSQL unreachable for {up_at - down_from:.1f} s (restart command "
            f"{command_ended - command_started:.1f} s); surge: {result.ok} signed (302), "
            f"{len(result.fail_times)} failed ({dict(Counter(s for _, s in result.fail_times))})"
        )
        self.say(
            f"failures outside [down, up + 5 s]: {len(late)}; last failure "
            f"{max(failures_after):.1f} s after PostgreSQL was back"
            if failures_after
            else f"failures outside [down, up + 5 s]: {len(late)}; none after it was back"
        )
        self.say(
            f"app recovered without a restart: {site_pid_same} (gunicorn still the same "
            f"process; {after.ok} signatures right after, errors {after.errors}); "
            f"successful signatures missing from the database: {len(lost)}"
        )
        ok = not late and not lost and site_pid_same and after.errors == 0
        self.say(f"RESULT fault 4: {'ok' if ok else 'FAIL'}")

    # --- 6. Redis down mid-surge, proof of work on ----------------------------------------

    def redis_down(self) -> None:
        self.say("== Fault 6: Redis down for 8 s during a sign surge with proof of work on")
        redis_log = RESULTS / "faults-redis.log"
        redis_server = _start_redis(FAULT_REDIS_PORT, redis_log)
        original_env = self.env
        probe = _PageProbe()
        signers = multiprocessing.get_context("fork").Pool(3)
        try:
            query(
                DATABASE,
                "UPDATE petitions_petition SET requires_proof_of_work = true "
                "WHERE slug = 'bench-sign' RETURNING id",
            )
            self.env = {**self.env, "CACHE_URL": f"redis://127.0.0.1:{FAULT_REDIS_PORT}/0"}
            stop(self.site)
            self.site = start_gunicorn("campaign.wsgi", SITE_PORT, self.env, self.log)
            probe.start()
            surge = signers.map_async(_pow_signer, [(n, 24.0) for n in range(3)])
            time.sleep(8)
            redis_server.kill()  # SIGKILL to our own redis-server: gone, as in a crash
            redis_server.wait()
            down_from = time.time()
            time.sleep(8)
            redis_server = _start_redis(FAULT_REDIS_PORT, redis_log)
            up_at = time.time()
            attempts = [attempt for part in surge.get(timeout=120) for attempt in part]
            time.sleep(6)  # a process retries Redis within a few seconds of its last failure
            probe.stop()
        finally:
            signers.close()
            redis_server.kill()
            redis_server.wait()
            query(
                DATABASE,
                "UPDATE petitions_petition SET requires_proof_of_work = false "
                "WHERE slug = 'bench-sign' RETURNING id",
            )
            self.env = original_env
            stop(self.site)
            self.site = start_gunicorn("campaign.wsgi", SITE_PORT, self.env, self.log)
        signed = [email for _, status, email in attempts if status == 302]
        while_down = [e for t, status, e in attempts if status == 302 and down_from <= t <= up_at]
        errors = Counter(status for _, status, _ in attempts if status >= 500 or status == 0)
        other = Counter(
            status for _, status, _ in attempts if status not in (302,) and status < 500
        )
        missing = set(signed) - self.addresses("powredis")
        pages_down = [status for t, status, _ in probe.pages if down_from <= t <= up_at]
        health_down = Counter(cache for t, _, cache in probe.health if down_from <= t <= up_at)
        health_after = [cache for t, _, cache in probe.health if t > up_at + 5.5]
        page_errors = sum(1 for _, status, _ in probe.pages if status >= 500 or status == 0)
        health_errors = sum(1 for _, status, _ in probe.health if status != 200)
        self.say(
            f"Redis killed for {up_at - down_from:.1f} s; surge (3 signers solving the proof of "
            f"work): {len(signed)} signed (302), {len(while_down)} of them while Redis was down; "
            f"server errors {sum(errors.values())} {dict(errors)}; other answers {dict(other)}"
        )
        self.say(
            f"pages while down: {len(pages_down)} petition page GETs, "
            f"{sum(1 for s in pages_down if s == 200)} answered 200; page errors in all "
            f"{page_errors}; /healthz while down: {dict(health_down)} (non-200: "
            f"{health_errors}); after Redis was back: {Counter(health_after).most_common(1)}"
        )
        self.say(f"successful signatures missing from the database: {len(missing)}")
        ok = (
            while_down
            and not errors
            and not missing
            and page_errors == 0
            and health_errors == 0
            and pages_down
            and set(health_down) == {"down"}
            and health_after
            and health_after[-1] == "up"
        )
        self.say(f"RESULT fault 6: {'ok' if ok else 'FAIL'}")

    # --- 5. issue 12's admin edit in the middle of a surge ---------------------------------

    def admin_edit_mid_surge(self) -> None:
        self.say(
            "== Fault 5: mid-surge, staff move a counted signature to a country whose tally is 0, "
            "then it is withdrawn"
        )
        seed = json.loads((RESULTS / "faults-seed.json").read_text())
        petition = seed["petitions"]["bench-sign"]
        counter = subprocess.Popen(
            [PYTHON, "manage.py", "count_signatures", "--every", "0.25"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.workers.append(counter)
        # The issue's repro: a Tuvalu signer counted and withdrawn (Tuvalu's tally: 0), and a
        # Nauru signer counted, all through the site's own forms and links.
        tuvalu = self.signer("fault5-tv@example.org", "TV")
        self.wait_until_counted(petition)
        _submit(self.links(tuvalu)["withdraw"], {})
        nauru = self.signer("fault5-nr@example.org", "NR")
        self.wait_until_counted(petition)
        self.say(f"before the surge: tallies {self.tv_and_nr(petition)}")

        nauru_links = self.links(nauru)
        staff = admin_session(SITE, seed["staff"])
        outcome: dict = {}
        surging = threading.Event()
        surging.set()
        surge = threading.Thread(
            target=lambda: outcome.setdefault("result", self.surge("midsurge", 8, 20))
        )
        confirmer = threading.Thread(target=self.confirm_while, args=(surging, "midsurge"))
        samples: list[tuple[float, int]] = []
        sampler = threading.Thread(target=_sample_count, args=(surging, samples))
        for thread in (surge, confirmer, sampler):
            thread.start()
        time.sleep(FORM_READING_SECONDS + 4)
        change = f"/admin/petitions/signature/{nauru}/change/"
        edited = _submit(
            change,
            {"full_name": "Bench Signer", "country": "TV", "comment": "", "_save": "Save"},
            cookies=staff,
        )
        time.sleep(1)  # the counting job moves the tally: NR -1, TV +1
        moved = self.tv_and_nr(petition)
        withdrawn = _submit(nauru_links["withdraw"], {})
        withdrawn_at = time.time()
        surge.join()
        surging.clear()
        confirmer.join()
        sampler.join()
        self.confirm_pending("midsurge")
        settled = self.wait_until_counted(petition, timeout=20)
        result = outcome["result"]

        # While signatures still come in: after the last one, the count rightly stops.
        last_signed = max((t for t, _ in result.ok_times), default=withdrawn_at)
        after = [(t, n) for t, n in samples if withdrawn_at <= t <= last_signed]
        stalls = [
            round(t - withdrawn_at, 1)
            for (_, before), (t, n) in itertools.pairwise(after)
            if n <= before
        ]
        count, confirmed = self.counts(petition)
        tallies_right = self.tallies(petition) == self.confirmed_by_country(petition)
        days_right = self.days(petition) == self.confirmed_by_day(petition)
        moving = f"{after[0][1]} -> {after[-1][1]}" if after else "no samples"
        self.say(
            f"admin edit NR -> TV answered {edited} (a second later: {moved}), withdrawal "
            f"{withdrawn}; surge {result.ok} signed, {result.server_errors} 5xx; public count "
            f"sampled every 0.5 s from the withdrawal to the last signature: {len(after)} "
            f"samples, {moving}, {len(stalls)} half-second(s) without a move"
            + (f" (first at {stalls[:5]} s after it)" if stalls else "")
        )
        self.say(
            f"at the end: public count {count}, confirmed signatures {confirmed} "
            f"(settled: {settled}); country tallies {'right' if tallies_right else 'WRONG'}, "
            f"daily tallies {'right' if days_right else 'WRONG'}; "
            f"TV {dict(self.tallies(petition)).get('TV', 0)}, "
            f"NR {dict(self.tallies(petition)).get('NR', 0)}"
        )
        ok = (
            edited == 302
            and withdrawn == 302
            and len(after) > 10
            and not stalls
            and count == confirmed
            and tallies_right
            and days_right
            and result.server_errors == 0
        )
        self.say(f"RESULT fault 5: {'ok' if ok else 'FAIL'}")
        self.stop_workers()

    def signer(self, email: str, country: str) -> int:
        """Sign the surge's petition through the form and confirm by the mailed link."""
        data = {"full_name": "Bench Signer", "email": email, "country": country, "comment": ""}
        status = _submit(SIGN_PAGE, data, post_path=SIGN_URL, read_first=True)
        assert status == 302, f"signing answered {status}"
        pk = query(DATABASE, "SELECT id FROM petitions_signature WHERE email = %s", [email])[0][0]
        assert _submit(self.links(pk)["confirm"], {}) == 302
        return pk

    def links(self, pk: int) -> dict[str, str]:
        """The confirm and withdraw links the signer's mail carries (made by the site's code)."""
        code = (
            "import json; from petitions import emails; from petitions.models import Signature; "
            f"s = Signature(pk={int(pk)}); print(json.dumps({{kind: "
            "f'/petitions/{kind}/' + emails.make_token(s, salt) + '/' for kind, salt in "
            "(('confirm', emails.CONFIRM_SALT), ('withdraw', emails.WITHDRAW_SALT))}))"
        )
        out = subprocess.run(
            [PYTHON, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return json.loads(out.strip().splitlines()[-1])

    def confirm_pending(self, tag: str) -> None:
        """Signers following their links: the confirmation's own statement (confirm_pending)."""
        query(
            DATABASE,
            "UPDATE petitions_signature SET status = 'confirmed', confirmed_at = now() "
            "WHERE status = 'pending' AND email LIKE %s RETURNING id",
            [f"{tag}-%"],
        )

    def confirm_while(self, running: threading.Event, tag: str) -> None:
        while running.is_set():
            self.confirm_pending(tag)
            time.sleep(0.2)

    def counts(self, petition: int) -> tuple[int, int]:
        return query(
            DATABASE,
            "SELECT signature_count, (SELECT count(*) FROM petitions_signature "
            "WHERE petition_id = %s AND status = 'confirmed') FROM petitions_petition "
            "WHERE id = %s",
            [petition, petition],
        )[0]

    def wait_until_counted(self, petition: int, timeout: float = 20) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            count, confirmed = self.counts(petition)
            if count == confirmed:
                return True
            time.sleep(0.25)
        return False

    def tallies(self, petition: int) -> set[tuple[str, int]]:
        return set(
            query(
                DATABASE,
                "SELECT country, signature_count FROM petitions_countrytally "
                "WHERE petition_id = %s AND signature_count <> 0",
                [petition],
            )
        )

    def tv_and_nr(self, petition: int) -> str:
        kept = query(
            DATABASE,
            "SELECT country, signature_count FROM petitions_countrytally "
            "WHERE petition_id = %s AND country IN ('TV', 'NR') ORDER BY country DESC",
            [petition],
        )
        return ", ".join(f"{country} {n}" for country, n in kept)

    def confirmed_by_country(self, petition: int) -> set[tuple[str, int]]:
        return set(
            query(
                DATABASE,
                "SELECT country, count(*) FROM petitions_signature "
                "WHERE petition_id = %s AND status = 'confirmed' GROUP BY country",
                [petition],
            )
        )

    def days(self, petition: int) -> set[tuple]:
        return set(
            query(
                DATABASE,
                "SELECT day, signature_count FROM petitions_dailytally "
                "WHERE petition_id = %s AND signature_count <> 0",
                [petition],
            )
        )

    def confirmed_by_day(self, petition: int) -> set[tuple]:
        # The site's TIME_ZONE is UTC: its days are UTC days.
        return set(
            query(
                DATABASE,
                "SELECT (confirmed_at AT TIME ZONE 'UTC')::date, count(*) "
                "FROM petitions_signature WHERE petition_id = %s AND status = 'confirmed' "
                "GROUP BY 1",
                [petition],
            )
        )


def _sample_count(running: threading.Event, samples: list[tuple[float, int]]) -> None:
    """The public count (count.json, as count.js reads it) every half-second."""
    import urllib.request

    url = f"http://127.0.0.1:{SITE_PORT}/petitions/bench-sign/count.json"
    while running.is_set():
        started = time.monotonic()
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                samples.append((time.time(), json.loads(r.read())["signature_count"]))
        except OSError:
            pass
        time.sleep(max(0.0, 0.5 - (time.monotonic() - started)))


def _submit(
    path: str,
    data: dict,
    *,
    post_path: str | None = None,
    cookies: dict | None = None,
    read_first: bool = False,
) -> int:
    """Open a form as a browser does (cookie, hidden inputs), post it; return the status."""

    async def submit() -> int:
        jar = dict(cookies or {})
        address = f"10.77.{random.randrange(256)}.{random.randrange(1, 255)}"

        def headers() -> dict[str, str]:
            cookie = "; ".join(f"{name}={value}" for name, value in jar.items())
            return {"Cookie": cookie, "Referer": SITE + path, "X-Real-IP": address}

        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as session:
            async with session.get(SITE + path, headers=headers()) as response:
                body = await response.read()
                jar.update({name: morsel.value for name, morsel in response.cookies.items()})
            hidden = {k.decode(): v.decode() for k, v in HIDDEN_INPUT.findall(body)}
            if read_first:
                await asyncio.sleep(FORM_READING_SECONDS)  # faster is set aside as automated
            async with session.post(
                SITE + (post_path or path),
                data={**hidden, **data},
                headers=headers(),
                allow_redirects=False,
            ) as response:
                await response.read()
                return response.status

    return asyncio.run(submit())


class _Probe:
    """Tries a fresh connection every 0.1 s: when PostgreSQL went away and came back."""

    def __init__(self) -> None:
        self.down_from = self.up_at = None
        self.running = True
        self.thread = threading.Thread(target=self.run, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def run(self) -> None:
        while self.running:
            try:
                with psycopg.connect(f"{PG}/{DATABASE}", connect_timeout=1) as connection:
                    connection.execute("SELECT 1")
                if self.down_from and not self.up_at:
                    self.up_at = time.time()
            except psycopg.Error:
                if not self.down_from:
                    self.down_from = time.time()
            time.sleep(0.1)

    def stop(self) -> None:
        self.running = False
        self.thread.join()


def _start_redis(port: int, log: Path) -> subprocess.Popen:
    """A redis-server of our own, nothing saved to disk, ready when it answers PING."""
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    import redis

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            redis.Redis(port=port, socket_connect_timeout=0.2).ping()
            return process
        except redis.exceptions.ConnectionError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"redis-server on port {port} did not start; see {log}")


class _PageProbe:
    """GETs the petition page and /healthz every 0.25 s: (wall time, status, cache state)."""

    def __init__(self) -> None:
        self.pages: list[tuple[float, int, str]] = []
        self.health: list[tuple[float, int, str]] = []
        self.running = True
        self.thread = threading.Thread(target=self.run, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def run(self) -> None:
        while self.running:
            status, _, _ = _http("GET", SIGN_PAGE)
            self.pages.append((time.time(), status, ""))
            status, body, _ = _http("GET", "/healthz")
            try:
                cache = json.loads(body).get("cache", "?")
            except ValueError:
                cache = "?"
            self.health.append((time.time(), status, cache))
            time.sleep(0.25)

    def stop(self) -> None:
        self.running = False
        self.thread.join()


def _http(
    method: str, path: str, body: str = "", headers: dict | None = None
) -> tuple[int, bytes, list[tuple[str, str]]]:
    """One request on a fresh connection: (status, body, headers); status 0 if no answer."""
    connection = http.client.HTTPConnection("127.0.0.1", SITE_PORT, timeout=30)
    try:
        connection.request(method, path, body=body or None, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read(), response.getheaders()
    except OSError:
        return 0, b"", []
    finally:
        connection.close()


def _pow_signer(args: tuple[int, float]) -> list[tuple[float, int, str]]:
    """
    One browser signing again and again with proof of work: the form's fields and cookie once,
    then per signature a challenge from our endpoint, solved here, and the POST (each from its
    own address, as our proxy would write it). Returns (wall time, status, email) per POST.
    """
    number, seconds = args
    _, page, page_headers = _http("GET", SIGN_PAGE)
    hidden = {k.decode(): v.decode() for k, v in HIDDEN_INPUT.findall(page)}
    cookies = "; ".join(
        value.split(";", 1)[0] for name, value in page_headers if name.lower() == "set-cookie"
    )
    time.sleep(FORM_READING_SECONDS)
    attempts, deadline, n = [], time.monotonic() + seconds, 0
    while time.monotonic() < deadline:
        n += 1
        status, body, _ = _http("GET", CHALLENGE_URL)
        if status != 200:
            attempts.append((time.time(), status, ""))
            time.sleep(0.2)
            continue
        challenge = json.loads(body)
        solution = altcha.solve_challenge(
            challenge["challenge"],
            challenge["salt"],
            challenge["algorithm"],
            challenge["max_number"],
        )
        payload = {
            "algorithm": challenge["algorithm"],
            "challenge": challenge["challenge"],
            "number": solution.number,
            "salt": challenge["salt"],
            "signature": challenge["signature"],
        }
        email = f"powredis-{number}-{n}@example.org"
        form = {
            **hidden,
            "full_name": "Bench Signer",
            "email": email,
            "country": "GB",
            "comment": "",
            "altcha": base64.b64encode(json.dumps(payload).encode()).decode(),
        }
        address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
        status, _, _ = _http(
            "POST",
            SIGN_URL,
            urlencode(form),
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookies,
                "Referer": SITE + SIGN_PAGE,
                "X-Real-IP": address,
            },
        )
        attempts.append((time.time(), status, email))
    return attempts


def _ensure_postgres_running() -> None:
    """Whatever happened, leave the cluster running."""
    status = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout
    if "online" not in status:
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "start"], check=False
        )


async def _identical_posts(n: int) -> list[int]:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as session:

        async def one() -> tuple[str, dict]:
            async with session.get(SITE + SIGN_PAGE) as response:
                body = await response.read()
                cookie = response.cookies["csrftoken"].value
            return cookie, {k.decode(): v.decode() for k, v in HIDDEN_INPUT.findall(body)}

        forms = await asyncio.gather(*(one() for _ in range(n)))
        start = asyncio.Event()

        async def post(number: int, cookie: str, hidden: dict) -> int:
            await start.wait()
            data = {
                **hidden,
                "full_name": "Same Person",
                "email": "same-person@example.org",
                "country": "HK",
            }
            headers = {
                "Cookie": f"csrftoken={cookie}",
                "Referer": SITE + SIGN_PAGE,
                "X-Real-IP": f"10.99.0.{number + 1}",  # as our proxy writes it
            }
            async with session.post(
                SITE + SIGN_URL, data=data, headers=headers, allow_redirects=False
            ) as response:
                await response.read()
                return response.status

        posts = [asyncio.create_task(post(n, *form)) for n, form in enumerate(forms)]
        await asyncio.sleep(FORM_READING_SECONDS)
        start.set()
        return await asyncio.gather(*posts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--postgres-restart",
        action="store_true",
        help="also restart PostgreSQL mid-surge (the machine's only cluster: never when shared)",
    )
    parser.add_argument("--only", nargs="*", help="mail_outage worker_killed redis_down ...")
    args = parser.parse_args()
    faults = Faults()
    steps = args.only or [
        "identical_submissions",
        "mail_outage",
        "worker_killed",
        "admin_edit_mid_surge",
        "redis_down",
    ]
    if args.postgres_restart and not args.only:
        steps.append("postgres_restart")
    if "postgres_restart" in steps and not args.postgres_restart:
        parser.error("restarting PostgreSQL needs --postgres-restart")
    try:
        faults.set_up()
        for step in steps:
            getattr(faults, step)()
    finally:
        faults.tear_down()
    (RESULTS / "faults-latest.txt").write_text("\n".join(faults.report) + "\n")
    if any(line.startswith("RESULT") and "FAIL" in line for line in faults.report):
        sys.exit(1)


if __name__ == "__main__":
    main()
