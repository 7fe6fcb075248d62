"""The course map (:mod:`neuroframes_edu.course.chapters`) is one list; README, book, table of contents and
notebooks must agree with it."""

from __future__ import annotations

import re

import pytest

from neuroframes_edu.course import chapters
from neuroframes_edu.course.book import toc_files


def test_chapters_are_numbered_in_order_with_unique_slugs():
    assert [ch.number for ch in chapters.COURSE] == list(range(len(chapters.COURSE)))
    assert len({ch.slug for ch in chapters.COURSE}) == len(chapters.COURSE)
    assert all(re.fullmatch(r"[a-z0-9_]+", ch.slug) for ch in chapters.COURSE)


def test_chapter_lookup_by_number_slug_or_stem():
    assert chapters.chapter(0).slug == "welcome"
    assert chapters.chapter("welcome").number == 0
    assert chapters.chapter("00_welcome").number == 0
    with pytest.raises(KeyError, match="no chapter 'nope'.*00_welcome"):
        chapters.chapter("nope")


def test_colab_url_points_at_the_committed_notebook():
    url = chapters.chapter(0).colab_url()
    assert url == ("https://colab.research.google.com/github/neuroframes-edu/neuroframes-edu/blob/main/"
                   "notebooks/00_welcome.ipynb")
    with pytest.raises(ValueError, match="repository_url must be a https://github.com"):
        chapters.chapter(0).colab_url("https://gitlab.com/x/y")


def test_course_map_marks_chapters_in_preparation(root):
    table = chapters.course_map_markdown(root / "notebooks")
    available = {ch.number for ch in chapters.available_chapters(root / "notebooks")}
    for ch in chapters.COURSE:
        marked = f"{ch.title} *(in preparation)*" in table
        assert marked == (ch.number not in available), ch.stem
    assert "**Total**" in table


@pytest.mark.parametrize("document", ["README.md", "jupyter-book/course_map.md"])
def test_readme_and_book_show_the_current_course_map(root, document):
    expected = chapters.course_map_markdown(root / "notebooks")
    assert expected in (root / document).read_text(encoding="utf-8"), (
        f"{document} does not contain the course map of neuroframes_edu.course; paste the output of "
        "neuroframes_edu.course.course_map_markdown('notebooks') into it"
    )


def test_every_notebook_is_a_chapter_and_in_the_book(root):
    toc = toc_files(root / "jupyter-book")
    stems = {ch.stem for ch in chapters.COURSE}
    for src in sorted((root / "notebooks").glob("[0-9][0-9]_*.py")):
        assert src.stem in stems, f"{src.name} is not in neuroframes_edu.course.COURSE"
        assert f"executed/{src.stem}" in toc, f"{src.stem} is missing from jupyter-book/_toc.yml"


def test_every_notebook_links_to_its_own_colab_page(root):
    for ch in chapters.available_chapters(root / "notebooks"):
        text = (root / "notebooks" / f"{ch.stem}.py").read_text(encoding="utf-8")
        assert ch.colab_url() in text, f"{ch.stem}.py lacks its Colab link {ch.colab_url()}"
        exercises = ch.colab_url(exercises=True)
        assert text.index(exercises) < text.index(ch.colab_url()), f"{ch.stem}.py must link the exercises first"
        assert (root / "notebooks" / "exercises" / f"{ch.stem}.ipynb").is_file()
        assert f"git+{chapters.REPOSITORY_URL}" in text, f"{ch.stem}.py lacks the Colab install cell"


def test_checkout_notebook_dir_is_found_from_a_source_checkout(root):
    assert chapters.checkout_notebook_dir() == root / "notebooks"
