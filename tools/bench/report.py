#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
"""Turn the console log of a `make bench` boot into the results of record.

    tools/bench/report.py --log build/bench/console-latest.log --out DIR

Reads the CESIUM-BENCH-* lines that tools/bench/guest-bench.sh printed and
writes, in DIR:
    results.md      the tables (markdown)
    results.json    every run with its figures (for later comparisons)
    plot-tput-<V>.dat, plot-lat-<V>.dat   data for tools/bench/plots.gp
    profile.md      the profile phase's CPU profiles, if the log has them
                    (tools/bench/bench_profile.py); a log with only those writes
                    nothing else

Figures of a run:
    ops/s      the tool's own (fio: read + write IOPS; db_bench: ops/sec)
    p50, p99   latency in microseconds of the run's main operation: gets
               for read and mixed runs, puts for fills and overwrites
               (fio: total latency, lat_ns; db_bench: its histogram)
    reads/get  device read requests (/sys/block/<drive>/stat) per get; for
               RocksDB minus the reads of opening the database (measured
               once per data set by an empty db_bench run)
    WA         device bytes written / (puts x (16 + value bytes))
    SA         space used / (live keys x (16 + value bytes)); CesiumDB:
               the log's used_bytes; RocksDB: du of the database folder
CesiumDB only: the cleaner sweep (wl gc-fill, gc-overwrite, gc-checkpoint,
one of each per gc_ratio) and one against two threads (wl
threads-readrandom, threads-overwrite, with jobs=N), in tables of their own.
"""
import argparse
import datetime
import json
import os
import re
import subprocess
import sys

import bench_profile

KEY_BYTES = 16
WORKLOADS = ["fillrandom", "fillrandom-rep", "readrandom", "ycsb-c", "ycsb-b",
             "ycsb-a", "scan", "overwrite"]
WL_LABEL = {
    "fillrandom": "fillrandom",
    "fillrandom-rep": "fillrandom (1/4 keys, repeats)",
    "readrandom": "readrandom",
    "ycsb-c": "YCSB C (100% get)",
    "ycsb-b": "YCSB B (95/5)",
    "ycsb-a": "YCSB A (50/50)",
    "scan": "scan (seek + 10 nexts)",
    "overwrite": "overwrite",
}
WRITE_ONLY = {"fillrandom", "fillrandom-rep", "overwrite", "gc-fill", "gc-overwrite",
              "threads-overwrite"}
SA_RUNS = {"fillrandom", "overwrite", "gc-fill", "gc-overwrite", "gc-checkpoint"}
# Runs outside the per-size tables (and outside "all writing runs").
EXTRA_PREFIXES = ("gc-", "threads-")


def parse_kv(text):
    out = {}
    for m in re.finditer(r'(\w+)=("([^"]*)"|\S+)', text):
        out[m.group(1)] = m.group(3) if m.group(3) is not None else m.group(2)
    return out


def num(x, default=0):
    try:
        return int(x)
    except (TypeError, ValueError):
        try:
            return float(x)
        except (TypeError, ValueError):
            return default


def read_log(path):
    config, keys, runs, outs, end = {}, {}, [], {}, None
    for line in bench_profile.tagged_lines(path, "CESIUM-BENCH-"):
        if line.startswith("CESIUM-BENCH-OUT "):
            parts = line.split(" ", 2)
            if len(parts) >= 2:
                outs.setdefault(parts[1], []).append(parts[2] if len(parts) > 2 else "")
        elif line.startswith("CESIUM-BENCH-RUN "):
            runs.append(parse_kv(line[len("CESIUM-BENCH-RUN "):]))
        elif line.startswith("CESIUM-BENCH-CONFIG "):
            config = parse_kv(line[len("CESIUM-BENCH-CONFIG "):])
        elif line.startswith("CESIUM-BENCH-KEYS "):
            kv = parse_kv(line[len("CESIUM-BENCH-KEYS "):])
            keys[kv.get("v")] = kv
        elif line.startswith("CESIUM-BENCH-END"):
            end = parse_kv(line)
    return config, keys, runs, outs, end


def fio_figures(lines):
    text = "\n".join(lines)
    start = text.find("{")
    if start < 0:
        return None
    try:
        doc, _ = json.JSONDecoder().raw_decode(text[start:])
    except ValueError:
        return None
    if not doc.get("jobs"):
        return None
    job = doc["jobs"][0]
    fig = {"error": job.get("error", 0)}
    for d in ("read", "write", "trim"):
        s = job.get(d, {})
        pct = s.get("lat_ns", {}).get("percentile", {})
        fig[d] = {
            "ios": s.get("total_ios", 0),
            "iops": s.get("iops", 0.0),
            "p50": pct.get("50.000000", 0) / 1000.0,
            "p99": pct.get("99.000000", 0) / 1000.0,
            "p999": pct.get("99.900000", 0) / 1000.0,
            "mean": s.get("lat_ns", {}).get("mean", 0) / 1000.0,
        }
    fig["ops_s"] = fig["read"]["iops"] + fig["write"]["iops"] + fig["trim"]["iops"]
    fig["gets"] = fig["read"]["ios"]
    fig["puts"] = fig["write"]["ios"]
    return fig


def dbbench_figures(lines):
    fig = {"ops_s": 0.0, "gets": 0, "puts": 0, "read": {}, "write": {}, "errors": []}
    section = None
    for line in lines:
        m = re.search(r"(\S+)\s*:\s*([\d.]+) micros/op (\d+) ops/sec", line)
        if m and not fig["ops_s"]:
            fig["bench"] = m.group(1)
            fig["ops_s"] = float(m.group(3))
            continue
        m = re.match(r"Microseconds per (\w+):", line)
        if m:
            # A seek (seekrandom) is the read of a scan run.
            section = "read" if m.group(1) == "seek" else m.group(1)
            continue
        m = re.match(r"Count: (\d+) Average: ([\d.]+)", line)
        if m and section in ("read", "write"):
            fig[section]["ios"] = int(m.group(1))
            fig[section]["mean"] = float(m.group(2))
            continue
        m = re.match(r"Percentiles: P50: ([\d.]+) P75: ([\d.]+) P99: ([\d.]+) P99.9: ([\d.]+)", line)
        if m and section in ("read", "write"):
            fig[section]["p50"] = float(m.group(1))
            fig[section]["p99"] = float(m.group(3))
            fig[section]["p999"] = float(m.group(4))
            section = None
            continue
        if re.search(r"rror|Assertion|Invalid", line) and "Assertions are enabled" not in line:
            fig["errors"].append(line)
    fig["gets"] = fig["read"].get("ios", 0)
    fig["puts"] = fig["write"].get("ios", 0)
    return fig


def build(config, keys, runs, outs):
    res = []
    open_reads = {}
    for r in runs:
        if "skip" in r:
            res.append(dict(r))
            continue
        rid = r["id"]
        sysname, wl, v, qd = r["sys"], r["wl"], int(r["v"]), int(r["qd"])
        lines = outs.get(rid, [])
        if sysname == "rocksdb":
            fig = dbbench_figures(lines)
        else:
            fig = fio_figures(lines)
        rec = {"sys": sysname, "wl": wl, "v": v, "qd": qd, "keys": num(r.get("keys")),
               "secs": round(num(r.get("t1")) - num(r.get("t0")), 2),
               "r_ios": num(r["r_ios"]), "r_bytes": num(r["r_sect"]) * 512,
               "w_ios": num(r["w_ios"]), "w_bytes": num(r["w_sect"]) * 512,
               "space": num(r.get("space")), "live": num(r.get("live"))}
        for k in ("ratio", "gc_moved", "ckpt_bytes", "jobs"):
            if k in r:
                rec[k] = num(r[k])
        if wl == "gc-checkpoint":
            # sysfs checkpoint: no tool output, only the counters.
            if rec["live"]:
                rec["sa"] = round(rec["space"] / rec["live"], 3)
            res.append(rec)
            continue
        if fig is None:
            rec["skip"] = "no output from the tool"
            res.append(rec)
            continue
        if sysname == "rocksdb" and wl == "open":
            open_reads[v] = rec["r_ios"]
            continue
        rec["ops_s"] = round(fig["ops_s"], 1)
        main = "write" if (wl in WRITE_ONLY or wl.startswith("rand") and "write" in wl) else "read"
        lat = fig.get(main, {})
        rec["p50_us"] = round(lat.get("p50", 0), 1)
        rec["p99_us"] = round(lat.get("p99", 0), 1)
        rec["p999_us"] = round(lat.get("p999", 0), 1)
        if wl in ("ycsb-a", "ycsb-b"):
            wlat = fig.get("write", {})
            rec["w_p50_us"] = round(wlat.get("p50", 0), 1)
            rec["w_p99_us"] = round(wlat.get("p99", 0), 1)
        rec["gets"], rec["puts"] = fig["gets"], fig["puts"]
        if fig.get("errors"):
            rec["errors"] = fig["errors"][:3]
        if sysname == "cesium" and fig.get("error"):
            rec["errors"] = ["fio error %s" % fig["error"]]
        if sysname != "raw":
            if rec["gets"]:
                reads = rec["r_ios"]
                if sysname == "rocksdb":
                    reads = max(0, reads - open_reads.get(v, 0))
                    rec["open_r_ios"] = open_reads.get(v, 0)
                rec["reads_per_get"] = round(reads / rec["gets"], 3)
            if rec["puts"]:
                rec["wa"] = round(rec["w_bytes"] / (rec["puts"] * (KEY_BYTES + v)), 3)
            if rec["live"] and wl in SA_RUNS:
                rec["sa"] = round(rec["space"] / rec["live"], 3)
        res.append(rec)
    return res


def find(res, sysname, wl, v, qd, **extra):
    for r in res:
        if r.get("sys") == sysname and r.get("wl") == wl and int(r.get("v", -1)) == v \
                and int(r.get("qd", -1)) == qd and "ops_s" in r \
                and all(r.get(k) == x for k, x in extra.items()):
            return r
    return None


def find_gc(res, wl, v, ratio):
    """A run of the cleaner sweep (gc-checkpoint has no ops/s)."""
    for r in res:
        if r.get("sys") == "cesium" and r.get("wl") == wl and r.get("v") == v \
                and r.get("ratio") == ratio and "skip" not in r:
            return r
    return None


def mib(x):
    if x is None:
        return "–"
    return ("%.1f" if x < 10 << 20 else "%.0f") % (x / 1048576.0)


def fmt(x, nd=0):
    if x is None or x == "":
        return "–"
    if isinstance(x, float) and nd:
        return ("%." + str(nd) + "f") % x
    if isinstance(x, (int, float)):
        if x >= 100000:
            return "%.0fK" % (x / 1000)
        if x >= 10000:
            return "%.1fK" % (x / 1000)
        return "%.0f" % x if not nd else ("%." + str(nd) + "f") % x
    return str(x)


def ratio(a, b):
    if not a or not b:
        return "–"
    return "%.2f×" % (a / b)


def git_rev(root):
    try:
        rev = subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", root, "status", "--porcelain",
                                "Kbuild", "kmod", "uapi", "userlib", "tools/fio"],
                               capture_output=True, text=True).stdout.strip()
        return rev + (" with uncommitted changes to the module, ABI, library or engine"
                      if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def wa_all(res, sysname, v):
    """WA over every run of a data set that wrote (fills excluded): device
    bytes over user bytes, so that compaction debt one run leaves to the
    next is charged once."""
    w = u = 0
    for r in res:
        if r.get("sys") == sysname and r.get("v") == v and "ops_s" in r \
                and r.get("wl") not in ("fillrandom", "fillrandom-rep") and r.get("puts") \
                and not r["wl"].startswith(EXTRA_PREFIXES):
            w += r["w_bytes"]
            u += r["puts"] * (KEY_BYTES + v)
    return round(w / u, 2) if u else None


def gc_ratios(res, v):
    out = []
    for r in res:
        if r.get("sys") == "cesium" and r.get("wl") == "gc-overwrite" and r.get("v") == v \
                and "ratio" in r and r["ratio"] not in out:
            out.append(r["ratio"])
    return out


def gc_table(res, sizes, keys):
    """The cleaner sweep: one row per value size and gc_ratio."""
    rows, refs, counts = [], [], []
    for v in sizes:
        k = keys.get(str(v), {})
        if gc_ratios(res, v) and "gc_keys" in k:
            counts.append("%s keys and %s overwrites of %d bytes" % (k["gc_keys"], k.get("gc_puts", "?"), v))
        for gr in gc_ratios(res, v):
            o = find_gc(res, "gc-overwrite", v, gr) or {}
            c = find_gc(res, "gc-checkpoint", v, gr)
            rows.append("| %d | %d | %s | %s | %s | %s | %s | %s | %s |" % (
                v, gr, fmt(o.get("ops_s")), fmt(o.get("wa"), 2), fmt(o.get("sa"), 2),
                fmt(c and c.get("sa"), 2), mib(o.get("gc_moved")), mib(o.get("ckpt_bytes")),
                mib(c and c["w_bytes"])))
        kw = wa_all(res, "rocksdb", v)
        if kw is not None and gc_ratios(res, v):
            refs.append("%.2f at %d bytes" % (kw, v))
    if not rows:
        return []
    L = ["", "## Cleaner trade-off (gc_ratio)", "",
         "CesiumDB only, per gc_ratio: a fresh store filled once, then overwritten "
         "uniformly at random at QD 1 (%s); WA and the "
         "cleaner's and checkpoints' bytes are over the overwrite run, SA as it "
         "leaves the store and after a sysfs `checkpoint` (whose own device writes "
         "are the last column)." % ("; ".join(counts) or "twice the key count of puts") +
         (" RocksDB's WA over all writing runs, for comparison: %s." % ", ".join(refs)
          if refs else ""), "",
         "| value bytes | gc_ratio | overwrite ops/s | WA | SA as left | SA after checkpoint "
         "| cleaner moved MiB | checkpoint MiB | sysfs checkpoint wrote MiB |",
         "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    return L + rows


def threads_table(res, sizes):
    """One against two fio jobs at QD 1 each, on the loaded store."""
    rows = []
    for v in sizes:
        for wl in ("readrandom", "overwrite"):
            one = find(res, "cesium", "threads-" + wl, v, 1, jobs=1)
            two = find(res, "cesium", "threads-" + wl, v, 1, jobs=2)
            if one or two:
                rows.append("| %s | %d | %s | %s | %s |" % (
                    wl, v, fmt(one and one["ops_s"]), fmt(two and two["ops_s"]),
                    ratio(two and two["ops_s"], one and one["ops_s"])))
    if not rows:
        return []
    return ["", "## One against two threads", "",
            "CesiumDB only, on the loaded store after its other runs: fio with "
            "`numjobs=1` and `numjobs=2` (`mode=sync`, QD 1 each), the same operations "
            "in all.", "",
            "| workload | value bytes | ops/s, 1 thread | ops/s, 2 threads | 2 ÷ 1 |",
            "| --- | ---: | ---: | ---: | ---: |"] + rows


def targets(res, sizes, qds):
    """Issue 5's targets against this run: (target, figure, met)."""
    out = []
    hi = max(qds) if qds else 32

    def ops(sysname, wl, v, qd):
        r = find(res, sysname, wl, v, qd)
        return r["ops_s"] if r else None

    for v in sizes:
        if v > 4096:
            continue
        rpg = [r.get("reads_per_get") for r in res if r.get("sys") == "cesium" and r.get("v") == v
               and r.get("wl") in ("readrandom", "ycsb-c", "ycsb-b", "ycsb-a")
               and r.get("reads_per_get") is not None]
        if rpg:
            out.append(("get of a %d-byte value: at most 1.05 device reads" % v,
                        "%.2f at most" % max(rpg), max(rpg) <= 1.05))
    for v in sizes:
        f = find(res, "cesium", "fillrandom", v, 1)
        if f and f.get("wa") is not None:
            out.append(("fillrandom WA at most 1.3 (%d B)" % v, "%.2f" % f["wa"], f["wa"] <= 1.3))
    for v in sizes:
        sa = [r.get("sa") for r in res if r.get("sys") == "cesium" and r.get("v") == v
              and r.get("wl") == "overwrite" and r.get("sa") is not None]
        if sa:
            out.append(("space amplification under overwrites at most 1.5 (%d B)" % v,
                        "%.2f after the last overwrite run" % sa[-1], sa[-1] <= 1.5))
        cw, kw = wa_all(res, "cesium", v), wa_all(res, "rocksdb", v)
        if cw is not None and kw is not None:
            out.append(("WA under overwrites no worse than RocksDB's (%d B, all writing runs)" % v,
                        "%.2f vs %.2f" % (cw, kw), cw <= kw))
    for v in sizes:
        kw = wa_all(res, "rocksdb", v)
        sweep = [(o["ratio"], o["sa"], o["wa"]) for o in
                 (find_gc(res, "gc-overwrite", v, r) for r in gc_ratios(res, v))
                 if o and o.get("sa") is not None and o.get("wa") is not None]
        if sweep and kw is not None:
            ok = [x for x in sweep if x[1] <= 1.5 and x[2] <= kw]
            best = min(ok or sweep, key=lambda x: (x[1] > 1.5, x[2]))
            out.append(("SA at most 1.5 under overwrites with WA no worse than RocksDB's "
                        "(%d B, cleaner sweep, SA as left)" % v,
                        "gc_ratio %d: SA %.2f, WA %.2f vs %.2f" % (best[0], best[1], best[2], kw),
                        bool(ok)))
    for v in sizes:
        for wl, qd, want in (("fillrandom", 1, 3.0), ("readrandom", 1, 1.5),
                             ("readrandom", hi, 2.0), ("scan", 1, 1.0), ("scan", hi, 1.0)):
            c, k = ops("cesium", wl, v, qd), ops("rocksdb", wl, v, qd)
            if c and k:
                out.append(("%s at QD %d at least %.1f× RocksDB (%d B)" % (wl, qd, want, v),
                            "%.2f×" % (c / k), c / k >= want))
    c, raw = ops("cesium", "readrandom", 4096, hi), ops("raw", "randread", 4096, hi)
    if c and raw:
        out.append(("uring_cmd gets of 4 KiB values at QD %d at least 0.8× raw randread" % hi,
                    "%.2f×" % (c / raw), c / raw >= 0.8))
    return out


def write_md(path, config, keys, res, end, rev, logname, host):
    sizes = [int(v) for v in config.get("sizes", "").split()]
    qds = [int(q) for q in config.get("qds", "1 32").split()]
    L = []
    L.append("# CesiumDB benchmark results")
    L.append("")
    L.append("Run of %s, tree %s; one QEMU TCG boot (%s vCPUs, %s MiB), drive `%s` of %s GiB "
             "(emulated NVMe, 512-byte blocks), durability `%s`; %s; console log `%s`, "
             "%s s in the guest." % (
                 datetime.date.today().isoformat(), rev, config.get("cpus", "?"),
                 int(num(config.get("mem_kb"))) // 1024, config.get("drive", "?"),
                 int(num(config.get("bytes"))) >> 30, config.get("dur", "?"),
                 config.get("fio", "fio"), logname,
                 end.get("elapsed", "?") if end else "? (the run did not finish)"))
    if host:
        L.append("")
        L.append("Host: %s. Other work on the host (other VMs) slows the guest unevenly "
                 "and moves the throughput ratios; device I/O figures do not move." % host)
    L.append("")
    L.append("Key counts (16-byte keys): " + "; ".join(
        "%s-byte values: %s keys, %s ops per read/mixed run, %s per overwrite run" % (
            v, keys.get(str(v), {}).get("keys", "?"), keys.get(str(v), {}).get("reads", "?"),
            keys.get(str(v), {}).get("overwrites", "?")) for v in sizes) + ".")
    L.append("")
    L.append("## Raw device (fio io_uring, 4 KiB, direct)")
    L.append("")
    L.append("| workload | QD | IOPS | p50 µs | p99 µs |")
    L.append("| --- | ---: | ---: | ---: | ---: |")
    for wl in ("randread", "randwrite"):
        for qd in qds:
            r = find(res, "raw", wl, 4096, qd)
            if r:
                L.append("| %s | %d | %s | %s | %s |" % (wl, qd, fmt(r["ops_s"]), fmt(r["p50_us"]),
                                                       fmt(r["p99_us"])))
    for v in sizes:
        L.append("")
        L.append("## %d-byte values" % v)
        L.append("")
        L.append("| workload | QD | CesiumDB ops/s | p50 µs | p99 µs | reads/get | WA | SA "
                 "| RocksDB ops/s | p50 µs | p99 µs | reads/get | WA | SA | ÷ RocksDB | ÷ raw |")
        L.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
                 "| ---: | ---: | ---: | ---: | ---: |")
        for wl in WORKLOADS:
            for qd in qds:
                c = find(res, "cesium", wl, v, qd)
                k = find(res, "rocksdb", wl, v, qd)
                if not c and not k:
                    continue
                rawwl = "randwrite" if wl in WRITE_ONLY else "randread"
                raw = find(res, "raw", rawwl, 4096, qd)

                def cols(r):
                    if not r:
                        return ["–"] * 6
                    return [fmt(r["ops_s"]), fmt(r.get("p50_us")), fmt(r.get("p99_us")),
                            fmt(r.get("reads_per_get"), 2), fmt(r.get("wa"), 2),
                            fmt(r.get("sa"), 2)]
                row = [WL_LABEL.get(wl, wl), str(qd)] + cols(c) + cols(k) + [
                    ratio(c and c["ops_s"], k and k["ops_s"]),
                    ratio(c and c["ops_s"], raw and raw["ops_s"])]
                L.append("| " + " | ".join(row) + " |")
    L.append("")
    L.append("## Write amplification over all writing runs")
    L.append("")
    L.append("Device bytes written over user bytes, over every run after the fill that "
             "put (YCSB A/B, overwrites): background work one run leaves to the next "
             "is counted once (RocksDB's per-run WA above charges a flush or "
             "compaction to the run that set it off).")
    L.append("")
    L.append("| value bytes | CesiumDB fill | CesiumDB all | RocksDB fill | RocksDB all |")
    L.append("| ---: | ---: | ---: | ---: | ---: |")
    for v in sizes:
        cf, kf = find(res, "cesium", "fillrandom", v, 1), find(res, "rocksdb", "fillrandom", v, 1)
        L.append("| %d | %s | %s | %s | %s |" % (
            v, fmt(cf and cf.get("wa"), 2), fmt(wa_all(res, "cesium", v), 2),
            fmt(kf and kf.get("wa"), 2), fmt(wa_all(res, "rocksdb", v), 2)))
    L += gc_table(res, sizes, keys)
    L += threads_table(res, sizes)
    tg = targets(res, sizes, qds)
    if tg:
        L.append("")
        L.append("## Issue 5's targets in this run")
        L.append("")
        L.append("| target | this run | met |")
        L.append("| --- | ---: | :---: |")
        for t, fig, ok in tg:
            L.append("| %s | %s | %s |" % (t, fig, "yes" if ok else "**no**"))
    skipped = [r for r in res if "skip" in r]
    if skipped:
        L.append("")
        L.append("Not measured: " + "; ".join(
            "%s %s v=%s qd=%s (%s)" % (r.get("sys"), r.get("wl"), r.get("v"), r.get("qd"),
                                      r.get("skip")) for r in skipped) + ".")
    errs = [r for r in res if r.get("errors")]
    if errs:
        L.append("")
        L.append("Errors reported by the tools: " + "; ".join(
            "%s %s v=%s qd=%s: %s" % (r["sys"], r["wl"], r["v"], r["qd"], " / ".join(r["errors"]))
            for r in errs) + ".")
    L.append("")
    L.append(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "results-notes.md")).read().rstrip())
    L.append("")
    with open(path, "w") as f:
        f.write("\n".join(L))


def write_plots(out, config, res):
    sizes = [int(v) for v in config.get("sizes", "").split()]
    qds = [int(q) for q in config.get("qds", "1 32").split()]
    for name in os.listdir(out):
        if name.startswith("plot-") and name.endswith(".dat"):
            os.remove(os.path.join(out, name))
    for v in sizes:
        with open(os.path.join(out, "plot-tput-%d.dat" % v), "w") as t, \
                open(os.path.join(out, "plot-lat-%d.dat" % v), "w") as l:
            t.write("# workload-QD CesiumDB RocksDB raw(4KiB randread or randwrite)\n")
            l.write("# workload-QD CesiumDB_p50 CesiumDB_p99 RocksDB_p50 RocksDB_p99 (us)\n")
            for wl in WORKLOADS:
                for qd in qds:
                    c = find(res, "cesium", wl, v, qd)
                    k = find(res, "rocksdb", wl, v, qd)
                    if not c and not k:
                        continue
                    raw = find(res, "raw", "randwrite" if wl in WRITE_ONLY else "randread", 4096, qd)
                    label = "%s/%d" % (wl.replace("fillrandom-rep", "fill-rep").replace("ycsb-", "Y-"), qd)
                    t.write('"%s" %s %s %s\n' % (label, c["ops_s"] if c else "NaN",
                                                 k["ops_s"] if k else "NaN",
                                                 raw["ops_s"] if raw else "NaN"))
                    l.write('"%s" %s %s %s %s\n' % (
                        label, c["p50_us"] if c else "NaN", c["p99_us"] if c else "NaN",
                        k["p50_us"] if k else "NaN", k["p99_us"] if k else "NaN"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--log")
    ap.add_argument("--out")
    ap.add_argument("--tree", default="", help="the tree's revision at the run")
    ap.add_argument("--print-tree", action="store_true",
                    help="print the tree's revision now and exit")
    ap.add_argument("--host", default="", help="a line about the host (load)")
    a = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if a.print_tree:
        print(git_rev(root))
        return 0
    if not a.log or not a.out:
        ap.error("--log and --out are required")
    config, keys, runs, outs, end = read_log(a.log)
    os.makedirs(a.out, exist_ok=True)
    rev = a.tree or git_rev(root) + " (at the time of the report)"
    # The profile phase (tools/bench/bench_profile.py), alone or after the runs.
    profiled = bench_profile.write_profile(os.path.join(a.out, "profile.md"), a.log, rev)
    if not runs:
        if profiled:
            return 0
        print("report: no CESIUM-BENCH-RUN lines in %s" % a.log, file=sys.stderr)
        return 1
    res = build(config, keys, runs, outs)
    with open(os.path.join(a.out, "results.json"), "w") as f:
        json.dump({"config": config, "keys": keys, "end": end, "host": a.host,
                   "tree": a.tree, "runs": res},
                  f, indent=1)
        f.write("\n")
    write_md(os.path.join(a.out, "results.md"), config, keys, res, end, rev,
             os.path.basename(a.log), a.host)
    write_plots(a.out, config, res)
    return 0


if __name__ == "__main__":
    sys.exit(main())
