#!/bin/bash
# Candidate shipped models of other shapes, trained side by side on one GPU in one short lease:
# every candidate stays within the 10 MB shipping limit (about 4.8 M parameters in half precision).
#   bash tools/recipes/gpu_candidates.sh OUT_DIR [DEVICE]         (DEVICE: cuda, or cpu to try the script)
# Needs gpu_carry/big.tar.xz (see tools/recipes/gpu_session.sh) and, for the 8,192-token candidate,
# gpu_carry/tok8k.json: a BPE tokenizer of 8,192 tokens trained on the same data/big/train.txt (or
# TOK2: another tokenizer for the candidates of folder big2).
# Environment: BUDGET_S (seconds for the whole script, default 560), LR (peak learning rate, default 2e-3),
# CANDS (one candidate per line: name:data folder:model shape; default the three below).
set -u
OUT=${1:?usage: gpu_candidates.sh OUT_DIR [DEVICE]}; DEV=${2:-cuda}
BUDGET_S=${BUDGET_S:-560}; LR=${LR:-2e-3}
T0=$(date +%s); elapsed() { echo $(( $(date +%s) - T0 )); }
export PYTHONPATH=$PWD PYTHONUNBUFFERED=1 OMP_WAIT_POLICY=PASSIVE
W=${WORK:-/tmp/ssl4code-gpu}; rm -rf "$W"; mkdir -p "$W" "$OUT"
python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.cuda.is_available())'
[ "$DEV" = cuda ] && nvidia-smi --query-gpu=name,memory.total --format=csv,noheader

echo "== [$(elapsed) s] unpack and encode the corpus with both tokenizers"
tar -xJf "${CARRY:-gpu_carry/big.tar.xz}" -C "$W" || exit 1
mkdir -p "$W/big2"; ln -s "$W/big/train.txt" "$W/big/valid.txt" "$W/big/manifest.json" "$W/big2/"
cp "${TOK2:-gpu_carry/tok8k.json}" "$W/big2/tokenizer.json"
for d in big big2; do
  RAYON_NUM_THREADS=8 python3 -c "from ssl4code.bpe import encode_dataset as e; i = e('$W/$d', tokenizer='$W/$d/tokenizer.json', progress=False); print('$d', {k: v['tokens'] for k, v in i['splits'].items()})" &
done
wait
[ -f "$W/big/tokens.json" ] && [ -f "$W/big2/tokens.json" ] || { echo "encoding failed"; exit 1; }

# name, data folder, model shape
CANDS=${CANDS:-"d256L4:big:dict(d_model=256,n_layers=4,n_heads=4,d_ff=1024)
d320L3:big:dict(d_model=320,n_layers=3,n_heads=5,d_ff=1024)
v8k:big2:dict(d_model=256,n_layers=3,n_heads=4,d_ff=1024)"}
MIN=$(python3 -c "print(round(min(7.0, ($BUDGET_S - $(elapsed) - 50) / 60), 2))")
echo "== [$(elapsed) s] train the candidates side by side for $MIN minutes each (gpu-small preset, lr $LR)"
PIDS=
for c in $CANDS; do
  IFS=: read -r name data shape <<< "$c"
  python3 -c "from ssl4code.train import train; train('$W/$data', 'transformer', 'gpu-small', out='$W/run_$name', minutes=$MIN, device='$DEV', view='terminal', model_config=$shape, lr=$LR)" > "$W/run_$name.log" 2>&1 &
  PIDS="$PIDS $!"
done
wait $PIDS

echo "== [$(elapsed) s] results"
for c in $CANDS; do
  IFS=: read -r name data shape <<< "$c"
  tail -c 400 "$W/run_$name.log" | tr '\r' '\n' | grep -v '^$' | tail -2
  python3 -c "import sys; from ssl4code.checkpoint import ship_model; print(ship_model(sys.argv[1], out=sys.argv[2]))" "$W/run_$name/model.pt" "$OUT/$name.pt"
  cp "$W/run_$name/log.jsonl" "$OUT/$name.log.jsonl"
done
echo "== [$(elapsed) s] done"
