"""Every page of the shell renders for a signed-in user, and nothing loads from another host."""
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["home", "help", "transcripts:site_list", "uploads:upload", "uploads:history",
                                  "core_tables:prior_requests", "accounts:security", "accounts:password_change"])
def test_pages_render_with_local_assets_only(client, make_user, name):
    client.force_login(make_user("E017ALL", "lea-all", "017"))
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r'(src|href)=["\'](https?:)?//', html), "an asset from another host"
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html and "/static/vendor/htmx/htmx.min.js" in html


def test_help_lists_every_edit_code_with_positions(client, make_user):
    client.force_login(make_user("E017INQ", "lea-inquiry", "017"))
    html = client.get(reverse("help")).content.decode()
    for code in ("U01", "200", "242", "304", "350", "500", "515"):
        assert f'id="edit-{code}"' in html
    row = re.search(r'id="edit-304".*?</tr>', html, re.S).group(0)
    assert "35 / 34" in row and "INVALID SEMESTER CODE" in row


def test_inquiry_user_has_no_upload_menu_and_cannot_open_upload(client, make_user):
    client.force_login(make_user("E017INQ", "lea-inquiry", "017"))
    assert "View Uploads" not in client.get(reverse("home")).content.decode()
    assert client.get(reverse("uploads:upload")).status_code == 403
