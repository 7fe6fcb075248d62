"""MathJax served by the course website itself, so that formulas render offline.

Sphinx points pages at MathJax on a CDN by default; without a network every formula then shows as
raw TeX. :func:`bundle_mathjax` puts the parts of MathJax the site uses next to the book's static
files: it takes the ``mathjax`` package from the npm registry (a package registry, like PyPI, that
``make run`` may reach), checks its published SHA-512, and keeps the download in the data folder so a
second build, or a fresh clone on the same machine, needs no network at all.

The book's Sphinx extension (``jupyter-book/_ext/site_fixes.py``) calls it and sets ``mathjax_path``.
"""

from __future__ import annotations

import base64
import hashlib
import io
import shutil
import tarfile
import urllib.request
from pathlib import Path

#: The MathJax release the site ships (the 3.x line that Sphinx's mathjax extension targets).
MATHJAX_VERSION = "3.2.2"
#: Its tarball on the npm registry, and the registry's published integrity hash of it.
MATHJAX_URL = f"https://registry.npmjs.org/mathjax/-/mathjax-{MATHJAX_VERSION}.tgz"
MATHJAX_SHA512 = "Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw=="
#: The entry script pages load, relative to the bundle (Sphinx's default component: TeX and MathML in,
#: HTML-CSS out).
ENTRY = "mathjax/tex-mml-chtml.js"
# what that component loads at run time: its fonts, TeX extensions it autoloads (\color, \boldsymbol, …),
# the context menu and the assistive MathML it enables (the speech engine, 4 MB, only on request: left out)
_PARTS = ("tex-mml-chtml.js", "output/chtml/fonts/woff-v2", "input/tex/extensions", "input/mml/extensions",
          "ui", "a11y")


def _tarball(cache: Path, timeout: float) -> bytes:
    path = cache / f"mathjax-{MATHJAX_VERSION}.tgz"
    if path.is_file():
        data = path.read_bytes()
        if _integrity(data) == MATHJAX_SHA512:
            return data
    try:
        with urllib.request.urlopen(MATHJAX_URL, timeout=timeout) as response:
            data = response.read()
    except OSError as exc:
        raise RuntimeError(
            f"cannot download MathJax {MATHJAX_VERSION} from the npm registry ({exc}); the website serves its own "
            f"copy so that formulas render offline. Connect once, or download {MATHJAX_URL} by hand and save it as "
            f"{path}") from exc
    if _integrity(data) != MATHJAX_SHA512:
        raise RuntimeError(f"the MathJax tarball from {MATHJAX_URL} does not match its published SHA-512; not using "
                           "it (a proxy or a broken download?). Try again.")
    from neuroframes_edu._utils.atomic import atomic_file

    cache.mkdir(parents=True, exist_ok=True)
    with atomic_file(path) as tmp:
        tmp.write_bytes(data)
    return data


def _integrity(data: bytes) -> str:
    return base64.b64encode(hashlib.sha512(data).digest()).decode()


def bundle_mathjax(static_dir: str | Path, cache: str | Path | None = None, timeout: float = 60.0) -> Path:
    """Put MathJax's files under ``static_dir/mathjax`` (once; later calls only check the version).

    Parameters
    ----------
    static_dir : path
        A folder the book copies into its ``_static`` (Sphinx's ``html_static_path``); it holds only
        generated files and is replaced whole when the version changes.
    cache : path, optional
        Where the downloaded tarball is kept; default ``data_dir() / "cache"``.
    timeout : float
        Seconds to wait for the registry.

    Returns
    -------
    Path
        ``static_dir / "mathjax"``; pages load ``mathjax_path = "mathjax/tex-mml-chtml.js"`` (:data:`ENTRY`).

    Raises
    ------
    RuntimeError
        If MathJax is not cached and cannot be downloaded, or the download is not the published file.
    """
    from neuroframes_edu._utils.atomic import atomic_folder
    from neuroframes_edu.data.datasets import data_dir

    static_dir = Path(static_dir)
    target = static_dir / "mathjax"
    stamp = target / "VERSION"
    if stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == MATHJAX_VERSION:
        return target
    data = _tarball(Path(cache) if cache is not None else data_dir() / "cache", timeout)
    prefix = "package/es5/"
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive, \
            atomic_folder(target, overwrite=target.exists()) as tmp:
        for member in archive.getmembers():
            if not member.isfile() or not member.name.startswith(prefix):
                continue
            rel = member.name[len(prefix):]
            if not any(rel == part or rel.startswith(part + "/") for part in _PARTS):
                continue
            out = tmp / rel
            out.parent.mkdir(parents=True, exist_ok=True)
            with archive.extractfile(member) as src, open(out, "wb") as dst:
                shutil.copyfileobj(src, dst)
        license_file = archive.extractfile("package/LICENSE")
        (tmp / "LICENSE").write_bytes(license_file.read())
        (tmp / "VERSION").write_text(MATHJAX_VERSION + "\n", encoding="utf-8")
    return target
