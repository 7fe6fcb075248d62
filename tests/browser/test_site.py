"""Browser test of the built website: every page loads in headless Chromium, at a desktop and a phone width,
with every request outside the site blocked (as offline): it shows its title, loads every image, logs no
error from the site's own files, renders every formula (no raw TeX left), and nothing runs off the right
edge unless it scrolls in its own box. Screenshots of the front page, notebook 05 and the results page at
both widths go to ``jupyter-book/_build/screenshots/``.

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
WIDTHS = (1400, 400)
SCREENSHOTS = ROOT / "jupyter-book" / "_build" / "screenshots"
SHOT_PAGES = ("intro.html", "executed/05_null_space_completion.html", "results.html")
# TeX delimiters that MathJax replaces; any left in a page's text is a formula that did not render
RAW_TEX = ("\\(", "\\[", "$$")
# elements of the article whose right edge passes the article's, unless a box between scrolls sideways
_CLIPPED_JS = """() => {
  const article = document.querySelector("article.bd-article") || document.querySelector("article");
  const right = article.getBoundingClientRect().right + 1;
  const scrolls = (el) => {
    for (let a = el.parentElement; a && a !== article.parentElement; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if ((o === "auto" || o === "scroll") && a.getBoundingClientRect().right <= right) return true;
    }
    return false;
  };
  return Array.from(article.querySelectorAll("*"))
    .filter(el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.right > right && !scrolls(el); })
    .slice(0, 5).map(el => `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 40)}: `
                          + `${el.textContent.trim().slice(0, 60)}`);
}"""


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


def _open(browser, server, page: str, width: int):
    """A tab on ``page`` at ``width`` px with the outside world blocked; returns (context, tab, problems)."""
    origin = server
    problems = {"errors": [], "failed": [], "external": []}
    context = browser.new_context(viewport={"width": width, "height": 900})

    def own(url: str) -> bool:
        return url.startswith(origin)

    def route(r):
        if own(r.request.url):
            r.continue_()
        else:  # offline: the site must not need anything from the network
            problems["external"].append(r.request.url)
            r.abort()

    context.route("**/*", route)
    tab = context.new_page()
    tab.on("console", lambda m: problems["errors"].append(f"console {m.type}: {m.text} ({m.location.get('url')})")
           if m.type == "error" and own(m.location.get("url") or origin) else None)
    tab.on("pageerror", lambda exc: problems["errors"].append(f"uncaught exception: {exc}"))
    tab.on("requestfailed", lambda r: problems["failed"].append(r.url) if own(r.url) else None)
    tab.on("response", lambda r: problems["failed"].append(f"{r.url} → HTTP {r.status}")
           if own(r.url) and r.status >= 400 else None)
    response = tab.goto(f"{origin}/{page}", wait_until="load")
    assert response is not None and response.ok, f"{page}: HTTP {response.status if response else 'no response'}"
    # MathJax typesets after the load event; its startup promise resolves when the page's formulas are done
    tab.evaluate("() => window.MathJax && window.MathJax.startup && window.MathJax.startup.promise")
    return context, tab, problems


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page", _pages() or ["(site not built)"])
def test_page_renders_with_images_and_no_errors(server, browser, page, width):
    context, tab, problems = _open(browser, server, page, width)
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
    assert problems["failed"] == [], f"{page}: requests to the site that failed: {problems['failed']}"
    assert problems["errors"] == [], f"{page}: errors in the browser console: {problems['errors']}"
    assert problems["external"] == [], f"{page}: requests outside the site (it must work offline): " \
                                       f"{problems['external']}"
    text = tab.locator("article").first.inner_text()
    raw = [text[max(0, i - 30): i + 50] for i in (text.find(d) for d in RAW_TEX) if i >= 0]
    assert raw == [], f"{page}: formulas left as raw TeX (MathJax did not render them): {raw}"
    assert tab.locator(".tag_injected-parameters").count() == 0, f"{page} shows papermill's injected parameters"
    clipped = tab.evaluate(_CLIPPED_JS)
    assert clipped == [], f"{page} at {width} px: content runs off the right edge: {clipped}"
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_screenshots_of_the_key_pages(server, browser, width):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for page in SHOT_PAGES:
        context, tab, _ = _open(browser, server, page, width)
        out = SCREENSHOTS / f"{page.replace('/', '_').removesuffix('.html')}-{width}px.png"
        tab.screenshot(path=str(out))
        assert out.stat().st_size > 10_000, f"{out} is nearly empty"
        context.close()


def test_the_results_page_opens_with_its_summary_figure(server, browser):
    context, tab, _ = _open(browser, server, "results.html", 1400)
    order = tab.evaluate("""() => {
        const article = document.querySelector("article");
        const img = article.querySelector("img"), table = article.querySelector("table");
        return {img: img && img.currentSrc, caption: img && img.closest("figure")
                  ? img.closest("figure").innerText.slice(0, 200) : null,
                before: !!img && !!table && !!(img.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING)};
    }""")
    assert order["img"] and order["img"].endswith("summary-fast.png"), order
    assert order["before"], f"the summary figure must come before the first table: {order}"
    assert "EEG-information ceiling" in order["caption"], order
    context.close()
