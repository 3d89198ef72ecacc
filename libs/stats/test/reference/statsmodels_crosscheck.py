"""Second, independent opinion from statsmodels, run under Debian's /usr/bin/python3 (statsmodels
0.13.5, which the main generator's Python lacks). Called by generate_reference.py: reads the
datasets as JSON on stdin, writes statsmodels' results as JSON on stdout."""

import json
import sys

import statsmodels
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW, ttest_ind

req = json.load(sys.stdin)
res = {"version": statsmodels.__version__, "means": [], "welch": [], "bh": []}
for x, level in req["means"]:
    d = DescrStatsW(x)
    res["means"].append({"se": float(d.std_mean), "ci": [float(v) for v in d.tconfint_mean(alpha=1 - level)]})
for x1, x2 in req["welch"]:
    t, p, df = ttest_ind(x2, x1, usevar="unequal")
    se = CompareMeans(DescrStatsW(x2), DescrStatsW(x1)).std_meandiff_separatevar
    res["welch"].append({"t": float(t), "p": float(p), "df": float(df), "se": float(se)})
for ps, q in req["bh"]:
    reject, corrected, _, _ = multipletests(ps, alpha=q, method="fdr_bh")
    res["bh"].append({"rejected": [bool(r) for r in reject], "adjusted": [float(c) for c in corrected]})
json.dump(res, sys.stdout)
