"""In a browser, phone and desktop, against a real slapd: a directory user types her user name
and directory password into the sign-in form and lands on her training page with the quizzes
of the units her groups map to; the database keeps no trace of the password; taken out of one
group she loses that unit at the next sign-in, and out of the last one she is refused with a
clear message. Each page passes axe and has no sideways scroll on a phone."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade
from playwright.sync_api import Page, expect
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import DirectoryGroupMapping, Role, Unit, User
from quizapp.passwords import NO_PASSWORD
from tests.browser.checks import check_page
from tests.browser.conftest import screenshot, served
from tests.conftest import PROJECT_ROOT, make_app
from tests.sso.ldap_server import PASSWORDS, Directory, group_dn, running_directory
from tests.sso.ldap_support import map_test_groups, places_holding, search_mode_config

ALICE = PASSWORDS["alice"]
ICU_QUIZ, WARD_QUIZ = "ICU pump check", "Ward 5A fluids check"


@dataclass
class LdapSite:
    url: str
    app: Flask
    directory: Directory


def _seed(app: Flask) -> None:
    """The bank, units ICU and Ward 5A with one assigned quiz each, and the group mappings
    (ICU-Nurses -> trainee in ICU, Ward-5A-Nurses -> trainee in Ward 5A)."""
    from quizapp.services.quizzes import assign_quiz, create_quiz

    assert app.test_cli_runner().invoke(args=["bank", "load"]).exit_code == 0
    with app.app_context():
        icu = map_test_groups("ICU")
        ward = Unit(name="Ward 5A")
        db.session.add(ward)
        db.session.flush()
        group = group_dn("Ward-5A-Nurses")
        db.session.add(
            DirectoryGroupMapping(
                source="ldap",
                group=group,
                group_key=group.casefold(),
                role=Role.TRAINEE,
                unit_id=ward.id,
            )
        )
        db.session.commit()
        for title, unit_id in ((ICU_QUIZ, icu), (WARD_QUIZ, ward.id)):
            quiz = create_quiz(title, {"per_topic": {"routes/intravenous": 2}}, mode="exam")
            assign_quiz(quiz.id, unit_id)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[LdapSite]:
    with running_directory(tmp_path / "slapd") as directory:
        app = make_app(
            f"sqlite:///{tmp_path / 'browser.db'}",
            WTF_CSRF_ENABLED=True,
            TESTING=False,
            ENV_NAME="development",
            **search_mode_config(directory),
        )
        with app.app_context():
            upgrade(directory=str(PROJECT_ROOT / "migrations"))
        _seed(app)
        directory.add_to_group("alice", "Ward-5A-Nurses")
        with served(app) as url:
            yield LdapSite(url, app, directory)


def _sign_in(page: Page, site: LdapSite) -> None:
    page.goto(site.url + "/login")
    expect(page.get_by_label("Email or user name")).to_be_visible()
    check_page(page)
    page.get_by_label("Email or user name").fill("alice")
    page.get_by_label("Password").fill(ALICE)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def _sign_out(page: Page) -> None:
    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("h1")).to_have_text("Sign in")


def test_directory_sign_in_follows_the_groups(site: LdapSite, page: Page) -> None:
    _sign_in(page, site)
    expect(page.locator("h1")).to_have_text("My training")
    assigned = page.locator("section.card", has_text="Assigned quizzes")
    expect(assigned).to_contain_text(ICU_QUIZ)
    expect(assigned).to_contain_text(WARD_QUIZ)
    check_page(page)
    screenshot(page, "ldap-trainee-home")
    with site.app.app_context():
        user = db.session.scalar(select(User).where(User.email == "alice.okonjo@hospital.example"))
        assert user is not None and user.password_hash == NO_PASSWORD
        assert places_holding(ALICE) == []
        assert places_holding("Alice Okonjo")  # the search does find what is stored
    _sign_out(page)

    site.directory.remove_from_group("alice", "ICU-Nurses")
    _sign_in(page, site)
    expect(page.locator("h1")).to_have_text("My training")
    expect(assigned).to_contain_text(WARD_QUIZ)
    expect(assigned).not_to_contain_text(ICU_QUIZ)
    _sign_out(page)

    site.directory.remove_from_group("alice", "Ward-5A-Nurses")
    _sign_in(page, site)
    expect(page.locator("h1")).to_have_text("Sign in")
    expect(page.locator("#email-error")).to_contain_text(
        "not in any group that gives access to this site"
    )
    check_page(page)
    screenshot(page, "ldap-refused-no-group")
    page.goto(site.url + "/me")
    expect(page.locator("h1")).to_have_text("Sign in")  # not signed in
