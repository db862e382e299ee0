# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# The plots of `make bench`, from the plot-*.dat files of report.py; run in
# the results folder (tools/bench/run.sh does: cd DIR && gnuplot plots.gp).
#   throughput.png  ops/s per workload and depth, CesiumDB / RocksDB / raw
#                   device (4 KiB randread for read and mixed runs, randwrite
#                   for fills and overwrites), one panel per value size
#   latency.png     p50 and p99 latency of the main operation, CesiumDB
#                   and RocksDB, one panel per value size
tput = system("ls plot-tput-*.dat 2>/dev/null | sort -t- -k3 -n")
lat = system("ls plot-lat-*.dat 2>/dev/null | sort -t- -k3 -n")
n = words(tput)
if (n == 0) { print "plots.gp: no plot-*.dat here"; exit }
size_of(f) = substr(f, strstrt(f, "-") + 1 + strstrt(substr(f, strstrt(f, "-") + 1, 99), "-"), strstrt(f, ".dat") - 1)

set terminal pngcairo size 560 * n, 520 font "sans,9"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set key top left font ",8"
set grid ytics
set xtics rotate by -45 font ",8"
set logscale y
set format y "%g"
set datafile missing "NaN"

set output "throughput.png"
set multiplot layout 1, n title "Throughput (ops/s, log scale), one QEMU TCG run"
do for [i = 1:n] {
	f = word(tput, i)
	set title sprintf("%s-byte values", size_of(f))
	plot f using 2:xtic(1) title "CesiumDB" lc rgb "#1f77b4", \
	     '' using 3 title "RocksDB" lc rgb "#ff7f0e", \
	     '' using 4 title "raw 4 KiB" lc rgb "#999999"
}
unset multiplot

set output "latency.png"
set multiplot layout 1, n title "Latency of the main operation (µs, log scale)"
do for [i = 1:n] {
	f = word(lat, i)
	set title sprintf("%s-byte values", size_of(f))
	plot f using 2:xtic(1) title "CesiumDB p50" lc rgb "#9ecae1", \
	     '' using 3 title "CesiumDB p99" lc rgb "#1f77b4", \
	     '' using 4 title "RocksDB p50" lc rgb "#fdd0a2", \
	     '' using 5 title "RocksDB p99" lc rgb "#ff7f0e"
}
unset multiplot
