"""ciodesk report: bad input exits 2 with a one-line reason and writes nothing."""

import os

import pytest
from django.core.management import CommandError, call_command

from ciodesk.conftest import CANARY


def run(*args):
    call_command("report", *args)


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--client", "nobody", "--kind", "brief"], "unknown client “nobody”"),
        (["--client", "alpha", "--kind", "memo"], "unknown kind “memo”"),
        (["--client", "alpha", "--kind", "qbr", "--period", "2026Q9"], "is not a quarter"),
        (["--client", "alpha", "--kind", "brief", "--period", "2026Q3"], "--kind qbr only"),
        (["--client", "alpha", "--kind", "brief", "--format", "docx"], "unknown format"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(world, tmp_path, args, reason):
    target = tmp_path / "out.pdf"
    with pytest.raises(CommandError) as raised:
        run(*args, "-o", str(target))
    assert raised.value.returncode == 2
    assert reason in str(raised.value)
    assert "\n" not in str(raised.value)
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_or_a_folder_exits_2(world, tmp_path):
    for path, reason in [
        (tmp_path / "missing" / "out.pdf", "no folder"),
        (tmp_path, "it is a folder"),
    ]:
        with pytest.raises(CommandError) as raised:
            run("--client", "alpha", "--kind", "dossier", "-o", str(path))
        assert raised.value.returncode == 2
        assert reason in str(raised.value)
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_folder_exits_2(world, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user who may write anywhere")
        with pytest.raises(CommandError) as raised:
            run("--client", "alpha", "--kind", "dossier", "-o", str(locked / "out.pdf"))
        assert "permission denied" in str(raised.value)
    finally:
        locked.chmod(0o700)
    assert list(locked.iterdir()) == []


def test_it_writes_the_qbr_as_html(world, tmp_path, capsys):
    target = tmp_path / "qbr.html"
    run(
        "--client",
        "alpha",
        "--kind",
        "qbr",
        "--period",
        "FY2026Q4",
        "--format",
        "html",
        "-o",
        str(target),
    )
    html = target.read_text()
    assert "Alpha Dental" in html and "Q4 FY2026" in html
    assert CANARY not in html
    assert f"Wrote {target} (qbr 2026Q4 of alpha)" in capsys.readouterr().out
    assert [p.name for p in tmp_path.iterdir()] == ["qbr.html"]  # no temporary file left
