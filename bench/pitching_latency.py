#!/usr/bin/env python3
"""Live-ingestion latency: `playbook pitching watch` on a folder that receives one pitch file
every --interval-ms (default 100) for --minutes (default 5), each written as .tmp and renamed,
in game order, from a generated season; the season's earlier pitches are the watcher's history.

Two measures of "file landed to flag written":
- outside: this script polls the flag table every 2 ms and times each new row against the
  moment its file was renamed into the folder (rows come in file order);
- inside: the watcher's own summary, from each file's modification time to its flags appended,
  synced and checkpointed.
Prints p50, p90, p99 and max of both.

usage: bench/pitching_latency.py [--minutes 5] [--interval-ms 100] [--playbook PATH]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)


def pct(v, q):
    v = sorted(v)
    return v[min(len(v) - 1, round((len(v) - 1) * q))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=5.0)
    ap.add_argument("--interval-ms", type=float, default=100.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--playbook", default=os.path.join(
        os.environ.get("CARGO_TARGET_DIR", os.path.join(root, "target")), "release", "playbook"))
    args = ap.parse_args()
    import pandas as pd

    tmp = tempfile.mkdtemp()
    season = os.path.join(tmp, "season.parquet")
    subprocess.run([args.playbook, "gen", "pitches", "--seed", str(args.seed), "--out", season],
                   check=True, capture_output=True)
    df = pd.read_parquet(season)
    df["game_date"] = df["game_date"].astype(str)
    n = int(args.minutes * 60_000 / args.interval_ms)
    # The last n pitches of the season are the live feed; everything before is history.
    df = df.sort_values(["game_date", "game_pk", "at_bat_number", "pitch_number"], kind="stable")
    live, history = df.iloc[-n:], df.iloc[:-n]
    hist_path = os.path.join(tmp, "history.parquet")
    history.to_parquet(hist_path, index=False)
    folder = os.path.join(tmp, "incoming")
    os.mkdir(folder)
    out = os.path.join(tmp, "flags.csv")
    watcher = subprocess.Popen(
        [args.playbook, "--no-record", "pitching", "watch", "--dir", folder, "--history",
         hist_path, "--out", out, "--json", "--seconds",
         str(args.minutes * 60 + 60)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # Wait until the watcher says it is watching (it fits the regression on the history first).
    ready = threading.Event()
    log = []

    def read_stderr():
        for line in watcher.stderr:
            log.append(line)
            if line.startswith("watching"):
                ready.set()

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    if not ready.wait(timeout=300):
        sys.exit("the watcher did not start: " + "".join(log))

    landed = []
    seen = []
    done = threading.Event()

    def poll():
        rows = 0
        while not done.is_set() or rows < len(landed):
            try:
                with open(out, "rb") as f:
                    count = f.read().count(b"\n") - 1
            except FileNotFoundError:
                count = 0
            now = time.time()
            while rows < count:
                seen.append(now)
                rows += 1
            if done.is_set() and time.time() - done_at[0] > 10:
                break
            time.sleep(0.002)

    done_at = [0.0]
    t = threading.Thread(target=poll)
    t.start()
    start = time.time()
    records = live.to_dict("records")
    for i, r in enumerate(records):
        due = start + i * args.interval_ms / 1000
        wait = due - time.time()
        if wait > 0:
            time.sleep(wait)
        body = {k: (None if (isinstance(v, float) and v != v) else v) for k, v in r.items()}
        name = os.path.join(folder, f"p{i:06d}.json")
        with open(name + ".tmp", "w") as f:
            json.dump(body, f)
        os.rename(name + ".tmp", name)
        landed.append(time.time())
    done_at[0] = time.time()
    done.set()
    t.join()
    watcher.send_signal(2)
    stdout = watcher.stdout.read()
    watcher.wait(timeout=120)
    stderr = "".join(log)
    inside = json.loads(stdout) if stdout.strip() else {}
    lat = [(s - l) * 1000 for s, l in zip(seen, landed)]
    print(f"{len(landed)} pitches, one every {args.interval_ms:.0f} ms for {args.minutes} min; "
          f"{len(seen)} flag rows seen")
    if lat:
        print(f"outside (renamed -> row in the flag table): p50 {pct(lat, 0.5):.1f} ms, "
              f"p90 {pct(lat, 0.9):.1f} ms, p99 {pct(lat, 0.99):.1f} ms, max {max(lat):.1f} ms")
    if inside:
        print(f"inside (file mtime -> flags synced and checkpointed): "
              f"p50 {inside['latency_p50_ms']:.1f} ms, p99 {inside['latency_p99_ms']:.1f} ms; "
              f"files {inside['files']}, flagged {inside['flagged']}, "
              f"quarantined {inside['quarantined']}")
    else:
        print(stderr[-2000:], file=sys.stderr)


if __name__ == "__main__":
    main()
