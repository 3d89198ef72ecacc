"""Reference values for libs/stats, computed with independent statistics packages.

Run from the repository root (python3 = a Python with scipy >= 1.15; /usr/bin/python3 = Debian's,
with statsmodels):

    python3 libs/stats/test/reference/generate_reference.py > libs/stats/test/reference/values.ts
    npx prettier --write libs/stats/test/reference/values.ts

Versions used for the committed values.ts are printed in its header.

Primary source of each number (scipy 1.17 / numpy 2.4):
- t quantiles / cdf ........ scipy.stats.t.ppf / scipy.stats.t.cdf
- mean t-interval .......... scipy.stats.t.interval(level, n-1, loc=mean, scale=se), se = numpy std(ddof=1)/sqrt(n)
                             times the finite-population correction sqrt((N-n)/(N-1)) (applied by hand)
- Welch test ............... scipy.stats.ttest_ind(current, previous, equal_var=False): statistic, pvalue, df;
                             se = delta / t
- MDC ...................... (scipy t.ppf(1-alpha/2, df) + t.ppf(power, df)) * se
- Benjamini-Hochberg ....... adjusted: scipy.stats.false_discovery_control(method='bh');
                             rejected: statsmodels multipletests(method='fdr_bh') (see below)
- Cronbach's alpha ......... neither scipy nor statsmodels 0.13 has it (pingouin is not installed): computed
                             from the raw item matrix by the textbook variance formula with numpy AND by Hoyt's
                             two-way ANOVA route (1 - MS_residual / MS_persons); the two must agree to 1e-12.
- ratio (trust index) ...... delta method in matrix form g' S g / n, S = numpy.cov of (X, Y), g the analytic
                             gradient of X/Y, checked against scipy.differentiate.jacobian; t from scipy.

Cross-check: statsmodels 0.13.5 (Debian python3-statsmodels, run by statsmodels_crosscheck.py under
/usr/bin/python3) recomputes the mean intervals (DescrStatsW.tconfint_mean), the Welch tests
(weightstats.ttest_ind(usevar='unequal'), CompareMeans.std_meandiff_separatevar) and BH (multipletests);
this script fails if they disagree by more than 1e-9 relative. (Debian's older scipy 1.10 inverts the t cdf
less precisely, ~1e-11, hence the looser cross-check tolerance; scipy 1.17 is the primary.)

Datasets come from numpy's legacy RandomState with a fixed seed and are written out with the results,
so the TypeScript tests feed exactly the same numbers to the library.
"""

import json
import os
import subprocess
import sys

import numpy as np
import scipy
from scipy import differentiate, stats

rng = np.random.RandomState(20240601)


def likert_scores(n, items, shift=0.0):
    """Per-response mean of `items` answers on 1..7 with a team effect: values in 1/items steps."""
    latent = rng.normal(4.5 + shift, 1.0, size=n)
    answers = np.clip(np.rint(latent[:, None] + rng.normal(0, 0.9, size=(n, items))), 1, 7)
    return answers.mean(axis=1)


def fl(a):
    return [float(x) for x in a]


def close(a, b, rel=1e-9):
    return abs(a - b) <= rel * max(1.0, abs(b))


out = {}

# --- t distribution -----------------------------------------------------------------------------
ps = [0.5, 0.8, 0.9, 0.95, 0.975, 0.995, 0.025, 1e-6]
dfs = [1, 2, 4.5, 9, 29, 120.7, 1000]
out["tQuantile"] = [{"p": p, "df": df, "value": float(stats.t.ppf(p, df))} for p in ps for df in dfs]
ts = [-40, -6, -2.5, -1, 0, 0.3, 1.96, 3.2]
out["tCdf"] = [{"t": t, "df": df, "value": float(stats.t.cdf(t, df))} for t in ts for df in dfs]

# --- means ---------------------------------------------------------------------------------------
datasets = {
    "team6": likert_scores(6, 7),
    "team12": rng.randint(1, 8, size=12).astype(float),
    "org40": likert_scores(40, 7, 0.3),
    "pair": np.array([3.0, 6.0]),
    "oneOff": np.array([5.0, 5.0, 5.0, 5.0, 6.0]),
    "trust9": likert_scores(9, 3, -0.5),
}
out["datasets"] = {k: fl(v) for k, v in datasets.items()}

mean_cases = []
for name, pop, level in [
    ("team6", None, 0.95),
    ("team6", 7, 0.95),
    ("team6", 30, 0.95),
    ("team6", None, 0.9),
    ("team12", None, 0.95),
    ("team12", 15, 0.99),
    ("org40", None, 0.95),
    ("org40", 120, 0.95),
    ("pair", None, 0.95),
    ("oneOff", None, 0.95),
    ("oneOff", 8, 0.8),
    ("trust9", 10, 0.95),
]:
    x = datasets[name]
    n = len(x)
    sd = float(np.std(x, ddof=1))
    fpc = 1.0 if pop is None else float(np.sqrt((pop - n) / (pop - 1)))
    se = fpc * sd / np.sqrt(n)
    lower, upper = stats.t.interval(level, n - 1, loc=np.mean(x), scale=se)
    mean_cases.append(
        {
            "dataset": name,
            "populationSize": pop,
            "level": level,
            "mean": float(np.mean(x)),
            "sd": sd,
            "se": float(se),
            "df": n - 1,
            "fpc": fpc,
            "lower": float(lower),
            "upper": float(upper),
        }
    )
out["meanCases"] = mean_cases

# --- Welch ---------------------------------------------------------------------------------------
welch_pairs = [
    ("team6", "team12"),
    ("team12", "org40"),
    ("org40", "team6"),
    ("pair", "oneOff"),
    ("oneOff", "trust9"),
    ("trust9", "team6"),
]
welch_cases = []
for prev, cur in welch_pairs:
    x1, x2 = datasets[prev], datasets[cur]
    r = stats.ttest_ind(x2, x1, equal_var=False)
    delta = float(np.mean(x2) - np.mean(x1))
    se = delta / float(r.statistic)
    case = {
        "previous": prev,
        "current": cur,
        "delta": delta,
        "se": se,
        "t": float(r.statistic),
        "df": float(r.df),
        "p": float(r.pvalue),
    }
    for alpha, power in [(0.05, 0.8), (0.1, 0.9)]:
        key = f"mdc_{alpha}_{power}".replace(".", "")
        case[key] = float((stats.t.ppf(1 - alpha / 2, r.df) + stats.t.ppf(power, r.df)) * se)
    welch_cases.append(case)
out["welchCases"] = welch_cases

# --- Benjamini-Hochberg --------------------------------------------------------------------------
bh_inputs = [
    # Benjamini & Hochberg (1995), section 4.1: 15 p-values; at q = 0.05 the first 4 are rejected.
    [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.0],
    [0.01, 0.02, 0.03, 0.04, 0.05],
    [0.5, 0.04, 0.04, 0.0, 1.0, 0.2, 0.04, 0.03],
    [0.07],
    fl(np.round(np.concatenate([rng.uniform(0, 0.02, 4), rng.uniform(0, 1, 16)])[rng.permutation(20)], 6)),
    [0.9, 0.8, 0.7, 0.6],
]
bh_cases = []
for ps_ in bh_inputs:
    for q in (0.1, 0.05):
        bh_cases.append({"p": fl(ps_), "q": q, "adjusted": fl(stats.false_discovery_control(ps_, method="bh"))})
out["bhCases"] = bh_cases

# --- Cronbach's alpha ----------------------------------------------------------------------------


def item_matrix(n, k, loading):
    latent = rng.normal(0, 1, size=n)
    raw = 4 + loading * latent[:, None] + rng.normal(0, 1, size=(n, k))
    return np.clip(np.rint(raw), 1, 7)


def alpha_variance(m):
    k = m.shape[1]
    return k / (k - 1) * (1 - m.var(axis=0, ddof=1).sum() / m.sum(axis=1).var(ddof=1))


def alpha_hoyt(m):
    n, k = m.shape
    grand = m.mean()
    ss_persons = k * ((m.mean(axis=1) - grand) ** 2).sum()
    ss_items = n * ((m.mean(axis=0) - grand) ** 2).sum()
    ss_resid = ((m - grand) ** 2).sum() - ss_persons - ss_items
    return 1 - (ss_resid / ((n - 1) * (k - 1))) / (ss_persons / (n - 1))


anti = item_matrix(12, 2, 0.0)
anti[:, 1] = np.clip(8 - anti[:, 0] + rng.randint(-1, 2, size=12), 1, 7)  # items that disagree: alpha < 0
alpha_matrices = {
    "psych30x7": item_matrix(30, 7, 1.2),
    "small8x3": item_matrix(8, 3, 0.8),
    "weak20x4": item_matrix(20, 4, 0.2),
    "anti12x2": anti,
}
alpha_cases = []
for name, m in alpha_matrices.items():
    a1, a2 = alpha_variance(m), alpha_hoyt(m)
    assert abs(a1 - a2) < 1e-12, (name, a1, a2)
    alpha_cases.append({"name": name, "rows": [fl(r) for r in m], "alpha": float(a1)})
out["alphaCases"] = alpha_cases

# --- ratio of means (trust index) ----------------------------------------------------------------


def trust_responses(n, shift):
    c, r, i = (likert_scores(n, 3, shift) for _ in range(3))
    s = likert_scores(n, 3, -1.5 - shift)
    return c + r + i, s


ratio_cases = []
for name, n, shift, pops in [("team8", 8, 0.0, [None, 10]), ("org25", 25, 0.4, [None, 60]), ("tiny3", 3, -0.3, [None])]:
    x, y = trust_responses(n, shift)
    mx, my = x.mean(), y.mean()
    cov = np.cov(np.vstack([x, y]), ddof=1)
    g = np.array([1 / my, -mx / my**2])
    g_num = differentiate.jacobian(lambda p: p[0] / p[1], np.array([mx, my])).df
    assert np.allclose(g, g_num, rtol=1e-9), (g, g_num)
    base_se = float(np.sqrt(g @ cov @ g / n))
    for pop in pops:
        for level in (0.95, 0.9):
            fpc = 1.0 if pop is None else float(np.sqrt((pop - n) / (pop - 1)))
            se = fpc * base_se
            lower, upper = stats.t.interval(level, n - 1, loc=mx / my, scale=se)
            ratio_cases.append(
                {
                    "name": name,
                    "x": fl(x),
                    "y": fl(y),
                    "populationSize": pop,
                    "level": level,
                    "value": float(mx / my),
                    "se": se,
                    "df": n - 1,
                    "lower": float(lower),
                    "upper": float(upper),
                }
            )
out["ratioCases"] = ratio_cases

# --- cross-check with statsmodels ----------------------------------------------------------------
request = {
    "means": [[out["datasets"][c["dataset"]], c["level"]] for c in mean_cases if c["populationSize"] is None],
    "welch": [[out["datasets"][c["previous"]], out["datasets"][c["current"]]] for c in welch_cases],
    "bh": [[c["p"], c["q"]] for c in bh_cases],
}
here = os.path.dirname(os.path.abspath(__file__))
sm = json.loads(
    subprocess.run(
        ["/usr/bin/python3", os.path.join(here, "statsmodels_crosscheck.py")],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
)
for c, s in zip([c for c in mean_cases if c["populationSize"] is None], sm["means"]):
    assert close(c["se"], s["se"]) and close(c["lower"], s["ci"][0]) and close(c["upper"], s["ci"][1]), (c, s)
for c, s in zip(welch_cases, sm["welch"]):
    assert all(close(c[k], s[k]) for k in ("t", "p", "df", "se")), (c, s)
for c, s in zip(bh_cases, sm["bh"]):
    assert all(close(a, b, 1e-12) for a, b in zip(c["adjusted"], s["adjusted"])), (c, s)
    c["rejected"] = s["rejected"]

# --- emit ----------------------------------------------------------------------------------------
print("// GENERATED FILE, do not edit. Regenerate with:")
print("//   python3 libs/stats/test/reference/generate_reference.py > libs/stats/test/reference/values.ts")
print("//   npx prettier --write libs/stats/test/reference/values.ts")
print(f"// Python {sys.version.split()[0]}, scipy {scipy.__version__}, numpy {np.__version__};")
print(f"// cross-checked with statsmodels {sm['version']} (Debian /usr/bin/python3).")
print("// What each value is computed with: see the docstring of generate_reference.py.")
for key, value in out.items():
    print(f"export const {key} = {json.dumps(value)};")
