#!/bin/sh
# Regenerates the README's numbers: runs the default job, the comparisons
# the README discusses and `scoresde bench`, and rewrites the blocks between
# the README's "readme-numbers" markers, naming the machine.
#
#   docs/readme-numbers.sh                 # the README's numbers (about 10 minutes on 2 cores)
#   docs/readme-numbers.sh --epochs 20 --readme /tmp/README.md   # a quick test of the script
#
# Run from anywhere inside the repository, on an otherwise quiet machine.
set -e
cd "$(dirname "$0")/.."
exec go run ./docs/readmenumbers "$@"
