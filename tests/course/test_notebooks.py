"""The notebook pipeline: sources → committed .ipynb, conventions, papermill execution."""

from __future__ import annotations

import json
import os

import nbformat
import pytest

from neuroframes_edu.course import notebooks as nbp

GOOD = """
# %% [markdown]
# # A notebook

# %% tags=["parameters"]
FAST = True
SCALE = 1

# %%
value = 21 * SCALE * (1 if FAST else 100)
print(value * 2)
assert value > 0
"""


def test_committed_ipynb_match_their_sources(root):
    stale = nbp.sync_notebooks(root / "notebooks", check=True)
    assert stale == [], (
        f"{[p.name for p in stale]} differ from their .py sources: run 'make sync-notebooks' and commit the result"
    )


def test_every_course_notebook_follows_the_conventions(root):
    sources = nbp.find_notebooks(root / "notebooks")
    assert sources, "the course has no notebooks"
    for src in sources:
        nb = nbp.read_source(src)  # validates kernelspec and the parameters cell
        text = src.read_text(encoding="utf-8")
        assert "Expected time" in text and "objectives" in text.lower(), f"{src.name} states no objectives/time"
        assert "## Summary" in text, f"{src.name} has no Summary section"
        assert nb.metadata["kernelspec"]["name"] == "python3"


def test_regenerating_gives_identical_text_and_stable_ids(notebook_factory):
    src = notebook_factory("01_demo.py", GOOD)
    first = nbp.ipynb_text(src)
    assert first == nbp.ipynb_text(src)
    ids = [c["id"] for c in json.loads(first)["cells"]]
    assert len(set(ids)) == len(ids)
    # editing one cell changes that cell's id only
    src.write_text(src.read_text().replace("print(value * 2)", "print(value * 3)"))
    new_ids = [c["id"] for c in json.loads(nbp.ipynb_text(src))["cells"]]
    assert sum(a != b for a, b in zip(ids, new_ids, strict=True)) == 1


def test_ipynb_keeps_tags_and_drops_jupytext_version(notebook_factory):
    nb = json.loads(nbp.ipynb_text(notebook_factory("01_demo.py", GOOD)))
    assert nb["cells"][1]["metadata"]["tags"] == ["parameters"]
    assert "jupytext_version" not in json.dumps(nb["metadata"])
    assert all(c.get("outputs", []) == [] for c in nb["cells"])


def test_identical_cells_get_distinct_ids(notebook_factory):
    body = GOOD + "\n# %%\nx = 1\n\n# %%\nx = 1\n"
    nb = json.loads(nbp.ipynb_text(notebook_factory("01_demo.py", body)))
    ids = [c["id"] for c in nb["cells"]]
    assert len(set(ids)) == len(ids)


def test_sync_writes_then_reports_nothing(notebook_factory):
    notebook_factory("01_demo.py", GOOD)
    folder = notebook_factory.folder
    both = [folder / "01_demo.ipynb", folder / "exercises" / "01_demo.ipynb"]  # solutions and learners' version
    assert nbp.sync_notebooks(folder, check=True) == both
    assert not any(p.exists() for p in both), "check=True must not write"
    assert nbp.sync_notebooks(folder) == both
    assert nbp.sync_notebooks(folder, check=True) == []
    for path in both:
        nbformat.validate(nbformat.read(path, as_version=4))


def test_find_notebooks_orders_filters_and_ignores_other_files(notebook_factory):
    notebook_factory("02_b.py", GOOD)
    notebook_factory("01_a.py", GOOD)
    (notebook_factory.folder / "helpers.py").write_text("x = 1\n")
    (notebook_factory.folder / "01_a.ipynb").write_text("{}")
    assert [p.name for p in nbp.find_notebooks(notebook_factory.folder)] == ["01_a.py", "02_b.py"]
    assert [p.name for p in nbp.find_notebooks(notebook_factory.folder, only=["02"])] == ["02_b.py"]
    with pytest.raises(ValueError, match="only=\\['99'\\] matches no notebook"):
        nbp.find_notebooks(notebook_factory.folder, only=["99"])
    with pytest.raises(FileNotFoundError, match="notebook_dir"):
        nbp.find_notebooks(notebook_factory.folder / "missing")


@pytest.mark.parametrize(
    ("header", "body", "message"),
    [
        ("", GOOD, "has no kernelspec"),
        (None, GOOD.replace(' tags=["parameters"]', ""), "0 cells tagged 'parameters'"),
        (None, GOOD + '\n# %% tags=["parameters"]\nFAST = False\n', "2 cells tagged 'parameters'"),
        (None, GOOD.replace("FAST = True", "QUICK = True").replace("if FAST", "if QUICK"), "does not define FAST"),
    ],
)
def test_convention_errors_name_the_notebook_and_the_fix(notebook_factory, header, body, message):
    from tests.support import NOTEBOOK_HEADER

    src = notebook_factory("01_bad.py", body, NOTEBOOK_HEADER if header is None else header)
    with pytest.raises(nbp.NotebookFormatError, match=message) as info:
        nbp.read_source(src)
    assert "01_bad.py" in str(info.value)


def test_read_source_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        nbp.read_source(tmp_path / "00_nothing.py")


def test_atomic_write_leaves_no_partial_file(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("original")

    with pytest.raises(TypeError):
        nbp.atomic_write_text(target, 123)  # not text: the write fails
    assert target.read_text() == "original"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
    nbp.atomic_write_text(target, "new")
    assert target.read_text() == "new"


def test_execute_injects_parameters_and_writes_to_the_build_folder(notebook_factory, tmp_path):
    notebook_factory("01_demo.py", GOOD)
    out = tmp_path / "executed"
    runs = nbp.execute_notebooks(notebook_factory.folder, out, parameters={"FAST": True, "SCALE": 2},
                                 progress=False)
    assert [(r.name, r.status) for r in runs] == [("01_demo", "ok")]
    nb = nbformat.read(out / "01_demo.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "84" in printed  # 21 * SCALE(2) * 2
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "remove-cell" in injected[0].metadata.tags  # runs, but the website hides it
    assert not (notebook_factory.folder / "01_demo.ipynb").exists(), "sources must stay untouched"
    table = nbp.format_run_table(runs)
    assert "01_demo" in table and "ok" in table and "1/1" in table


def test_a_failing_notebook_is_reported_and_kept_apart(notebook_factory, tmp_path):
    notebook_factory("01_ok.py", GOOD)
    notebook_factory("02_fails.py", GOOD)
    out = tmp_path / "executed"
    nbp.execute_notebooks(notebook_factory.folder, out, parameters={"FAST": True}, only=["02"], progress=False)
    assert (out / "02_fails.ipynb").is_file()  # a result from an earlier run …
    notebook_factory("02_fails.py", GOOD.replace("assert value > 0", "assert value < 0, 'wrong number'"))
    runs = nbp.execute_notebooks(notebook_factory.folder, out, parameters={"FAST": True}, progress=False)
    assert [(r.name, r.status) for r in runs] == [("01_ok", "ok"), ("02_fails", "failed")]
    assert "wrong number" in runs[1].error
    assert (out / "02_fails.failed.ipynb").is_file()
    assert not (out / "02_fails.ipynb").exists(), "a stale executed copy must not survive a failed run"
    assert "1/2" in nbp.format_run_table(runs)


def test_stop_on_error_skips_the_rest(notebook_factory, tmp_path):
    notebook_factory("01_fails.py", GOOD.replace("assert value > 0", "assert value < 0"))
    notebook_factory("02_ok.py", GOOD)
    runs = nbp.execute_notebooks(notebook_factory.folder, tmp_path / "out", parameters={"FAST": True},
                                 stop_on_error=True, progress=False)
    assert [r.name for r in runs] == ["01_fails"]


def test_execute_refuses_to_write_over_the_sources(notebook_factory):
    notebook_factory("01_demo.py", GOOD)
    with pytest.raises(ValueError, match="would replace the committed notebooks"):
        nbp.execute_notebooks(notebook_factory.folder, notebook_factory.folder, progress=False)


def test_figures_reach_the_executed_notebook_even_with_a_headless_backend(notebook_factory, tmp_path, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    notebook_factory("01_plot.py", GOOD + "\n# %%\nimport matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()\n")
    runs = nbp.execute_notebooks(notebook_factory.folder, tmp_path / "out", parameters={"FAST": True},
                                 progress=False)
    assert runs[0].status == "ok", runs[0].error
    nb = nbformat.read(tmp_path / "out" / "01_plot.ipynb", as_version=4)
    images = [o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert images, "the figure was not captured"
    assert os.environ["MPLBACKEND"] == "Agg", "the caller's environment is restored"


SOLVED = '''def square(x):
    """Square it."""
    #################################################
    ## TODO for students: multiply.
    # raise NotImplementedError("Student exercise: square x")
    #################################################
    y = x * x

    return y


assert square(3) == 9
'''


def test_strip_solution_leaves_the_stub_and_the_check():
    code, n = nbp.strip_solution(SOLVED)
    assert n == 1
    assert '    raise NotImplementedError("Student exercise: square x")' in code
    assert "y = x * x" not in code and "return y" not in code
    assert code.endswith("\n\n\nassert square(3) == 9\n")
    compile(code, "cell", "exec")
    assert nbp.strip_solution("x = 1\n") == ("x = 1\n", 0)


def test_student_notebooks_parse_and_keep_every_exercise(root, tmp_path):
    import ast

    counts = nbp.write_student_notebooks(root / "notebooks", tmp_path)
    for name, n in counts.items():
        source = (root / "notebooks" / name).with_suffix(".py").read_text()
        assert n == source.count('# raise NotImplementedError("Student exercise'), name
        nb = nbformat.read(tmp_path / name, as_version=4)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        ast.parse(code)
        assert code.count('raise NotImplementedError("Student exercise') == n
    assert sum(counts.values()) >= 7


def test_worked_solutions_are_collapsed_in_the_book(root):
    for path in nbp.find_notebooks(root / "notebooks"):
        for cell in nbp.read_source(path).cells:
            if cell.cell_type == "code" and "TODO for students" in cell.source:
                assert "hide-input" in cell.metadata.get("tags", []), f"{path.name}: tag the exercise cell hide-input"


class _ShellMustStayQuiet:
    """A kernel client stand-in whose shell channel records what is sent on it."""

    def __init__(self):
        import jupyter_client.session

        self.session = jupyter_client.session.Session()
        self.sent = []
        self.shell_channel = self

    def send(self, msg):
        self.sent.append(msg)


def _stream_msg(text):
    return {"header": {"msg_type": "stream"}, "parent_header": {"msg_id": "cell-1"},
            "content": {"name": "stdout", "text": text}}


def test_headless_output_widget_collects_outputs_but_sends_nothing_to_the_kernel():
    from types import SimpleNamespace

    from nbclient.output_widget import OutputWidget

    from neuroframes_edu.course.papermill_engine import HeadlessOutputWidget

    executor = SimpleNamespace(widget_state={"w": {"outputs": []}})
    # nbclient's own mimic echoes every output to the kernel on the shell channel: the send that can
    # swallow the wake-up for a cell's reply. If nbclient stops doing this, the engine can go.
    upstream_kc = _ShellMustStayQuiet()
    OutputWidget("w", {"outputs": []}, upstream_kc, executor).output([], _stream_msg("a\n"), None, 0)
    assert [m["msg_type"] for m in upstream_kc.sent] == ["comm_msg"]

    kc = _ShellMustStayQuiet()
    widget = HeadlessOutputWidget("w", {"outputs": []}, kc, executor)
    widget.output([], _stream_msg("a\n"), None, 0)
    widget.output([], _stream_msg("b\n"), None, 0)
    assert [o["text"] for o in widget.outputs] == ["a\nb\n"]
    assert executor.widget_state["w"]["outputs"] == widget.outputs, "the saved widget state gets the outputs"
    widget.clear_output([], {"parent_header": {}, "content": {"wait": False}}, 0)
    assert widget.outputs == []
    assert kc.sent == [], "nothing may be sent on the shell channel while a reply is awaited"


INTERACT = GOOD + '''
# %%
import ipywidgets as widgets

# %% tags=["remove-output"]
_ = widgets.interact(lambda k=1: print(f"widget value {k}"), k=(0, 5))

# %% tags=["remove-output"]
_ = widgets.interact(lambda k=2: print(f"widget value {k}"), k=(0, 5))

# %% tags=["remove-output"]
_ = widgets.interact(lambda k=3: print(f"widget value {k}"), k=(0, 5))
'''


STOPS = GOOD + """
# %%
import atexit
from pathlib import Path

Path("written.txt").write_text("x" * 100_000)  # a cell's file is complete when the cell ends
atexit.register(lambda: Path("atexit.txt").write_text("ran"))
"""


def test_the_kernel_is_stopped_at_once_after_the_last_cell(notebook_factory, tmp_path):
    """execute_notebooks stops kernels immediately (no interpreter teardown): what the cells wrote is
    there, and ``atexit`` hooks, which only a graceful stop runs, do not run. The engine itself keeps
    papermill's graceful stop for other callers."""
    import papermill

    from neuroframes_edu.course.papermill_engine import register

    notebook_factory("01_stops.py", STOPS)
    out = tmp_path / "out"
    runs = nbp.execute_notebooks(notebook_factory.folder, out, parameters={"FAST": True}, progress=False)
    assert runs[0].status == "ok", runs[0].error
    assert (out / "written.txt").read_text() == "x" * 100_000
    assert not (out / "atexit.txt").exists()

    graceful = tmp_path / "graceful"
    graceful.mkdir()
    papermill.execute_notebook(str(out / "01_stops.ipynb"), str(graceful / "01_stops.ipynb"), engine_name=register(),
                               kernel_name="python3", progress_bar=False, cwd=str(graceful))
    assert (graceful / "atexit.txt").read_text() == "ran"


def test_interact_cells_do_not_wait_for_the_cell_timeout(notebook_factory, tmp_path, monkeypatch):
    """Regression: a client busy with a widget output while the kernel finishes the cell.

    With nbclient's own output widget the state echo then swallowed the reply's wake-up and each
    such cell sat idle until its timeout (here 60 s each; in the course 30 minutes).
    """
    import time

    from nbclient.output_widget import OutputWidget

    handle_output = OutputWidget.output

    def busy_output(self, *args, **kwargs):
        time.sleep(0.3)  # as when a large cortex figure is being captured
        return handle_output(self, *args, **kwargs)

    monkeypatch.setattr(OutputWidget, "output", busy_output)
    notebook_factory("01_widgets.py", INTERACT)
    start = time.perf_counter()
    runs = nbp.execute_notebooks(notebook_factory.folder, tmp_path / "out", parameters={"FAST": True},
                                 timeout=60, progress=False)
    seconds = time.perf_counter() - start
    assert runs[0].status == "ok", runs[0].error
    assert seconds < 45, f"three interact cells took {seconds:.0f} s: a cell waited for its timeout"
    nb = nbformat.read(tmp_path / "out" / "01_widgets.ipynb", as_version=4)
    state = json.dumps(nb.metadata["widgets"])
    assert all(f"widget value {k}" in state for k in (1, 2, 3)), "the widgets' outputs were not captured"


def test_the_committed_exercises_hold_stubs_where_the_solutions_hold_code(root):
    import json

    for src in nbp.find_notebooks(root / "notebooks"):
        solutions = (root / "notebooks" / f"{src.stem}.ipynb").read_text(encoding="utf-8")
        exercises = json.loads((root / "notebooks" / nbp.EXERCISES / f"{src.stem}.ipynb").read_text(encoding="utf-8"))
        code = "".join("".join(c["source"]) for c in exercises["cells"] if c["cell_type"] == "code")
        n_todo = solutions.count("TODO for students")
        assert code.count("\nraise NotImplementedError") + code.count("    raise NotImplementedError(") >= n_todo
        assert exercises["metadata"][nbp.MARK]["kind"] == "student"
