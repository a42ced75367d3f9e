"""The kernel-free participant page (wijkleer.web): joining, what a participant is sent, acting, and the long poll —
through real HTTP against the handlers on a tornado server of their own, on SQLite and PostgreSQL. The identity and
anonymity rules are the Voilà page's: the same services, the same viewer (Kijker) in the query."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import urllib.error
import urllib.request
from datetime import date, timedelta

import pytest
from tornado import httpserver, web
from tornado.netutil import bind_sockets

from wijkleer import verwachtingen
from wijkleer.model import Deelname, Verwachting
from wijkleer.sessies import verloop
from wijkleer.web import sessie as web_sessie

CODE = "kringcode-2026"


class Server:
    """The routes on 127.0.0.1 in a thread of their own; ``get``/``post`` answer (status, JSON)."""

    def __init__(self, store) -> None:
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(self.loop)
            app = web.Application(web_sessie.routes("/", web_sessie.Dienst(store)))
            self.server = httpserver.HTTPServer(app)
            [self.socket] = bind_sockets(0, "127.0.0.1")
            self.server.add_sockets([self.socket])
            ready.set()
            self.loop.run_forever()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        ready.wait(10)
        self.base = f"http://127.0.0.1:{self.socket.getsockname()[1]}/wijkleer/"

    def request(self, path: str, body: dict | None = None, headers: dict | None = None) -> tuple[int, dict | str]:
        data = None if body is None else json.dumps(body).encode()
        sent = {"Content-Type": "application/json"} if body is not None else {}
        request = urllib.request.Request(self.base + path, data=data, headers=sent | (headers or {}))
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, raw = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read().decode()
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, raw

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.server.stop)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@pytest.fixture
def room(store):
    """A running knelpunten round, the page's server, and a way to join."""
    kring = verloop.kring_maken(store, "Kring Vlietdam", "Vlietdam", "Fenna Begeleider", CODE)
    sessie = verloop.plannen(store, kring, "knelpuntenronde", "", date.today())
    sessie, zelf = verloop.openen(store, kring, sessie.id)
    server = Server(store)
    yield server, kring, sessie
    server.stop()


def join(server, code, naam, rol="uitvoering", wie=None) -> str:
    status, answer = server.request("api/sessie/meedoen", {"code": code, "naam": naam, "rol": rol, "wie": wie})
    assert status == 200, answer
    return answer["wie"]


def state(server, code, wie, **extra) -> dict:
    query = "&".join(f"{k}={v}" for k, v in {"code": code, "wie": wie, **extra}.items())
    status, answer = server.request(f"api/sessie/stand?{query}")
    assert status == 200, answer
    return answer


def test_the_page_is_served_with_a_strict_policy_and_no_outside_address(room):
    server, _kring, _sessie = room
    with urllib.request.urlopen(server.base + "sessie?code=ABC", timeout=10) as response:
        page = response.read().decode()
        policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert "http://" not in page and "https://" not in page
    assert '<html lang="nl">' in page and "Sessiecode" in page
    with urllib.request.urlopen(server.base + "static/sessie.js", timeout=10) as response:
        assert b"api/sessie/" in response.read()


def test_joining_refuses_bad_input_by_field_and_a_taken_name_without_its_key(room):
    server, _kring, sessie = room
    status, answer = server.request("api/sessie/meedoen", {"code": "ZZZZZZ", "naam": "", "rol": "koning"})
    assert status == 400 and set(answer["velden"]) == {"code", "naam", "rol"}
    assert answer["melding"] and answer["hint"] and "Traceback" not in json.dumps(answer)
    key = join(server, sessie.code.lower(), "Anna Uitvoering")  # as read aloud: lower case works
    status, answer = server.request(
        "api/sessie/meedoen", {"code": sessie.code, "naam": "Anna  Uitvoering", "rol": "uitvoering"}
    )
    assert status == 400 and set(answer["velden"]) == {"naam"}  # nobody takes over Anna's name
    assert join(server, sessie.code, "Anna Uitvoering", wie=key) == key  # Anna herself, with her link
    status, answer = server.request(
        "api/sessie/meedoen", {"code": sessie.code, "naam": "Fenna Begeleider", "rol": "beleid"}
    )
    assert status == 400 and "naam" in answer["velden"]  # nor the facilitator's


def test_a_participant_is_sent_only_what_the_board_lets_them_see(store, room):
    server, kring, sessie = room
    anna, bert = join(server, sessie.code, "Anna Uitvoering"), join(server, sessie.code, "Bert Beleid", "beleid")
    secret = "Schuldhulp en Wmo hebben elk een eigen intake"
    assert (
        server.request("api/sessie/bijdrage", {"code": sessie.code, "wie": anna, "tekst": secret, "fase": 0})[0] == 200
    )
    mine, theirs = state(server, sessie.code, anna), state(server, sessie.code, bert)
    assert secret in mine["bord"] and [e["tekst"] for e in mine["eigen"]] == [secret]
    sent = json.dumps(theirs)
    assert secret not in sent and "Anna" not in sent  # hidden until revealed, and never who wrote it
    assert not any(p.id in sent for p in store.list(Deelname, sessie_id=sessie.id))  # no participant ids either
    verloop.onthullen(store, kring, sessie.id)
    revealed = json.dumps(state(server, sessie.code, bert))
    assert secret in revealed and "Anna" not in revealed  # an anonymous phase: no name, ever
    status, answer = server.request("api/sessie/stand?code=" + sessie.code + "&wie=verzonnen-sleutel")
    assert status == 403 and answer["melding"]


def test_a_waiting_page_hears_of_a_change_within_a_second(store, room):
    server, _kring, sessie = room
    anna, bert = join(server, sessie.code, "Anna Uitvoering"), join(server, sessie.code, "Bert Beleid", "beleid")
    seen = state(server, sessie.code, anna)["versie"]
    answers: list[tuple[float, dict]] = []

    def wait() -> None:
        answers.append((time.monotonic(), state(server, sessie.code, anna, versie=seen)))

    waiter = threading.Thread(target=wait)
    waiter.start()
    time.sleep(0.5)
    sent = time.monotonic()
    server.request(
        "api/sessie/bijdrage", {"code": sessie.code, "wie": bert, "tekst": "Budget collectief werk", "fase": 0}
    )
    waiter.join(10)
    [(heard, answer)] = answers
    assert answer["versie"] > seen and "zelfde" not in answer
    assert heard - sent < 1.0, f"{heard - sent:.2f} s"


def test_votes_ratings_actions_and_ready_go_through_the_services(store, room):
    server, kring, sessie = room
    anna = join(server, sessie.code, "Anna Uitvoering")
    server.request(
        "api/sessie/bijdrage", {"code": sessie.code, "wie": anna, "tekst": "Wachtlijst beschermd wonen", "fase": 0}
    )
    verloop.onthullen(store, kring, sessie.id)
    verloop.naar_fase(store, kring, sessie.id, 1)
    votes = state(server, sessie.code, anna)["stemmen"]
    [row] = votes["rijen"]
    for _ in range(2):
        assert (
            server.request(
                "api/sessie/stip", {"code": sessie.code, "wie": anna, "bijdrage": row["id"], "erbij": True, "fase": 1}
            )[0]
            == 200
        )
    after = state(server, sessie.code, anna)["stemmen"]
    assert after["over"] == votes["budget"] - 2 and after["rijen"][0]["mijn"] == 2
    status, answer = server.request(
        "api/sessie/bijdrage", {"code": sessie.code, "wie": anna, "tekst": "Te laat", "fase": 0}
    )
    assert status == 400 and answer["melding"]  # the page was for another phase: refused, not stored
    assert server.request("api/sessie/klaar", {"code": sessie.code, "wie": anna, "klaar": True})[0] == 200
    assert state(server, sessie.code, anna)["klaar"] is True
    verloop.naar_fase(store, kring, sessie.id, 3)  # the action phase of a knelpuntenronde
    fase = state(server, sessie.code, anna)["fase"]
    due = (date.today() + timedelta(days=7)).isoformat()
    status, answer = server.request(
        "api/sessie/actie",
        {"code": sessie.code, "wie": anna, "omschrijving": "Intake afstemmen", "deadline": due, "fase": fase},
    )
    assert status == 200, answer
    status, answer = server.request(
        "api/sessie/actie",
        {"code": sessie.code, "wie": anna, "omschrijving": "Bellen", "deadline": "morgen", "fase": fase},
    )
    assert status == 400 and "deadline" in answer["velden"]


def test_rating_in_an_expectation_round(store, room):
    server, kring, _sessie = room
    verwachting = store.add(Verwachting(kring_id=kring.kring_id, belanghebbende="bestuur", tekst="Preventief werken"))
    sessie = verloop.plannen(store, kring, "verwachtingenronde", "", date.today())
    sessie, _zelf = verloop.openen(store, kring, sessie.id)
    anna = join(server, sessie.code, "Anna Uitvoering")
    for index, fase in enumerate(verloop.sjabloon_van(sessie).fasen):
        if fase.soort == "verwachtingen":
            verloop.naar_fase(store, kring, sessie.id, index)
            break
    shown = state(server, sessie.code, anna)
    assert [v["tekst"] for v in shown["verwachtingen"]] == ["Preventief werken"]
    # what the kring decided sticks: a dropped expectation is not offered, an adjusted one in its new wording
    dropped = store.add(Verwachting(kring_id=kring.kring_id, belanghebbende="bestuur", tekst="Fraude signaleren"))
    adjusted = store.add(Verwachting(kring_id=kring.kring_id, belanghebbende="bestuur", tekst="Binnen 1 week contact"))
    verwachtingen.decide(store, dropped.id, sessie.id, "geschrapt")
    verwachtingen.decide(store, adjusted.id, sessie.id, "bijgesteld", "Binnen 3 weken contact")
    offered = state(server, sessie.code, anna)["verwachtingen"]
    assert [(v["nummer"], v["tekst"]) for v in offered] == [(1, "Preventief werken"), (3, "Binnen 3 weken contact")]
    body = {"code": sessie.code, "wie": anna, "fase": shown["fase"]}
    status, answer = server.request("api/sessie/beoordelen", body | {"scores": {verwachting.id: [4, 0]}})
    assert status == 400 and "1" in answer["melding"]  # half a rating names the expectation's number
    status, answer = server.request("api/sessie/beoordelen", body | {"scores": {verwachting.id: [4, 2]}})
    assert status == 200 and answer["melding"]


def test_only_json_from_this_server_is_taken_and_wrong_codes_are_limited(room, monkeypatch):
    server, _kring, sessie = room
    body = {"code": sessie.code, "naam": "Anna", "rol": "uitvoering"}
    assert server.request("api/sessie/meedoen", body, {"Content-Type": "text/plain"})[0] == 403
    assert server.request("api/sessie/meedoen", body, {"Origin": "http://evil.example"})[0] == 403
    monkeypatch.setattr(web_sessie, "WRONG_CODES", 3)
    for _ in range(3):
        assert server.request("api/sessie/meedoen", body | {"code": "ZZZZZZ"})[0] == 400
    status, answer = server.request("api/sessie/meedoen", body)
    assert status == 429 and answer["melding"]  # also the right code waits: no guessing at speed
