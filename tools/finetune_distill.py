"""An experiment: fine-tuning with part of each target taken from the original model (distillation).

    KD_SHARE=0.5 python tools/finetune_distill.py [the options of tools/finetune_steps.py]

The question: a model fine-tuned on one project becomes surer of itself everywhere (more
suggestions pass the bar, fewer are right) and forgets some general code. Learning without
forgetting (Li & Hoiem, 2016) answers both by training towards soft targets: each target is
(1 - share) x the next token + share x the original model's prediction, so where the project
gives no reason to move, the model is pulled back to what it was, confidence included.

This runs tools/finetune_steps.py (same split, tuning files only, snapshots typed afterwards) with
the trainer's step replaced by one that adds that term; the original model is a frozen copy that
reads every batch too (a forward pass: about a third more time per step). The logged training
loss is the cross-entropy on the true tokens alone. Kept as a tool, not a library option: on
the 2-core CPU it did not pay (99_experiments, results/finetune_steps_distill_tuning.json).
"""
import copy, os, sys
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).parent))
from ssl4code.models import autocast
from ssl4code.train import Trainer, lr_at

SHARE = float(os.environ.get('KD_SHARE', '0.5'))


class DistilTrainer(Trainer):
    "A `Trainer` whose targets keep `SHARE` of the original model's prediction (one micro-batch per step, a windowed model)."
    def __init__(self, model, *args, **kw):
        self.teacher = copy.deepcopy(model).eval().requires_grad_(False)
        super().__init__(model, *args, **kw)
        self.teacher.to(self.device)

    def train_step(self):
        cfg = self.cfg
        self.opt.zero_grad(set_to_none=True)
        x, y, _ = self.batches(self.step)
        x, y = x.to(self.device), y.to(self.device)
        with torch.no_grad(), autocast(self.device, self.bf16_cpu):
            soft_target = F.softmax(self.teacher(x, None)[0].float(), -1)
        with autocast(self.device, self.bf16_cpu):
            logits, _ = self.model(x, None)
        logp = F.log_softmax(logits.float(), -1)
        hard = -logp.gather(-1, y[..., None])[..., 0]
        soft = -(soft_target * logp).sum(-1)
        ((1 - SHARE) * hard + SHARE * soft).mean().backward()
        torch.nn.utils.clip_grad_norm_(self.raw.parameters(), cfg.grad_clip)
        lr = lr_at(self.step, cfg.progress(self.step, self.seconds), cfg.lr, cfg.warmup, cfg.min_lr_ratio)
        for g in self.opt.param_groups: g['lr'] = lr
        self.opt.step()
        self.step += 1
        self.tokens += self.tokens_per_step
        return hard.mean().item()


def main():
    import finetune_steps
    finetune_steps.run_variant(DistilTrainer, 'finetune_distill.py', f'KD_SHARE={SHARE:g}', distill_share=SHARE)


if __name__ == '__main__':     # the typing workers of finetune_steps re-import this file: they must not train
    main()
