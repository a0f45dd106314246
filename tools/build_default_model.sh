#!/bin/sh
# Rebuild the model shipped in the package (ssl4code/assets/default.pt) with the project's own recipe:
# the standard library of this Python, a 4,096-token BPE, the LSTM `default` preset (60 minutes of training).
#   sh tools/build_default_model.sh [WORK_DIR]        (default WORK_DIR: build/default-model)
set -e
W=${1:-build/default-model}
ssl4code data --out "$W/data"
ssl4code tokenizer "$W/data"
ssl4code train "$W/data" --model lstm --preset default --out "$W/run"
python -c "import sys; from ssl4code.serve import ship_model; print(ship_model(sys.argv[1]))" "$W/run/model.pt"
ssl4code eval ssl4code/assets/default.pt "$W/data"
