#!/usr/bin/env python3
"""Pools member dumps of `ihos triage eval --dump-members` (validation, fold 2, fold 3) and
reports department top-1/top-3 of candidate mixes per part and pooled (Haodf rows only)."""
import json, math, sys, itertools

FLOOR = 1e-30

def load(path):
    with open(path) as f:
        head = json.loads(f.readline())
        rows = [json.loads(l) for l in f if l.strip()]
    return head, [r for r in rows if r["src"] == "haodf"]

parts = [(p.split("/")[-1], *load(p)) for p in sys.argv[1:4]]
dset = sorted(set(parts[0][1]["depts"]))
nl = len(parts[0][1]["depts"])
dix = [dset.index(d) for d in parts[0][1]["depts"]]
# Each run has its own label order (fastText's, by frequency): map every part to the first's.
base = parts[0][1]["labels"]
for name, h, rows in parts:
    perm = [h["labels"].index(l) for l in base]  # base index -> this part's index
    for r in rows:
        for key in list(r):
            v = r[key]
            if isinstance(v, list) and len(v) == nl and not isinstance(v[0], list):
                r[key] = [v[perm[i]] for i in range(nl)]
            elif key.startswith("knn"):
                inv = {perm[i]: i for i in range(nl)}
                r[key] = [[inv[l], s] for l, s in v]
        r["lft"] = [math.log(max(p, FLOOR)) for p in r["ft"]]
        r["llin"] = [math.log(max(p, FLOOR)) for p in r["lin"]]
        r["g"] = dset.index(r["gold"])

def score(rows, fn):
    t1 = t3 = 0
    for r in rows:
        s = fn(r)
        mx = max(s)
        e = [math.exp(x - mx) for x in s]
        dp = [0.0] * len(dset)
        for l in range(nl):
            dp[dix[l]] += e[l]
        order = sorted(range(len(dset)), key=lambda d: -dp[d])
        if order[0] == r["g"]: t1 += 1
        if r["g"] in order[:3]: t3 += 1
    return t1, t3, len(rows)

def report(label, fn, out=True):
    res = [score(rows, fn) for _, _, rows in parts]
    T1 = sum(r[0] for r in res); T3 = sum(r[1] for r in res); N = sum(r[2] for r in res)
    if out:
        per = "  ".join(f"{100*a/n:.2f}/{100*b/n:.2f}" for a, b, n in res)
        print(f"{label:58s} pooled {100*T1/N:.2f} / {100*T3/N:.2f}   parts {per}   ({T1},{T3})", flush=True)
    return T1, T3, N

def geo(wl=0.5):
    return lambda r: [(1 - wl) * a + wl * b for a, b in zip(r["lft"], r["llin"])]

def knn_logp(r, key, k, p, eps):
    s = [0.0] * nl
    for l, sim in r[key][:k]:
        if sim > 0: s[l] += sim ** p
    tot = sum(s)
    e = eps * (tot if tot > 0 else 1) / nl
    return [math.log((x + e) / (tot + nl * e)) for x in s]

if __name__ == "__main__" and (len(sys.argv) <= 4 or sys.argv[4] != "loo"):
    what = sys.argv[4] if len(sys.argv) > 4 else "all"
    report("fastText alone", lambda r: r["lft"])
    report("linear alone", lambda r: r["llin"])
    report("geo 50/50 (shipped)", geo())
    if what in ("all", "nb"):
        for nb in ["mnb1", "mnb01", "bnb1", "bnb01", "tnb01", "tnb001", "cnb"]:
            if nb not in parts[0][2][0]: continue
            report(f"{nb} alone", lambda r: r[nb])
            grid = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3] if not nb.startswith("cnb") else [1, 3, 10, 30, 100, 300]
            for v in grid:
                report(f"  geo 50/50 + {v} * {nb}", lambda r, v=v: [a + v * c for a, c in zip(geo()(r), r[nb])])
    if what in ("all", "knn"):
        for key in ["knn", "knna"]:
            for k, p in itertools.product([10, 30, 50], [1, 3]):
                report(f"{key} k={k} p={p} alone", lambda r: knn_logp(r, key, k, p, 0.1))
            for k, p, eps, u in itertools.product([10, 30, 50], [1, 3], [0.1, 0.01], [0.1, 0.2, 0.35]):
                report(f"  geo 50/50 + {u} * {key} k={k} p={p} eps={eps}",
                       lambda r: [a + u * c for a, c in zip(geo()(r), knn_logp(r, key, k, p, eps))])

def loo(cands):
    """Chooses the best candidate (top-1) on two parts, reports it on the third: an estimate of
    the gain of the choice itself, free of the selection bias of a grid's maximum."""
    res = {name: [score(rows, fn) for _, _, rows in parts] for name, fn in cands}
    base = res[cands[0][0]]
    tot_gain = 0
    for held in range(3):
        best = max(res, key=lambda n: (sum(res[n][i][0] for i in range(3) if i != held), n == cands[0][0]))
        g = res[best][held][0] - base[held][0]
        tot_gain += g
        print(f"  held part {parts[held][0]}: chosen on the others: {best}; on the held part {res[best][held][0]} vs shipped {base[held][0]} ({g:+d} rows)")
    print(f"  leave-one-part-out gain: {tot_gain:+d} rows of {sum(b[2] for b in base)} ({100*tot_gain/sum(b[2] for b in base):+.2f} points)")

if __name__ == "__main__" and len(sys.argv) > 4 and sys.argv[4] == "loo":
    nbc = [("shipped", geo())]
    for nb in ["mnb1", "mnb01", "bnb1", "bnb01", "tnb01", "tnb001"]:
        for v in [0.001, 0.003, 0.01, 0.03, 0.1, 0.3]:
            nbc.append((f"{nb}@{v}", lambda r, v=v, nb=nb: [a + v * c for a, c in zip(geo()(r), r[nb])]))
    print("naive Bayes grid (36 + shipped):"); loo(nbc)
    kc = [("shipped", geo())]
    for key in ["knn", "knna"]:
        for k, p, eps, u in itertools.product([10, 30, 50], [1, 3], [0.1, 0.01], [0.1, 0.2, 0.35]):
            kc.append((f"{key} k={k} p={p} eps={eps} u={u}", lambda r, key=key, k=k, p=p, eps=eps, u=u: [a + u * c for a, c in zip(geo()(r), knn_logp(r, key, k, p, eps))]))
    print("kNN grid (72 + shipped):"); loo(kc)

if __name__ == "__main__" and len(sys.argv) > 4 and sys.argv[4] == "combo":
    def mixf(wl, v, nb, u, k, p):
        def f(r):
            s = [(1 - wl) * a + wl * b for a, b in zip(r["lft"], r["llin"])]
            if v: s = [a + v * c for a, c in zip(s, r[nb])]
            if u: s = [a + u * c for a, c in zip(s, knn_logp(r, "knn", k, p, 0.1))]
            return s
        return f
    cands = [("shipped", geo())]
    for wl in [0.4, 0.5, 0.6]:
        for v in [0, 0.05, 0.1, 0.2]:
            for u in [0, 0.2, 0.35]:
                if wl == 0.5 and v == 0 and u == 0: continue
                cands.append((f"wl={wl} tnb001@{v} knn50p1@{u}", mixf(wl, v, "tnb001", u, 50, 1)))
    for name, fn in cands: report(name, fn)
    print("leave-one-part-out over this grid:"); loo(cands)

NBS = [n for n in ["tnb001", "tnb0003", "tnb0001"] if n in parts[0][2][0]]
if __name__ == "__main__" and len(sys.argv) > 4 and sys.argv[4] == "nbfine":
    cands = [("shipped", geo())]
    for nb in NBS:
        for v in [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4]:
            cands.append((f"geo 50/50 + {v} * {nb}", lambda r, v=v, nb=nb: [a + v * c for a, c in zip(geo()(r), r[nb])]))
    for name, fn in cands: report(name, fn)
    print("leave-one-part-out over this grid:"); loo(cands)

if __name__ == "__main__" and len(sys.argv) > 4 and sys.argv[4] == "wl":
    for wl in [0.3, 0.4, 0.5, 0.6, 0.7]:
        report(f"geo wl={wl}", geo(wl))
