"""AT's perturbation: the sequence-level L2 ball, padding, the radius ramp, the old per-token
behaviour kept exactly, and RS-DA's passes over its copies."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import torch
from torch.nn import functional as F

from litcheck.errors import ExperimentError
from litcheck.experiments.config import MethodConfig, config_from_dict
from litcheck.experiments.data import Example
from litcheck.experiments.modeling import (
    EmbeddingScale,
    PairClassifier,
    adversarial_perturbation,
    at_radius,
    perturbation_norms,
    project_perturbation,
    train_step_loss,
)
from litcheck.experiments.trainer import encode_pairs

from .conftest import small_config, tiny_bert

PAIRS = [
    Example("the movie was very good and the film was great", "a film", 1),
    Example("big car", "house", 0),
    Example("the small house is slow", "a man", 1),
]


def _model_and_batch(tokenizer: Any) -> tuple[PairClassifier, dict[str, torch.Tensor]]:
    model = PairClassifier(tiny_bert(len(tokenizer)), {"pawsx": 2})
    model.encoder.get_input_embeddings().weight.requires_grad_(False)
    batch = encode_pairs(tokenizer, PAIRS, 32, torch.device("cpu"))
    assert int(batch["attention_mask"].sum(1).min()) < batch["attention_mask"].shape[1]  # padded
    return model, batch


@pytest.mark.parametrize("steps", [1, 3])
def test_sequence_ball_has_the_radius_and_no_padding(steps: int, tokenizer: Any) -> None:
    model, batch = _model_and_batch(tokenizer)
    params = MethodConfig(at_norm="sequence", at_steps=steps, at_epsilon=0.1)
    radius = at_radius(params, EmbeddingScale.of(model), step=10)
    _, adv = adversarial_perturbation(model, "pawsx", batch, params, radius)
    mask = batch["attention_mask"].unsqueeze(-1).float()
    norms = perturbation_norms(adv, mask, "sequence")
    # a normalised ascent step of the full radius lands on the sphere; PGD steps stay on it
    # or inside, and the first step alone already has the radius
    if steps == 1:
        assert torch.allclose(norms, torch.full_like(norms, radius), rtol=1e-5)
    else:
        assert bool((norms <= radius * (1 + 1e-5)).all()) and float(norms.max()) > 0.5 * radius
    assert float(adv[batch["attention_mask"] == 0].abs().sum()) == 0.0
    # the whole-sequence budget is shared: no single token carries the full radius
    per_token = perturbation_norms(adv, mask, "token")
    assert float(per_token.max()) < radius


def test_projection_onto_the_sequence_ball() -> None:
    torch.manual_seed(0)
    mask = torch.tensor([[1.0, 1.0, 1.0, 0.0], [1.0, 1.0, 0.0, 0.0]]).unsqueeze(-1)
    big = torch.randn(2, 4, 8) * 5
    out = project_perturbation(big, mask, 0.3, "sequence")
    assert torch.allclose(perturbation_norms(out, mask, "sequence"), torch.tensor([0.3, 0.3]))
    assert float(out[mask.squeeze(-1) == 0].abs().sum()) == 0.0
    # padding is zeroed before measuring: its values never shrink the real tokens' share
    padded_only = big.clone()
    padded_only[0, 3] = 1e6
    again = project_perturbation(padded_only, mask, 0.3, "sequence")
    assert torch.allclose(again, out)
    small = torch.randn(2, 4, 8) * 1e-3 * mask
    assert torch.allclose(project_perturbation(small, mask, 0.3, "sequence"), small)


def test_radius_ramp() -> None:
    scale = EmbeddingScale(rms=0.05, mean_norm=2.0)
    flat = MethodConfig(at_epsilon=0.1)
    assert at_radius(flat, scale, 0) == pytest.approx(0.2)
    ramp = MethodConfig(at_epsilon=0.1, at_ramp_steps=4)
    got = [at_radius(ramp, scale, s) for s in range(6)]
    assert got == pytest.approx([0.05, 0.1, 0.15, 0.2, 0.2, 0.2])


def _old_at_loss(
    model: PairClassifier, batch: dict[str, torch.Tensor], params: MethodConfig, radius: float
) -> float:
    """The per-token AT of the published cpu-grid, as it was written before at_norm existed."""

    def project(delta: torch.Tensor) -> torch.Tensor:
        norms = delta.norm(dim=-1, keepdim=True).clamp(min=1e-12)
        return delta * torch.clamp(radius / norms, max=1.0)

    ids, mask, labels = batch["input_ids"], batch["attention_mask"], batch["labels"]
    token_mask = mask.unsqueeze(-1).to(torch.float32)
    w = params.at_clean_weight
    emb = model.word_embeddings(ids)
    delta = torch.zeros_like(emb, requires_grad=True)
    clean = F.cross_entropy(model("pawsx", mask, inputs_embeds=emb + delta), labels)
    (w * clean).backward()  # type: ignore[no-untyped-call]
    grad = delta.grad
    assert grad is not None
    step = radius / params.at_steps if params.at_steps > 1 else radius
    adv = project(step * grad / grad.norm(dim=-1, keepdim=True).clamp(min=1e-12)) * token_mask
    for _ in range(params.at_steps - 1):
        d = adv.detach().requires_grad_(True)
        inner = F.cross_entropy(model("pawsx", mask, inputs_embeds=emb.detach() + d), labels)
        (g,) = torch.autograd.grad(inner, d)
        adv = project(d + step * g / g.norm(dim=-1, keepdim=True).clamp(min=1e-12)) * token_mask
    adv_loss = F.cross_entropy(
        model("pawsx", mask, inputs_embeds=model.word_embeddings(ids) + adv.detach()), labels
    )
    ((1 - w) * adv_loss).backward()  # type: ignore[no-untyped-call]
    return float(w * clean.detach() + (1 - w) * adv_loss.detach())


@pytest.mark.parametrize("steps", [1, 2])
def test_token_norm_is_the_published_behaviour(steps: int, tokenizer: Any) -> None:
    params = MethodConfig(at_steps=steps)  # at_norm defaults to "token", no ramp
    assert params.at_norm == "token" and params.at_ramp_steps == 0
    grads = []
    losses = []
    for new in (True, False):
        model, batch = _model_and_batch(tokenizer)
        model.eval()  # no dropout: the two computations see the same network
        scale = EmbeddingScale.of(model)
        if new:
            losses.append(train_step_loss(model, "pawsx", batch, "at", params, scale, step=3))
        else:
            losses.append(_old_at_loss(model, batch, params, params.at_epsilon * scale.mean_norm))
        grads.append([p.grad.clone() for p in model.parameters() if p.grad is not None])
    assert losses[0] == losses[1]
    assert len(grads[0]) == len(grads[1]) > 0
    assert all(torch.equal(a, b) for a, b in zip(*grads, strict=True))


def test_sequence_norm_trains_a_step(tokenizer: Any) -> None:
    model, batch = _model_and_batch(tokenizer)
    params = MethodConfig(at_norm="sequence", at_ramp_steps=5, at_steps=2)
    loss = train_step_loss(model, "pawsx", batch, "at", params, EmbeddingScale.of(model), step=0)
    assert math.isfinite(loss) and loss > 0
    assert float(model.heads["pawsx"].weight.grad.abs().sum()) > 0  # type: ignore[union-attr]


def test_at_config_values() -> None:
    cfg = config_from_dict(
        small_config(method="at", methods={"at_norm": "sequence", "at_ramp_steps": 50})
    )
    assert (cfg.methods.at_norm, cfg.methods.at_ramp_steps) == ("sequence", 50)
    with pytest.raises(ExperimentError, match=r"methods\.at_norm"):
        config_from_dict(small_config(methods={"at_norm": "example"}))
    with pytest.raises(ExperimentError, match=r"methods\.at_ramp_steps"):
        config_from_dict(small_config(methods={"at_ramp_steps": -1}))


def test_rs_da_passes_over_its_copies(data_dir: Path) -> None:
    from litcheck.experiments.attacks import SynonymTable
    from litcheck.experiments.data import load_task, make_pools
    from litcheck.experiments.trainer import _stage_examples

    def task_steps(**methods: Any) -> tuple[int, int]:
        cfg = config_from_dict(small_config(method="rs_da", methods=methods))
        data = {"pawsx": load_task(data_dir, "pawsx")}
        pools = {"pawsx": make_pools(data["pawsx"], cfg.pools.sizes(), cfg.pools.seed)}
        stage = _stage_examples(cfg, data, pools, SynonymTable.load(data_dir))[-1]
        return stage.steps, len(stage.examples)

    # 20 pairs x 10 copies at batch 4: one pass is 50 steps
    assert task_steps(rs_da_passes=2.0) == (100, 200)
    assert task_steps(rs_da_passes=0.5, rs_da_n=3) == (8, 60)  # ceil(0.5 * 60 / 4)
    with pytest.raises(ExperimentError, match="give one of them"):
        config_from_dict(
            small_config(method="rs_da", methods={"rs_da_passes": 2.0, "rs_da_match_epochs": True})
        )
