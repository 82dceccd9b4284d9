#!/usr/bin/env bash
# The regression guard in one command: builds the release binary, makes (once) a venv with the
# peers at the versions BENCHMARKS.md quotes, and runs bench/guard.py, which prints each key
# side-by-side ratio against the figure committed in BENCHMARKS.md and flags any more than 25%
# worse. A benchmark, not a test: run it alone on the machine before a stop that touches a hot
# path; CI does not run it. Extra arguments go to guard.py (--only load,forecast; --table).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${PLAYBOOK_BENCH_VENV:-/var/tmp/playbook-bench}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/playbook-target}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "pandas>=3" pyarrow scikit-learn "vaderSentiment==3.3.2" \
    dtaidistance geopandas prophet
fi
(cd "$here/.." && cargo build --release --locked --quiet)
exec "$venv/bin/python" "$here/guard.py" "$@"
