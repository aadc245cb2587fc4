"""The review app over HTTP against a real ``callscore serve`` process on 127.0.0.1: login, roles, CSRF,
cookies, rate limit, bad input, review history, disputes, audio range requests; PostgreSQL and an outage."""

from __future__ import annotations

import sqlite3

import httpx
import pytest
from serve_helpers import PASSWORD, build_fixture, csrf_of, load_bench, message_of

bench = load_bench()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve")
    fx = build_fixture(str(folder / "callscore.sqlite"), folder)
    server = bench.Server(fx.url)
    yield fx, server
    server.stop()


def client_for(base: str, user: str | None, *, ip: str = "10.0.0.1") -> tuple[httpx.Client, str]:
    """A client logged in as ``user`` (X-Forwarded-For keeps each test's login count apart)."""
    c = httpx.Client(base_url=base, headers={"X-Forwarded-For": ip}, timeout=30)
    if user is None:
        return c, ""
    return c, bench.login(c, base, user, PASSWORD)


def reviews_in(url: str) -> list[tuple]:
    con = sqlite3.connect(url)
    try:
        return con.execute(
            "SELECT c.call_id, r.item_id, r.reviewer, r.before_status, r.after_status, r.comment "
            "FROM serve_reviews r JOIN calls c ON c.call_key = r.call_key ORDER BY r.created"
        ).fetchall()
    finally:
        con.close()


def test_healthz_open_everything_else_needs_login(site):
    _, server = site
    c, _ = client_for(server.base, None)
    assert c.get("/healthz").json() == {"status": "ok"}
    r = c.get("/calls?agent=a1")
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Fcalls%3Fagent%3Da1"
    for path in ("/calls/c001", "/calls/c001/audio", "/calibration", "/users", "/disputes"):
        assert c.get(path).status_code == 303, path
    api = c.get("/api/calls")
    assert api.status_code == 401 and api.json() == {"error": "login required"}
    assert c.post("/api/calls/c001/items/greeting/review", json={"verdict": "pass"}).status_code == 401


def test_session_cookie_flags_and_secure_behind_tls(site):
    _, server = site
    for proto, secure in (("http", False), ("https", True)):
        c = httpx.Client(
            base_url=server.base, headers={"X-Forwarded-Proto": proto, "X-Forwarded-For": "10.0.0.2"}
        )
        page = c.get("/login")
        token = csrf_of(page.text)
        assert ("Secure" in page.headers["set-cookie"]) is secure
        # httpx keeps Secure cookies for https only: send the login cookie by hand.
        r = c.post(
            "/login",
            data={"csrf": token, "username": "qa1", "password": PASSWORD},
            headers={"Cookie": f"callscore_login_csrf={token}"},
        )
        assert r.status_code == 303
        cookie = next(
            v for k, v in r.headers.multi_items() if k == "set-cookie" and "callscore_session=" in v
        )
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie
        assert ("Secure" in cookie) is secure, cookie


def test_csrf_is_refused_on_every_state_change(site):
    fx, server = site
    qa, token = client_for(server.base, "qa1", ip="10.0.0.3")
    other, other_token = client_for(server.base, "qa2", ip="10.0.0.3")
    before = len(reviews_in(fx.url))
    form = {"verdict": "pass", "comment": "looks fine"}
    for data in (form, {**form, "csrf": "forged"}, {**form, "csrf": other_token}):
        r = qa.post("/calls/c003/items/greeting/review", data=data)
        assert r.status_code == 403 and "CSRF" in message_of(r.text)
    api = qa.post("/api/calls/c003/items/greeting/review", json=form)
    assert api.status_code == 403
    assert qa.post("/logout").status_code == 403  # logging someone out is a state change too
    assert len(reviews_in(fx.url)) == before
    # The login form has no session yet: it needs its double-submit cookie.
    fresh = httpx.Client(base_url=server.base, headers={"X-Forwarded-For": "10.0.0.3"})
    r = fresh.post("/login", data={"csrf": "x", "username": "qa1", "password": PASSWORD})
    assert r.status_code == 403
    ok = qa.post("/api/calls/c003/items/greeting/review", json=form, headers={"X-CSRF-Token": token})
    assert ok.status_code == 200 and ok.json()["items"][-1]["item_id"]
    assert len(reviews_in(fx.url)) == before + 1


def test_agent_sees_only_own_calls(site):
    _, server = site
    ag, token = client_for(server.base, "agent1", ip="10.0.0.4")
    listed = ag.get("/api/calls?agent=a2").json()  # the agent filter cannot be widened
    assert listed["count"] == 6 and {c["call_id"] for c in listed["calls"]} == {
        f"c00{k}" for k in range(1, 7)
    }
    assert "c007" not in ag.get("/calls").text
    for path in ("/calls/c007", "/api/calls/c007", "/calls/c007/audio"):
        r = ag.get(path)
        assert r.status_code == 403, path
    assert ag.get("/calls/c001").status_code == 200
    assert ag.get("/calibration").status_code == 403
    assert ag.get("/users").status_code == 403
    r = ag.post("/calls/c001/items/greeting/review", data={"csrf": token, "verdict": "pass", "comment": "x"})
    assert r.status_code == 403  # agents dispute, they do not review
    r = ag.post("/calls/c007/items/greeting/dispute", data={"csrf": token, "wanted": "pass", "comment": "x"})
    assert r.status_code == 403
    qa, _ = client_for(server.base, "qa1", ip="10.0.0.4")
    assert qa.get("/api/calls").json()["count"] == 12


def test_bad_input_answers_404_and_400_with_a_message(site):
    _, server = site
    qa, token = client_for(server.base, "qa1", ip="10.0.0.5")
    r = qa.get("/calls/nope")
    assert r.status_code == 404 and "call nope: not in the results store" in message_of(r.text)
    r = qa.post("/calls/c001/items/nope/review", data={"csrf": token, "verdict": "pass", "comment": "x"})
    assert r.status_code == 404 and "no item" in message_of(r.text)
    r = qa.post("/calls/c001/items/greeting/review", data={"csrf": token, "verdict": "maybe", "comment": "x"})
    assert r.status_code == 400 and "verdict" in message_of(r.text) and "maybe" in message_of(r.text)
    r = qa.post("/calls/c001/items/greeting/review", data={"csrf": token, "verdict": "pass", "comment": " "})
    assert r.status_code == 400 and "comment" in message_of(r.text)
    for query, word in (
        ("score_min=abc", "score_min"),
        ("page=0", "page"),
        ("date_to=2026-13-01", "date_to"),
        ("sort=evil", "sort"),
        ("score_min=90&score_max=10", "score_min"),
    ):
        r = qa.get(f"/calls?{query}")
        assert r.status_code == 400 and word in message_of(r.text), query
    r = qa.post(
        "/api/calls/c001/items/greeting/review",
        content=b"{not json",
        headers={"X-CSRF-Token": token, "Content-Type": "application/json"},
    )
    assert r.status_code == 400 and "JSON" in r.json()["error"]
    assert qa.get("/no/such/page").status_code == 404


def test_review_history_is_kept_and_totals_recomputed(site):
    fx, server = site
    qa1, t1 = client_for(server.base, "qa1", ip="10.0.0.6")
    qa2, t2 = client_for(server.base, "qa2", ip="10.0.0.6")
    auto = qa1.get("/api/calls/c012").json()
    assert auto["total"] == 75.0 and auto["reviewed_total"] == 75.0  # greeting (weight 1 of 4) failed
    r = qa1.post(
        "/calls/c012/items/greeting/review", data={"csrf": t1, "verdict": "pass", "comment": "said it"}
    )
    assert r.status_code == 303
    after = qa1.get("/api/calls/c012").json()
    assert after["total"] == 75.0 and after["reviewed_total"] == 100.0
    qa2.post("/calls/c012/items/verify/review", data={"csrf": t2, "verdict": "fail", "comment": "no check"})
    qa2.post("/calls/c012/items/greeting/review", data={"csrf": t2, "verdict": "fail", "comment": "mumbled"})
    final = qa2.get("/api/calls/c012").json()
    assert final["reviewed_total"] == 25.0  # only closing (1 of 4) passes; verify weighs 2
    hist = [(h["reviewer"], h["item_id"], h["before"], h["after"]) for h in final["history"]]
    assert hist == [
        ("qa1", "greeting", "fail", "pass"),
        ("qa2", "verify", "pass", "fail"),
        ("qa2", "greeting", "pass", "fail"),
    ]
    page = qa1.get("/calls/c012").text
    assert 'id="auto-total">75.0<' in page and 'id="reviewed-total">25.0<' in page
    # Critical item overridden to fail: the reviewed verdict is a critical failure, the automatic is not.
    qa1.post("/calls/c012/items/no_abuse/review", data={"csrf": t1, "verdict": "fail", "comment": "swore"})
    assert qa1.get("/api/calls/c012").json()["reviewed_critical_failed"] is True
    assert [r[4] for r in reviews_in(fx.url) if r[0] == "c012"] == ["pass", "fail", "fail", "fail"]


def test_dispute_thread_accept_and_reject(site):
    _, server = site
    ag, ta = client_for(server.base, "agent1", ip="10.0.0.7")
    qa, tq = client_for(server.base, "qa1", ip="10.0.0.7")
    r = ag.post(
        "/calls/c005/items/verify/dispute", data={"csrf": ta, "wanted": "pass", "comment": "I verified"}
    )
    assert r.status_code == 303
    again = ag.post(
        "/calls/c005/items/verify/dispute", data={"csrf": ta, "wanted": "pass", "comment": "again"}
    )
    assert again.status_code == 400 and "already has an open dispute" in message_of(again.text)
    same = ag.post("/calls/c005/items/closing/dispute", data={"csrf": ta, "wanted": "pass", "comment": "x"})
    assert same.status_code == 400 and "already pass" in message_of(same.text)
    assert "c005" in qa.get("/disputes").text
    page = qa.get("/calls/c005").text
    did = page.split('data-dispute="')[1].split('"')[0]
    qa.post(f"/disputes/{did}/message", data={"csrf": tq, "body": "at which minute?"})
    ag.post(f"/disputes/{did}/message", data={"csrf": ta, "body": "at 0:42"})
    assert ag.post(f"/disputes/{did}/resolve", data={"csrf": ta, "decision": "accept"}).status_code == 403
    assert qa.post(f"/disputes/{did}/resolve", data={"csrf": tq, "decision": "maybe"}).status_code == 400
    assert (
        qa.post(
            f"/disputes/{did}/resolve", data={"csrf": tq, "decision": "accept", "comment": "heard it"}
        ).status_code
        == 303
    )
    seen = ag.get("/calls/c005").text
    for text in ("I verified", "at which minute?", "at 0:42", "heard it", "accepted"):
        assert text in seen, text
    data = ag.get("/api/calls/c005").json()
    assert data["reviewed_total"] == 100.0
    assert next(i for i in data["items"] if i["item_id"] == "verify")["verdict"] == "pass"
    again = qa.post(f"/disputes/{did}/resolve", data={"csrf": tq, "decision": "reject", "comment": "no"})
    assert again.status_code == 400 and "already accepted" in message_of(again.text)
    # A rejected dispute leaves the verdict alone and needs a reason.
    ag.post("/calls/c001/items/greeting/dispute", data={"csrf": ta, "wanted": "pass", "comment": "I greeted"})
    did2 = qa.get("/calls/c001").text.split('data-dispute="')[1].split('"')[0]
    assert qa.post(f"/disputes/{did2}/resolve", data={"csrf": tq, "decision": "reject"}).status_code == 400
    qa.post(f"/disputes/{did2}/resolve", data={"csrf": tq, "decision": "reject", "comment": "not heard"})
    c1 = ag.get("/api/calls/c001").json()
    assert next(i for i in c1["items"] if i["item_id"] == "greeting")["verdict"] == "fail"
    # Agent 2 cannot read or write agent 1's dispute.
    other, to = client_for(server.base, "agent2", ip="10.0.0.7")
    assert other.post(f"/disputes/{did2}/message", data={"csrf": to, "body": "hi"}).status_code == 403


def test_audio_is_streamed_with_range_requests(site):
    fx, server = site
    qa, _ = client_for(server.base, "qa1", ip="10.0.0.8")
    data = fx.recording.read_bytes()
    r = qa.get("/calls/c001/audio", headers={"Range": "bytes=100-1099"})
    assert r.status_code == 206 and r.content == data[100:1100]
    assert r.headers["content-range"] == f"bytes 100-1099/{len(data)}"
    assert r.headers["content-type"] == "audio/wav" and r.headers["accept-ranges"] == "bytes"
    tail = qa.get("/calls/c001/audio", headers={"Range": "bytes=-64"})
    assert tail.status_code == 206 and tail.content == data[-64:]
    assert qa.get("/calls/c001/audio", headers={"Range": f"bytes={len(data) + 10}-"}).status_code == 416
    assert qa.get("/calls/c001/audio").content == data
    # c002 was scored from a transcript JSON: its recording is the one the transcript names.
    assert qa.get("/calls/c002/audio", headers={"Range": "bytes=0-3"}).content == b"RIFF"
    assert qa.get("/calls/c003/audio").status_code == 404  # the store's path is not on disk
    for path in ("/calls/..%2F..%2Fetc%2Fpasswd/audio", "/calls/c001/audio?path=/etc/passwd"):
        r = qa.get(path)
        assert r.status_code in (404, 200) and b"root:" not in r.content, path
    page = qa.get("/calls/c001").text
    key = qa.get("/api/calls/c001").json()["call_key"]  # the app's own links name the call by its key
    assert f'src="/calls/{key}/audio"' in page and "base64" not in page


def test_call_page_shows_the_report(site):
    _, server = site
    qa, _ = client_for(server.base, "qa1", ip="10.0.0.9")
    c1 = qa.get("/calls/c001").text
    assert "&lt;greeting&gt; said at 1.0 s" in c1  # evidence from the scorecard JSON, escaped
    c2 = qa.get("/calls/c002").text
    # The transcript from its JSON; the timeline is drawn only from a scorecard that recorded one.
    assert 'class="turn-block' in c2 and 'id="transcript"' in c2


def test_login_rate_limit(tmp_path):
    fx = build_fixture(str(tmp_path / "callscore.sqlite"), tmp_path)
    server = bench.Server(fx.url)
    try:
        c = httpx.Client(base_url=server.base)
        for _ in range(5):
            page = c.get("/login")
            r = c.post(
                "/login", data={"csrf": csrf_of(page.text), "username": "qa1", "password": "wrong-one"}
            )
            assert r.status_code == 401 and "Wrong user name or password" in r.text
        page = c.get("/login")
        r = c.post("/login", data={"csrf": csrf_of(page.text), "username": "qa1", "password": PASSWORD})
        assert r.status_code == 429 and int(r.headers["retry-after"]) > 200
        assert "too many failed logins" in message_of(r.text)
    finally:
        server.stop()


def test_admin_manages_users(site):
    _, server = site
    admin, token = client_for(server.base, "admin1", ip="10.0.0.10")
    r = admin.post("/users", data={"csrf": token, "username": "qa3", "role": "qa", "password": PASSWORD})
    assert r.status_code == 303
    bad = admin.post(
        "/users", data={"csrf": token, "username": "x y", "role": "qa", "password": "long-enough-1"}
    )
    assert bad.status_code == 400 and "names are" in bad.text
    fresh, _ = client_for(server.base, "qa3", ip="10.0.0.10")
    assert fresh.get("/calls").status_code == 200
    admin.post("/users/qa3/disabled", data={"csrf": token, "disabled": "1"})
    assert fresh.get("/calls").status_code == 303  # sessions end with the account
    with pytest.raises(RuntimeError, match="HTTP 401"):
        client_for(server.base, "qa3", ip="10.0.0.11")


# -- PostgreSQL ------------------------------------------------------------------------------------------
def test_postgresql_review_outage_and_recovery(tmp_path, pg_server):
    url = pg_server.create_database("serve_app")
    build_fixture(url, tmp_path)
    server = bench.Server(url)
    try:
        qa, token = client_for(server.base, "qa1", ip="10.1.0.1")
        assert qa.get("/api/calls?failed_item=greeting").json()["count"] == 3
        qa.post("/calls/c001/items/greeting/review", data={"csrf": token, "verdict": "pass", "comment": "ok"})
        assert qa.get("/api/calls/c001").json()["reviewed_total"] == 100.0
        pg_server.halt()
        down = qa.get("/calls")
        assert down.status_code == 503 and "cannot be reached" in message_of(down.text)
        assert qa.get("/api/calls").status_code == 503
        assert qa.get("/healthz").status_code == 200  # the server itself is up
        pg_server.resume()
        back = qa.get("/api/calls/c001")
        assert back.status_code == 200 and back.json()["reviewed_total"] == 100.0
    finally:
        server.stop()


@pytest.fixture(scope="module")
def pg_server():
    from batch_helpers import pg_skip_reason
    from serve_helpers import restartable_postgres

    reason = pg_skip_reason()
    if reason:
        pytest.skip(reason)
    server = restartable_postgres()
    yield server
    server.stop()
