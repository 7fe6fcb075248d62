"""The shared validators: every message names the argument, what came, what is expected and the fix."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from neuroframes_edu._utils.validation import (
    check_array,
    check_int,
    check_number,
    check_option,
    check_times,
    check_type,
    check_writable,
)

FUZZ = settings(max_examples=150, deadline=None)


@pytest.mark.parametrize(("value", "types", "message"), [
    ("32", int, "n must be int, got str '32'"),
    (True, (int, float), "n must be int or float, got bool True"),
    (3.0, (int, None), "n must be int or None, got float 3.0"),
    ([1, 2], str, "n must be str, got list"),
])
def test_check_type_names_the_argument_and_what_came(value, types, message):
    with pytest.raises(TypeError, match=message.replace("(", "\\(").replace(")", "\\)")):
        check_type(value, types, "n")


def test_check_type_passes_what_it_allows():
    assert check_type(None, (int, None), "n") is None
    assert check_type(True, bool, "flag") is True
    assert check_type(np.int64(3), (int, np.integer), "n") == 3
    with pytest.raises(TypeError, match="; pass seconds"):
        check_type("1 s", float, "tr", hint="pass seconds as a number")


def test_check_option_suggests_the_near_miss():
    assert check_option("linear", ("linear", "cubic"), "kind") == "linear"
    with pytest.raises(ValueError, match="kind must be one of \\('linear', 'cubic'\\), got 'Linear' \\(did you mean "
                                         "'linear'\\?\\)"):
        check_option("Linear", ("linear", "cubic"), "kind")
    with pytest.raises(ValueError, match="got \\[1\\]"):
        check_option([1], ("a",), "kind")  # unhashable


@pytest.mark.parametrize(("value", "kwargs", "error", "message"), [
    (0.5, {}, TypeError, "n_frames must be an integer, got float 0.5"),
    (True, {}, TypeError, "n_frames must be an integer, got bool"),
    ("3", {}, TypeError, "n_frames must be an integer, got str"),
    (0, {"minimum": 1}, ValueError, "n_frames must be an integer ≥ 1, got 0"),
    (11, {"minimum": 1, "maximum": 10}, ValueError, "n_frames must be an integer in \\[1, 10\\], got 11"),
])
def test_check_int(value, kwargs, error, message):
    with pytest.raises(error, match=message):
        check_int(value, "n_frames", **kwargs)


def test_check_int_accepts_numpy_integers():
    assert check_int(np.int32(4), "n", minimum=1) == 4 and isinstance(check_int(np.int32(4), "n"), int)


@pytest.mark.parametrize(("value", "kwargs", "error", "message"), [
    ("fast", {}, TypeError, "lr must be a real number, got str 'fast'"),
    (None, {}, TypeError, "lr must be a real number, got NoneType"),
    (float("nan"), {}, ValueError, "lr must be a finite number, got nan"),
    (float("inf"), {}, ValueError, "lr must be a finite number"),
    (0.0, {"minimum": 0, "include_minimum": False}, ValueError, "lr must be > 0, got 0"),
    (1.5, {"minimum": 0, "maximum": 1}, ValueError, "lr must be in \\[0, 1\\], got 1.5"),
    (np.array([1.0, 2.0]), {}, TypeError, "lr must be a real number, got ndarray an array of shape \\(2,\\)"),
])
def test_check_number(value, kwargs, error, message):
    with pytest.raises(error, match=message):
        check_number(value, "lr", **kwargs)


def test_check_number_converts_numpy_scalars_and_one_element_arrays():
    assert check_number(np.float32(0.5), "lam", 0, 1) == 0.5
    assert check_number(np.array(0.25), "lam", 0, 1) == 0.25
    assert check_number(3, "tr", 0, include_minimum=False) == 3.0


@pytest.mark.parametrize(("value", "kwargs", "error", "message"), [
    ([[1, 2], [3, np.nan]], {}, ValueError,
     "x contains 1 NaN or infinite value\\(s\\) \\(the first at index \\(1, 1\\)\\)"),
    ([1, 2, 3], {"ndim": 2, "axes": "(n_frames, n_vertices)"}, ValueError,
     "x must be 2-D \\(n_frames, n_vertices\\), got shape \\(3,\\)"),
    (np.zeros((3, 4)), {"shape": (None, 5)}, ValueError, "x must have shape \\(any, 5\\), got \\(3, 4\\)"),
    (["a", "b"], {}, TypeError, "x must be an array of numbers, got list"),
])
def test_check_array(value, kwargs, error, message):
    with pytest.raises(error, match=message):
        check_array(value, "x", **kwargs)


def test_check_array_allows_nan_where_asked():
    assert np.isnan(check_array([1.0, np.nan], "x", finite=False)).sum() == 1


@pytest.mark.parametrize(("value", "kwargs", "message"), [
    ([0.0, np.nan, 2.0], {}, "frame_times contains 1 NaN or infinite value\\(s\\) \\(the first at index 1\\)"),
    ([0.0, 2.0, 1.0], {}, "frame_times must be strictly increasing, but frame_times\\[1\\] = 2 and "
                          "frame_times\\[2\\] = 1; sort the times and the data that go with them together"),
    ([0.0, 1.0, 1.0], {}, "must be strictly increasing"),
    ([0.0, 1.0], {"length": 3}, "frame_times has 2 times but the data it goes with have 3"),
    ([], {}, "frame_times is empty"),
    ([[0.0, 1.0]], {}, "frame_times must be 1-D"),
])
def test_check_times(value, kwargs, message):
    with pytest.raises(ValueError, match=message):
        check_times(value, "frame_times", **kwargs)


def test_check_times_allows_ties_when_asked():
    np.testing.assert_array_equal(check_times([0, 1, 1, 2], "t", strictly=False), [0, 1, 1, 2])
    assert check_times([], "t", allow_empty=True).size == 0


_TIME = st.one_of(st.floats(min_value=-1e6, max_value=1e6), st.sampled_from([np.nan, np.inf, -np.inf]))


@st.composite
def time_axes(draw):
    """Mostly increasing axes (cumulative sums of steps ≥ 0), some with NaN/inf or a step back."""
    n = draw(st.integers(1, 30))
    steps = draw(hnp.arrays(np.float64, n, elements=st.floats(min_value=0.0, max_value=10.0)))
    t = draw(st.floats(-100, 100)) + np.cumsum(steps)
    if draw(st.booleans()):
        i = draw(st.integers(0, n - 1))
        t[i] = draw(_TIME)
    return t


@given(st.one_of(time_axes(), hnp.arrays(np.float64, st.integers(1, 30), elements=_TIME)))
@FUZZ
def test_check_times_fuzz_accepts_exactly_the_finite_strictly_increasing(t):
    ok = bool(np.isfinite(t).all() and (np.diff(t) > 0).all())
    if ok:
        np.testing.assert_array_equal(check_times(t, "t"), t)
    else:
        with pytest.raises(ValueError, match="^t (contains|must be strictly increasing)"):
            check_times(t, "t")


@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=5),
                  elements=st.floats(allow_nan=True, allow_infinity=True, width=64)))
@FUZZ
def test_check_array_fuzz_refuses_exactly_the_nonfinite(x):
    if np.isfinite(x).all():
        np.testing.assert_array_equal(check_array(x, "x"), x)
    else:
        with pytest.raises(ValueError, match=f"x contains {int((~np.isfinite(x)).sum())} NaN or infinite"):
            check_array(x, "x")


@given(st.one_of(st.integers(-5, 5), st.floats(allow_nan=True), st.booleans(), st.text(max_size=3), st.none()))
@FUZZ
def test_check_int_fuzz(value):
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        assert check_int(value, "n", minimum=1) == value
    else:
        with pytest.raises((TypeError, ValueError), match="^n must be an integer"):
            check_int(value, "n", minimum=1)


def test_check_writable_refuses_a_users_file_unless_told(tmp_path):
    notes = tmp_path / "lab_notes.csv"
    notes.write_text("subject,score\n1,0.5\n")
    with pytest.raises(FileExistsError, match="output .*lab_notes.csv already exists; pass overwrite=True "
                                              "\\(--overwrite on the command line\\)"):
        check_writable(notes, "output")
    assert notes.read_text() == "subject,score\n1,0.5\n"
    assert check_writable(notes, "output", overwrite=True) == notes
    assert check_writable(str(tmp_path / "new.pt"), "output") == Path(tmp_path / "new.pt")
    with pytest.raises(IsADirectoryError, match="output .* is a folder; give a file name inside it"):
        check_writable(tmp_path, "output", overwrite=True)
    with pytest.raises(TypeError, match="output must be str or PathLike, got int 3"):
        check_writable(3, "output")


def test_check_mask_is_the_one_mask_rule_for_any_shape_and_tensors():
    import torch

    from neuroframes_edu._utils.validation import check_mask

    batch = check_mask(torch.tensor([[1, 0, 1], [0, 1, 1]]), "known", length=3, ndim=None)
    assert batch.dtype == bool and batch.shape == (2, 3)
    with pytest.raises(ValueError, match=r"known must be a boolean mask .*float.*np\.isin"):
        check_mask(np.linspace(0, 1, 4), "known")
    with pytest.raises(ValueError, match="known must be a 1-D boolean mask, got shape"):
        check_mask([[True, False]], "known")
    with pytest.raises(ValueError, match="has 2 flags but the data it goes with have 3"):
        check_mask([[True, False]], "known", length=3, ndim=None)


def test_check_folder_refuses_a_file(tmp_path):
    from neuroframes_edu._utils.validation import check_folder

    assert check_folder(tmp_path / "new", "out", "give a folder") == tmp_path / "new"
    (tmp_path / "file").write_text("x")
    with pytest.raises(NotADirectoryError, match="out .*file is a file, not a folder; give a folder"):
        check_folder(tmp_path / "file", "out", "give a folder")
