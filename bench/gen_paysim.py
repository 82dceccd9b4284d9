#!/usr/bin/env python3
"""Write a PaySim-shaped CSV (nine columns, 6,362,620 rows by default, about 500 MB) for the
load benchmark. A quick stand-in until the fraud issue adds `playbook gen transactions`.

usage: bench/gen_paysim.py OUT.csv [ROWS]
"""
import sys

import numpy as np
import pandas as pd

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 6_362_620
rng = np.random.default_rng(42)
types = np.array(["CASH_OUT", "PAYMENT", "CASH_IN", "TRANSFER", "DEBIT"])
kind = rng.choice(types, size=n, p=[0.3517, 0.3381, 0.2199, 0.0838, 0.0065])
amount = np.round(np.exp(rng.normal(11.0, 1.6, n)), 2)
old_org = np.round(np.where(rng.random(n) < 0.33, 0.0, np.exp(rng.normal(10.0, 2.0, n))), 2)
sign = np.where(kind == "CASH_IN", 1.0, -1.0)
new_org = np.round(np.maximum(old_org + sign * amount, 0.0), 2)
merchant = kind == "PAYMENT"
old_dest = np.round(np.where(merchant | (rng.random(n) < 0.4), 0.0, np.exp(rng.normal(12.0, 2.0, n))), 2)
new_dest = np.round(np.where(merchant, 0.0, old_dest - sign * amount), 2)
df = pd.DataFrame({
    "step": np.sort(rng.integers(1, 744, n)),
    "type": kind,
    "amount": amount,
    "nameOrig": np.char.add("C", rng.integers(10**8, 2 * 10**9, n).astype(str)),
    "oldbalanceOrg": old_org,
    "newbalanceOrig": new_org,
    "nameDest": np.char.add(np.where(merchant, "M", "C"), rng.integers(10**8, 2 * 10**9, n).astype(str)),
    "oldbalanceDest": old_dest,
    "newbalanceDest": new_dest,
})
df.to_csv(out, index=False)
print(f"wrote {out}: {n} rows")
