"""
The bench's load generator: virtual clients that behave like browsers, over keep-alive HTTP.

Each client first GETs a page with the form, keeps the `csrftoken` cookie and the form's hidden
`csrfmiddlewaretoken`, then POSTs as a browser does (Cookie header, form field, Referer). The
clients are spread over several processes so that the generator is not the bottleneck: on a
2-core machine one asyncio process tops out well above what the app serves, and the bare
ceiling app measures that (it answers as fast as this generator can ask).

Used by bench/run.py and bench/faults.py; `run_load(...)` returns a `Result`.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import random
import re
import time
from dataclasses import dataclass, field

import aiohttp

CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
HIDDEN_INPUT = re.compile(rb'<input type="hidden" name="([^"]+)" value="([^"]*)"')
# A browser's first submission comes seconds after the page: the forms' anti-automation
# (petitions/abuse.py) sets aside anything faster than FORM_MIN_SECONDS (2 s).
FORM_READING_SECONDS = 2.5
CSRF_COOKIE = re.compile(r"csrftoken=([^;]+)")


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)  # seconds, of successful requests
    statuses: dict[int, int] = field(default_factory=dict)  # HTTP status (0: no answer)
    by_kind: dict[str, int] = field(default_factory=dict)  # successful requests per kind
    ok_times: list[tuple[float, str]] = field(default_factory=list)  # (wall time, kind)
    signed_emails: list[str] = field(default_factory=list)  # sign POSTs answered 302
    fail_times: list[tuple[float, int]] = field(default_factory=list)  # (wall time, status)
    elapsed: float = 0.0

    def merge(self, other: Result) -> None:
        self.latencies += other.latencies
        for status, n in other.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + n
        for kind, n in other.by_kind.items():
            self.by_kind[kind] = self.by_kind.get(kind, 0) + n
        self.ok_times += other.ok_times
        self.signed_emails += other.signed_emails
        self.fail_times += other.fail_times
        self.elapsed = max(self.elapsed, other.elapsed)

    @property
    def ok(self) -> int:
        return len(self.latencies)

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500 or status == 0)

    @property
    def errors(self) -> int:
        return sum(self.statuses.values()) - self.ok

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]

    @property
    def throughput(self) -> float:
        return self.ok / self.elapsed if self.elapsed else 0.0


@dataclass
class Plan:
    """What every client of one scenario does. `kind`: get, sign, confirm, mixed, admin."""

    kind: str
    base_url: str
    path: str  # the page to GET (and to read the CSRF token from)
    sign_path: str = ""  # where the sign form posts
    confirm_paths: list[str] = field(default_factory=list)  # one per pending signature
    readers_per_signer: int = 20  # mixed: GETs per sign POST
    admin_login: dict | None = None  # username, password, totp_key (hex)
    cookies: dict = field(default_factory=dict)  # admin: a logged-in session's cookies
    # admin: POST this form to sign_path with the CSRF token of the page at `path` (the export
    # downloads only on a POST), instead of a GET of sign_path.
    admin_form: dict | None = None
    tag: str = "bench"  # distinct signers' addresses start with this
    success: tuple[int, ...] = (200,)


def _an_address() -> str:
    return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"


class Client:
    def __init__(self, session: aiohttp.ClientSession, plan: Plan, result: Result) -> None:
        self.session, self.plan, self.result = session, plan, result
        self.cookies: dict[str, str] = dict(plan.cookies)
        self.token = ""
        self.hidden: dict[str, str] = {}  # every hidden field of the form, as a browser sends
        self.address = _an_address()
        self.last_status = 0

    def _headers(self) -> dict[str, str]:
        # The address our proxy would write (TRUSTED_PROXY_HEADER, as in production.env).
        headers = {"Referer": self.plan.base_url + self.plan.path, "X-Real-IP": self.address}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def _keep_cookies(self, response: aiohttp.ClientResponse) -> None:
        for header in response.headers.getall("Set-Cookie", []):
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]

    async def request(self, kind: str, method: str, path: str, data: dict | None = None) -> bytes:
        started = time.perf_counter()
        try:
            async with self.session.request(
                method,
                self.plan.base_url + path,
                data=data,
                headers=self._headers(),
                allow_redirects=False,
            ) as response:
                body = await response.read()
                status = response.status
                self._keep_cookies(response)
        except (TimeoutError, aiohttp.ClientError, OSError):
            body, status = b"", 0
        elapsed = time.perf_counter() - started
        self.last_status = status
        self.result.statuses[status] = self.result.statuses.get(status, 0) + 1
        if status in self.plan.success or (method == "POST" and status == 302):
            self.result.latencies.append(elapsed)
            self.result.by_kind[kind] = self.result.by_kind.get(kind, 0) + 1
            self.result.ok_times.append((time.time(), kind))
        else:
            self.result.fail_times.append((time.time(), status))
            if status == 0:
                await asyncio.sleep(0.05)  # a refused connection: do not spin
        return body if status else b""

    async def fetch_form(self) -> None:
        """Like a browser opening the page: keep the cookie and the form's hidden token."""
        while not self.token:
            body = await self.request("get", "GET", self.plan.path)
            if match := CSRF_FIELD.search(body):
                self.token = match.group(1).decode()
                self.hidden = {k.decode(): v.decode() for k, v in HIDDEN_INPUT.findall(body)}
            elif not body:
                await asyncio.sleep(0.1)
            else:
                raise RuntimeError(f"No CSRF token on {self.plan.path}")

    async def sign(self, email: str) -> None:
        data = {
            **self.hidden,
            "csrfmiddlewaretoken": self.token,
            "full_name": "Bench Signer",
            "email": email,
            "country": random.choice(["GB", "TW", "HK", "US", "CA"]),
            "comment": "",
        }
        self.address = _an_address()  # a distinct signer, from their own connection
        await self.request("sign", "POST", self.plan.sign_path, data)
        # This client's own answer: the shared status counts move with every other client.
        if self.last_status == 302:
            self.result.signed_emails.append(email)

    async def log_in(self) -> None:
        import hmac
        import struct
        from hashlib import sha1

        login = self.plan.admin_login or {}
        self.plan.path = "/admin/login/"
        await self.fetch_form()
        key = bytes.fromhex(login["totp_key"])
        counter = struct.pack(">Q", int(time.time()) // 30)
        digest = hmac.new(key, counter, sha1).digest()
        offset = digest[-1] & 0x0F
        code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
        data = {
            "csrfmiddlewaretoken": self.token,
            "username": login["username"],
            "password": login["password"],
            "otp_token": f"{code:06d}",
            "next": "/admin/",
        }
        await self.request("login", "POST", "/admin/login/", data)
        if "sessionid" not in self.cookies:
            raise RuntimeError("Admin login failed")


async def _client_loop(
    number: int,
    client: Client,
    plan: Plan,
    result: Result,
    start: asyncio.Event,
    deadline: list[float],
    confirm_paths: list[str],
) -> None:
    await start.wait()
    client.result = result  # the form fetch before the start is not measured
    n = 0
    while time.monotonic() < deadline[0]:
        n += 1
        if plan.kind == "get":
            await client.request("get", "GET", plan.path)
        elif plan.kind == "admin" and plan.admin_form is not None:
            data = {**client.hidden, "csrfmiddlewaretoken": client.token, **plan.admin_form}
            await client.request("admin", "POST", plan.sign_path, data)
        elif plan.kind == "admin":
            await client.request("admin", "GET", plan.sign_path)
        elif plan.kind == "sign" or (
            plan.kind == "mixed" and n % (plan.readers_per_signer + 1) == 0
        ):
            await client.sign(f"{plan.tag}-{number}-{n}@example.org")
        elif plan.kind == "mixed":
            await client.request("get", "GET", plan.path)
        elif plan.kind == "confirm":
            if not confirm_paths:
                return
            data = {"csrfmiddlewaretoken": client.token}
            await client.request("confirm", "POST", confirm_paths.pop(), data)


async def _set_up(client: Client, plan: Plan) -> None:
    if plan.kind == "admin" and not plan.cookies:
        await client.log_in()
    elif plan.kind == "admin":
        if plan.admin_form is not None:
            await client.fetch_form()
    elif plan.kind != "get":
        await client.fetch_form()


async def _run_process(plan: Plan, clients: int, first: int, duration: float) -> Result:
    result = Result()
    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()
    ) as session:
        setup = Result()
        members = [Client(session, Plan(**plan.__dict__), setup) for _ in range(clients)]
        await asyncio.gather(*(_set_up(client, client.plan) for client in members))
        start, deadline = asyncio.Event(), [0.0]
        confirm_paths = list(plan.confirm_paths)
        tasks = [
            asyncio.create_task(
                _client_loop(first + i, c, plan, result, start, deadline, confirm_paths)
            )
            for i, c in enumerate(members)
        ]
        if plan.kind in ("sign", "mixed", "confirm"):
            await asyncio.sleep(FORM_READING_SECONDS)
        started = time.monotonic()
        deadline[0] = started + duration
        start.set()
        await asyncio.gather(*tasks)
        result.elapsed = time.monotonic() - started
    return result


async def _admin_session(base_url: str, login: dict) -> dict:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as session:
        client = Client(
            session, Plan("admin", base_url, "/admin/login/", admin_login=login), Result()
        )
        await client.log_in()
        return client.cookies


def admin_session(base_url: str, login: dict) -> dict:
    """Log in once (a TOTP code is accepted once) and return the session's cookies."""
    return asyncio.run(_admin_session(base_url, login))


def _process_main(args: tuple) -> Result:
    plan, clients, first, duration = args
    return asyncio.run(_run_process(plan, clients, first, duration))


def run_load(plan: Plan, clients: int, duration: float, processes: int = 2) -> Result:
    """Run `clients` virtual clients for `duration` seconds, split over `processes`."""
    processes = max(1, min(processes, clients))
    jobs = []
    for p in range(processes):
        share = clients // processes + (1 if p < clients % processes else 0)
        proc_plan = Plan(**{**plan.__dict__, "confirm_paths": plan.confirm_paths[p::processes]})
        jobs.append((proc_plan, share, p * 100_000, duration))
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        parts = pool.map(_process_main, jobs)
    total = Result()
    for part in parts:
        total.merge(part)
    return total
