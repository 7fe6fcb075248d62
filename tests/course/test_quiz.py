"""The notebooks' self-check quizzes: well formed, marked with reasons, present in every notebook."""

from __future__ import annotations

import pytest

from neuroframes_edu.course import quiz
from neuroframes_edu.course.chapters import COURSE


def test_every_chapter_has_a_well_formed_quiz():
    assert sorted(quiz.QUIZZES) == [f"{ch.number:02d}" for ch in COURSE]
    for questions in quiz.QUIZZES.values():
        assert len(questions) >= 3
        for q in questions:
            assert len(q.options) >= 3 and all(q.why[k].strip() for k in q.options)
            assert q.why[q.answer].startswith("Right")
            assert not any(q.why[k].startswith("Right") for k in q.options if k != q.answer)


def test_right_answers_pass_and_explain(capsys):
    answers = {i: q.answer for i, q in enumerate(quiz.QUIZZES["05"], 1)}
    assert quiz.check_quiz("05", answers)
    assert "Right" in capsys.readouterr().out
    assert quiz.check_quiz("5", {str(i): f"({a.upper()})" for i, a in answers.items()})  # lenient spelling


def test_wrong_and_missing_answers_are_named_with_the_reason():
    questions = quiz.QUIZZES["02"]
    wrong = next(k for k in questions[0].options if k != questions[0].answer)
    with pytest.raises(AssertionError) as err:
        quiz.check_quiz("02", {1: wrong, 3: "z"})
    text = str(err.value)
    assert f"question 1: ({wrong}) is not right. {questions[0].why[wrong]}" in text
    assert "question 2: no answer yet" in text
    assert "question 3: 'z' is not one of the letters" in text
    with pytest.raises(AssertionError, match="dictionary, question number → letter"):
        quiz.check_quiz("02", ["a", "b", "c"])
    with pytest.raises(ValueError, match="notebook must be one of"):
        quiz.show_quiz("42")


def test_every_notebook_ends_with_its_quiz_as_an_exercise(root):
    for ch in COURSE:
        text = (root / "notebooks" / f"{ch.stem}.py").read_text(encoding="utf-8")
        assert f'show_quiz("{ch.number:02d}")' in text, f"{ch.stem}.py does not show its quiz"
        assert f'check_quiz("{ch.number:02d}", my_answers())' in text, f"{ch.stem}.py does not check its quiz"
        assert text.index("## Self-check quiz") < text.index("## Summary")


def test_every_think_question_has_a_collapsed_answer(root):
    import re

    for ch in COURSE:
        text = (root / "notebooks" / f"{ch.stem}.py").read_text(encoding="utf-8")
        for match in re.finditer(r"\*\*Think!\*\*", text):
            rest = text[match.end():]
            nxt = rest.find("**Think!**")
            answer = rest.find("<details><summary>An answer</summary>")
            assert answer >= 0 and (nxt < 0 or answer < nxt), f"{ch.stem}: a Think! question has no answer block"
            assert "</details>" in rest[answer:], f"{ch.stem}: an answer block is not closed"


def test_every_section_has_a_time_and_they_add_up_to_the_expected_time(root):
    import re

    for ch in COURSE:
        text = (root / "notebooks" / f"{ch.stem}.py").read_text(encoding="utf-8")
        expected = int(re.search(r"\*\*Expected time:\*\* (\d+) minutes", text).group(1))
        assert expected == ch.minutes, f"{ch.stem}: the notebook says {expected} min, the course map {ch.minutes}"
        sections = re.findall(r"^# ## (?:\d+\. .*|Self-check quiz.*)$", text, flags=re.M)
        times = [re.search(r"\(~(\d+) min\)$", s) for s in sections]
        missing = [s for s, t in zip(sections, times, strict=True) if not t]
        assert not missing, f"{ch.stem}: sections without a time: {missing}"
        total = sum(int(t.group(1)) for t in times)
        assert expected - 5 <= total <= expected, f"{ch.stem}: sections add up to {total} min of {expected}"
