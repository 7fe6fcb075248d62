"""Small fixes to the Jupyter Book 1 theme stack, found by the browser test (tests/browser).

* sphinx-thebe is set up twice by the Jupyter Book 1 stack, so every page declared
  ``const THEBE_JS_URL`` twice and threw "Identifier 'THEBE_JS_URL' has already been declared":
  identical inline scripts are now emitted once.
* pydata-sphinx-theme logs "Got invalid theme mode" on a first visit (no mode in localStorage yet);
  an early inline script gives it "light".
* Formulas render offline: MathJax is served from the site's own ``_static/mathjax`` (bundled by
  :func:`neuroframes_edu.course.mathjax.bundle_mathjax` into ``_mathjax/``, a generated folder), not a CDN.
"""

from __future__ import annotations

_MODE_SCRIPT = 'document.documentElement.dataset.mode = localStorage.getItem("mode") || "light";'


def _unique_scripts(app, pagename, templatename, context, doctree):
    """Drop scripts that repeat an earlier one (same file or inline body, same attributes), whatever
    their priority; an inline script's file name may be None or "", which Sphinx tells apart."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        attributes = getattr(script, "attributes", {}) or {}
        name = str(getattr(script, "filename", script) or "")  # inline scripts: None or ""
        key = (name, tuple(sorted((k, str(v)) for k, v in attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique


def _bundle_mathjax(app, config):
    from pathlib import Path

    from neuroframes_edu.course.mathjax import ENTRY, bundle_mathjax

    static = Path(app.confdir) / "_mathjax"  # copied into _static/ (not _static/ itself: Jupyter Book would
    bundle_mathjax(static)                    # add every .js file found there to every page)
    config.html_static_path = [*config.html_static_path, str(static)]
    config.mathjax_path = ENTRY


def setup(app):
    app.connect("config-inited", _bundle_mathjax)
    # first among the page-context handlers: Sphinx stops at the first one that returns a template name
    app.connect("html-page-context", _unique_scripts, priority=1)
    # runs before the theme's own script, which reads the mode: a first visit gets "light", not ""
    app.add_js_file(None, body=_MODE_SCRIPT, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
