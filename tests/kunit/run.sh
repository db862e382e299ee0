#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# The KUnit tier: build the debug kernel (cached, build-kernel.sh), build
# cesium.ko with its KUnit suites (CESIUM_KUNIT=y) against it in
# build/kmod-kunit/, boot it with tests/vm/run.sh --kernel debug, load the
# module (the suites run while it loads; tests/kunit/guest.sh), and parse
# the KTAP output with the kernel's kunit.py. Prints one line per test case:
#   PASS: kunit/SUITE.CASE    FAIL: kunit/SUITE.CASE: REASON
# (a parameterised case passes when all its parameters do; SKIP: lines for
# skipped cases), and the boot's kernel-log check as kunit/kernel-log
# (KASAN, UBSAN, lockdep, WARN, kmemleak with a module frame fail it). No
# suite at all is a FAIL. Exit status 0 iff no FAIL.
#
# Arguments are passed to run.sh (e.g. --verbose). CESIUM_KUNIT_MODULE=PATH
# boots PATH instead of building the module (for work on this runner).
# Files: build/vm/logs/kunit-*.{log,ktap,json,parsed,results}.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

fail_early() {
	echo "FAIL: kunit/$1: $2"
	exit 1
}

src=$(tests/kunit/extract-source.sh) || fail_early build "cannot extract linux-source-6.1"
tests/kunit/build-kernel.sh >/dev/null || fail_early build "the debug kernel did not build"
if [ -n "${CESIUM_KUNIT_MODULE:-}" ]; then
	ko=$CESIUM_KUNIT_MODULE
else
	ko=$(tests/vm/lib/build-module.sh kunit) ||
		fail_early build "cesium.ko (CESIUM_KUNIT=y) did not build against the debug kernel"
fi

mkdir -p build/vm/logs
log=$root/build/vm/logs/kunit-$(date +%Y%m%d-%H%M%S)-$$.log
ktap=${log%.log}.ktap
json=${log%.log}.json
results=${log%.log}.results

report() {
	local out
	# run.sh's own FAIL lines count; its exit status adds nothing.
	out=$(tests/vm/run.sh --kernel debug --module "$ko" --name kunit --log "$log" \
		--timeout 900 "$@" tests/kunit/guest.sh) || true
	# The boot's own results (kernel-log, crash, insmod) under kunit/.
	printf '%s\n' "$out" | sed -n \
		-e 's#^\(PASS\|FAIL\|SKIP\): vm-debug/kunit/#\1: kunit/#p' \
		-e 's#^\(PASS\|FAIL\|SKIP\): vm-debug/kunit:#\1: kunit/boot:#p' \
		-e 's#^note: vm-debug/kunit:#note: kunit:#p'

	# KTAP: the kernel's lines after CESIUM-KUNIT-BEGIN, timestamps off. A
	# module's suites come without the top-level header ("KTAP version 1",
	# "1..N") that kunit.py wants, so one is added, and the suites are
	# numbered from 1 (built-in suites may have run at boot).
	python3 - "$log" "$ktap" <<'EOF'
import re, sys
log, out = sys.argv[1], sys.argv[2]
stamp = re.compile(r'^.*?\[ *\d+\.\d{6}\] ?')
lines, begun = [], False
for raw in open(log, encoding='utf-8', errors='replace'):
    raw = raw.rstrip('\r\n')
    if 'CESIUM-KUNIT-BEGIN' in raw:
        begun = True
        continue
    m = stamp.match(raw) if begun else None
    if not m:
        continue
    line = raw[m.end():]
    # Unindented lines that are not KTAP are other kernel messages.
    if line.startswith((' ', '\t', 'ok ', 'not ok ', 'KTAP', '# ')):
        lines.append(line)
n = 0
for i, l in enumerate(lines):
    if re.match(r'(not )?ok \d+ ', l):
        n += 1
        lines[i] = re.sub(r'^((?:not )?ok )\d+', r'\g<1>%d' % n, l)
with open(out, 'w') as f:
    if lines:
        f.write('KTAP version 1\n1..%d\n' % n + '\n'.join(lines) + '\n')
EOF
	if [ ! -s "$ktap" ]; then
		echo "FAIL: kunit: no KUnit suite ran (no KTAP output)"
		return
	fi
	python3 "$src/tools/testing/kunit/kunit.py" parse --json="$json" "$ktap" \
		>"${log%.log}.parsed" 2>&1 || true
	python3 - "$json" "$ktap" <<'EOF'
import json, sys
path, ktap = sys.argv[1], sys.argv[2]
try:
    top = json.load(open(path))
except (OSError, ValueError) as e:
    print('FAIL: kunit: kunit.py parse gave no results (%s)' % e)
    sys.exit(0)
ktap_lines = [l.strip() for l in open(ktap, encoding='utf-8', errors='replace')]

def reason(case):
    """The first failure message KUnit printed for CASE."""
    for l in ktap_lines:
        if l.startswith('# %s: ' % case) and ('FAILED' in l or 'ASSERT' in l):
            return l[2:]
    return 'not ok'

def leaves(group):
    out = [c['status'] for c in group.get('test_cases', [])]
    for g in group.get('sub_groups', []):
        out += leaves(g)
    return out

def status_of(statuses):
    if any(s not in ('PASS', 'SKIP') for s in statuses):
        return 'FAIL'
    if statuses and all(s == 'SKIP' for s in statuses):
        return 'SKIP'
    return 'PASS'

def emit(st, name, why):
    if st == 'PASS':
        print('PASS: ' + name)
    else:
        print('%s: %s: %s' % (st, name, why))

ncases = 0
for suite in top.get('sub_groups', []):
    for case in suite.get('test_cases', []):
        ncases += 1
        st = status_of([case['status']])
        emit(st, 'kunit/%s.%s' % (suite['name'], case['name']),
             'skipped' if st == 'SKIP' else reason(case['name']))
    # A parameterised case comes as a group of its parameters.
    for case in suite.get('sub_groups', []):
        ncases += 1
        st = status_of(leaves(case))
        bad = [p['name'] for p in case.get('test_cases', [])
               if p['status'] not in ('PASS', 'SKIP')]
        emit(st, 'kunit/%s.%s' % (suite['name'], case['name']),
             'skipped' if st == 'SKIP' else
             '%s (parameters: %s)' % (reason(case['name']), ', '.join(bad)))
if ncases == 0:
    print('FAIL: kunit: no KUnit test case ran')
EOF
}

report "$@" | tee "$results"
if grep -q '^FAIL:' "$results"; then
	echo "log: $log"
	exit 1
fi
