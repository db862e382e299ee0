# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
"""The profile phase of `make bench`: profile.md from the console log.

tools/bench/report.py calls write_profile(). The guest
(tools/bench/guest-bench.sh, profile_runs) prints, per profiled workload:
    CESIUM-BENCH-PROFILE name=N sys=S wl=W v=V qd=Q jobs=J ops=O freq=F
    CESIUM-BENCH-PROF-OUT N KIND LINE
KIND info (run time, fio's ops/s under perf, device reads; perf's sample
count), sym (perf report --no-children --sort dso,sym: self time), comm
(--sort comm,dso), stack (from perf script: idle, cesium.ko on the stack,
lock slow paths, hottest chains), incl (--children, cesium.ko's functions),
lock, lockinfo, lockbpf, lockstack (perf lock).
"""
import re

# Self-time classes, first match wins; "sym" is perf's symbol name.
LOCK_SLOW = r"^(__mutex_lock|mutex_spin_on_owner|osq_lock|native_queued_spin_lock_slowpath|" \
    r"__pv_queued_spin_lock_slowpath|queued_spin_lock_slowpath|rwsem_down_|" \
    r"rwsem_optimistic_spin|queued_(read|write)_lock_slowpath|__down)"
CLASSES = [
    ("idle (vCPU halted: nothing to run)",
     lambda d, s: re.match(r"^(native_safe_halt|pv_native_safe_halt|default_idle|cpu_idle_poll)", s)),
    ("clock reads (read_hpet: the guest's clocksource, an MMIO exit under TCG)",
     lambda d, s: re.match(r"^(read_hpet|acpi_pm_read|read_tsc)$", s)),
    ("lock slow paths", lambda d, s: re.match(LOCK_SLOW, s)),
    ("cesium.ko's own code", lambda d, s: d == "[cesium]"),
    ("memset/memcpy/memmove/memcmp, copy_user, clear_page (callers: see chains)",
     lambda d, s: d.startswith("[kernel") and re.match(
         r"^(__)?(mem(set|cpy|move|cmp)|clear_page|copy_user|copy_page|copy_mc)", s)),
    ("io_uring", lambda d, s: d.startswith("[kernel") and re.match(r"^(__)?io_", s)),
    ("block layer, NVMe driver, DMA",
     lambda d, s: d.startswith("[kernel") and re.match(
         r"^(__)?(nvme|blk|bio|submit_bio|mempool|dma|sg_|bvec|bdev)", s)),
    ("other kernel (syscalls, scheduler, softirq, slab, page faults...)",
     lambda d, s: d.startswith("[")),
    ("fio start-up (ld.so, the static init of librbd/libceph that fio links)",
     lambda d, s: re.match(r"^(ld-linux|libceph|librbd|librados|libstdc)", d)),
    ("fio and its libraries (user space)", lambda d, s: True),
]
SYM_RE = re.compile(r"^\s*([\d.]+)%\s+(\S+)\s+\[(.)\]\s+(.*?)\s*$")


def tagged_lines(path, tag):
    """The console log's lines that hold @tag, each from the tag on."""
    with open(path, errors="replace") as f:
        for raw in f:
            line = raw.rstrip("\r\n")
            i = line.find(tag)
            if i >= 0:
                yield line[i:]


def read_profiles(path):
    profs = {}
    for line in tagged_lines(path, "CESIUM-BENCH-PROF"):
        if line.startswith("CESIUM-BENCH-PROFILE "):
            kv = dict(re.findall(r"(\w+)=(\S+)", line))
            profs[kv.get("name", "?")] = {"meta": kv}
        elif line.startswith("CESIUM-BENCH-PROF-OUT "):
            parts = line.split(" ", 3)
            if len(parts) < 3:
                continue
            p = profs.setdefault(parts[1], {"meta": {"name": parts[1]}})
            p.setdefault(parts[2], []).append(parts[3] if len(parts) > 3 else "")
    return profs


def symbols(p):
    out = []
    for line in p.get("sym", []):
        m = SYM_RE.match(line)
        if m:
            out.append((float(m.group(1)), m.group(2), m.group(4)))
    return out


def classes(syms):
    tot = {}
    for pct, dso, sym in syms:
        for name, test in CLASSES:
            if test(dso, sym):
                tot[name] = tot.get(name, 0.0) + pct
                break
    listed = sum(t for t in tot.values())
    return [(n, tot[n]) for n, _ in CLASSES if n in tot], listed


def title(meta):
    sysname = {"cesium": "CesiumDB", "raw": "the raw device (fio io_uring, direct)"}.get(
        meta.get("sys"), meta.get("sys", "?"))
    qd = meta.get("qd", "?")
    how = "mode=sync (ioctl)" if qd == "1" else "mode=uring (uring_cmd), iodepth %s" % qd
    if meta.get("sys") == "raw":
        how = "io_uring, iodepth %s" % qd
    jobs = meta.get("jobs", "1")
    return "%s: %s %s, %s-byte values, %s%s" % (
        meta.get("name", "?"), sysname, meta.get("wl", "?"), meta.get("v", "?"), how,
        ", %s fio jobs" % jobs if jobs != "1" else "")


def info_line(p):
    figs, keys = {}, ("secs", "fio-rc", "r_ios", "r_sect", "r_ticks", "io_ticks", "in_queue")
    for line in p.get("info", []):
        w = line.split()
        if w and w[0] == "secs":
            i = 0
            while i + 1 < len(w) and w[i] in keys:
                figs[w[i]] = w[i + 1]
                i += 2
            figs["ops"] = " ".join(w[i:])
        if w and w[0] == "clocksource":
            figs["clock"] = w[1] if len(w) > 1 else "?"
        if w and w[0] == "cesium":
            figs["cesium"] = dict(zip(w[1::2], w[2::2]))
        m = re.match(r"# Samples: (\S+)", line)
        if m:
            figs["samples"] = m.group(1)
    meta = p["meta"]
    s = "%s samples of cpu-clock at %s Hz on each vCPU over %s s; %s under perf" % (
        figs.get("samples", "?"), meta.get("freq", "?"), figs.get("secs", "?"),
        figs.get("ops") or "?")
    try:
        rios = int(figs["r_ios"])
        if rios:
            s += "; the drive: reads of %.0f bytes, %.0f µs each, %.1f in flight on average " \
                "while busy" % (int(figs["r_sect"]) * 512 / rios, int(figs["r_ticks"]) * 1000 / rios,
                                int(figs["in_queue"]) / max(1, int(figs["io_ticks"])))
        ops = int(meta.get("ops", "0"))
        if ops and meta.get("wl", "").startswith("read"):
            s += ", %.2f per get" % (rios / ops)
    except (KeyError, ValueError):
        pass
    c = figs.get("cesium")
    if c:
        s += "; stats/ over the run: " + ", ".join("%s %s" % kv for kv in c.items())
    if figs.get("fio-rc", "0") != "0":
        s += "; fio exited %s" % figs["fio-rc"]
    if figs.get("clock"):
        s += "; clocksource %s" % figs["clock"]
    return s + " (time in the guest: emulated)."


def fio_share(p):
    """Percent of the samples in fio's threads (any dso), from the comm table."""
    tot = 0.0
    for line in p.get("comm", []):
        w = line.split()
        if len(w) >= 3 and w[0].endswith("%") and w[1] == "fio":
            tot += float(w[0][:-1])
    return tot


def comm_table(p, rows=8):
    out = []
    for line in p.get("comm", [])[:rows]:
        w = line.split()
        if len(w) >= 3 and w[0].endswith("%"):
            out.append("| %s | %s | %s |" % (w[0][:-1], " ".join(w[1:-1]), w[-1]))
    if not out:
        return []
    return ["", "By command and dso (self time; cesium.ko counts as [kernel.kallsyms] here):",
            "", "| % | command | dso |", "| ---: | --- | --- |"] + out


def section(p, top):
    L = ["## " + title(p["meta"]), "", info_line(p), ""]
    syms = symbols(p)
    if not syms:
        return L + ["No symbols (perf report printed nothing).", ""]
    cls, listed = classes(syms)
    L += ["Self time by class (of the symbols at 0.1%% or more, %.1f%% of the samples):" % listed,
          "", "| class | % |", "| --- | ---: |"]
    L += ["| %s | %.1f |" % (n, v) for n, v in cls]
    stack = p.get("stack", [])
    shares = [s.split(None, 3) for s in stack if s.startswith("share ")]
    if shares:
        L += ["", "From the call chains: " + "; ".join(
            "%s %s" % (w[1], w[3]) for w in shares if len(w) == 4) +
            " (a sample counts for cesium.ko when any frame of its stack is in it)."]
    locks = [w for w in (s.split(None, 3) for s in stack if s.startswith("lock "))
             if len(w) == 4 and float(w[2].rstrip("%")) >= 0.1]
    if locks:
        L += ["", "Lock slow paths by the nearest cesium.ko caller: " + "; ".join(
            "%s %s" % (w[3], w[2]) for w in locks) + " (0.1% or more)."]
    fs = fio_share(p)
    if fs:
        L += ["", "fio's threads (everything they run: fio, its libraries, the system calls, "
              "io_uring issue and task work, cesium.ko): %.1f%% of the samples, i.e. %.2f of "
              "the 2 vCPUs." % (fs, fs / 50)]
    L += comm_table(p)
    L += ["", "Top %d symbols (self time):" % top, "",
          "| % | dso | symbol |", "| ---: | --- | --- |"]
    L += ["| %.2f | %s | `%s` |" % s for s in syms[:top]]
    incl = [line.split() for line in p.get("incl", [])]
    incl = [w for w in incl if len(w) >= 4 and w[0].endswith("%")]
    if incl:
        L += ["", "cesium.ko's functions by inclusive time (`--children`: the function and "
              "all it calls; 1% or more):", "", "| children % | self % | function |",
              "| ---: | ---: | --- |"]
        L += ["| %s | %s | `%s` |" % (w[0][:-1], w[1][:-1], w[-1]) for w in incl]
    chains = [s.split(None, 3) for s in stack if s.startswith("chain ")]
    if chains:
        L += ["", "Hottest call chains (sampled function <- 3 callers; idle left out; "
              "0.5% or more):", "", "| % | chain |", "| ---: | --- |"]
        L += ["| %s | `%s` |" % (w[2], w[3]) for w in chains if len(w) == 4]
    for kind, head in (("lockbpf", "`perf lock contention -b` (BPF)"),
                       ("lockinfo", "The same workload again under `perf lock record -a` "
                        "(lock:contention_begin/end tracepoints)"),
                       ("lock", "`perf lock contention` of that recording"),
                       ("lockstack", "`perf lock contention -v`: the call stacks of the "
                        "top three (8 frames)")):
        if p.get(kind):
            L += ["", head + ":", "", "```"] + [x.rstrip() for x in p[kind]] + ["```"]
    return L + [""]


def write_profile(path, logpath, rev, top=30):
    """Write path from the log's profiles; False when it has none."""
    profs = read_profiles(logpath)
    if not profs:
        return False
    L = ["# CesiumDB CPU profiles", "",
         "From the profile phase of `make bench` (`tools/bench/run.sh --profile-only` "
         "for this phase alone); tree %s, console log `%s`. Each workload ran once, "
         "short and on a fresh store, under `perf record -e cpu-clock -a -g` inside the "
         "QEMU TCG guest (2 vCPUs): its ops/s are slowed by perf and are not the "
         "table's. How to read these: `results-notes.md`." % (rev, logpath.split("/")[-1]), ""]
    for p in profs.values():
        L += section(p, top)
    with open(path, "w") as f:
        f.write("\n".join(L).rstrip("\n") + "\n")
    return True
