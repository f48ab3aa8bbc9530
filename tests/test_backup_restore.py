"""bin/backup and bin/restore: back up a database and its media folder, drop the database,
restore it, and find every row and every file again. A damaged backup changes nothing."""

import hashlib
import os
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from tests.lifecycle.factories import named_everywhere
from tests.reporting.factories import make_final_run

ROOT = Path(settings.BASE_DIR)


def _url(name: str) -> str:
    # Backups are an operator's job, run as the tables' owner (the tests themselves run as the
    # runtime role, which may not create databases).
    from tests.conftest import _roles

    s = {**connection.settings_dict, **_roles.get("owner", {})}
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def _admin(sql: str) -> None:
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(sql)


def _tables_checksums(url: str) -> dict[str, tuple[int, str]]:
    """Every table's row count and a checksum of all its rows."""
    with psycopg.connect(url) as db:
        names = [
            row[0]
            for row in db.execute(
                "select tablename from pg_tables where schemaname = 'public' order by 1"
            )
        ]
        return {
            name: db.execute(
                f"select count(*), coalesce(md5(string_agg(t::text, ',' order by t::text)), '')"
                f' from "{name}" t'
            ).fetchone()
            for name in names
        }


def _files(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _run(script: str, *args, url: str, media: Path, check=True):
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(media)}
    return subprocess.run(
        [str(ROOT / "bin" / script), *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        check=check,
    )


@pytest.fixture
def scratch():
    name = f"{connection.settings_dict['NAME']}_restore"
    _admin(f'drop database if exists "{name}"')
    _admin(f'create database "{name}"')
    yield name
    _admin(f'drop database if exists "{name}" with (force)')


def test_back_up_drop_restore_finds_every_row_and_file(
    transactional_db, settings, tmp_path, council_a, admin_a, scratch
):
    settings.MEDIA_ROOT = tmp_path / "media"
    named_everywhere(council_a, name="Ellis")
    make_final_run(council_a)  # a report PDF in the media folder
    original_url = _url(connection.settings_dict["NAME"])
    original = _tables_checksums(original_url)
    original_files = _files(tmp_path / "media")
    assert original["activities_youngperson"][0] == 1 and original_files

    first = Path(
        _run("backup", tmp_path / "b1", url=original_url, media=tmp_path / "media").stdout.strip()
    )
    # Restore into a second database, back that up, drop it, and restore it from its backup.
    scratch_url = _url(scratch)
    _run("restore", first, url=scratch_url, media=tmp_path / "restored")
    second = Path(
        _run("backup", tmp_path / "b2", url=scratch_url, media=tmp_path / "restored").stdout.strip()
    )
    _admin(f'drop database "{scratch}" with (force)')
    _admin(f'create database "{scratch}"')
    (tmp_path / "restored" / "stray.txt").write_text("not in the backup")
    _run("restore", second, url=scratch_url, media=tmp_path / "restored")

    assert _tables_checksums(scratch_url) == original
    assert _files(tmp_path / "restored") == original_files


def test_a_damaged_backup_is_refused_and_nothing_changes(
    transactional_db, settings, tmp_path, council_a, scratch
):
    settings.MEDIA_ROOT = tmp_path / "media"
    make_final_run(council_a)
    url = _url(connection.settings_dict["NAME"])
    folder = Path(_run("backup", tmp_path / "b", url=url, media=tmp_path / "media").stdout.strip())
    dump = folder / "database.dump"
    dump.write_bytes(dump.read_bytes()[:-100])  # truncated
    scratch_url = _url(scratch)
    before = _tables_checksums(scratch_url)
    (tmp_path / "restored").mkdir()
    (tmp_path / "restored" / "kept.txt").write_text("still here")
    result = _run("restore", folder, url=scratch_url, media=tmp_path / "restored", check=False)
    assert result.returncode == 2
    assert "damaged. Nothing was restored." in result.stderr
    assert _tables_checksums(scratch_url) == before
    assert (tmp_path / "restored" / "kept.txt").read_text() == "still here"
