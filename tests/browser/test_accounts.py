"""Signing in with the institution's accounts, end to end in Chromium: an OpenID Connect
provider started by the test (oidc-provider-mock), the lab configured with Streamlit's
``[auth]`` and its instructors; a student and the instructor sign in, each with their rights,
an account outside the class is refused, and signing out signs out."""
from __future__ import annotations

import json
import os
import secrets
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from core.runs import people
from core.runs.people import Accounts
from core.runs.store import RunStore
from tests.browser.conftest import (CHROMIUM, SHOTS, _free_port, playwright, running,
                                   serve, settle)
from tests.conftest import requires_mirror

pytest.importorskip("oidc_provider_mock")
pytest.importorskip("authlib")
pytestmark = [pytest.mark.browser, requires_mirror, pytest.mark.xdist_group("browser-accounts"),
              pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium absent")]
ACCOUNTS = {"ann": {"email": "ann@uni.edu", "name": "Ann Student"},
            "teacher": {"email": "t@uni.edu", "name": "Ms Teacher"},
            "eve": {"email": "eve@elsewhere.org", "name": "Eve"}}
CLASS = Accounts(("t@uni.edu",), ("@uni.edu",))


@contextmanager
def provider(folder: Path):
    """An OpenID Connect provider on a free port with the accounts above; yields its URL."""
    port = _free_port()
    claims = [json.dumps({"sub": sub, **c}) for sub, c in ACCOUNTS.items()]
    url = f"http://127.0.0.1:{port}"
    with running([sys.executable, "-m", "oidc_provider_mock", "--port", str(port),
                  *[a for c in claims for a in ("--user-claims", c)]], folder / "provider.log",
                 url + "/.well-known/openid-configuration", 30):
        yield url


@pytest.fixture(scope="module")
def runs_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("accounts-runs")


@pytest.fixture(scope="module")
def lab(runs_dir):
    port = _free_port()
    with provider(runs_dir) as issuer:
        secrets_file = runs_dir / "secrets.toml"
        secrets_file.write_text(
            f'[auth]\nredirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            f'cookie_secret = "{secrets.token_urlsafe(32)}"\nclient_id = "sequence-lab"\n'
            f'client_secret = "{secrets.token_urlsafe(16)}"\n'
            f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n'
            '[seqlab]\ninstructors = ["t@uni.edu"]\nstudents = ["@uni.edu"]\n')
        env = {people.SECRETS_ENV: str(secrets_file)}
        with serve(runs_dir, env, ("--secrets.files", str(secrets_file)), port) as url:
            yield url


def sign_in(browser, url: str, account: str):
    """A new browser context that opens the lab, presses Sign in and chooses ``account`` on
    the provider's page; returns the lab's page after the provider sent it back."""
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.goto(f"{url}/train")
    settle(page)
    page.get_by_role("button", name="Sign in").click()
    page.locator(f"button[name='sub'][value='{account}']").click(timeout=30_000)
    page.wait_for_url(f"{url}/**", timeout=30_000)
    settle(page)
    return page


def test_a_student_and_the_instructor_sign_in_with_their_accounts_and_out(lab, browser,
                                                                           runs_dir):
    ann = sign_in(browser, lab, "ann")
    ann.get_by_text("You are Ann Student (a student)").first.wait_for(timeout=20_000)
    assert ann.get_by_text("Runs per student").count() == 0  # no instructor's controls
    assert ann.locator("[data-testid='stSidebar'] input[type='password']").count() == 0
    teacher = sign_in(browser, lab, "teacher")
    teacher.get_by_text("You are Ms Teacher (the instructor)").first.wait_for(timeout=20_000)
    teacher.get_by_text("Runs per student").first.wait_for(timeout=10_000)
    store = RunStore(runs_dir / "runs.sqlite")
    anns = people.from_account({"sub": "ann", **ACCOUNTS["ann"],
                                "iss": _issuer(runs_dir)}, CLASS)
    assert store.person(anns.id).name == "Ann Student"  # the account is the person
    eve = sign_in(browser, lab, "eve")
    eve.get_by_text("eve@elsewhere.org is not in this class").first.wait_for(timeout=20_000)
    assert eve.get_by_text("You are").count() == 0
    ann.screenshot(path=str(SHOTS / "accounts-student.png"), full_page=True)
    ann.locator("[data-testid='stSidebar']").get_by_role("button", name="Sign out").click()
    ann.get_by_role("button", name="End session").click(timeout=30_000)  # the provider's
    ann.wait_for_url(f"{lab}/**", timeout=30_000)
    settle(ann)
    ann.get_by_role("button", name="Sign in").wait_for(timeout=20_000)
    ann.goto(f"{lab}/train")  # a reload does not sign her in again
    settle(ann)
    assert ann.get_by_role("button", name="Sign in").count() == 1
    for page in (ann, teacher, eve):
        assert page.locator("[data-testid='stException']").count() == 0
        page.context.close()


def _issuer(runs_dir: Path) -> str:
    """The issuer the provider names in its tokens (its URL, as the lab's secrets give it)."""
    text = (runs_dir / "secrets.toml").read_text()
    return text.split('server_metadata_url = "', 1)[1].split("/.well-known", 1)[0]
