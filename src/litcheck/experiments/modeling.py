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
- ``at``: adversarial training on input embeddings (FGM / PGD in an L2 ball per token of radius
  ``at_epsilon * mean token-embedding norm``); loss ``w * clean + (1 - w) * adversarial``.
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


def train_step_loss(
    model: PairClassifier,
    task: str,
    batch: dict[str, torch.Tensor],
    method: str,
    params: MethodConfig,
    scale: EmbeddingScale,
) -> float:
    """Compute the method's loss on one batch and back-propagate it (gradients accumulate).

    Args:
        model: the classifier (in train mode).
        task: head to use.
        batch: ``input_ids``, ``attention_mask``, ``labels``.
        method: ``plain``, ``rs_da``, ``rs_rp`` or ``at``.
        params: the method knobs.
        scale: the embedding table's scale.

    Returns:
        The loss value (a float) that was back-propagated.
    """
    ids, mask, labels = batch["input_ids"], batch["attention_mask"], batch["labels"]
    if method in ("plain", "rs_da"):
        loss = F.cross_entropy(model(task, mask, input_ids=ids), labels)
        loss.backward()  # type: ignore[no-untyped-call]
        return float(loss.item())
    token_mask = mask.unsqueeze(-1).to(torch.float32)
    if method == "rs_rp":
        emb = model.word_embeddings(ids)
        noise = torch.randn_like(emb) * (params.rp_sigma * scale.rms) * token_mask
        loss = F.cross_entropy(model(task, mask, inputs_embeds=emb + noise), labels)
        loss.backward()  # type: ignore[no-untyped-call]
        return float(loss.item())
    if method == "at":
        radius = params.at_epsilon * scale.mean_norm
        w = params.at_clean_weight
        emb = model.word_embeddings(ids)
        delta = torch.zeros_like(emb, requires_grad=True)
        clean = F.cross_entropy(model(task, mask, inputs_embeds=emb + delta), labels)
        # FGM: the ascent direction comes from the clean loss's gradient at delta = 0, so the
        # clean forward/backward is shared with the clean part of the objective.
        if w > 0:
            (w * clean).backward()  # type: ignore[no-untyped-call]
            grad = delta.grad
        else:
            (grad,) = torch.autograd.grad(clean, delta)
        assert grad is not None
        step = radius / params.at_steps if params.at_steps > 1 else radius
        adv = _project(step * grad / grad.norm(dim=-1, keepdim=True).clamp(min=1e-12), radius)
        adv = adv * token_mask
        emb_fixed = emb.detach()
        for _ in range(params.at_steps - 1):
            d = adv.detach().requires_grad_(True)
            inner = F.cross_entropy(model(task, mask, inputs_embeds=emb_fixed + d), labels)
            (g,) = torch.autograd.grad(inner, d)
            adv = _project(d + step * g / g.norm(dim=-1, keepdim=True).clamp(min=1e-12), radius)
            adv = adv * token_mask
        adv_emb = model.word_embeddings(ids) + adv.detach()
        adv_loss = F.cross_entropy(model(task, mask, inputs_embeds=adv_emb), labels)
        ((1 - w) * adv_loss).backward()  # type: ignore[no-untyped-call]
        return float(w * clean.detach() + (1 - w) * adv_loss.detach())
    raise ValueError(f"unknown method {method!r}")
