"""The seed import (tools/import_seed.py) reads content/ as the build does, through the one reader,
and writes only through the one writer: a registry or a task file linked out of content/ stops it,
named, with nothing written."""
from __future__ import annotations

import shutil
import sys

from catalogue.pipeline import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "tools"))
import import_seed  # noqa: E402


def copied_content(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    return content


def test_the_seed_import_agrees_with_the_content_it_made(tmp_path):
    assert import_seed.main(["--content", str(copied_content(tmp_path)), "--check"]) == 0


def test_a_registry_linked_out_of_content_stops_the_seed_import_named(tmp_path, capsys):
    content = copied_content(tmp_path)
    outside = tmp_path / "leaders.yaml"
    shutil.move(content / "leaders.yaml", outside)
    (content / "leaders.yaml").symlink_to(outside)
    assert import_seed.main(["--content", str(content)]) == 2
    assert "content/leaders.yaml: the file is a symbolic link" in capsys.readouterr().err


def test_a_task_file_linked_out_of_content_is_neither_read_nor_written_through(tmp_path, capsys):
    content = copied_content(tmp_path)
    task = content / "tasks" / "1-01.yaml"
    outside = tmp_path / "kept.yaml"
    outside.write_text(task.read_text(encoding="utf-8").replace("status:", "# changed\nstatus:", 1), encoding="utf-8")
    before = outside.read_bytes()
    task.unlink()
    task.symlink_to(outside)
    assert import_seed.main(["--content", str(content)]) == 2
    assert "content/tasks/1-01.yaml: the file is a symbolic link" in capsys.readouterr().err
    assert outside.read_bytes() == before and task.is_symlink()
