"""The website's own MathJax (issue 15: formulas render offline): taken once from the npm registry's
tarball, checked against its published hash, cut down to what pages load. Offline here: a small
tarball stands in for the registry's."""

from __future__ import annotations

import io
import tarfile

import pytest

from neuroframes_edu.course import mathjax


def _fake_tarball(path):
    files = {"package/LICENSE": b"Apache-2.0", "package/es5/tex-mml-chtml.js": b"// entry",
             "package/es5/output/chtml/fonts/woff-v2/MathJax_Main-Regular.woff": b"font",
             "package/es5/input/tex/extensions/color.js": b"// color", "package/es5/sre/speech.js": b"x" * 100,
             "package/es5/tex-svg-full.js": b"// unused"}
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


def _offline(*args, **kwargs):
    raise OSError("network is unreachable")


def test_the_bundle_holds_what_pages_load_and_nothing_else(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    cache.mkdir()
    data = _fake_tarball(cache / f"mathjax-{mathjax.MATHJAX_VERSION}.tgz")
    monkeypatch.setattr(mathjax, "MATHJAX_SHA512", mathjax._integrity(data))
    monkeypatch.setattr(mathjax.urllib.request, "urlopen", _offline)  # the cached tarball is enough
    target = mathjax.bundle_mathjax(tmp_path / "static", cache=cache)
    files = sorted(str(p.relative_to(target)) for p in target.rglob("*") if p.is_file())
    assert files == ["LICENSE", "VERSION", "input/tex/extensions/color.js",
                     "output/chtml/fonts/woff-v2/MathJax_Main-Regular.woff", "tex-mml-chtml.js"]
    assert (target.parent / mathjax.ENTRY).is_file()
    (cache / f"mathjax-{mathjax.MATHJAX_VERSION}.tgz").unlink()
    assert mathjax.bundle_mathjax(tmp_path / "static", cache=cache) == target  # bundled once: no tarball needed


def test_a_tampered_or_missing_download_is_refused_with_the_fix(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    cache.mkdir()
    _fake_tarball(cache / f"mathjax-{mathjax.MATHJAX_VERSION}.tgz")  # not the published file: its hash differs
    monkeypatch.setattr(mathjax.urllib.request, "urlopen", _offline)
    with pytest.raises(RuntimeError, match=r"cannot download MathJax .*registry.npmjs.org.*save it as .*\.tgz"):
        mathjax.bundle_mathjax(tmp_path / "static", cache=cache)
    assert not (tmp_path / "static" / "mathjax").exists()


def test_the_book_serves_mathjax_itself(root):
    ext = (root / "jupyter-book" / "_ext" / "site_fixes.py").read_text(encoding="utf-8")
    assert "bundle_mathjax" in ext and "mathjax_path" in ext
