#!/bin/bash
# One GPU session, prepared to fit a short lease: CUDA checks of the four models, their speed on the
# GPU, then candidate shipped models trained side by side on the bigger corpus.
#   bash tools/recipes/gpu_session.sh OUT_DIR [DEVICE]         (DEVICE: cuda, or cpu to try the script)
# Needs gpu_carry/big.tar.xz: data/big (tools/recipes/build_gpu_corpus.py) with its tokenizer.json, packed by
#   tar -C data -cJf gpu_carry/big.tar.xz big/train.txt big/valid.txt big/tokenizer.json big/manifest.json
# Environment: BUDGET_S (seconds for the whole script, default 530), LRS (peak learning rates of
# the candidates, default "2e-3 4e-3 8e-3"), BATCH (rows of 256 tokens per step, default 128).
set -u
OUT=${1:?usage: gpu_session.sh OUT_DIR [DEVICE]}; DEV=${2:-cuda}
BUDGET_S=${BUDGET_S:-530}; LRS=${LRS:-"2e-3 4e-3 8e-3"}; BATCH=${BATCH:-128}
W=${WORK:-/tmp/ssl4code-gpu}; . "$(dirname "$0")/gpu_prelude.sh"

echo "== [$(elapsed) s] unpack and encode the corpus (in the background)"
tar -xJf "${CARRY:-gpu_carry/big.tar.xz}" -C "$W" || exit 1
RAYON_NUM_THREADS=12 python3 -c "from ssl4code.bpe import encode_dataset as e; i = e('$W/big', tokenizer='$W/big/tokenizer.json', progress=False); print({k: v['tokens'] for k, v in i['splits'].items()})" > "$W/encode.log" 2>&1 &
ENC=$!

echo "== [$(elapsed) s] CUDA checks"
timeout 150 python3 tools/cuda_check.py "$DEV" 2>&1 | tee "$OUT/cuda_check.txt"
echo "== [$(elapsed) s] speed at the reference size"
timeout 120 python3 tools/bench_models.py --device "$DEV" --steps 20 --warmup 5 2>&1 | tee "$OUT/bench_models.txt"

wait $ENC; cat "$W/encode.log"; [ -f "$W/big/tokens.json" ] || { echo "encoding failed"; exit 1; }
echo "== [$(elapsed) s] the trainer on $DEV: every model, tiny preset; DDP through torchrun (1 process)"
for m in lstm rhn transformer xl; do
  timeout 120 ssl4code train "$W/big" --model $m --preset tiny --device "$DEV" --out "$W/tiny_$m" > "$W/tiny_$m.log" 2>&1 &
done
wait
for m in lstm rhn transformer xl; do printf '%-12s ' $m; tail -c 300 "$W/tiny_$m.log" | tr '\r' '\n' | grep -v '^$' | tail -1; ls "$W/tiny_$m/model.pt" >/dev/null || echo "  FAILED: no model.pt"; done
timeout 120 python3 -m torch.distributed.run --standalone --nproc_per_node=1 --no-python ssl4code train "$W/big" --model transformer \
  --preset tiny --device "$DEV" --out "$W/tiny_ddp" > "$W/tiny_ddp.log" 2>&1; echo "torchrun rc=$? $(ls $W/tiny_ddp/model.pt)"

LEFT=$(( BUDGET_S - $(elapsed) - 45 ))
MIN=$(python3 -c "print(round(min(7.0, $LEFT / 60 - 0.4), 2))")
echo "== [$(elapsed) s] train the candidates side by side for $MIN minutes each: lr in $LRS, batch $BATCH x 256"
SMI=; [ "$DEV" = cuda ] && { nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv,noheader -l 20 > "$W/smi.log" 2>&1 & SMI=$!; }
PIDS=
for lr in $LRS; do
  ssl4code train "$W/big" --model transformer --preset default --device "$DEV" --batch-size $BATCH --dropout 0 \
    --lr $lr --minutes $MIN --out "$W/run_$lr" > "$W/run_$lr.log" 2>&1 &
  PIDS="$PIDS $!"
done
wait $PIDS; [ -n "$SMI" ] && kill $SMI

echo "== [$(elapsed) s] results"
ship_runs lr $LRS
tar -czf "$OUT/logs.tar.gz" -C "$W" $(cd "$W" && ls -d *.log run_*/log.jsonl tiny_*/log.jsonl 2>/dev/null)
cat "$W/smi.log" 2>/dev/null | tail -5
echo "== [$(elapsed) s] done"
