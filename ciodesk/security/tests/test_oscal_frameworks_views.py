"""The reference frameworks pages (/frameworks/): the practice's people only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ciodesk.security.models import Framework, FrameworkItem
from ciodesk.security.oscal.catalog_import import CSF_SLUG, SHIPPED, import_catalog
from ciodesk.security.tests.test_oscal_catalog_import import SMALL, SP800_53_LOW

PAGES = ["/frameworks/", "/frameworks/export/?format=csv", "/frameworks/import/"]


def test_the_list_shows_the_shipped_csf_with_its_counts(world, as_user):
    response = as_user(world.consultant).get("/frameworks/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "NIST Cybersecurity Framework 2.0" in body
    assert '<td class="num">134</td>' in body and '<td class="num">91</td>' in body


def test_a_framework_shows_its_tree_with_official_text_and_hides_withdrawn(world, as_user):
    client = as_user(world.consultant)
    client.get("/frameworks/")
    body = client.get(f"/frameworks/{CSF_SLUG}/").content.decode()
    assert "Users, services, and hardware are authenticated" in body
    assert 'id="item-PR.AA-03"' in body
    assert 'id="item-ID.BE-01"' not in body and "Show 91 withdrawn items" in body

    shown = client.get(f"/frameworks/{CSF_SLUG}/?withdrawn=1").content.decode()
    assert 'id="item-ID.BE-01"' in shown
    assert "<del><strong>ID.AM-06</strong></del>" in shown
    assert "Hide withdrawn items" in shown


def test_a_frameworks_items_export_as_csv_and_xlsx(world, as_user):
    client = as_user(world.lead)
    client.get("/frameworks/")
    response = client.get(f"/frameworks/{CSF_SLUG}/export/?format=csv")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "ID,Kind,Parent,Title,Official text,Withdrawn"
    assert 'PR.AA-03,subcategory,PR.AA,PR.AA-03,"Users, services' in text
    xlsx = client.get(f"/frameworks/{CSF_SLUG}/export/?format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_uploading_a_catalog_imports_it(world, as_user):
    client = as_user(world.consultant)
    upload = SimpleUploadedFile(SP800_53_LOW.name, SP800_53_LOW.read_bytes())
    response = client.post("/frameworks/import/", {"catalog": upload}, follow=True)
    assert response.status_code == 200
    framework = Framework.objects.get(name__contains="800-53")
    assert response.redirect_chain[-1][0] == f"/frameworks/{framework.slug}/"
    assert "control: 131 active, 0 withdrawn" in response.content.decode()
    assert FrameworkItem.objects.filter(framework=framework).count() == 167


def test_a_bad_upload_says_why_and_writes_nothing(world, as_user):
    client = as_user(world.consultant)
    upload = SimpleUploadedFile("profile.json", b'{"profile": {}}')
    response = client.post("/frameworks/import/", {"catalog": upload})
    assert response.status_code == 200
    assert "profile.json: nothing imported: this is an OSCAL profile" in response.content.decode()
    assert not Framework.objects.exists()


@pytest.mark.parametrize("persona", ["exec_a", "contrib_a", "exec_b"])
def test_client_users_are_refused(world, as_user, persona):
    client = as_user(getattr(world, persona))
    import_catalog(SHIPPED / "NIST_CSF_v2.0_catalog.xml")
    for url in [*PAGES, f"/frameworks/{CSF_SLUG}/", f"/frameworks/{CSF_SLUG}/export/"]:
        assert client.get(url).status_code == 403, url
    upload = SimpleUploadedFile("small.json", b"{}")
    assert client.post("/frameworks/import/", {"catalog": upload}).status_code == 403
    assert Framework.objects.count() == 1


def test_signing_in_comes_first(client, db):
    response = client.get("/frameworks/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_unknown_framework_is_404(world, as_user):
    assert as_user(world.lead).get("/frameworks/nothing-here/").status_code == 404


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_the_pages_run_a_constant_number_of_queries(world, as_user):
    import json

    client = as_user(world.lead)
    small = json.loads(json.dumps(SMALL))
    import_catalog(json.dumps(small).encode(), slug="small")
    client.get("/frameworks/")  # the CSF is imported once
    urls = ["/frameworks/", "/frameworks/small/?withdrawn=1", "/frameworks/small/export/"]
    before = [_count(client, url) for url in urls]
    controls = small["catalog"]["groups"][0]["controls"]
    controls[0]["controls"] += [{"id": f"c-1.{n}", "title": f"E{n}"} for n in range(2, 40)]
    import_catalog(json.dumps(small).encode(), slug="small")
    for n in range(4):
        other = json.loads(json.dumps(SMALL))
        other["catalog"]["uuid"] = other["catalog"]["uuid"][:-1] + str(n)
        import_catalog(json.dumps(other).encode(), slug=f"other-{n}")
    assert FrameworkItem.objects.filter(framework__slug="small").count() == 45
    assert [_count(client, url) for url in urls] == before
