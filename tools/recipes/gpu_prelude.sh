# Sourced by the GPU loan scripts (gpu_session.sh, gpu_fim.sh) once they have set OUT, DEV and W:
# a clock, the environment, a fresh work folder W with an `ssl4code` command that runs this tree
# (the loan's machine has torch but not this package installed), and what the machine has.
T0=$(date +%s); elapsed() { echo $(( $(date +%s) - T0 )); }
export PYTHONPATH=$PWD PYTHONUNBUFFERED=1 OMP_WAIT_POLICY=PASSIVE
rm -rf "$W"; mkdir -p "$W/bin" "$OUT"
printf '#!/usr/bin/env python3\nimport sys\nfrom ssl4code.core import main\nsys.exit(main())\n' > "$W/bin/ssl4code"
chmod +x "$W/bin/ssl4code"; export PATH="$W/bin:$PATH"
python3 -c 'import torch, tokenizers, numpy; print("torch", torch.__version__, "tokenizers", tokenizers.__version__, "cuda", torch.cuda.is_available())'
[ "$DEV" = cuda ] && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
ship_runs() {   # ship_runs PREFIX NAME...: the model of each run $W/run_NAME as $OUT/PREFIXNAME.pt, and its last validation
  local prefix=$1 r f; shift
  for r in "$@"; do
    f="$W/run_$r/model.pt"; [ -f "$f" ] || f="$W/run_$r/checkpoint.pt"
    python3 -c "import sys; from ssl4code.checkpoint import ship_model; print(ship_model(sys.argv[1], out=sys.argv[2]))" "$f" "$OUT/$prefix$r.pt"
    grep '"valid"' "$W/run_$r/log.jsonl" | tail -1
  done
}
