"""An admin maps a directory group to trainees of a unit, sees it listed and deletes it (with
the confirm step); unlinks a directory account from a user's page; then turns local passwords
off for all but admins: a trainee's right password is refused with the reason beside the
field, while the admin still signs in. Both sizes, every page checked (axe, no sideways
scrolling on a phone).

Single sign-on counts as configured because OIDC_ISSUER is set in the app's config after the
app is made: the Sign-in page and the switch read it, and nobody signs in through a provider
here (the OIDC and LDAP helpers' tests do that against real servers)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask_migrate import upgrade
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import DirectoryGroupMapping, Role, Unit
from quizapp.services.directory_sign_in import DirectoryProfile, sign_in_from_directory
from tests.browser.checks import broken_words, check_page, sign_in
from tests.browser.conftest import PASSWORD, Live, screenshot, served
from tests.conftest import PROJECT_ROOT, make_app

NURSES = "CN=ICU-Nurses,OU=Groups,DC=hospital,DC=org"
JO = "jo.rivera@hospital.example"
PROVIDER = "Hospital Entra ID"


@pytest.fixture
def sso_live(tmp_path) -> Iterator[Live]:  # type: ignore[no-untyped-def]
    from quizapp.services.demo import create_demo_accounts

    app = make_app(
        f"sqlite:///{tmp_path / 'browser.db'}",
        WTF_CSRF_ENABLED=True,
        TESTING=False,
        ENV_NAME="development",
    )
    app.config["OIDC_ISSUER"] = "https://login.hospital.example/tenant/v2.0"
    app.config["OIDC_PROVIDER_NAME"] = PROVIDER
    with app.app_context():
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
        create_demo_accounts()
        _directory_user()
    with served(app) as url:
        yield Live(url)


def _directory_user() -> None:
    """Jo, signed in once through LDAP into Demo Ward 4B by a mapping since deleted."""
    ward = db.session.scalar(select(Unit).where(Unit.name == "Demo Ward 4B"))
    assert ward is not None
    mapping = DirectoryGroupMapping(
        source="any", group=NURSES, group_key=NURSES.casefold(), role=Role.TRAINEE,
        unit_id=ward.id,
    )  # fmt: skip
    db.session.add(mapping)
    db.session.commit()
    profile = DirectoryProfile(
        "ldap", "entryUUID-4f1c", JO, True, "Jo Rivera", (NURSES,)
    )  # fmt: skip
    sign_in_from_directory(profile, "127.0.0.1", timedelta(days=1))
    db.session.delete(db.session.get(DirectoryGroupMapping, mapping.id))
    db.session.commit()


def _unlink_jo(page: Page, base: str) -> None:
    page.goto(base + "/admin/users?q=jo.rivera")
    page.get_by_role("link", name=JO, exact=True).click()
    expect(page.locator("main")).to_contain_text("Directory accounts")
    expect(page.locator("main")).to_contain_text("entryUUID-4f1c")
    expect(page.locator("main")).to_contain_text("Demo Ward 4B (from directory)")
    check_page(page)
    assert broken_words(page) == [], page.url
    screenshot(page, "admin-user-directory")
    page.get_by_role("button", name="Unlink the LDAP account entryUUID-4f1c").click()
    expect(page.locator(".flash")).to_contain_text("Unlinked the LDAP account entryUUID-4f1c")
    expect(page.locator("main")).not_to_contain_text("Directory accounts")
    check_page(page)


def _open_sign_in_page(page: Page, base: str) -> None:
    sign_in(page, base, "admin@demo.example", PASSWORD)
    page.get_by_role("link", name="Admin", exact=True).click()
    page.get_by_role("link", name="Sign-in", exact=True).click()
    expect(page.locator("h1")).to_have_text("Sign-in")
    expect(page.locator("main")).to_contain_text(PROVIDER)
    check_page(page)


def _add_and_delete_a_mapping(page: Page) -> None:
    form = page.locator("form", has=page.get_by_role("button", name="Add mapping"))
    form.get_by_role("button", name="Add mapping").click()  # nothing typed: refused
    expect(page.locator("#group-error")).to_contain_text("Enter the group")
    check_page(page)
    page.fill("#group", NURSES)
    page.select_option("#source", "any")
    page.select_option("#role", "trainee")
    page.select_option("#unit_id", label="Demo Ward 4B")
    page.check("#is_manager")  # a trainee cannot manage: refused beside the box
    page.get_by_role("button", name="Add mapping").click()
    expect(page.locator("#is_manager-error")).to_contain_text("untick manager")
    expect(page.locator("#group")).to_have_value(NURSES)  # what was typed stays
    check_page(page)
    page.uncheck("#is_manager")
    page.get_by_role("button", name="Add mapping").click()
    expect(page.locator(".flash")).to_contain_text("Mapping added")
    row = page.locator("table.scores tbody tr", has_text=NURSES)
    expect(row).to_contain_text("OIDC and LDAP")
    expect(row).to_contain_text("trainee")
    expect(row).to_contain_text("Demo Ward 4B")
    check_page(page)
    assert broken_words(page) == [], page.url
    screenshot(page, "admin-sign-in")

    row.get_by_role("button", name=f"Delete the mapping of {NURSES} to trainee").click()
    expect(page.locator("h1")).to_have_text("Delete this group mapping?")
    check_page(page)
    page.get_by_role("button", name="Delete the mapping").click()
    expect(page.locator(".flash")).to_contain_text("Mapping deleted")
    expect(page.locator("table.scores tbody")).to_contain_text("No mapping yet")
    check_page(page)


def test_an_admin_maps_a_group_and_turns_local_passwords_off(
    page: Page, browser: Browser, sso_live: Live
) -> None:
    base = sso_live.url
    _open_sign_in_page(page, base)
    _add_and_delete_a_mapping(page)
    _unlink_jo(page, base)
    page.get_by_role("link", name="Sign-in", exact=True).click()

    page.check("input[name=mode][value=admins]")
    page.get_by_role("button", name="Save sign-in setting").click()
    expect(page.locator(".flash")).to_contain_text("Local passwords are now for admins only")
    expect(page.locator("main")).to_contain_text("only admins may sign in")
    check_page(page)

    nurse = browser.new_context(viewport=page.viewport_size)
    nurse.set_default_timeout(15000)
    trainee = nurse.new_page()
    sign_in(trainee, base, "trainee@demo.example", PASSWORD)
    expect(trainee.locator("#email-error")).to_have_text(
        f"Local passwords are off for this site: sign in with {PROVIDER}."
    )
    expect(trainee.locator("#email")).to_have_attribute("aria-invalid", "true")
    check_page(trainee)
    nurse.close()

    again = browser.new_context(viewport=page.viewport_size)
    admin = again.new_page()
    sign_in(admin, base, "admin@demo.example", PASSWORD)
    expect(admin.get_by_role("link", name="Admin", exact=True)).to_be_visible()
    again.close()
