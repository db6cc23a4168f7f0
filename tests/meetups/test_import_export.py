"""The import_listing and export_listing commands, against the database."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from meetups import services
from meetups.models import DirectoryPage, Meetup
from tests import factories

PAGE = Path(__file__).parent / "data" / "metro-meetups-page.md"


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def snapshot() -> list:
    """Everything an import could change, for before/after comparisons."""
    page = DirectoryPage.objects.get()
    return [
        (page.front_matter, page.intro),
        *[
            (
                m.name,
                m.slug,
                m.url,
                m.description,
                m.is_listed,
                m.position,
                [(o.name, o.role_label, o.position) for o in m.organizers.all()],
                m.updated_at,
            )
            for m in Meetup.objects.prefetch_related("organizers").order_by("pk")
        ],
    ]


@pytest.mark.django_db
def test_import_the_shared_page():
    output = run("import_listing", str(PAGE))
    assert "11 groups in metro-meetups-page.md: 11 created, 0 updated, 0 unchanged." in output
    groups = list(Meetup.objects.for_directory())
    assert len(groups) == 11
    assert groups[0].name == "Code4LibNYC" and groups[0].slug == "code4libnyc"
    assert groups[-1].name == "Web Archiving Interest Group"
    economic = Meetup.objects.get(slug="economic-business-librarians")
    assert economic.url == "https://www.meetup.com/Economics-Business-Librarians-Group/"
    assert [(o.name, o.role_label) for o in economic.organizers.all()] == [
        ("Lucy Heckman", "Organizer"),
        ("Dan Hicks", "Organizer"),
    ]
    readiness = Meetup.objects.get(name="Librarians for College Readiness")
    assert "students\u2019 transition" in readiness.description
    assert "\u00e2\u20ac" not in readiness.description
    assert readiness.proposal is None
    page = DirectoryPage.objects.get()
    assert page.intro.startswith("METRO is proud") and "permalink:" in page.front_matter


@pytest.mark.django_db
def test_importing_twice_changes_nothing():
    run("import_listing", str(PAGE))
    before = snapshot()
    output = run("import_listing", str(PAGE))
    assert "0 created, 0 updated, 11 unchanged" in output
    assert "Intro and front matter: unchanged." in output
    assert snapshot() == before


@pytest.mark.django_db
def test_dry_run_reports_and_writes_nothing():
    before = snapshot()
    output = run("import_listing", str(PAGE), "--dry-run")
    assert "would be created: Code4LibNYC" in output
    assert "11 would be created" in output and "nothing was written" in output
    assert snapshot() == before
    assert not Meetup.objects.exists()

    run("import_listing", str(PAGE))
    edited = Meetup.objects.get(slug="code4libnyc")
    edited.description = "Changed here."
    edited.save()
    before = snapshot()
    output = run("import_listing", str(PAGE), "--dry-run")
    assert "would be updated: Code4LibNYC (description)" in output
    assert "1 would be updated, 10 unchanged" in output
    assert snapshot() == before


@pytest.mark.django_db
def test_a_malformed_page_changes_nothing_and_names_the_line(tmp_path):
    run("import_listing", str(PAGE))
    before = snapshot()
    broken = PAGE.read_text(encoding="utf-8").replace(
        "Lisa Chow and Sandra Sajonas, Co-organizers", "Lisa Chow and Sandra Sajonas, Chairs"
    )
    (tmp_path / "broken.md").write_text(broken, encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run("import_listing", str(tmp_path / "broken.md"))
    message = str(caught.value)
    assert "nothing changed" in message
    assert "Line 88: unknown role 'Chairs'" in message
    assert snapshot() == before

    (tmp_path / "latin1.md").write_bytes(b"---\ntitle: x\n---\n## Caf\xe9 ##\n")
    with pytest.raises(CommandError, match="Line 4: expected UTF-8 text"):
        run("import_listing", str(tmp_path / "latin1.md"))
    with pytest.raises(CommandError, match="Cannot read"):
        run("import_listing", str(tmp_path / "missing.md"))
    assert snapshot() == before


@pytest.mark.django_db
def test_import_export_import_round_trip(tmp_path):
    run("import_listing", str(PAGE))
    exported = tmp_path / "page.md"
    run("export_listing", "--output", str(exported))
    text = exported.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: METRO Meetups\npermalink: /services/meetups/\n---\n")
    assert (
        "\n## Code4LibNYC ##\n[https://www.meetup.com/code4libnyc/](https://www.meetup.com/code4libnyc/)\n\nStephen Klein, Organizer\n"
        in text
    )
    assert "Linda Miles, Haruko Yamauchi, Kate Adler, and Shawnta Smith, Co-organizers" in text
    before = snapshot()
    output = run("import_listing", str(exported))
    assert "0 created, 0 updated, 11 unchanged" in output
    assert snapshot() == before

    # Into an empty directory, the export brings back exactly the same data.
    data = services.current_listing().data()
    Meetup.objects.all().delete()
    run("import_listing", str(exported))
    assert services.current_listing().data() == data
    assert run("export_listing") == text


@pytest.mark.django_db
def test_groups_made_here_survive_export_and_import(tmp_path):
    factories.meetup(
        name="Zine Librarians",
        slug="zine-librarians",
        description="We make zines.\n\n## Not a group ##\n\\ and a backslash",
        organizers=[("Ann Roe", "Organizer"), ("Bo Li", "Co-organizer"), ("Cy Wu", "Co-organizer")],
    )
    factories.meetup(name="Nobody Named", slug="nobody-named", url="", organizers=[])
    data = services.current_listing().data()
    exported = tmp_path / "page.md"
    run("export_listing", "-o", str(exported))
    assert "Ann Roe, Organizer; Bo Li and Cy Wu, Co-organizers" in exported.read_text()
    Meetup.objects.all().delete()
    output = run("import_listing", str(exported))
    assert "2 created" in output
    assert services.current_listing().data() == data
    assert Meetup.objects.count() == 2


@pytest.mark.django_db
def test_import_keeps_archived_groups_archived_and_others_untouched():
    run("import_listing", str(PAGE))
    archived = Meetup.objects.get(slug="code4libnyc")
    services.archive_meetup(meetup=archived)
    mine = factories.meetup(name="Approved Here", slug="approved-here")
    output = run("import_listing", str(PAGE))
    assert "unchanged: Code4LibNYC [archived here; stays archived]" in output
    assert "not in the page, left as it is: Approved Here" in output
    assert not Meetup.objects.get(slug="code4libnyc").is_listed
    assert Meetup.objects.get(pk=mine.pk).is_listed
    assert Meetup.objects.filter(name="Code4LibNYC").count() == 1


@pytest.mark.django_db
def test_if_empty_imports_only_into_an_empty_directory():
    assert "11 created" in run("import_listing", "--if-empty", str(PAGE))
    edited = Meetup.objects.get(slug="code4libnyc")
    edited.description = "Edited by staff."
    edited.save()
    assert "nothing imported" in run("import_listing", "--if-empty", str(PAGE))
    assert Meetup.objects.get(slug="code4libnyc").description == "Edited by staff."


@pytest.mark.django_db
def test_import_updates_in_place_and_keeps_the_order(tmp_path):
    run("import_listing", str(PAGE))
    ids = dict(Meetup.objects.values_list("slug", "pk"))
    places = dict(Meetup.objects.values_list("slug", "position"))
    text = PAGE.read_text(encoding="utf-8")
    code4lib, rest = text.split("## Code4LibNYC ##", 1)[1].split("\n\n\n", 1)
    moved = text.replace("## Code4LibNYC ##" + code4lib + "\n\n\n", "")
    moved = (
        moved.replace(
            "https://www.meetup.com/metro-web-archiving/)",
            "https://www.meetup.com/metro-web-archiving-2/)",
        )
        + "\n\n## Code4LibNYC ##"
        + code4lib
        + "\n"
    )
    (tmp_path / "moved.md").write_text(moved, encoding="utf-8")
    output = run("import_listing", str(tmp_path / "moved.md"))
    assert "updated: Web Archiving Interest Group (web address)" in output
    assert "0 created, 1 updated" in output
    assert dict(Meetup.objects.values_list("slug", "pk")) == ids
    # The order is staff's (position, issue 22): a page listing the groups in another order
    # moves none of them; the directory itself is sorted by name (issue 13).
    assert dict(Meetup.objects.values_list("slug", "position")) == places
    assert Meetup.objects.get(slug="web-archiving-interest-group").url.endswith("archiving-2/")


@pytest.mark.django_db
def test_names_without_latin_letters_still_get_a_web_address():
    services.import_listing(
        text="## 图书馆员 ##\nAnn Roe, Organizer\n\n## 档案 ##\nBo Li, Organizer\n"
    )
    assert sorted(Meetup.objects.values_list("slug", flat=True)) == ["group", "group-2"]
    assert not services.import_listing(
        text="## 图书馆员 ##\nAnn Roe, Organizer\n\n## 档案 ##\nBo Li, Organizer\n"
    ).changed


@pytest.mark.django_db
def test_the_first_import_keeps_the_order_staff_set():
    # Two groups already listed, placed by staff (the admin's "position"), the page naming
    # them in another order: the import fills them in but leaves their places alone.
    factories.meetup(name="Code4LibNYC", slug="code4libnyc", position=7)
    factories.meetup(name="Economic & Business Librarians", position=2)
    output = run("import_listing", str(PAGE))
    assert "9 created, 2 updated" in output
    assert Meetup.objects.get(name="Code4LibNYC").position == 7
    assert Meetup.objects.get(name="Economic & Business Librarians").position == 2
    new = list(
        Meetup.objects.exclude(name__in=["Code4LibNYC", "Economic & Business Librarians"]).order_by(
            "pk"
        )
    )
    assert [m.position for m in new] == list(range(8, 17))  # after them, in the page's order
    assert "0 created, 0 updated" in run("import_listing", str(PAGE))
