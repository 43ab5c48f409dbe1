"""LoRA fine-tuning of an open model: the worker of the CustomJob ``llmops_tuning.lora_job`` starts.

Arguments (``--name=value``, as the job's container args): ``--base-model`` (a Hugging Face model
id, or a ``gs://`` folder of weights, read through Cloud Storage FUSE), ``--train-data`` and
``--eval-data`` (the tuning-format JSONL data preparation wrote), ``--epochs``, ``--lora-rank``,
and optionally ``--learning-rate``, ``--lora-alpha``, ``--max-seq-len``. The merged model
(``save_pretrained``: ``config.json`` and safetensors shards, plus the tokenizer) goes to
``AIP_MODEL_DIR``, which Vertex AI sets to ``<baseOutputDirectory>/model``.

Two backends behind one function: ``torch`` (the GPU steps image: PyTorch and Transformers from
the vLLM base image; LoRA itself is written out below, about forty lines, so no PEFT package is
installed) and ``fake`` (under ``LLMOPS_GOOGLE=fake``: the local fakes' ``FakeModel``, so local
runs and tests exercise the job's inputs and outputs without a GPU). The torch backend runs only
in the GPU image; the tests cover the rest.
"""

from __future__ import annotations

import argparse
import os
from typing import List, Sequence, Tuple

from llmops_common.errors import StepError
from llmops_common.executor import log, parse_float, parse_int, run_step
from llmops_common.fake_model import FILE_NAME, FakeModel
from llmops_common.google import MODE_ENV
from llmops_common.jsonl import read_records, write_json
from llmops_common.prompts import example_parts
from llmops_common.storage import expand, local_path

TARGET_MODULES = ("q_proj", "k_proj", "v_proj", "o_proj")


def read_examples(uri: str) -> List[Tuple[str, str]]:
    examples: List[Tuple[str, str]] = []
    for path in expand(uri):
        for line, record in read_records(path):
            try:
                examples.append(example_parts(record))
            except StepError as err:
                raise StepError(err.message, path, line) from None
    if not examples:
        raise StepError(f"{uri} has no examples")
    return examples


def train_fake(base_model: str, train_uri: str, model_dir: str, epochs: int) -> None:
    model = FakeModel.tune(base_model, expand(train_uri), epochs)
    os.makedirs(model_dir, exist_ok=True)
    model.save(os.path.join(model_dir, FILE_NAME))


def train_torch(base_model: str, train: List[Tuple[str, str]], evaluation: List[Tuple[str, str]], model_dir: str, epochs: int, rank: int, alpha: float, learning_rate: float, max_seq_len: int) -> float:
    """Trains rank-``rank`` adapters on the attention projections, merges them into the base
    weights and saves the merged model. Returns the evaluation loss."""
    import math

    import torch  # type: ignore[import-not-found]
    from torch import nn  # type: ignore[import-not-found]
    from transformers import AutoModelForCausalLM, AutoTokenizer  # type: ignore[import-not-found]

    class LoRALinear(nn.Module):
        """``base(x) + (alpha / rank) * B(A(x))`` with the base frozen (Hu et al., 2021)."""

        def __init__(self, base: nn.Linear):
            super().__init__()
            self.base = base
            self.base.weight.requires_grad_(False)
            self.a = nn.Parameter(torch.empty(rank, base.in_features, dtype=torch.float32, device=base.weight.device))
            self.b = nn.Parameter(torch.zeros(base.out_features, rank, dtype=torch.float32, device=base.weight.device))
            nn.init.kaiming_uniform_(self.a, a=math.sqrt(5))
            self.scale = alpha / rank

        def forward(self, x):  # noqa: ANN001
            update = (x.to(torch.float32) @ self.a.T @ self.b.T) * self.scale
            return self.base(x) + update.to(x.dtype)

        def merged(self) -> nn.Linear:
            with torch.no_grad():
                self.base.weight += ((self.b @ self.a) * self.scale).to(self.base.weight.dtype)
            return self.base

    source = local_path(base_model) if base_model.startswith("gs://") else base_model
    device = "cuda" if torch.cuda.is_available() else "cpu"
    tokenizer = AutoTokenizer.from_pretrained(source)
    model = AutoModelForCausalLM.from_pretrained(source, torch_dtype=torch.bfloat16 if device == "cuda" else torch.float32).to(device)
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    wrapped = []
    for name, module in list(model.named_modules()):
        for child_name, child in list(module.named_children()):
            if isinstance(child, nn.Linear) and child_name in TARGET_MODULES:
                adapter = LoRALinear(child)
                setattr(module, child_name, adapter)
                wrapped.append((module, child_name, adapter))
    if not wrapped:
        raise StepError(f"{base_model} has no {', '.join(TARGET_MODULES)} layers to adapt")
    log(f"LoRA rank {rank} on {len(wrapped)} projections of {base_model}, {device}")

    def encode(prompt: str, target: str):
        prompt_ids = tokenizer(prompt, add_special_tokens=True)["input_ids"]
        target_ids = tokenizer(target, add_special_tokens=False)["input_ids"] + [tokenizer.eos_token_id]
        ids = (prompt_ids + target_ids)[:max_seq_len]
        labels = ([-100] * len(prompt_ids) + target_ids)[:max_seq_len]  # loss on the answer only
        return torch.tensor([ids], device=device), torch.tensor([labels], device=device)

    parameters = [p for _, _, adapter in wrapped for p in (adapter.a, adapter.b)]
    optimiser = torch.optim.AdamW(parameters, lr=learning_rate)
    model.train()
    for epoch in range(epochs):
        total = 0.0
        for prompt, target in train:
            ids, labels = encode(prompt, target)
            loss = model(input_ids=ids, labels=labels).loss
            loss.backward()
            optimiser.step()
            optimiser.zero_grad()
            total += float(loss)
        log(f"epoch {epoch + 1}/{epochs}: train loss {total / len(train):.4f}")
    model.eval()
    with torch.no_grad():
        eval_loss = sum(float(model(input_ids=i, labels=l).loss) for i, l in (encode(p, t) for p, t in evaluation)) / len(evaluation)
    for module, child_name, adapter in wrapped:
        setattr(module, child_name, adapter.merged())
    os.makedirs(model_dir, exist_ok=True)
    model.save_pretrained(model_dir, safe_serialization=True)
    tokenizer.save_pretrained(model_dir)
    return eval_loss


def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(prog="llmops_lora.train", description=__doc__)
    parser.add_argument("--base-model", required=True)
    parser.add_argument("--train-data", required=True)
    parser.add_argument("--eval-data", required=True)
    parser.add_argument("--epochs", default="3")
    parser.add_argument("--lora-rank", default="16")
    parser.add_argument("--lora-alpha", default="32")
    parser.add_argument("--learning-rate", default="0.0002")
    parser.add_argument("--max-seq-len", default="1024")
    args = parser.parse_args(argv)
    model_uri = os.environ.get("AIP_MODEL_DIR")
    if not model_uri:
        raise StepError("AIP_MODEL_DIR is not set: run as a Vertex AI CustomJob with baseOutputDirectory (llmops_tuning.lora_job does)")
    epochs, rank = parse_int("--epochs", args.epochs), parse_int("--lora-rank", args.lora_rank)
    if epochs < 1 or rank < 1:
        raise StepError(f"epochs {epochs} and lora_rank {rank} must both be 1 or more")
    model_dir = local_path(model_uri)
    train, evaluation = read_examples(args.train_data), read_examples(args.eval_data)
    if os.environ.get(MODE_ENV) == "fake":
        train_fake(args.base_model, args.train_data, model_dir, epochs)
        eval_loss = None
    else:
        eval_loss = train_torch(args.base_model, train, evaluation, model_dir, epochs, rank, parse_float("--lora-alpha", args.lora_alpha), parse_float("--learning-rate", args.learning_rate), parse_int("--max-seq-len", args.max_seq_len))
    write_json(os.path.join(model_dir, "llmops-lora.json"), {"baseModel": args.base_model, "epochs": epochs, "loraRank": rank, "trainExamples": len(train), "evalExamples": len(evaluation), "evalLoss": eval_loss})
    log(f"wrote the tuned model to {model_uri}")


if __name__ == "__main__":
    raise SystemExit(run_step(main))
