"""Self-check quizzes: a few multiple-choice questions at the end of each notebook, checked in place.

:func:`show_quiz` prints a notebook's questions; the learner writes their answers as a dictionary
(question number → letter) in an exercise cell, and :func:`check_quiz` marks them: every wrong answer
is named with the reason it is wrong, so the quiz teaches as well as tests. Like the ``check_*``
exercises (:mod:`neuroframes_edu.course.exercises`) it returns True or raises an ``AssertionError``.

Introduced in notebook 00.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    """One multiple-choice question.

    Parameters
    ----------
    prompt : str
    options : dict of str to str
        Letter (``"a"``, ``"b"``, …) → option text.
    answer : str
        The right letter.
    why : dict of str to str
        Letter → why that option is right or wrong (every option has one).
    """

    prompt: str
    options: dict[str, str]
    answer: str
    why: dict[str, str]

    def __post_init__(self):
        if self.answer not in self.options or set(self.why) != set(self.options):
            raise ValueError(f"question {self.prompt[:40]!r}: the answer and every explanation must name an option")


def _q(prompt, options, answer, why) -> Question:
    """A question written with its options in any order; they are shuffled by a fixed permutation drawn
    from the prompt's hash, so the right letters vary but never change between runs."""
    import hashlib
    import random

    letters = "abcd"[: len(options)]
    order = list(range(len(options)))
    random.Random(int(hashlib.sha256(prompt.encode()).hexdigest(), 16)).shuffle(order)
    right = letters.index(answer)
    return Question(prompt, {letters[i]: options[k] for i, k in enumerate(order)}, letters[order.index(right)],
                    {letters[i]: why[k] for i, k in enumerate(order)})


#: The quizzes, by notebook number.
QUIZZES: dict[str, tuple[Question, ...]] = {
    "00": (
        _q("Why does the course draw cortical maps on the inflated surface?",
           ["It is the true shape of the brain",
            "About half of the cortex lies inside sulci, hidden on the folded (pial) surface",
            "The inflated surface has more vertices",
            "fMRI is measured on the inflated surface"],
           "b",
           ["The pial surface is the true (folded) shape; the inflated one is a drawing aid.",
            "Right: inflating unfolds the sulci, so a map is seen whole.",
            "Every geometry of a mesh shares the same vertices; only their positions differ.",
            "fMRI is measured in voxels and mapped to the surface; the geometry used to draw it is a choice."]),
        _q("What does the null-space completion guarantee about a measured fMRI volume?",
           ["Nothing: the network overwrites it",
            "It is kept exactly (A x̂ = y), whatever the network predicted",
            "It is averaged with the prediction",
            "It is smoothed in time"],
           "b",
           ["The projection is built so that the prediction can only fill what the measurements do not see.",
            "Right: x̂ = A†y + (I − A†A) x_pred gives A x̂ = y.",
            "That would be blending (notebook 05 compares it); the exact projection keeps the volume.",
            "Temporal smoothing is a separate idea (notebook 06); the projection keeps measured volumes as they are."]),
        _q("The course's default data are simulated. What does that give you that a real recording cannot?",
           ["Faster training",
            "The noise-free BOLD and the true sources: every method can be scored against the truth",
            "More EEG channels",
            "A guarantee that the results transfer to real data"],
           "b",
           ["Training time depends on the data's size, not on where they come from.",
            "Right: the simulator returns its ground truth, so scores against the truth sit beside scores "
            "against noisy measurements.",
            "The montage is a setting of the simulator, as it is of a real recording.",
            "It gives no such guarantee: a simulator is a model, which is why notebook 02 shows its calibration."]),
    ),
    "01": (
        _q("A triangle mesh becomes a graph. Which vertices are neighbours?",
           ["Vertices closer than 5 mm in 3-D",
            "Vertices that share a triangle edge",
            "Vertices with the same sulcal depth",
            "Every pair of vertices in the same hemisphere"],
           "b",
           ["Straight-line distance would join the two banks of a sulcus, which are far apart along the cortex.",
            "Right: the adjacency has a 1 wherever two vertices share an edge of a triangle.",
            "Sulcal depth is a map on the mesh, not its connectivity.",
            "That would be a dense graph with no notion of locality."]),
        _q("What does the combinatorial Laplacian L = D − A do to a constant map?",
           ["Doubles it", "Sends it to zero", "Leaves it unchanged", "Inverts its sign"],
           "b",
           ["Each row of L sums to zero (degree on the diagonal, −1 per neighbour).",
            "Right: constant maps are in L's null space; the Laplacian measures roughness.",
            "That is the identity, not the Laplacian.",
            "L x = 0 for constant x, so there is no sign to invert."]),
        _q("Going from ico3 to ico5 (1,284 → 20,484 vertices), what does a graph convolution cost?",
           ["About the same", "About 16 times more: it grows with the number of edges",
            "About 256 times more: it grows with the square of the vertices", "Less, because the mesh is finer"],
           "b",
           ["The work is one multiply-add per edge, and the edges grow with the vertices.",
            "Right: a sparse propagation touches each edge once, and a mesh has about 3 edges per vertex.",
            "That would be a dense V × V matrix; the mesh graph is sparse.",
            "Finer meshes have more vertices and edges, so more work."]),
    ),
    "02": (
        _q("How does cortical activity reach the EEG electrodes?",
           ["Through the haemodynamic response", "Through the lead field: a fixed linear map from sources to sensors",
            "Through the fMRI scanner", "Only from the nearest vertex to each electrode"],
           "b",
           ["The HRF links activity to BOLD, not to the EEG, which is instantaneous.",
            "Right: every source contributes to every electrode with a weight set by the head's geometry and "
            "conductivities.",
            "The scanner measures BOLD; in a simultaneous recording it adds artefacts to the EEG, not signal.",
            "Volume conduction spreads every source over the whole scalp."]),
        _q("Why does BOLD lag the neural activity by several seconds?",
           ["The scanner is slow",
            "BOLD is activity convolved with the haemodynamic response, which peaks about 5 s after an event",
            "The EEG is delayed", "The volumes are acquired in random order"],
           "b",
           ["The TR sets how often BOLD is sampled, not when the response arrives.",
            "Right: blood flow and oxygenation respond slowly; the HRF is the impulse response.",
            "The EEG follows the activity within milliseconds.",
            "Slice timing shifts acquisition within a TR (less than a TR), not by seconds."]),
        _q("A reconstruction correlates r = 0.9 with the noise-free BOLD. Against the noisy measurements it "
           "scores",
           ["higher, because measurements are the target", "about 0.9 times the noise ceiling, so lower",
            "exactly 0.9", "zero"],
           "b",
           ["Noise in the measurements cannot be predicted, so it lowers every score against them.",
            "Right: with independent noise, r(prediction, measured) = r(prediction, truth) × r(truth, measured).",
            "Only if the measurements were noise-free.",
            "Noise lowers the correlation but does not remove the shared signal."]),
    ),
    "03": (
        _q("Why are band-power features convolved with the HRF before regressing BOLD on them?",
           ["To remove noise from the EEG", "So that they line up in time with the slow, delayed BOLD",
            "To make them positive", "To reduce the number of channels"],
           "b",
           ["The HRF is a low-pass filter, but its role here is the delay and shape of the BOLD response.",
            "Right: BOLD follows activity through the HRF, so the regressor must too.",
            "Log band power can be negative after centring; the HRF does not change that.",
            "The convolution runs in time, per channel and band; the channels stay."]),
        _q("The ridge penalty is chosen with contiguous blocks of frames, not shuffled folds. Why?",
           ["Shuffling is slower",
            "BOLD is autocorrelated: shuffled folds leak neighbouring frames and pick a penalty far too small",
            "Ridge cannot be shuffled", "Contiguous blocks give more training data"],
           "b",
           ["Speed is not the issue; the choice of penalty is.",
            "Right: a validation frame's neighbours in the training fold make over-fitting look good.",
            "Any regression can be cross-validated with shuffled folds; here it would be misleading.",
            "Both use the same frames; only which frames validate differs."]),
        _q("The ridge predicts every vertex from the same features with independent weights. What does it "
           "ignore?",
           ["The EEG's frequency bands", "That neighbouring vertices share signal on the cortical surface",
            "The HRF", "The training data"],
           "b",
           ["The features are the bands of every channel.",
            "Right: each vertex's weights are fitted alone; a graph network can pool across neighbours.",
            "The features are HRF-convolved.",
            "It is fitted on the training data."]),
    ),
    "04": (
        _q("What happens to a map after many rounds of graph convolution (message passing) without care?",
           ["It becomes sharper", "It over-smooths: vertices converge towards the same value",
            "It becomes random", "Nothing changes after the first round"],
           "b",
           ["Each round averages neighbours, which blurs rather than sharpens.",
            "Right: repeated averaging removes every pattern but the smoothest.",
            "Propagation is deterministic averaging, not noise.",
            "Each round spreads the map one more ring of neighbours."]),
        _q("Edge list or sparse matrix: what differs between the two implementations of one GCN layer?",
           ["The result", "The speed and memory, not the numbers", "The number of parameters",
            "Only one of them is differentiable"],
           "b",
           ["Both compute the same normalised propagation; the notebook checks they agree.",
            "Right: same numbers, different cost (the benchmarks time both).",
            "The weights are the same; only the propagation is computed differently.",
            "Both run in autograd."]),
        _q("Why does the decoder predict a small latent per frame and expand it to the cortex, rather than "
           "one free output per vertex?",
           ["It is required by PyTorch",
            "Cortical maps are spatially smooth and correlated: a few latents plus graph smoothing hold them "
            "with far fewer parameters",
            "To make training slower", "Because the EEG has one value per vertex"],
           "b",
           ["PyTorch allows any output size.",
            "Right: the structure of the cortex is built into the decoder instead of learned from scratch.",
            "Fewer parameters make training faster, not slower.",
            "The EEG has one value per channel (tens), not per vertex (thousands)."]),
    ),
    "05": (
        _q("With a frame mask as A (some volumes measured), what does x̂ = A†y + (I − A†A) x_pred do?",
           ["Averages the prediction and the data", "Pastes the measured volumes in and keeps the prediction "
            "elsewhere", "Interpolates between measured volumes", "Smooths the prediction"],
           "b",
           ["Averaging is blending (λ < 1); the exact projection keeps the data as they are.",
            "Right: for a selection, A† puts each measurement back in its frame and I − A†A zeroes those frames "
            "of the prediction.",
            "Interpolation ignores the prediction; the projection ignores nothing the data do not fix.",
            "Nothing is smoothed."]),
        _q("Measurements carry noise. Which completion is closer to the noise-free truth at measured volumes?",
           ["Keeping them exactly (λ = 1), always",
            "Weighing them against the prediction by their noise (λ < 1, DDNM+ / a Wiener weight)",
            "Discarding them",
            "Replacing them by linear interpolation of their neighbours"],
           "b",
           ["λ = 1 keeps the noise too; it is right only when the measurements are clean.",
            "Right: a noise-aware weight gives up exact consistency for a much smaller error against the truth "
            "(notebook 05, section 3, measures it).",
            "The measurements hold most of the information at their own frames.",
            "Interpolation replaces a measured volume by its neighbours, which are noisy too."]),
        _q("Why can A†y blow up for a blurring operator A when y is noisy?",
           ["A† is computed wrongly",
            "A has tiny singular values; A† divides the noise by them. Truncating or regularising (Tikhonov) "
            "the inverse fixes it",
            "Blurring operators have no pseudo-inverse", "Noise is always amplified by any A†"],
           "b",
           ["The SVD is exact; the problem is the operator's conditioning.",
            "Right: each singular value s is inverted as 1/s; TemporalOperator(tikhonov=ε) bounds it.",
            "Every matrix has a pseudo-inverse.",
            "For a frame mask A† = Aᵀ, which does not amplify anything."]),
    ),
    "06": (
        _q("What does the temporal-smoothness penalty add to the training loss?",
           ["The squared difference between consecutive predicted frames, weighted",
            "The number of frames", "A penalty on the EEG", "The noise ceiling"],
           "a",
           ["Right: it charges roughness in time, the frame-axis analogue of a graph Laplacian penalty.",
            "The number of frames is fixed by the window.",
            "The EEG is the input; the penalty acts on the predictions.",
            "The noise ceiling is a score, not part of the loss."]),
        _q("The ablation compares models with and without temporal coherence. How should you read a gain "
           "of 0.003 in r from one seed?",
           ["As a clear improvement", "As no evidence either way until it exceeds the spread over seeds",
            "As a loss", "As proof that coherence is useless"],
           "b",
           ["One seed's difference of that size is within the run-to-run spread.",
            "Right: compare it with the standard deviation over seeds (the benchmark reports mean ± sd).",
            "A positive difference is not a loss; it is just not distinguishable from zero.",
            "No evidence of a gain is not evidence of no gain; the benchmark measures more seeds."]),
        _q("Why can a BOLD prediction from HRF-convolved features not change faster than the HRF allows?",
           ["The model is too small",
            "The features are low-pass filtered by the HRF, and BOLD itself is that slow",
            "The EEG is sampled too slowly", "The GPU limits it"],
           "b",
           ["A bigger model reads the same slow features.",
            "Right: the HRF passes little above about 0.2 Hz; faster changes are not in BOLD either.",
            "EEG is sampled at hundreds of Hz; the limit is the HRF.",
            "Hardware sets speed of computation, not of the signal."]),
    ),
    "07": (
        _q("Which comparison tells you whether the learned model earns its place?",
           ["Model vs mean frame", "Model vs the strongest simple method (source ridge), over seeds",
            "Model vs itself with more epochs", "Model vs the noise ceiling only"],
           "b",
           ["Beating the mean frame shows the model learned something, not that it beats simple methods.",
            "Right: the model starts from the source ridge; its learned parts earn their place only if it beats "
            "it by more than the spread over seeds.",
            "Training longer can over-fit; early stopping picks the epoch.",
            "Ceilings bound what is possible; the baseline tells what is easy."]),
        _q("In the paper's protocol (windows of K volumes measured at their two ends), when does linear "
           "interpolation fail?",
           ["Never", "When K is long: the middle of a 30-volume window is far from both anchors",
            "When K is short", "Only on ico4"],
           "b",
           ["The results page shows it failing at K = 30.",
            "Right: BOLD decorrelates within seconds, so anchors far apart say little about the middle; the "
            "diffusion model, which fills the middle from the EEG, hardly depends on K.",
            "Short windows are where interpolation is strongest.",
            "The mesh does not change the temporal argument."]),
        _q("Scores against the measurements and against the noise-free truth disagree. Which do you trust?",
           ["The measurements, always", "The truth, always",
            "Both, reported side by side: the truth shows what is recovered, the measurements what real data "
            "can show", "Neither"],
           "c",
           ["Measurements include noise that no method can predict; a method that copies noise would look good.",
            "Real data have no truth to score against, so the measurement-based score is what you will report.",
            "Right: the course reports both; when they disagree, that is the lesson.",
            "Both are informative."]),
    ),
    "08": (
        _q("Your BOLD has TR 2.0 s but its file says 0.8 s. What happens?",
           ["Nothing", "Every volume is paired with the wrong EEG: the timing is part of the data",
            "Only the plots change", "The library rescales the EEG"],
           "b",
           ["The library reads the TR to place every volume in time.",
            "Right: Recording checks times it can check, but a wrong TR in the file is consistent, so check it.",
            "The features, windows and scores all depend on the times.",
            "It never changes your data silently."]),
        _q("Why does Recording.split leave a gap between its parts?",
           ["To save memory",
            "So that no frame of one part sees EEG recorded during another part's frames",
            "Because fMRI needs a rest", "It does not"],
           "b",
           ["Memory is not the reason.",
            "Right: each frame reads the EEG window before it; without the gap a test frame would see training "
            "EEG.",
            "The gap is in the analysis, not the acquisition.",
            "It does: at least the EEG window by default."]),
        _q("Which split answers \"will this model work for a new person\"?",
           ["Parts of one session", "Held-out sessions of the same subject", "Held-out subjects",
            "Random frames"],
           "c",
           ["Parts of one session share everything but time: the most optimistic split.",
            "New sessions test days, not people.",
            "Right: only subjects the model never saw test generalisation to people.",
            "Random frames leak neighbours (BOLD is autocorrelated)."]),
    ),
    "09": (
        _q("Where does the paper's model apply the null-space projection?",
           ["Once, after sampling", "Inside every reverse-diffusion step (DDNM)",
            "Only during training", "Nowhere"],
           "b",
           ["Pasting once afterwards is possible, but DDNM projects at each step so the next step sees "
            "consistent frames.",
            "Right: each step's clean estimate is projected, then noised again for the next step.",
            "The projection is a sampling-time operation.",
            "It is the core of the method."]),
        _q("Why is the mean of several samples scored higher than one sample?",
           ["Samples are wrong", "Averaging removes the sample-to-sample variation, which the truth does not "
            "share; one sample is a plausible draw, not a best estimate", "The mean uses more EEG",
            "It is not"],
           "b",
           ["Each sample is a valid draw from the model's posterior.",
            "Right: the posterior mean minimises the expected squared error; a draw adds its spread.",
            "All samples read the same EEG.",
            "The notebook measures it: one sample < mean of 8."]),
        _q("A 90% interval from the samples covers the noise-free BOLD 78% of the time. The model is",
           ["well calibrated", "over-confident: its intervals are too narrow", "under-confident",
            "not uncertain at all"],
           "b",
           ["Calibrated 90% intervals cover 90% of the time.",
            "Right: coverage below the level means the spread underestimates the error.",
            "Under-confident intervals would cover more than 90%.",
            "It has a spread; the spread is just too small."]),
    ),
}


def _lookup(notebook: str) -> tuple[Question, ...]:
    key = str(notebook).zfill(2)[:2]
    if key not in QUIZZES:
        raise ValueError(f"notebook must be one of {sorted(QUIZZES)}, got {notebook!r}")
    return QUIZZES[key]


def show_quiz(notebook: str) -> None:
    """Print the quiz of notebook ``notebook`` (``"05"``), one question per paragraph."""
    for i, q in enumerate(_lookup(notebook), 1):
        print(f"{i}. {q.prompt}")
        for letter, text in q.options.items():
            print(f"   ({letter}) {text}")
        print()


def check_quiz(notebook: str, answers: dict) -> bool:
    """Mark ``answers`` (question number → letter) to notebook ``notebook``'s quiz.

    Prints the explanation of every right answer and returns True when all are right; otherwise raises
    an ``AssertionError`` naming each wrong or missing answer with why it is wrong.
    """
    questions = _lookup(notebook)
    if not isinstance(answers, dict):
        raise AssertionError(f"give your answers as a dictionary, question number → letter, e.g. "
                             f"{ {i: 'a' for i in range(1, len(questions) + 1)} }")
    problems = []
    for i, q in enumerate(questions, 1):
        given = answers.get(i, answers.get(str(i)))
        given = given.strip().lower().strip("()") if isinstance(given, str) else given
        if given is None:
            problems.append(f"question {i}: no answer yet")
        elif given not in q.options:
            problems.append(f"question {i}: {given!r} is not one of the letters {sorted(q.options)}")
        elif given != q.answer:
            problems.append(f"question {i}: ({given}) is not right. {q.why[given]}")
    if problems:
        raise AssertionError("\n".join(problems))
    for i, q in enumerate(questions, 1):
        print(f"{i}. ({q.answer}) {q.why[q.answer]}")
    return True
