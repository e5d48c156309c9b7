"""A sentence-pair classifier on a BERT-style encoder, and the training losses of each method.

The classifier mean-pools the encoder's last hidden states (multilingual-e5's pooling) and
puts one linear head per task on top. Inputs can be token ids or word embeddings, so RS-RP and
AT can perturb the word embeddings before position and type embeddings are added.

Methods (``ExperimentConfig.method``):

- ``plain``: cross-entropy on the pair.
- ``rs_da``: randomized smoothing with data augmentation; the *data* are synonym-substituted
  (see :mod:`litcheck.experiments.attacks`), the loss is plain cross-entropy.
- ``rs_rp``: randomized smoothing with random perturbation: Gaussian noise of std
  ``rp_sigma * rms(word-embedding table)`` is added to every word embedding; loss on the noisy
  input only.
- ``at``: adversarial training on input embeddings (FGM / PGD); loss
  ``w * clean + (1 - w) * adversarial``. The L2 ball has radius
  ``at_epsilon * mean token-embedding norm`` and is either per token (``at_norm = "token"``,
  the published cpu-grid) or one ball over all non-padding tokens of an example
  (``at_norm = "sequence"``, FreeLB-style). A per-token ball of 0.1 x the mean norm puts
  about 1.3 of perturbation on a 64-token pair, several times what sequence-level adversarial
  training uses, and the PAWS-X AT runs of the cpu-grid answered with the class prior; the
  sequence ball at the same ``at_epsilon`` is sqrt(tokens) times smaller. ``at_ramp_steps``
  grows the radius linearly from the first step, so the model learns the task before the
  perturbation reaches full size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch
from torch import nn
from torch.nn import functional as F

from litcheck.experiments.config import MethodConfig


class PairClassifier(nn.Module):
    """Encoder + mean pooling + one linear head per task.

    Args:
        encoder: a transformers ``BertModel`` (or any model taking ``inputs_embeds``).
        labels: number of labels per task name.
        dropout: dropout before the head.
    """

    def __init__(self, encoder: Any, labels: dict[str, int], dropout: float = 0.1) -> None:
        super().__init__()
        self.encoder = encoder
        hidden = int(encoder.config.hidden_size)
        self.dropout = nn.Dropout(dropout)
        self.heads = nn.ModuleDict({t: nn.Linear(hidden, n) for t, n in labels.items()})

    def word_embeddings(self, input_ids: torch.Tensor) -> torch.Tensor:
        """Word embeddings of ``input_ids`` (before position/type embeddings)."""
        table: nn.Embedding = self.encoder.get_input_embeddings()
        out: torch.Tensor = table(input_ids)
        return out

    def forward(
        self,
        task: str,
        attention_mask: torch.Tensor,
        input_ids: torch.Tensor | None = None,
        inputs_embeds: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """Logits of the ``task`` head."""
        out = self.encoder(
            input_ids=input_ids,
            inputs_embeds=inputs_embeds,
            attention_mask=attention_mask,
            token_type_ids=torch.zeros_like(attention_mask),
        ).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(out.dtype)
        pooled = (out * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        logits: torch.Tensor = self.heads[task](self.dropout(pooled))
        return logits


@dataclass(frozen=True)
class EmbeddingScale:
    """Scale of the word-embedding table, so perturbation sizes are model-independent."""

    rms: float
    mean_norm: float

    @classmethod
    def of(cls, model: PairClassifier) -> EmbeddingScale:
        """Measure the model's word-embedding table."""
        with torch.no_grad():
            table = model.encoder.get_input_embeddings().weight
            return cls(
                rms=float(table.pow(2).mean().sqrt()),
                mean_norm=float(table.norm(dim=1).mean()),
            )


def _project(delta: torch.Tensor, radius: float) -> torch.Tensor:
    norms = delta.norm(dim=-1, keepdim=True).clamp(min=1e-12)
    return delta * torch.clamp(radius / norms, max=1.0)


def _sequence_norms(x: torch.Tensor, token_mask: torch.Tensor) -> torch.Tensor:
    """L2 norm of each example's non-padding part, shaped ``[batch, 1, 1]``."""
    norms: torch.Tensor = (x * token_mask).flatten(1).norm(dim=1).view(-1, 1, 1)
    return norms


def perturbation_norms(delta: torch.Tensor, token_mask: torch.Tensor, norm: str) -> torch.Tensor:
    """Sizes of a perturbation as the ball measures them.

    Args:
        delta: ``[batch, tokens, dim]`` perturbation of the word embeddings.
        token_mask: ``[batch, tokens, 1]``, 1 on real tokens and 0 on padding.
        norm: ``token`` (one norm per token: ``[batch, tokens]``) or ``sequence`` (one per
            example over its non-padding tokens: ``[batch]``).

    Returns:
        The norms.
    """
    if norm == "token":
        per_token: torch.Tensor = (delta * token_mask).norm(dim=-1)
        return per_token
    return _sequence_norms(delta, token_mask).view(-1)


def unit_direction(grad: torch.Tensor, token_mask: torch.Tensor, norm: str) -> torch.Tensor:
    """The ascent direction: ``grad`` scaled to norm 1 per token or per example.

    Padding positions are zero in the ``sequence`` case (they would otherwise take a share of
    the example's budget); the ``token`` case keeps the published runs' arithmetic exactly and
    is masked by its caller.
    """
    if norm == "token":
        unit: torch.Tensor = grad / grad.norm(dim=-1, keepdim=True).clamp(min=1e-12)
        return unit
    masked = grad * token_mask
    return masked / _sequence_norms(masked, token_mask).clamp(min=1e-12)


def project_perturbation(
    delta: torch.Tensor, token_mask: torch.Tensor, radius: float, norm: str
) -> torch.Tensor:
    """Project ``delta`` into the L2 ball of ``radius`` and zero its padding positions.

    Args:
        delta: ``[batch, tokens, dim]``.
        token_mask: ``[batch, tokens, 1]``, 1 on real tokens.
        radius: the ball's radius (absolute, in embedding units).
        norm: ``token`` (a ball per token) or ``sequence`` (one ball per example over its
            non-padding tokens).

    Returns:
        The projected perturbation (unchanged where it already lies inside the ball).
    """
    if norm == "token":
        return _project(delta, radius) * token_mask
    masked = delta * token_mask
    norms = _sequence_norms(masked, token_mask).clamp(min=1e-12)
    return masked * torch.clamp(radius / norms, max=1.0)


def _ascent(
    delta: torch.Tensor | None,
    grad: torch.Tensor,
    step: float,
    token_mask: torch.Tensor,
    radius: float,
    norm: str,
) -> torch.Tensor:
    """One projected ascent step from ``delta`` (None: from zero)."""
    if norm == "token":
        # the published cpu-grid's arithmetic, operation for operation
        moved = step * grad / grad.norm(dim=-1, keepdim=True).clamp(min=1e-12)
        return _project(moved if delta is None else delta + moved, radius) * token_mask
    moved = step * unit_direction(grad, token_mask, norm)
    return project_perturbation(moved if delta is None else delta + moved, token_mask, radius, norm)


def at_radius(params: MethodConfig, scale: EmbeddingScale, step: int) -> float:
    """AT's radius at task-training step ``step`` (0-based), with the linear ramp.

    Args:
        params: the method knobs (``at_epsilon``, ``at_ramp_steps``).
        scale: the embedding table's scale (radii are relative to its mean token norm).
        step: the optimizer step of the stage, counted from 0.

    Returns:
        ``at_epsilon * mean_norm``, times ``min(1, (step + 1) / at_ramp_steps)`` when ramped.
    """
    radius = params.at_epsilon * scale.mean_norm
    if params.at_ramp_steps > 0:
        radius *= min(1.0, (step + 1) / params.at_ramp_steps)
    return radius


def adversarial_perturbation(
    model: PairClassifier,
    task: str,
    batch: dict[str, torch.Tensor],
    params: MethodConfig,
    radius: float,
) -> tuple[torch.Tensor, torch.Tensor]:
    """The clean loss and AT's perturbation of the word embeddings (FGM, then PGD steps).

    The clean loss's gradient at delta = 0 gives the first ascent direction, so its backward
    pass (weighted by ``at_clean_weight``) is shared with the clean part of the objective:
    on return the clean part's gradients have been accumulated.

    Args:
        model: the classifier.
        task: head to use.
        batch: ``input_ids``, ``attention_mask``, ``labels``.
        params: the method knobs (``at_norm``, ``at_steps``, ``at_clean_weight``).
        radius: the ball's absolute radius (see :func:`at_radius`).

    Returns:
        The clean loss (detached) and the perturbation (detached, zero on padding, inside
        the ball).
    """
    ids, mask, labels = batch["input_ids"], batch["attention_mask"], batch["labels"]
    token_mask = mask.unsqueeze(-1).to(torch.float32)
    norm, w = params.at_norm, params.at_clean_weight
    emb = model.word_embeddings(ids)
    delta = torch.zeros_like(emb, requires_grad=True)
    clean = F.cross_entropy(model(task, mask, inputs_embeds=emb + delta), labels)
    if w > 0:
        (w * clean).backward()  # type: ignore[no-untyped-call]
        grad = delta.grad
    else:
        (grad,) = torch.autograd.grad(clean, delta)
    assert grad is not None
    step = radius / params.at_steps if params.at_steps > 1 else radius
    adv = _ascent(None, grad, step, token_mask, radius, norm)
    emb_fixed = emb.detach()
    for _ in range(params.at_steps - 1):
        d = adv.detach().requires_grad_(True)
        inner = F.cross_entropy(model(task, mask, inputs_embeds=emb_fixed + d), labels)
        (g,) = torch.autograd.grad(inner, d)
        adv = _ascent(d, g, step, token_mask, radius, norm)
    return clean.detach(), adv.detach()


def train_step_loss(
    model: PairClassifier,
    task: str,
    batch: dict[str, torch.Tensor],
    method: str,
    params: MethodConfig,
    scale: EmbeddingScale,
    step: int = 0,
) -> float:
    """Compute the method's loss on one batch and back-propagate it (gradients accumulate).

    Args:
        model: the classifier (in train mode).
        task: head to use.
        batch: ``input_ids``, ``attention_mask``, ``labels``.
        method: ``plain``, ``rs_da``, ``rs_rp`` or ``at``.
        params: the method knobs.
        scale: the embedding table's scale.
        step: the stage's optimizer step (0-based), for AT's radius ramp.

    Returns:
        The loss value (a float) that was back-propagated.
    """
    ids, mask, labels = batch["input_ids"], batch["attention_mask"], batch["labels"]
    if method in ("plain", "rs_da"):
        loss = F.cross_entropy(model(task, mask, input_ids=ids), labels)
        loss.backward()  # type: ignore[no-untyped-call]
        return float(loss.item())
    if method == "rs_rp":
        token_mask = mask.unsqueeze(-1).to(torch.float32)
        emb = model.word_embeddings(ids)
        noise = torch.randn_like(emb) * (params.rp_sigma * scale.rms) * token_mask
        loss = F.cross_entropy(model(task, mask, inputs_embeds=emb + noise), labels)
        loss.backward()  # type: ignore[no-untyped-call]
        return float(loss.item())
    if method == "at":
        w = params.at_clean_weight
        clean, adv = adversarial_perturbation(
            model, task, batch, params, at_radius(params, scale, step)
        )
        adv_emb = model.word_embeddings(ids) + adv
        adv_loss = F.cross_entropy(model(task, mask, inputs_embeds=adv_emb), labels)
        ((1 - w) * adv_loss).backward()  # type: ignore[no-untyped-call]
        return float(w * clean + (1 - w) * adv_loss.detach())
    raise ValueError(f"unknown method {method!r}")
