"""Honest baselines, evaluated in the same harness as the model.

* :class:`MeanFrame` — the training set's mean frame, whatever the input (the floor).
* :func:`interpolate_frames` — linear or cubic interpolation in time between the measured frames
  (the obvious way to fill missing or intermediate frames; it ignores the EEG).
* :class:`RidgeFingerprint` — ridge regression from haemodynamically convolved EEG band power to
  every vertex: the classic "EEG fingerprint" approach of EEG-informed fMRI.

Introduced in notebooks 03 (ridge) and 05 (interpolation).
"""

from __future__ import annotations

import numpy as np

from neuroframes_edu._utils.validation import check_array


class MeanFrame:
    """Predict the training set's mean frame for every frame."""

    def fit(self, frames) -> MeanFrame:
        """``frames``: array ``(n_frames, n_vertices)`` or a list of them."""
        if isinstance(frames, list):
            if not frames:
                raise ValueError("frames is an empty list; give one (n_frames, n_vertices) array per recording")
            parts = [check_array(f, f"frames[{i}]", ndim=2, axes="(n_frames, n_vertices)")
                     for i, f in enumerate(frames)]
            widths = sorted({p.shape[1] for p in parts})
            if len(widths) > 1:
                raise ValueError(f"frames holds arrays with different vertex counts {widths}; give them on one mesh")
            stacked = np.concatenate(parts)
        else:
            stacked = check_array(frames, "frames", finite=False)
        if stacked.ndim != 2 or len(stacked) == 0:
            raise ValueError(f"frames must be (n_frames, n_vertices), got shape {stacked.shape}")
        check_array(stacked, "frames")  # a NaN would make that vertex's mean NaN in every predicted frame
        self.mean_ = stacked.mean(axis=0)
        return self

    def predict(self, n_frames: int) -> np.ndarray:
        """``(n_frames, n_vertices)`` copies of the mean frame."""
        if not hasattr(self, "mean_"):
            raise RuntimeError("call fit() before predict()")
        from neuroframes_edu._utils.validation import check_int

        n_frames = check_int(n_frames, "n_frames", minimum=0)
        return np.broadcast_to(self.mean_, (n_frames, self.mean_.size)).copy()


def interpolate_frames(known_times, known_frames, query_times, kind: str = "linear") -> np.ndarray:
    """Interpolate measured frames in time.

    Parameters
    ----------
    known_times : array-like, shape (n_known,)
        Times of the measured frames (any spacing; need not be sorted).
    known_frames : array-like, shape (n_known, n_vertices)
    query_times : array-like, shape (n_query,)
    kind : {"linear", "cubic"}
        Cubic uses a natural cubic spline. Outside the measured span both hold the nearest frame.

    Returns
    -------
    ndarray, shape (n_query, n_vertices)
    """
    from scipy.interpolate import CubicSpline

    from neuroframes_edu._utils.validation import check_array, check_option

    check_option(kind, ("linear", "cubic"), "kind")
    t = check_array(known_times, "known_times", ndim=1, finite=False, axes="(n_known,)")
    y = check_array(known_frames, "known_frames", finite=False, axes="(n_known, n_vertices)")
    q = check_array(query_times, "query_times", ndim=1, finite=False, axes="(n_query,)")
    if t.ndim != 1 or y.ndim != 2 or len(t) != len(y):
        raise ValueError(f"known_times {t.shape} and known_frames {y.shape} must pair up as (n,) and (n, V)")
    if len(t) == 0:
        raise ValueError("no measured frame to interpolate from")
    for name, arr in (("known_times", t), ("known_frames", y), ("query_times", q)):
        if not np.isfinite(arr).all():
            raise ValueError(f"{name} contains {int((~np.isfinite(arr)).sum())} NaN or infinite values (drop missing "
                             "volumes before interpolating)")
    order = np.argsort(t)
    t, y = t[order], y[order]
    if np.any(np.diff(t) <= 0):
        raise ValueError("known_times contain duplicates")
    if len(t) == 1:
        return np.repeat(y, len(q), axis=0)
    qc = np.clip(q, t[0], t[-1])
    if kind == "cubic" and len(t) >= 3:
        return CubicSpline(t, y, axis=0, bc_type="natural")(qc)
    idx = np.clip(np.searchsorted(t, qc, side="right") - 1, 0, len(t) - 2)
    w = ((qc - t[idx]) / (t[idx + 1] - t[idx]))[:, None]
    return (1 - w) * y[idx] + w * y[idx + 1]


#: Ridge penalties searched by default.
RIDGE_ALPHAS = tuple(float(a) for a in np.logspace(-1, 5, 13))


class RidgeFingerprint:
    """Ridge regression from HRF-convolved band power (channels × bands) to every vertex.

    One multi-output ridge (scikit-learn's ``RidgeCV``) on standardised features. The penalty is
    chosen by cross-validation over **contiguous blocks** of frames: BOLD frames are autocorrelated,
    so leave-one-out or shuffled folds leak neighbouring frames into the validation fold and pick a
    penalty that is far too small.

    Parameters
    ----------
    alphas : sequence of float
        Candidate penalties.
    n_folds : int
        Contiguous cross-validation folds.
    """

    def __init__(self, alphas=RIDGE_ALPHAS, n_folds: int = 5):
        from neuroframes_edu._utils.validation import check_int, check_number, check_sequence

        self.alphas = check_sequence(alphas, "alphas", lambda a, name: check_number(
            a, name, minimum=0, include_minimum=False))
        self.n_folds = check_int(n_folds, "n_folds", minimum=2)

    def fit(self, features, frames) -> RidgeFingerprint:
        """``features``: ``(n_frames, n_channels, n_bands)`` (or 2-D); ``frames``: ``(n_frames, n_vertices)``."""
        from sklearn.linear_model import Ridge
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        x, y = self._x(features), self._y(frames)
        if len(x) != len(y):
            raise ValueError(f"features have {len(x)} frames but frames have {len(y)}")
        if len(x) < 2 * self.n_folds:
            raise ValueError(f"need at least {2 * self.n_folds} frames for {self.n_folds}-fold cross-validation, "
                             f"got {len(x)}")
        scaler = StandardScaler().fit(x)
        self.cv_scores_ = _block_cv_r2(scaler.transform(x), y, self.alphas, self.n_folds)
        self.alpha_ = float(self.alphas[int(np.argmax(self.cv_scores_))])
        self.model_ = make_pipeline(scaler, Ridge(alpha=self.alpha_)).fit(x, y)
        return self

    def cross_val_predict(self, features, frames, groups=None) -> np.ndarray:
        """Out-of-fold predictions of the training data with the chosen penalty: what held-out frames'
        residuals look like, unlike in-sample ones, which a ridge with many features shrinks towards
        zero.

        Parameters
        ----------
        features, frames
            As for :meth:`fit`.
        groups : array-like, shape (n_frames,), optional
            The recording of each frame: with two or more, each recording is predicted by a ridge
            fitted on the others (as a new session would be); else contiguous folds as in :meth:`fit`.
        """
        from sklearn.base import clone
        from sklearn.model_selection import KFold, LeaveOneGroupOut

        if not hasattr(self, "model_"):
            raise RuntimeError("call fit() before cross_val_predict()")
        x, y = self._x(features), self._y(frames)
        if len(x) != len(y):
            raise ValueError(f"features have {len(x)} frames but frames have {len(y)}")
        if groups is not None and len(np.asarray(groups)) != len(x):
            raise ValueError(f"groups has {len(np.asarray(groups))} entries but there are {len(x)} frames; give the "
                             "recording of every frame")
        if groups is not None and len(np.unique(groups)) >= 2:
            splits = LeaveOneGroupOut().split(x, groups=groups)
        else:
            splits = KFold(self.n_folds).split(x)
        out = np.empty(y.shape)
        for train, test in splits:
            out[test] = clone(self.model_).fit(x[train], y[train]).predict(x[test])
        return out

    def predict(self, features) -> np.ndarray:
        if not hasattr(self, "model_"):
            raise RuntimeError("call fit() before predict()")
        x = self._x(features)
        expected = self.model_[0].n_features_in_
        if x.shape[1] != expected:
            raise ValueError(f"features have {x.shape[1]} values per frame but the ridge was fitted on {expected} "
                             "(channels × bands); compute them with the same channels and bands as for fit()")
        return self.model_.predict(x)

    @staticmethod
    def _y(frames) -> np.ndarray:
        from neuroframes_edu._utils.validation import check_array

        return check_array(frames, "frames", ndim=2, axes="(n_frames, n_vertices)")

    @staticmethod
    def _x(features) -> np.ndarray:
        from neuroframes_edu._utils.validation import check_array

        x = check_array(features, "features", finite=False,
                        axes="(n_frames, n_features) or (n_frames, channels, bands)")
        if x.ndim == 3:
            x = x.reshape(len(x), -1)
        if x.ndim != 2 or not np.isfinite(x).all():
            raise ValueError(f"features must be finite, shaped (n_frames, n_features) or (n_frames, channels, "
                             f"bands); got {x.shape}")
        return x


def _block_cv_r2(x, y, alphas, n_folds: int) -> np.ndarray:
    """Mean R² (averaged over outputs, then folds) of ridge with each penalty, over contiguous folds.

    The same numbers as scikit-learn's ``Ridge(alpha)`` scored with ``cross_val_score(...,
    cv=KFold(n_folds))`` (an intercept refitted per fold and penalty), computed from one
    decomposition per fold, so that thousands of features (e.g. band power of every cortical source)
    cost seconds rather than minutes: the SVD of the centred training block when it has at least as
    many frames as features, else the eigendecomposition of its frames' Gram matrix (kernel ridge: the
    same predictions at a fraction of the cost when features outnumber frames).
    """
    from sklearn.model_selection import KFold

    scores = np.zeros(len(alphas))
    for train, test in KFold(n_folds).split(x):
        x_mean, y_mean = x[train].mean(axis=0), y[train].mean(axis=0)
        x_train, x_test = x[train] - x_mean, x[test] - x_mean
        # pred = left · diag(num / (den + α)) · uᵀ y for every penalty α
        if len(train) >= x.shape[1]:  # primal: left = x_test V, num = s, den = s², from x_train = U diag(s) Vᵀ
            u, sv, vt = np.linalg.svd(x_train, full_matrices=False)
            left, num, den = x_test @ vt.T, sv, sv**2
        else:  # dual: left = x_test x_trainᵀ U, num = 1, den = λ, from x_train x_trainᵀ = U diag(λ) Uᵀ
            den, u = np.linalg.eigh(x_train @ x_train.T)
            den = np.clip(den, 0.0, None)  # rounding can leave the smallest eigenvalues slightly negative
            left, num = (x_test @ x_train.T) @ u, np.ones_like(den)
        uty = u.T @ (y[train] - y_mean)  # (k, V)
        y_test = y[test]
        ss_tot = ((y_test - y_test.mean(axis=0)) ** 2).sum(axis=0)
        for i, alpha in enumerate(alphas):
            pred = left @ ((num / (den + alpha))[:, None] * uty) + y_mean
            ss_res = ((y_test - pred) ** 2).sum(axis=0)
            # scikit-learn's r2_score: constant outputs score 1 when predicted exactly, else 0
            r2 = np.where(ss_tot > 0, 1 - ss_res / np.where(ss_tot > 0, ss_tot, 1), np.where(ss_res == 0, 1.0, 0.0))
            scores[i] += r2.mean() / n_folds
    return scores
