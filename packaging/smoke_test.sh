#!/bin/sh
# make package-test: the smoke test of the built app (packaging/smoke_test.py says what it checks).
# Runs the system's python3 (standard library only) with PATH=/usr/bin:/bin, never the project's .venv.
set -eu
cd "$(dirname "$0")/.."
exec env -i PATH=/usr/bin:/bin HOME="${HOME:-/tmp}" LANG=C.UTF-8 python3 packaging/smoke_test.py "${1:-dist/MaintDesk}"
