"""The course map: one list of chapters that the welcome notebook, the README, the book and the
notebook pipeline all read, so the four never disagree about what the course contains."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: Where the project lives; the Colab badges and the Colab install cells point here.
REPOSITORY_URL = "https://github.com/neuroframes-edu/neuroframes-edu"
#: The branch that Colab badges open.
DEFAULT_BRANCH = "main"


@dataclass(frozen=True)
class Chapter:
    """One notebook of the course.

    Parameters
    ----------
    number : int
        Position in the course, starting at 0.
    slug : str
        File stem without the number, e.g. ``"welcome"`` for ``notebooks/00_welcome.py``.
    title : str
        Title shown in the course map and the book.
    minutes : int
        Expected time for a learner working through it, exercises included.
    summary : str
        One sentence: what the learner can do afterwards.
    """

    number: int
    slug: str
    title: str
    minutes: int
    summary: str

    @property
    def stem(self) -> str:
        """File stem, e.g. ``"00_welcome"``."""
        return f"{self.number:02d}_{self.slug}"

    def colab_url(self, repository_url: str = REPOSITORY_URL, branch: str = DEFAULT_BRANCH,
                  exercises: bool = False) -> str:
        """Address that opens the committed ``.ipynb`` of this chapter in Google Colab: with its worked
        solutions, or with ``exercises=True`` the learners' version (``notebooks/exercises/``, the
        solutions replaced by stubs), which the course links first."""
        if not repository_url.startswith("https://github.com/"):
            raise ValueError(
                f"repository_url must be a https://github.com/<owner>/<repo> address for Colab, got {repository_url!r}"
            )
        owner_repo = repository_url.removeprefix("https://github.com/").strip("/")
        folder = "notebooks/exercises" if exercises else "notebooks"
        return f"https://colab.research.google.com/github/{owner_repo}/blob/{branch}/{folder}/{self.stem}.ipynb"


COURSE: tuple[Chapter, ...] = (
    Chapter(0, "welcome", "Welcome: the course, your set-up and a first look at the cortex", 23,
            "Check your environment and plot the fsaverage cortex with its sulcal depth."),
    Chapter(1, "cortex_as_graph", "The cortex as a graph", 40,
            "Build mesh graphs at three resolutions, their adjacency and Laplacian, and smooth maps on them."),
    Chapter(2, "simulating_eeg_fmri", "Simulating simultaneous EEG–fMRI", 60,
            "Generate EEG and BOLD with known ground truth, compare them with published recordings, and compute "
            "both ceilings."),
    Chapter(3, "eeg_band_features", "EEG band features", 60,
            "Compute band power per fMRI frame, fit the ridge 'EEG fingerprint' baseline, learn it again with a "
            "training loop written by hand, and see which band the model's EEG encoder learns."),
    Chapter(4, "surface_gcn", "The surface graph-convolutional decoder", 45,
            "Write one message-passing step by hand and train a GCN decoder on the cortex."),
    Chapter(5, "null_space_completion", "Null-space completion", 60,
            "Complete missing and intermediate frames: exact for clean measurements, noise-weighted (DDNM+) for "
            "noisy ones."),
    Chapter(6, "temporal_coherence", "Temporal coherence", 30,
            "Add bidirectional recurrence and a smoothness penalty, and measure what they buy."),
    Chapter(7, "full_model", "The full model: training and evaluation", 70,
            "Train the full model, compare it with every baseline and both ceilings, and judge when learning pays."),
    Chapter(8, "bring_your_own_data", "Bring your own data", 35,
            "Take your own EEG and surface BOLD files to a trained, scored model and completed volumes, and "
            "know what real data need first."),
    Chapter(9, "diffusion_model", "The paper's model: EEG-conditioned latent diffusion", 60,
            "Train the paper's latent diffusion model, sample cortex movies from EEG with the null-space "
            "projection inside every step, and read its uncertainty."),
)


def chapter(key: int | str) -> Chapter:
    """Look a chapter up by number (``3``) or stem/slug (``"03_eeg_band_features"``, ``"eeg_band_features"``)."""
    for ch in COURSE:
        if key in (ch.number, ch.slug, ch.stem):
            return ch
    known = ", ".join(ch.stem for ch in COURSE)
    raise KeyError(f"no chapter {key!r} in the course; known chapters: {known}")


def available_chapters(notebook_dir: str | Path) -> list[Chapter]:
    """Chapters whose jupytext source ``notebooks/NN_slug.py`` exists in ``notebook_dir``."""
    notebook_dir = Path(notebook_dir)
    return [ch for ch in COURSE if (notebook_dir / f"{ch.stem}.py").is_file()]


def checkout_notebook_dir() -> Path | None:
    """The ``notebooks/`` folder of the source checkout this package runs from, or None (e.g. in Colab,
    where the package is installed from the repository without its notebooks)."""
    folder = Path(__file__).resolve().parents[2] / "notebooks"
    return folder if folder.is_dir() else None


def course_map_markdown(notebook_dir: str | Path | None = None) -> str:
    """The course map as a Markdown table (number, title, time, what you will be able to do).

    When ``notebook_dir`` is given, chapters whose notebook is not written yet are marked
    "in preparation".
    """
    available = None if notebook_dir is None else {ch.number for ch in available_chapters(notebook_dir)}
    rows = ["| # | Notebook | Time | You will be able to |", "|---|---|---|---|"]
    for ch in COURSE:
        title = ch.title if available is None or ch.number in available else f"{ch.title} *(in preparation)*"
        rows.append(f"| {ch.number} | {title} | {ch.minutes} min | {ch.summary} |")
    total = sum(ch.minutes for ch in COURSE)
    rows.append(f"| | **Total** | **{total // 60} h {total % 60:02d} min** | |")
    return "\n".join(rows)
