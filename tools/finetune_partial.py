"""An experiment: fine-tune only the upper blocks, against forgetting.

    TRAIN_BLOCKS=2,3 python tools/finetune_partial.py [the options of tools/finetune_steps.py]

The question: full fine-tuning on one project moves every weight, and general code pays for it.
Training fewer weights is the usual answer (it is the bet of adapters and LoRA: learn less, forget
less). Here the embedding (tied to the output layer) and the lower blocks stay frozen; only the
blocks listed in TRAIN_BLOCKS and the final LayerNorm learn. No gradient flows below the lowest
trained block, so a step is also cheaper and ten minutes make more of them.

This runs tools/finetune_steps.py (same split, tuning files only, snapshots typed afterwards) with
the trainer's model frozen that way. The project's reporting files are never read.
"""
import os, sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from ssl4code.train import Trainer

BLOCKS = [int(b) for b in os.environ.get('TRAIN_BLOCKS', '2,3').split(',')]


def trainable(name):
    "Whether parameter `name` learns: the listed blocks and the final LayerNorm."
    return name.startswith('ln.') or any(name.startswith(f'blocks.{b}.') for b in BLOCKS)


class PartialTrainer(Trainer):
    "A `Trainer` whose model learns only in the blocks `BLOCKS` and the final LayerNorm."
    def __init__(self, model, *args, **kw):
        for name, p in model.named_parameters(): p.requires_grad_(trainable(name))
        n = sum(p.numel() for p in model.parameters() if p.requires_grad)
        print(f'training {n:,} of {sum(p.numel() for p in model.parameters()):,} parameters (blocks {BLOCKS} and the final LayerNorm)', flush=True)
        super().__init__(model, *args, **kw)


def main():
    import finetune_steps
    finetune_steps.run_variant(PartialTrainer, 'finetune_partial.py', f"TRAIN_BLOCKS={','.join(map(str, BLOCKS))}", train_blocks=BLOCKS)


if __name__ == '__main__':     # the typing workers of finetune_steps re-import this file: they must not train
    main()
