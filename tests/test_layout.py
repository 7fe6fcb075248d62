"""The package's layout: a lean science core, the course tooling in neuroframes_edu.course, no import cycles."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.support import COURSE_ONLY_MODULES, run_python_without

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

PACKAGE = "neuroframes_edu"
COURSE = f"{PACKAGE}.course"


# --- a lean install ---------------------------------------------------------------------------------------------

def test_science_modules_import_without_the_course_tools():
    proc = run_python_without(COURSE_ONLY_MODULES, f"""
        import importlib
        import pkgutil

        import {PACKAGE}

        failed = []
        modules = []
        for info in pkgutil.walk_packages({PACKAGE}.__path__, "{PACKAGE}.", onerror=failed.append):
            name = info.name
            # __main__ runs the course command line; neuroframes_edu.course is the course tooling
            if name == "{PACKAGE}.__main__" or name == "{COURSE}" or name.startswith("{COURSE}."):
                continue
            modules.append(name)
            try:
                importlib.import_module(name)
            except Exception as exc:
                failed.append(f"{{name}}: {{type(exc).__name__}}: {{exc}}")
        assert "{PACKAGE}.surface" in modules and "{PACKAGE}._utils.atomic" in modules, modules
        assert not failed, "\\n".join(map(str, failed))
        print(len(modules), "modules")
    """)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_core_dependencies_leave_out_the_course_tools(root):
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = {canonicalize_name(Requirement(r).name) for r in project["dependencies"]}
    course_only = {canonicalize_name(m) for m in COURSE_ONLY_MODULES}
    assert sorted(core & course_only) == [], "course tools in the core dependencies of pyproject.toml"
    course_extra = {canonicalize_name(Requirement(r).name) for r in project["optional-dependencies"]["course"]}
    assert {"jupytext", "papermill", "nbformat", "nbclient", "nbval", "ipykernel", "ipywidgets"} <= course_extra


def test_course_package_and_exercises_import_without_the_notebook_tools():
    """The notebooks use the course map, the environment report and the exercise checks in Colab."""
    proc = run_python_without(COURSE_ONLY_MODULES, f"""
        import {COURSE}
        import {COURSE}.chapters
        import {COURSE}.cli
        import {COURSE}.environment
        import {COURSE}.exercises

        assert len({COURSE}.COURSE) > 0 and callable({COURSE}.environment_report)
    """)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# --- the import graph -------------------------------------------------------------------------------------------

def _modules(package_dir: Path, package: str) -> dict[str, Path]:
    """Module name → file, for every ``.py`` file of the package (a package is named by its ``__init__``)."""
    out = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = [package, *path.relative_to(package_dir).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The module that importing ``name`` executes last: ``name`` itself or its nearest known parent."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def import_graph(package_dir: Path, package: str = PACKAGE) -> dict[str, set[str]]:
    """Static import graph among the package's modules, from every ``import`` and ``from … import``
    statement (module level, in functions, in classes). ``from a.b import c`` counts as importing ``a.b.c``
    when that is a module, else ``a.b``. A package's ``__init__`` importing its own submodules is not an
    edge (the submodules import the package first anyway, so that is not a cycle to avoid)."""
    modules = _modules(Path(package_dir), package)
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in modules.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = module if is_package else module.rpartition(".")[0]
                    for _ in range(node.level - 1):
                        base = base.rpartition(".")[0]
                    source = f"{base}.{node.module}" if node.module else base
                else:
                    source = node.module or ""
                targets = [f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules else source
                           for alias in node.names]
            for target in targets:
                if target != package and not target.startswith(f"{package}."):
                    continue
                target = _resolve(target, modules)
                if target is None or target == module:
                    continue
                if is_package and target.startswith(f"{module}."):
                    continue  # a package's __init__ importing its own submodules
                graph[module].add(target)
    return graph


def find_cycles(graph: dict[str, set[str]], limit: int = 200) -> list[list[str]]:
    """Elementary cycles of ``graph`` (each listed once, starting at its smallest module), at most ``limit``."""
    cycles: list[list[str]] = []
    for start in sorted(graph):
        stack = [(start, [start])]
        while stack and len(cycles) < limit:
            node, path = stack.pop()
            for nxt in sorted(graph.get(node, ()), reverse=True):
                if nxt == start:
                    cycles.append([*path, start])
                elif nxt > start and nxt not in path:
                    stack.append((nxt, [*path, nxt]))
    return sorted(cycles, key=lambda c: (len(c), c))


def test_the_import_graph_finds_cycles_and_skips_package_inits(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("from pkg.a import f\nfrom pkg import sub\n")
    (pkg / "a.py").write_text("import os\n\ndef f():\n    from pkg.sub import b\n    return b\n")
    (pkg / "sub" / "__init__.py").write_text("from .b import g\n")
    (pkg / "sub" / "b.py").write_text("from .. import a\nfrom pkg import f\n")
    (pkg / "c.py").write_text("from pkg.sub.b import g\n")
    graph = import_graph(pkg, "pkg")
    assert graph == {"pkg": set(), "pkg.a": {"pkg.sub.b"}, "pkg.sub": set(), "pkg.sub.b": {"pkg.a", "pkg"},
                     "pkg.c": {"pkg.sub.b"}}
    assert find_cycles(graph) == [["pkg.a", "pkg.sub.b", "pkg.a"]]


def test_no_import_cycles(root):
    cycles = find_cycles(import_graph(root / PACKAGE))
    assert not cycles, f"{len(cycles)} import cycle(s) among the package's modules:\n" + "\n".join(
        " → ".join(cycle) for cycle in cycles)


def test_science_modules_never_import_the_course_tooling(root):
    graph = import_graph(root / PACKAGE)
    wrong = {m: sorted(t for t in targets if t == COURSE or t.startswith(f"{COURSE}."))
             for m, targets in graph.items()
             if not (m == COURSE or m.startswith(f"{COURSE}.")) and m != f"{PACKAGE}.__main__"}
    assert {m: t for m, t in wrong.items() if t} == {}, "science modules that import neuroframes_edu.course"
