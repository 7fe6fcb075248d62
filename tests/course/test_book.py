"""The book's table of contents and the build's error paths."""

from __future__ import annotations

import pytest

from neuroframes_edu.course import book


def test_toc_names_only_files_that_exist_or_are_executed_notebooks(root):
    missing = book.missing_toc_files(root / "jupyter-book")
    assert all(f.startswith("executed/") for f in missing), f"the book names missing pages: {missing}"
    files = book.toc_files(root / "jupyter-book")
    assert files[0] == "intro"
    assert {"course_map", "references"} <= set(files)


def test_book_config_never_executes_notebooks(root):
    import yaml

    config = yaml.safe_load((root / "jupyter-book" / "_config.yml").read_text())
    assert config["execute"]["execute_notebooks"] == "off"
    assert config["only_build_toc_files"] is True


def test_build_refuses_without_config(tmp_path):
    with pytest.raises(FileNotFoundError, match="has no _config.yml"):
        book.build_book(tmp_path)


def test_build_refuses_when_notebooks_were_not_executed(tmp_path):
    (tmp_path / "_config.yml").write_text("title: t\n")
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n  - file: executed/00_welcome\n")
    (tmp_path / "intro.md").write_text("# Intro\n")
    with pytest.raises(FileNotFoundError, match="executed/00_welcome.*run-notebooks"):
        book.build_book(tmp_path)


def test_build_fails_loudly_on_a_broken_reference(tmp_path):
    (tmp_path / "_config.yml").write_text("title: t\nexecute:\n  execute_notebooks: 'off'\n")
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: intro\n")
    (tmp_path / "intro.md").write_text("# Intro\n\nSee {doc}`a page that does not exist <nowhere>`.\n")
    with pytest.raises(RuntimeError, match="jupyter-book build failed"):
        book.build_book(tmp_path)
