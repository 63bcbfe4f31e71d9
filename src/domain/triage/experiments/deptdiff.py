import sys, json, math, collections
def load(paths):
    out = {}
    for p in paths:
        with open(p) as f:
            h = json.loads(f.readline())
            for l in f:
                r = json.loads(l)
                if r["src"] != "haodf": continue
                s = [0.5 * math.log(max(a, 1e-30)) + 0.5 * math.log(max(b, 1e-30)) for a, b in zip(r["ft"], r["lin"])]
                dp = collections.defaultdict(float)
                for l_, x in zip(h["depts"], s): dp[l_] += math.exp(x)
                out[r["id"]] = (r["gold"], max(dp, key=dp.get))
    return out
a = load(sys.argv[1:4]); b = load(sys.argv[4:7])
stat = collections.defaultdict(lambda: [0, 0, 0])
moves = collections.Counter()
for i, (g, pa) in a.items():
    pb = b[i][1]
    stat[g][0] += 1; stat[g][1] += pa == g; stat[g][2] += pb == g
    if pa != pb: moves[(g, pa, pb)] += 1
for g, (n, x, y) in sorted(stat.items(), key=lambda kv: kv[1][2] - kv[1][1]):
    print(f"{g:20s} n={n:4d}  {100*x/n:5.1f}% -> {100*y/n:5.1f}%  ({y-x:+d})")
fixed = sum(c for (g, pa, pb), c in moves.items() if pb == g); broke = sum(c for (g, pa, pb), c in moves.items() if pa == g)
print("right now, wrong before:", fixed, " wrong now, right before:", broke)
