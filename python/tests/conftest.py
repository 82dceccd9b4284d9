"""Shared fixtures: the `playbook` command line (PLAYBOOK_BIN) whose output the wheel must
match, and the repository's sample data."""

import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample-data"


def cli_path():
    return os.environ.get("PLAYBOOK_BIN") or str(
        pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / "debug" / "playbook"
    )


@pytest.fixture(scope="session")
def cli():
    """Run `playbook ARGS` (nothing recorded); returns the finished process."""
    exe = cli_path()
    if not os.path.exists(exe):
        pytest.fail(f"no playbook binary at {exe} (set PLAYBOOK_BIN; cargo build makes it)")

    def run(*args, ok=True):
        p = subprocess.run(
            [exe, "--no-record", *map(str, args)], capture_output=True, text=True
        )
        if ok and p.returncode != 0:
            raise AssertionError(f"playbook {' '.join(map(str, args))}: {p.stderr}")
        return p

    return run


@pytest.fixture(scope="session")
def samples():
    return SAMPLES
