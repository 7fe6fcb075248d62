"""The command lines and the notebook writers: a user's error is one ``error:`` line, and a learner's
notebook or a user's file in an output folder is never replaced or deleted unless asked (issue 14)."""

from __future__ import annotations

import nbformat
import pytest

from neuroframes_edu.course import notebooks as nbp
from neuroframes_edu.course.cli import main

GOOD = """
# %% [markdown]
# # A notebook

# %% tags=["parameters"]
FAST = True

# %%
print(21 * 2)
"""


def test_run_notebooks_refuses_a_users_notebook_of_the_same_name(notebook_factory, tmp_path):
    notebook_factory("01_demo.py", GOOD)
    out = tmp_path / "out"
    out.mkdir()
    mine = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("my analysis")])
    nbformat.write(mine, out / "01_demo.ipynb")
    before = (out / "01_demo.ipynb").read_text()
    with pytest.raises(FileExistsError, match="01_demo.ipynb was not written by neuroframes-edu; running the "
                                              "notebooks would replace it.*--overwrite"):
        nbp.execute_notebooks(notebook_factory.folder, out, progress=False)
    assert (out / "01_demo.ipynb").read_text() == before
    runs = nbp.execute_notebooks(notebook_factory.folder, out, progress=False, overwrite=True)  # asked
    assert runs[0].status == "ok" and nbp.written_by_library(out / "01_demo.ipynb", "executed")
    # the library's own executed copy is replaced by the next run without being asked
    assert nbp.execute_notebooks(notebook_factory.folder, out, progress=False)[0].status == "ok"


def test_a_failed_run_never_deletes_a_users_notebook(notebook_factory, tmp_path):
    notebook_factory("01_demo.py", GOOD.replace("print(21 * 2)", "raise RuntimeError('boom')"))
    out = tmp_path / "out"
    out.mkdir()
    (out / "01_demo.failed.ipynb").write_text("my notes, not a notebook")
    with pytest.raises(FileExistsError, match="01_demo.failed.ipynb was not written by neuroframes-edu"):
        nbp.execute_notebooks(notebook_factory.folder, out, progress=False)
    assert (out / "01_demo.failed.ipynb").read_text() == "my notes, not a notebook"


def test_student_notebooks_keep_a_learners_edits(root, tmp_path):
    out = tmp_path / "student"
    nbp.write_student_notebooks(root / "notebooks", out, only=["00"])
    path = out / "00_welcome.ipynb"
    assert nbp.written_by_library(path, "student")
    nbp.write_student_notebooks(root / "notebooks", out, only=["00"])  # unedited: a course update replaces it
    nb = nbformat.read(path, as_version=4)
    nb.cells[-1].source += "\n# my answer"
    nbformat.write(nb, path)
    edited = path.read_text()
    with pytest.raises(FileExistsError, match="00_welcome.ipynb was not written by neuroframes-edu or were edited "
                                              "since; writing the student notebooks would replace it"):
        nbp.write_student_notebooks(root / "notebooks", out, only=["00"])
    assert path.read_text() == edited
    nbp.write_student_notebooks(root / "notebooks", out, only=["00"], overwrite=True)
    assert "# my answer" not in path.read_text()


def test_running_a_student_notebook_is_not_editing_it(root, tmp_path):
    out = tmp_path / "student"
    nbp.write_student_notebooks(root / "notebooks", out, only=["00"])
    path = out / "00_welcome.ipynb"
    nb = nbformat.read(path, as_version=4)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.outputs = [nbformat.v4.new_output("stream", text="ran it\n")]
    code.execution_count = 1
    nbformat.write(nb, path)
    assert nbp.written_by_library(path, "student")


def test_cli_user_errors_are_one_line_and_debug_shows_the_traceback(tmp_path, capsys):
    assert main(["--root", str(tmp_path / "nowhere"), "sync-notebooks", "--check"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err and err.count("\n") == 1
    with pytest.raises(FileNotFoundError):
        main(["--debug", "--root", str(tmp_path / "nowhere"), "sync-notebooks", "--check"])


def test_cli_unknown_notebook_prefix_is_an_error_line(root, capsys):
    assert main(["--root", str(root), "sync-notebooks", "--check", "--only", "99"]) == 2
    assert "error: only=['99'] matches no notebook" in capsys.readouterr().err


def test_cli_student_notebooks_refuses_without_creating_the_folder(tmp_path, capsys):
    out = tmp_path / "X"
    assert main(["--root", str(tmp_path / "nowhere"), "student-notebooks", "--output-dir", str(out)]) == 2
    assert capsys.readouterr().err.startswith("error: ") and not out.exists()


def test_training_cli_refuses_an_existing_output_before_training(tmp_path, capsys):
    from neuroframes_edu.training.__main__ import main as train_main

    notes = tmp_path / "notes.csv"
    notes.write_text("keep")
    with pytest.raises(SystemExit) as exit_info:
        train_main(["--mesh", "ico3", "--duration", "60", "--epochs", "1", "--output", str(notes)])
    assert exit_info.value.code == 2 and notes.read_text() == "keep"
    err = capsys.readouterr().err
    assert f"error: --output {notes} already exists; pass --overwrite to replace it" in err


@pytest.mark.parametrize(("argv", "message"), [
    (["--mesh", "ico9", "--epochs", "1"], "error: SimulationConfig.mesh must be one of"),
    (["--mesh", "ico3", "--duration", "5", "--epochs", "1"],
     "error: SimulationConfig.duration must be at least 10 TRs"),
])
def test_training_cli_user_errors_are_one_line(argv, message, capsys):
    from neuroframes_edu.training.__main__ import main as train_main

    assert train_main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and "Traceback" not in err
