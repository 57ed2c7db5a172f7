"""Steps the journeys share: signing in a user, loading generated students, saving a download,
a screenshot of a page to look at."""
import os
from pathlib import Path

SHOTS = Path(os.environ.get("STS_SCREENSHOTS", Path(__file__).resolve().parents[2] / "var" / "screens"))


def shot(page, name):
    """A full-page screenshot in var/screens/ (STS_SCREENSHOTS), to look at after the run."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign_in(page, live_server, user):
    """The session of `user` in the browser (signing in through the form is its own journey)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


def load_generated(tmp_path, sponsor, students, user_id, seed=3):
    """Students loaded the way an LEA's arrive: a generated file through the real pipeline."""
    from tests.exports.conftest import generate, upload

    result = upload(generate(tmp_path, sponsor, students, seed=seed), user_id, mode="partial")
    assert result["accepted"], result
    return result


def fill(page, **values):
    """Type, or choose, each value into the form field of that name (`#id_<name>`)."""
    for name, value in values.items():
        field = page.locator(f"#id_{name}")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def saved(download, tmp_path) -> Path:
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    return target
