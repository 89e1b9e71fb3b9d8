"""Load test: employees logging CMB, atasan approving, Biro SDM verifying, all at once.

Run it through deploy/loadtest.sh (which seeds nothing itself: it expects `seed_bench`'s
10,000-employee agency, starts gunicorn on PostgreSQL, counts the database before and after,
and compares the difference with what this file says it did). By hand:

    locust -f deploy/loadtest/locustfile.py --headless -u 50 -r 10 -t 3m \\
      --host http://127.0.0.1:18800

Users (weights 7 : 2 : 1 of the 50):
- Pegawai: signs in as a team member of seed_bench's first teams, opens the home page and
  "Catatan saya", logs a coaching meeting in November of the seed's year (a Lampiran I form
  with every section) and submits it.
- Atasan: a team lead of those teams; opens the approval queue and bulk-approves up to four
  rows (the seed leaves October's coaching waiting, and the Pegawai users add more).
- Biro SDM: opens the verification queue and bulk-verifies up to five random rows; two Biro
  users may pick the same row at once, and the portal must then refuse the second cleanly
  (that row is "gagal" on the result page, not an error).

Every request that answers anything but the page it should is a failure in Locust's table.
What each user did successfully is added up and written, when the run stops, to the JSON file
named by LOADTEST_SENT, for the before/after comparison (`manage.py loadtest_counts`).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
from collections import Counter

from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("LOADTEST_PASSWORD", "bench12345")
YEAR = int(os.environ.get("LOADTEST_YEAR", "2025"))
UNIT_SIZE, TEAM_SIZE = 250, 8  # records.bench_seed
TEAMS = 10  # the Pegawai and Atasan users share the first TEAMS teams of unit 1

SENT: Counter[str] = Counter()
_lock = threading.Lock()
_employee_seq = itertools.count()
_lead_seq = itertools.count()

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CHECKBOX = re.compile(r'type="checkbox" name="session" value="(\d+)"')
DONE = re.compile(r"(\d+) dari (\d+) berhasil")
COACHING = re.compile(r'href="/cmb/kesepakatan/(\d+)/">Coaching ')
SESSION_URL = re.compile(r"/cmb/pertemuan/(\d+)/$")


def count(what: str, n: int = 1) -> None:
    with _lock:
        SENT[what] += n


def lead_index(team: int) -> int:
    """bench user number of team `team`'s lead in unit 1 (index 0 heads the unit)."""
    return 1 + team * (TEAM_SIZE + 1)


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    if not match:
        raise ValueError("no CSRF token on the page")
    return match.group(1)


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)  # a person reads the page before the next click
    login = ""

    def on_start(self) -> None:
        page = self.client.get("/masuk/", name="/masuk/")
        with self.client.post(
            "/masuk/",
            data={
                "username": self.login,
                "password": PASSWORD,
                "csrfmiddlewaretoken": csrf_of(page.text),
            },
            headers={"Referer": f"{self.host}/masuk/"},
            name="/masuk/ (POST)",
            catch_response=True,
        ) as response:
            if response.url.rstrip("/") != self.host.rstrip("/"):
                response.failure(f"sign-in as {self.login} did not reach the home page")

    def post_form(self, url: str, data: dict, *, name: str, referer: str, expect: str):
        """POST with the CSRF token of `referer`'s page; fail unless `expect` is on the answer."""
        token = self.client.cookies.get("csrftoken", "")
        with self.client.post(
            url,
            data={**data, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}{referer}"},
            name=name,
            catch_response=True,
        ) as response:
            if expect not in response.text:
                response.failure(f"{name}: {expect!r} not on the answer ({response.status_code})")
                return None
            return response

    def bulk(self, action: str, ids: list[str], *, queue: str) -> None:
        """Tick `ids` in the queue, see the confirmation page, confirm; count what the result
        page says succeeded ("approved"/"verified") and what it refused."""
        if not ids:
            return
        url, data = f"/massal/{action}/", {"session": ids, "next": queue}
        label, done_key = {
            "approve": ("setujui", "approved"),
            "verify": ("verifikasi", "verified"),
        }[action]
        self.post_form(url, data, name=f"{url} (confirm)", referer=queue, expect=f"Ya, {label}")
        response = self.post_form(
            url, {**data, "confirmed": "1"}, name=f"{url} (POST)", referer=queue, expect="berhasil"
        )
        done = DONE.search(response.text) if response is not None else None
        if done:
            count(done_key, int(done.group(1)))
            count(f"{action}_refused", int(done.group(2)) - int(done.group(1)))


class Pegawai(PortalUser):
    weight = 7

    def on_start(self) -> None:
        n = next(_employee_seq)
        team, member = n % TEAMS, 1 + (n // TEAMS) % TEAM_SIZE
        self.login = f"bench{lead_index(team) + member:05d}"
        super().on_start()
        agreements = self.client.get(f"/cmb/kesepakatan/?tahun={YEAR}", name="/cmb/kesepakatan/")
        match = COACHING.search(agreements.text)
        if not match:
            raise RuntimeError(f"{self.login} has no coaching agreement")
        self.agreement = int(match.group(1))

    @task
    def log_and_submit_a_meeting(self) -> None:
        self.client.get("/", name="/ (home)")
        self.client.get(f"/cmb/?tahun={YEAR}", name="/cmb/ (catatan saya)")
        form_url = f"/cmb/kesepakatan/{self.agreement}/pertemuan/baru/"
        self.client.get(form_url, name="/cmb/kesepakatan/[id]/pertemuan/baru/")
        day, hour = random.randint(1, 30), random.randint(7, 15)  # noqa: S311
        response = self.post_form(
            form_url,
            {
                "date": f"{YEAR}-11-{day:02d}",
                "start_time": f"{hour:02d}:00",
                "end_time": f"{hour + 1:02d}:30",
                "mode": "luring",
                "scope": "nasional",
                "place": "Ruang rapat tim",
                "platform": "",
                "needs": "Analisis jabatan untuk formasi baru.",
                "responsibility": "Menyusun peta jabatan unit.",
                "activity": "Diskusi uraian tugas bersama coach.",
                "result": "Draf uraian tugas dan rencana tindak lanjut.",
            },
            name="/cmb/kesepakatan/[id]/pertemuan/baru/ (POST)",
            referer=form_url,
            expect="Pertemuan disimpan sebagai draf.",
        )
        if response is None:
            return
        count("created")
        match = SESSION_URL.search(response.url)
        if not match:
            response.failure(f"a new session should land on its page, not {response.url}")
            return
        submit_url = f"/cmb/pertemuan/{match.group(1)}/ajukan/"
        self.client.get(submit_url, name="/cmb/pertemuan/[id]/ajukan/")
        if self.post_form(
            submit_url,
            {},
            name="/cmb/pertemuan/[id]/ajukan/ (POST)",
            referer=submit_url,
            expect="Pertemuan diajukan kepada atasan langsung.",
        ):
            count("submitted")


class Atasan(PortalUser):
    weight = 2

    def on_start(self) -> None:
        self.login = f"bench{lead_index(next(_lead_seq) % TEAMS):05d}"
        super().on_start()

    @task
    def approve_what_waits(self) -> None:
        queue = self.client.get("/persetujuan/", name="/persetujuan/")
        self.bulk("approve", CHECKBOX.findall(queue.text)[:4], queue="/persetujuan/")


class BiroSdm(PortalUser):
    weight = 1
    login = os.environ.get("LOADTEST_BIRO", "bench09999")  # seed_bench's Biro SDM user

    @task
    def verify_a_few(self) -> None:
        queue = self.client.get("/verifikasi-biro/", name="/verifikasi-biro/")
        ids = CHECKBOX.findall(queue.text)
        self.bulk("verify", random.sample(ids, min(5, len(ids))), queue="/verifikasi-biro/")


@events.test_stop.add_listener
def write_what_was_sent(environment, **kwargs) -> None:
    path = os.environ.get("LOADTEST_SENT")
    if path:
        with open(path, "w", encoding="utf-8") as out:
            json.dump(dict(SENT), out, indent=2, sort_keys=True)
