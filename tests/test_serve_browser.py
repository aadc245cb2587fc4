"""The review app in a real browser: Playwright driving Debian's chromium (/usr/bin/chromium, never a
downloaded browser) against a real ``callscore serve`` process on 127.0.0.1."""

from __future__ import annotations

import os
import re
import shutil

import pytest
from serve_helpers import PASSWORD, build_fixture, load_bench

from callscore.results.store import call_key

CHROMIUM = os.environ.get("CALLSCORE_CHROMIUM", "/usr/bin/chromium")

pytestmark = pytest.mark.skipif(
    shutil.which(CHROMIUM) is None, reason=f"{CHROMIUM} not installed (apt-get install chromium)"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    fx = build_fixture(str(folder / "callscore.sqlite"), folder)
    srv = load_bench().Server(fx.url)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install 'callscore[serve-test]'")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--autoplay-policy=no-user-gesture-required", "--mute-audio"],
        )
        yield b
        b.close()


def login(browser, base: str, user: str):
    ctx = browser.new_context()
    page = ctx.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/calls")
    assert page.url.startswith(f"{base}/login?next=")
    page.fill("#username", user)
    page.fill("#password", PASSWORD)
    page.click("#login")
    page.wait_for_url(f"{base}/calls")
    return page


def key(call_id: str) -> str:
    """The store key of a fixture call (saved outside a batch)."""
    return call_key(batch_id="", call_id=call_id)


def call_ids(page) -> list[str]:
    return page.eval_on_selector_all("#calls tbody tr[data-call]", "rows => rows.map(r => r.dataset.call)")


def test_review_dispute_calibration_isolation_csrf_logout(server, browser):
    base = server.base
    qa = login(browser, base, "qa1")
    assert qa.inner_text("#count") == "12 calls"

    # Filter by agent, then by a failed item.
    qa.select_option("#f-agent", "a2")
    qa.click("#apply")
    qa.wait_for_url(re.compile(r".*agent=a2.*"))
    assert sorted(call_ids(qa)) == [f"c{k:03d}" for k in range(7, 13)]
    qa.select_option("#f-item", "greeting")
    qa.click("#apply")
    qa.wait_for_url(re.compile(r".*failed_item=greeting.*"))
    assert sorted(call_ids(qa)) == ["c007", "c012"]

    # Calibration before any review.
    qa.goto(f"{base}/calibration")
    assert qa.inner_text("#cal-n") == "0"

    # Open a call and play its audio: the player streams it with range requests.
    ranges = []
    qa.on(
        "response",
        lambda r: ranges.append(r.status) if r.url.endswith(f"/calls/{key('c001')}/audio") else None,
    )
    qa.goto(f"{base}/calls?agent=a1")
    qa.click(f"a[href='/calls/{key('c001')}']")  # the list links each call by its store key
    qa.wait_for_url(f"{base}/calls/{key('c001')}")
    assert qa.inner_text("#auto-total") == "75.0"
    assert "<greeting> said at 1.0 s" in qa.inner_text("#report")  # the report's evidence, as text
    qa.evaluate("document.getElementById('player').play()")
    qa.wait_for_function("() => document.getElementById('player').currentTime > 0.5", timeout=15_000)
    assert 206 in ranges, ranges

    # Override greeting fail -> pass: the reviewed total moves, the history keeps who/before/after.
    row = qa.locator("#item-greeting")
    row.locator("select[name=verdict]").select_option("pass")
    row.locator("input[name=comment]").fill("greeted at 0:01")
    row.locator("button[type=submit]").click()
    qa.wait_for_url(f"{base}/calls/{key('c001')}#review")
    assert qa.inner_text("#reviewed-total") == "100.0" and qa.inner_text("#auto-total") == "75.0"
    assert "greeted at 0:01" in qa.inner_text("#history")

    # Calibration moved: one reviewed item, and callscore disagreed with it.
    qa.goto(f"{base}/calibration")
    assert qa.inner_text("#cal-n") == "1" and qa.inner_text("#cal-accuracy") == "0.00"
    assert qa.inner_text("#cal-items tr[data-item=greeting] .accuracy") == "0.00"
    assert "fail → pass: 1" in qa.inner_text("#cal-items tr[data-item=greeting] .confusion")

    # An agent disputes an item of their own call; QA sees the thread and accepts it.
    ag = login(browser, base, "agent1")
    assert len(call_ids(ag)) == 6 and "c007" not in call_ids(ag)
    ag.goto(f"{base}/calls/c005")  # a call id naming one call opens it too
    drow = ag.locator("#item-verify")
    drow.locator("select[name=wanted]").select_option("pass")
    drow.locator("input[name=comment]").fill("I asked for the date of birth")
    drow.locator("button[type=submit]").click()
    ag.wait_for_url(f"{base}/calls/{key('c005')}#disputes")
    assert "open" in ag.inner_text("#disputes")
    qa.goto(f"{base}/disputes")
    qa.click(f"a[href='/calls/{key('c005')}#disputes']")
    assert "I asked for the date of birth" in qa.inner_text("#disputes")
    qa.locator("form.resolve input[name=comment]").fill("confirmed on the recording")
    qa.click("form.resolve button[value=accept]")
    qa.wait_for_url(f"{base}/calls/{key('c005')}#disputes")
    assert qa.inner_text("#reviewed-total") == "100.0"
    ag.reload()
    thread = ag.inner_text("#disputes")
    assert "accepted" in thread and "confirmed on the recording" in thread

    # Agent isolation in the browser.
    resp = ag.goto(f"{base}/calls/c007")
    assert resp.status == 403 and "agents see only their own calls" in ag.inner_text("#error")

    # CSRF: a form whose token was tampered with is refused and changes nothing.
    qa.goto(f"{base}/calls/c003")
    qa.eval_on_selector("#item-closing form input[name=csrf]", "el => el.value = 'forged'")
    qa.locator("#item-closing input[name=comment]").fill("should not be saved")
    qa.locator("#item-closing button[type=submit]").click()
    qa.wait_for_load_state()
    assert "CSRF token missing or wrong" in qa.inner_text("#error")
    qa.goto(f"{base}/calls/c003")
    assert "should not be saved" not in qa.inner_text("#history")

    # Logout ends the session: the next page asks for a login again.
    qa.click("#logout")
    qa.wait_for_url(f"{base}/login")
    qa.goto(f"{base}/calls")
    assert qa.url.startswith(f"{base}/login?next=")
