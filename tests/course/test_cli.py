"""The neuroframes-edu command line."""

from __future__ import annotations

import subprocess
import sys

import pytest

from neuroframes_edu.course import cli


def test_sync_check_passes_on_the_repository(root, capsys):
    assert cli.main(["--root", str(root), "sync-notebooks", "--check"]) == 0
    assert "match" in capsys.readouterr().out


def test_sync_check_fails_on_drift(tmp_path, capsys):
    from tests.support import write_notebook

    (tmp_path / "notebooks").mkdir()
    (tmp_path / "jupyter-book").mkdir()
    write_notebook(tmp_path / "notebooks", "00_x.py", '\n# %% tags=["parameters"]\nFAST = True\n')
    assert cli.main(["--root", str(tmp_path), "sync-notebooks", "--check"]) == 1
    assert "make sync-notebooks" in capsys.readouterr().err
    assert cli.main(["--root", str(tmp_path), "sync-notebooks"]) == 0
    assert cli.main(["--root", str(tmp_path), "sync-notebooks", "--check"]) == 0


def test_run_notebooks_reports_a_table_and_fails_on_errors(tmp_path, capsys):
    from tests.support import write_notebook

    (tmp_path / "notebooks").mkdir()
    (tmp_path / "jupyter-book").mkdir()
    write_notebook(tmp_path / "notebooks", "00_x.py",
                   '\n# %% tags=["parameters"]\nFAST = False\n\n# %%\nassert FAST, "FAST was not injected"\n')
    assert cli.main(["--root", str(tmp_path), "run-notebooks", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "00_x" in out and "ok" in out
    assert (tmp_path / "jupyter-book" / "executed" / "00_x.ipynb").is_file()
    assert cli.main(["--root", str(tmp_path), "run-notebooks", "--no-progress", "--full"]) == 1
    assert "FAST was not injected" in capsys.readouterr().out


def test_parameters_are_parsed_as_python_literals():
    assert cli._parse_value("3") == 3
    assert cli._parse_value("[1, 2]") == [1, 2]
    assert cli._parse_value("ico4") == "ico4"


def test_root_is_found_or_explained(root, tmp_path, monkeypatch):
    assert cli._find_root(root / "neuroframes_edu") == root
    with pytest.raises(SystemExit, match="no neuroframes-edu checkout"):
        cli._find_root(tmp_path)


def test_module_entry_point_prints_info():
    proc = subprocess.run([sys.executable, "-m", "neuroframes_edu", "info"], capture_output=True, text=True,
                          check=True)
    assert "torch" in proc.stdout and "device" in proc.stdout


def test_commands_without_their_extra_say_how_to_install_it(root):
    from tests.support import COURSE_ONLY_MODULES, run_python_without

    proc = run_python_without(COURSE_ONLY_MODULES, f"""
        import sys

        from neuroframes_edu.course.cli import main

        for command in (["sync-notebooks", "--check"], ["student-notebooks"], ["run-notebooks"], ["build-book"]):
            try:
                main(["--root", {str(root)!r}, *command])
            except SystemExit as exc:
                print(exc.code, file=sys.stderr)
            else:
                raise AssertionError(f"{{command}} ran without its extra")
        assert main(["info"]) == 0  # needs nothing from the extra
    """)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 4, proc.stderr
    for line, command in zip(lines[:3], ("sync-notebooks", "student-notebooks", "run-notebooks"), strict=True):
        assert line.startswith(f"error: 'neuroframes-edu {command}' needs ")
        assert line.endswith('pip install "neuroframes-edu[course]"')
    assert lines[3].startswith("error: 'neuroframes-edu build-book' needs jupyter-book")
    assert lines[3].endswith('pip install "neuroframes-edu[book]"')
    assert "torch" in proc.stdout and "device" in proc.stdout
