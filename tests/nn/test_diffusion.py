"""The paper's diffusion model: autoencoder, schedule identities, DDIM, the projection in the sampler,
the model's objective, sampling, checkpoints and the training recipe."""

from __future__ import annotations

import json
from functools import cache

import numpy as np
import pytest
import torch

from neuroframes_edu.metrics import interval_coverage
from neuroframes_edu.nn import (
    DiffusionConfig,
    EEGDiffusionModel,
    FrameBatch,
    FrameDenoiser,
    LinearFrameAutoencoder,
    ModelConfig,
    NeuralFramesModel,
    NoiseSchedule,
    ddim_sample,
    ddnm_plus_weight,
)
from neuroframes_edu.nullspace import FrameMask, blurred_decimation, decimation

V, C, SFREQ = 1284, 6, 100.0


def eeg_config(**kw):
    base = dict(n_channels=C, sfreq=SFREQ, n_vertices=V, mesh="ico3", window=4.0, latent_dim=8, n_filters=2,
                n_spatial=4, dropout=0.0)
    return ModelConfig(**{**base, **kw})


def config(**kw):
    return DiffusionConfig(eeg=eeg_config(), **{**dict(frame_latent_dim=12, width=16, depth=2, heads=2,
                                                      n_steps=100), **kw})


def batch(b=2, k=6, seconds=10.0, seed=0, target=True):
    cfg = eeg_config()
    g = torch.Generator().manual_seed(seed)
    steps = int(seconds * cfg.feature_rate)
    return FrameBatch(eeg=torch.randn(b, C, int(seconds * SFREQ), generator=g),
                      bands=torch.randn(b, cfg.n_band_features, steps, generator=g),
                      hrf_bands=torch.randn(b, k, cfg.n_band_features, generator=g),
                      frame_times=torch.linspace(cfg.window + 0.5, seconds - 0.5, k).repeat(b, 1), sfreq=SFREQ,
                      target=torch.randn(b, k, V, generator=g) if target else None,
                      valid=torch.ones(b, k, dtype=torch.bool))


@cache
def low_rank_frames(n=400, rank=5, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(n, rank)) @ rng.normal(size=(rank, V))).astype(np.float32)


# ----------------------------------------------------------------------------- autoencoder
def test_pca_autoencoder_is_exact_on_data_of_its_rank_with_unit_latents():
    ae = LinearFrameAutoencoder(V, 5)
    kept = ae.fit_pca(low_rank_frames())
    assert kept == pytest.approx(1.0, abs=1e-6)
    assert ae.reconstruction_error(low_rank_frames()) < 1e-8
    with torch.no_grad():
        z = ae.encode(torch.as_tensor(low_rank_frames()))
    assert float((z ** 2).mean()) == pytest.approx(1.0, rel=1e-4)
    small = LinearFrameAutoencoder(V, 2)
    assert 0 < small.fit_pca(low_rank_frames()) < 1 and small.reconstruction_error(low_rank_frames()) > 0.01


def test_the_linear_autoencoder_commutes_with_every_temporal_operator():
    ae = LinearFrameAutoencoder(V, 8)
    ae.fit_pca(low_rank_frames(rank=20))
    x = torch.randn(3, 12, V)
    for op in (FrameMask(np.arange(12) % 3 == 0), decimation(12, 4), blurred_decimation(12, 4, [0.2, 0.5, 0.3])):
        with torch.no_grad():
            torch.testing.assert_close(ae.encode(op.apply(x)), op.apply(ae.encode(x)), atol=1e-4, rtol=1e-4)


def test_gradient_training_approaches_pca_and_is_seeded():
    frames = low_rank_frames()
    a, b = LinearFrameAutoencoder(V, 5), LinearFrameAutoencoder(V, 5)
    losses = a.fit_gradient(frames, epochs=30, lr=3e-3, seed=1)
    b.fit_gradient(frames, epochs=30, lr=3e-3, seed=1)
    assert losses[-1] < 0.2 * losses[0]
    torch.testing.assert_close(a.encoder.weight, b.encoder.weight)
    assert a.reconstruction_error(frames) < 0.05
    frozen = LinearFrameAutoencoder(V, 5).requires_grad_(False)  # as inside a diffusion model: fits, stays frozen
    frozen.fit_gradient(frames, epochs=2, seed=1)
    assert not any(p.requires_grad for p in frozen.parameters())


def test_autoencoder_errors_name_the_argument():
    ae = LinearFrameAutoencoder(V, 4)
    with pytest.raises(ValueError, match="frames must be \\(n_frames, n_vertices=1284\\)"):
        ae.fit_pca(np.zeros((10, 5)))
    bad = low_rank_frames().copy()
    bad[0, 0] = np.nan
    with pytest.raises(ValueError, match="1 NaN or infinite.*valid frames"):
        ae.fit_pca(bad)
    with pytest.raises(ValueError, match=r"latent_dim \(in 1..n_vertices=1284\) must be an integer in \[1, 1284\]"):
        LinearFrameAutoencoder(V, 0)


# ----------------------------------------------------------------------------- schedule and DDIM
def test_schedule_identities():
    s = NoiseSchedule(1000)
    assert torch.all(s.alphas_cumprod[1:] < s.alphas_cumprod[:-1]) and 0 < float(s.alphas_cumprod[-1]) < 1e-4
    z0, eps = torch.randn(4, 5, 3), torch.randn(4, 5, 3)
    t = torch.tensor([0, 10, 500, 999])
    zt = s.add_noise(z0, t, eps)
    torch.testing.assert_close(s.predict_z0(zt, t, eps), z0, atol=1e-3, rtol=1e-4)
    abar = s.alphas_cumprod[t].float()[:, None, None]
    torch.testing.assert_close(zt, abar.sqrt() * z0 + (1 - abar).sqrt() * eps)
    steps = s.ddim_steps(50)
    assert len(steps) == 50 and steps[0] == 999 and steps[-1] == 0 and steps == sorted(steps, reverse=True)
    with pytest.raises(ValueError, match=r"steps \(DDIM steps, in 1..1000\) must be an integer in \[1, 1000\]"):
        s.ddim_steps(0)
    with pytest.raises(ValueError, match="beta_start < beta_end"):
        NoiseSchedule(10, 0.1, 0.01)


def test_ddim_with_the_exact_noise_recovers_a_point_distribution():
    s = NoiseSchedule(1000)
    target = torch.randn(2, 4, 3)

    def oracle(z, t):  # the noise that z_t would carry if the data were `target`
        abar = s.alphas_cumprod[t].float()[:, None, None]
        return (z - abar.sqrt() * target) / (1 - abar).sqrt()

    for eta in (0.0, 1.0):
        out = ddim_sample(oracle, s, torch.randn(2, 4, 3, generator=torch.Generator().manual_seed(0)), steps=20,
                          eta=eta, generator=torch.Generator().manual_seed(1))
        torch.testing.assert_close(out, target, atol=1e-4, rtol=1e-4)


def test_the_projection_inside_the_sampler_keeps_the_measurements_exactly():
    s = NoiseSchedule(200)
    noise = torch.randn(2, 10, 6, generator=torch.Generator().manual_seed(0))
    for op in (FrameMask(np.isin(np.arange(10), [0, 9])), decimation(10, 3), blurred_decimation(10, 2, [0.3, 0.7])):
        y = torch.randn(2, op.n_measurements, 6)
        out = ddim_sample(lambda z, t: 0.5 * z, s, noise, steps=10,
                          correct=lambda z0, t, tn, op=op, y=y: op.project(z0, y))
        assert float((op.apply(out) - y).abs().max()) < 1e-4


def test_ddnm_plus_weight_follows_eq_19():
    assert ddnm_plus_weight(0.5, 0.0) == 1.0
    assert ddnm_plus_weight(0.01, 0.1) == 1.0  # the step's own noise (0.995) hides the measurements' (0.01)
    abar = 0.999  # step noise 0.032 < √ᾱ σ_y = 0.5
    assert ddnm_plus_weight(abar, 0.5) == pytest.approx(np.sqrt(1 - abar) / (np.sqrt(abar) * 0.5))
    assert ddnm_plus_weight(1.0, 0.5) == 0.0  # the last step: the measurements' noise would be all that is left
    with pytest.raises(ValueError, match="sigma_y must be ≥ 0"):
        ddnm_plus_weight(0.5, -1.0)


# ----------------------------------------------------------------------------- denoiser and model
def test_denoiser_shapes_and_zero_start():
    den = FrameDenoiser(latent_dim=12, cond_dim=8, width=16, depth=2, heads=2)
    z, ctx = torch.randn(3, 5, 12), torch.randn(3, 7, 8)
    out = den(z, torch.tensor([0, 5, 99]), torch.arange(5.0).repeat(3, 1), ctx, torch.arange(7.0).repeat(3, 1))
    assert out.shape == (3, 5, 12) and torch.equal(out, torch.zeros_like(out))
    with pytest.raises(ValueError, match="expected z \\(B, K, L\\)"):
        den(z, torch.tensor([0, 5, 99]), torch.arange(4.0).repeat(3, 1), ctx)
    with pytest.raises(ValueError, match="context_times \\(B, F\\)"):
        den(z, torch.tensor([0, 5, 99]), torch.arange(5.0).repeat(3, 1), ctx)  # 7 tokens need their 7 times
    with pytest.raises(ValueError, match="multiple of heads"):
        FrameDenoiser(12, 8, width=10, heads=3)


def test_config_validation_and_json_round_trip():
    cfg = config()
    assert DiffusionConfig.from_dict(json.loads(json.dumps(cfg.to_dict()))) == cfg
    for kwargs, message in [({"frame_latent_dim": 0}, "frame_latent_dim must be an int in 1..n_vertices=1284"),
                            ({"heads": 3}, "heads must be an int ≥ 1 dividing width=16"),
                            ({"cond_dropout": 1.0}, "cond_dropout must be in \\[0, 1\\)")]:
        with pytest.raises(ValueError, match=message):
            config(**kwargs)
    for kwargs in ({"width": 16.0}, {"depth": True}):  # no float or bool slips through as an int
        with pytest.raises(TypeError, match=f"DiffusionConfig.{next(iter(kwargs))} must be an integer"):
            config(**kwargs)
    with pytest.raises(TypeError, match="eeg must be a ModelConfig"):
        DiffusionConfig(eeg={"n_channels": 6})


def test_objective_is_seeded_and_trains():
    torch.manual_seed(0)
    model = EEGDiffusionModel(config())
    model.autoencoder.fit_pca(low_rank_frames(rank=20))
    b = batch()
    torch.manual_seed(1)
    eps, noise = model(b)
    assert eps.shape == noise.shape == (2, 6, 12)
    torch.manual_seed(1)
    torch.testing.assert_close(model(b)[1], noise)
    loss0 = float(model.loss((eps, noise), b).detach())
    assert loss0 == pytest.approx(float((noise ** 2).mean()), rel=1e-5)  # the untrained denoiser predicts 0
    assert not any(p.requires_grad for p in model.autoencoder.parameters())
    with pytest.raises(ValueError, match="needs target frames.*model.sample"):
        model(batch(target=False))


def test_sampling_is_seeded_and_completion_is_exact_in_latent_and_in_vertex_space():
    torch.manual_seed(0)
    model = EEGDiffusionModel(config())
    model.autoencoder.fit_pca(low_rank_frames(rank=20))
    with torch.no_grad():  # a denoiser that does something
        for p in model.denoiser.parameters():
            p.add_(0.05 * torch.randn_like(p))
    b = batch(target=False)
    a1, a2 = model.sample(b, n_samples=3, steps=5, seed=4), model.sample(b, n_samples=3, steps=5, seed=4)
    assert a1.shape == (3, 2, 6, V) and torch.equal(a1, a2)
    assert not torch.equal(a1, model.sample(b, n_samples=3, steps=5, seed=5))
    assert not torch.allclose(a1[0], a1[1])  # several samples differ
    op = FrameMask(np.isin(np.arange(6), [0, 5]))
    y = torch.randn(2, 2, V)
    latent = model.sample(b, steps=5, operator=op, measured=y)[0]
    ae = model.autoencoder
    with torch.no_grad():
        torch.testing.assert_close(op.apply(latent), ae.decode(ae.encode(y)), atol=1e-4, rtol=1e-4)
    assert float((op.apply(latent) - y).abs().max()) > 0.1  # anchors come back as D(E(y)) …
    exact = model.sample(b, steps=5, operator=op, measured=y, exact=True)[0]
    assert torch.equal(op.apply(exact), y)  # … unless the last projection is in vertex space
    noisy = model.sample(b, steps=5, operator=op, measured=y, sigma_y=0.5)[0]
    assert float((op.apply(noisy) - op.apply(latent)).abs().max()) > 1e-3  # DDNM+ does not paste them exactly
    guided = model.sample(b, steps=5, guidance=2.0)
    assert guided.shape == (1, 2, 6, V) and torch.isfinite(guided).all()
    with pytest.raises(ValueError, match="give measured= with operator="):
        model.sample(b, operator=op)
    with pytest.raises(ValueError, match="measured must be \\(batch=2, measurements, vertices=1284\\)"):
        model.sample(b, operator=op, measured=torch.randn(2, 2, 10))


def test_a_frame_mask_per_window_matches_one_operator_per_window():
    torch.manual_seed(0)
    model = EEGDiffusionModel(config())
    model.autoencoder.fit_pca(low_rank_frames(rank=20))
    with torch.no_grad():
        for p in model.denoiser.parameters():
            p.add_(0.05 * torch.randn_like(p))
    b = batch(target=False)
    frames = torch.randn(2, 6, V)
    known = torch.tensor([[True, False, False, False, False, True], [False] * 6])  # the second: EEG alone
    both = model.sample(b, n_samples=2, steps=5, known=known, measured=frames, exact=True, seed=1)
    assert both.shape == (2, 2, 6, V)
    torch.testing.assert_close(both[:, 0, known[0]], frames[0, known[0]].expand(2, -1, -1))  # kept exactly
    # each window as with its own operator (the same noise: window 0 of a batch drawn alone, seeded alike)
    single = model.sample(b, n_samples=2, steps=5, operator=FrameMask(known[0].numpy()), measured=frames[:, known[0]],
                          exact=True, seed=1)
    torch.testing.assert_close(both[:, 0], single[:, 0], atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(both[:, 1], model.sample(b, n_samples=2, steps=5, seed=1)[:, 1], atol=1e-5, rtol=1e-5)
    noisy = model.sample(b, n_samples=2, steps=5, known=known, measured=frames, sigma_y=0.5, seed=1)
    assert float((noisy[:, 0, known[0]] - frames[0, known[0]]).abs().max()) > 1e-3  # DDNM+: not pasted
    with pytest.raises(ValueError, match="operator= .* or known= .*not both"):
        model.sample(b, operator=FrameMask(known[0].numpy()), known=known, measured=frames)
    with pytest.raises(ValueError, match="known must be boolean \\(batch=2, frames=6\\)"):
        model.sample(b, known=known[:, :4], measured=frames)


def test_checkpoints_round_trip_with_weights_only_and_refuse_the_other_model(tmp_path):
    torch.manual_seed(0)
    model = EEGDiffusionModel(config())
    model.autoencoder.fit_pca(low_rank_frames(rank=20))
    path = model.save(tmp_path / "diffusion.pt", extra={"epoch": 3})
    loaded = EEGDiffusionModel.load(path)
    assert loaded.config == model.config and loaded.checkpoint_extra == {"epoch": 3}
    for (name, a), (_, b) in zip(model.state_dict().items(), loaded.state_dict().items(), strict=True):
        assert torch.equal(a, b), name
    b = batch(target=False)
    torch.testing.assert_close(loaded.sample(b, steps=3), model.sample(b, steps=3))
    from neuroframes_edu.surface import load_fsaverage

    other = NeuralFramesModel(eeg_config(), load_fsaverage("ico3")).save(tmp_path / "gcn.pt")
    with pytest.raises(ValueError, match="not a neuroframes-edu diffusion model checkpoint \\(it is a "
                                         "neuroframes-edu model checkpoint: NeuralFramesModel.load"):
        EEGDiffusionModel.load(other)
    with pytest.raises(FileNotFoundError):
        EEGDiffusionModel.load(tmp_path / "missing.pt")


def test_interval_coverage_measures_calibration():
    rng = np.random.default_rng(0)
    truth = rng.normal(size=4000)
    well = interval_coverage(rng.normal(size=(100, 4000)), truth)
    assert abs(well[0.5] - 0.5) < 0.04 and abs(well[0.9] - 0.9) < 0.03
    narrow = interval_coverage(0.3 * rng.normal(size=(100, 4000)), truth)
    assert narrow[0.9] < 0.5  # over-confident samples cover too little
    with pytest.raises(ValueError, match="samples must be \\(n_samples ≥ 2"):
        interval_coverage(rng.normal(size=(1, 10)), rng.normal(size=10))
    with pytest.raises(ValueError, match="levels\\[0\\] must be in \\(0, 1\\), got 1"):
        interval_coverage(rng.normal(size=(5, 10)), rng.normal(size=10), levels=(1.0,))


def test_v_prediction_trains_on_the_velocity_and_samples_through_it():
    torch.manual_seed(0)
    model = EEGDiffusionModel(config(prediction="v", cond_dropout=0.0))
    model.autoencoder.fit_pca(low_rank_frames(rank=20))
    b = batch()
    torch.manual_seed(3)
    _, target = model(b)
    torch.manual_seed(3)  # the same draws: t first, then the noise
    z0 = model.autoencoder.encode(b.target)
    t = torch.randint(0, model.schedule.n_steps, (2,))
    noise = torch.randn_like(z0)
    abar = model.schedule.alphas_cumprod[t].float()[:, None, None]
    torch.testing.assert_close(target, abar.sqrt() * noise - (1 - abar).sqrt() * z0)
    goal = torch.randn(2, 6, 12)

    class Oracle(torch.nn.Module):  # the velocity that z_t would have if the data were `goal`
        def forward(self, z, t, *_):
            a = model.schedule.alphas_cumprod[t].float()[:, None, None]
            eps = (z - a.sqrt() * goal) / (1 - a).sqrt()
            return a.sqrt() * eps - (1 - a).sqrt() * goal

    model.denoiser = Oracle()
    with pytest.raises(ValueError, match="prediction must be 'epsilon' or 'v'"):
        config(prediction="x0")
    frames = model.sample(batch(target=False), steps=10)[0]
    with torch.no_grad():
        torch.testing.assert_close(frames, model.autoencoder.decode(goal), atol=1e-3, rtol=1e-3)


def test_encoder_tokens_read_the_eeg_through_the_courses_encoder_and_train():
    """The paper's way: EEG tokens from the temporal-convolutional encoder, trained with the denoiser."""
    torch.manual_seed(0)
    model = EEGDiffusionModel(config(tokens="encoder"))
    assert model.reads_eeg and model.encoder is not None and model.token_map is None
    model.autoencoder.fit_pca(low_rank_frames(rank=20))
    b = batch()
    tokens = model.condition(b)
    assert tokens.shape == (2, 6, eeg_config().latent_dim)
    optimizer = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=1e-2)
    for _ in range(3):  # adaLN-Zero starts every block's gate at 0: gradients reach the tokens after a step
        optimizer.zero_grad()
        model.loss(model(b), b).backward()
        optimizer.step()
    grads = [p.grad for p in model.encoder.parameters() if p.requires_grad]
    assert grads and any(g is not None and float(g.abs().sum()) > 0 for g in grads)  # the encoder learns
    tokens = model.condition(b)
    frames = model.sample(batch(target=False), n_samples=2, steps=3, seed=0)
    assert frames.shape == (2, 2, 6, V) and torch.isfinite(frames).all()
    # a different EEG gives different tokens: the condition depends on the recording
    other = batch(seed=1)
    assert not torch.allclose(model.condition(other), tokens)
