#!/bin/bash
# A GPU loan for issue 18 (and 17): the shipped model's recipe (gpu-small) trained from scratch with
# fill-in-the-middle, side by side at several FIM rates, on a tokenizer that has the sentinels.
# Everything is judged afterwards on the CPU (tuning windows to choose, held-out windows to report):
#   bash tools/recipes/gpu_fim.sh OUT_DIR [DEVICE]        (DEVICE: cuda, or cpu to try the script)
# Needs gpu_carry/fim.tar.xz: data/fim (tools/recipes/build_gpu_corpus.py, then `ssl4code tokenizer
# data/fim --vocab-size 6144`, whose tokenizer has the FIM sentinels), packed by
#   tar -C data -cJf gpu_carry/fim.tar.xz fim/train.txt fim/valid.txt fim/tokenizer.json fim/manifest.json
# Afterwards, on the 2-core CPU (choose on tune.json, report on windows.json once):
#   ssl4code eval OUT_DIR/fimR.pt data/fim --keystrokes data/heldout/tune.json --lines data/heldout/tune.json --device cpu
#   python tools/bench_editor.py --checkpoint OUT_DIR/fimR.pt --windows data/heldout/windows.json --chars 600
#   ssl4code eval OUT_DIR/fimR.pt --lines data/heldout/windows.json --device cpu --threads 1
# and ship the chosen one (ssl4code.checkpoint.ship_model) only if it beats the shipped model in word
# mode as well as on lines.
# Environment: BUDGET_S (seconds for the whole script, default 540), RATES (FIM rates side by side,
# default "0 0.5": the cost of FIM at this scale, and a candidate), LR (default 2e-3, the shipped
# model's), BATCH (rows of 256 tokens per step, default 128).
set -u
OUT=${1:?usage: gpu_fim.sh OUT_DIR [DEVICE]}; DEV=${2:-cuda}
BUDGET_S=${BUDGET_S:-540}; RATES=${RATES:-"0 0.5"}; LR=${LR:-2e-3}; BATCH=${BATCH:-128}
W=${WORK:-/tmp/ssl4code-fim}; . "$(dirname "$0")/gpu_prelude.sh"

echo "== [$(elapsed) s] unpack and encode the corpus with its own tokenizer"
tar -xJf "${CARRY:-gpu_carry/fim.tar.xz}" -C "$W" || exit 1
RAYON_NUM_THREADS=12 python3 -c "from ssl4code.bpe import encode_dataset as e; i = e('$W/fim', tokenizer='$W/fim/tokenizer.json', progress=False); print({k: v['tokens'] for k, v in i['splits'].items()})" || exit 1
python3 -c "from ssl4code.bpe import load_tokenizer, fim_ids; t = load_tokenizer('$W/fim/tokenizer.json'); assert fim_ids(t), 'no FIM sentinels'; print('sentinels', fim_ids(t))" || exit 1

LEFT=$(( BUDGET_S - $(elapsed) - 40 ))
MIN=$(python3 -c "print(round(min(8.0, $LEFT / 60 - 0.5), 2))")
echo "== [$(elapsed) s] train side by side for $MIN minutes each: FIM rates $RATES, lr $LR, batch $BATCH x 256"
PIDS=
for r in $RATES; do
  ssl4code train "$W/fim" --model transformer --preset gpu-small --device "$DEV" --batch-size $BATCH --lr $LR \
    --fim-rate $r --minutes $MIN --out "$W/run_$r" > "$W/run_$r.log" 2>&1 &
  PIDS="$PIDS $!"
done
wait $PIDS

echo "== [$(elapsed) s] results"
ship_runs fim $RATES
tar -czf "$OUT/logs.tar.gz" -C "$W" $(cd "$W" && ls -d *.log run_*/log.jsonl 2>/dev/null)
echo "== [$(elapsed) s] done"
