"""Browser test of the built website: every page loads in headless Chromium, shows its title, loads every
image and logs no error from the site's own files.

Needs the built book (``make book``) and Debian's ``chromium`` (installed by ``make browser``); driven by
Playwright with that executable, so no browser is downloaded. Run by ``make test`` after the book build.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "jupyter-book" / "_build" / "html"
CHROMIUM = os.environ.get("NEUROFRAMES_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# as the Debian package runs in containers and on closed networks (no sandbox, no background traffic)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
# pages Sphinx generates for search and the index: no content of ours; index.html only redirects
SKIP = {"search.html", "genindex.html", "index.html"}


def _pages() -> list[str]:
    if not (SITE / "index.html").is_file():
        return []
    return sorted(str(p.relative_to(SITE)) for p in SITE.rglob("*.html")
                  if p.name not in SKIP and "_static" not in p.parts and "_sources" not in p.parts)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output readable
        pass


@pytest.fixture(scope="module")
def server():
    if not (SITE / "index.html").is_file():
        pytest.fail(f"no built website at {SITE}; run `make book` first")
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).is_file():
        pytest.fail(f"Chromium not found at {CHROMIUM}; `make browser` installs Debian's chromium package "
                    "(or set NEUROFRAMES_CHROMIUM to a Chromium executable)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def test_the_site_has_every_course_page():
    pages = _pages()
    from neuroframes_edu.course import available_chapters

    for chapter in available_chapters(ROOT / "notebooks"):
        assert f"executed/{chapter.stem}.html" in pages
    for page in ("intro.html", "course_map.html", "results.html", "instructors.html", "glossary.html",
                 "references.html", "benchmarks.html"):
        assert page in pages


def test_the_front_page_leads_to_the_introduction(server, browser):
    tab = browser.new_page()
    tab.goto(f"{server}/index.html")
    tab.wait_for_url("**/intro.html", timeout=10_000)
    assert tab.locator("article h1").first.inner_text().startswith("neuroframes-edu")
    tab.close()


@pytest.mark.parametrize("page", _pages() or ["(site not built)"])
def test_page_renders_with_images_and_no_errors(server, browser, page):
    origin = server
    errors, failed = [], []
    context = browser.new_context()
    tab = context.new_page()

    def own(url: str) -> bool:
        return url.startswith(origin)

    tab.on("console", lambda m: errors.append(f"console {m.type}: {m.text} ({m.location.get('url')})")
           if m.type == "error" and own(m.location.get("url") or origin) else None)
    tab.on("pageerror", lambda exc: errors.append(f"uncaught exception: {exc}"))
    tab.on("requestfailed", lambda r: failed.append(r.url) if own(r.url) else None)
    tab.on("response", lambda r: failed.append(f"{r.url} → HTTP {r.status}") if own(r.url) and r.status >= 400
           else None)
    response = tab.goto(f"{origin}/{page}", wait_until="load")
    assert response is not None and response.ok, f"{page}: HTTP {response.status if response else 'no response'}"
    title = tab.title()
    heading = tab.locator("article h1").first  # (the theme also has a print-only <h1> outside the article)
    assert title.strip(), f"{page} has an empty <title>"
    assert heading.count() == 1 and heading.is_visible(), f"{page} shows no visible <h1> heading"
    assert heading.inner_text().strip().rstrip("#").strip().split()[0] in title, (
        f"{page}: title {title!r} does not match its heading {heading.inner_text()!r}")
    broken = tab.evaluate("""() => Array.from(document.images)
        .filter(img => !(img.complete && img.naturalWidth > 0))
        .map(img => img.currentSrc || img.src)""")
    assert broken == [], f"{page}: images that did not load: {broken}"
    assert failed == [], f"{page}: requests to the site that failed: {failed}"
    assert errors == [], f"{page}: errors in the browser console: {errors}"
    context.close()
