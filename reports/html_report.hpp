// `lunsim report RUN [--compare OTHER]`: one self-contained HTML file (inline SVG and CSS, no
// script, no network, no external font) that shows a run, or a sweep (`lunsim report SWEEP`).
//
// Sections, each present when its data is (charts are sim::reports::svg, so every rule there
// holds: escaping, colour-blind-safe palette, downsampling said on the chart):
//   run          scenario name, file, seed, replications, simulated end, lunsim version, events;
//                with --compare the same for the other run
//   latency      CDFs of response times per operation kind from latency.csv (I/O reads, I/O
//                writes, management operations; one series per load and target); with
//                --compare the other run's series dashed, and the comparison table
//                (reports::compare) beside them; without it, the summary.csv table, every
//                mean with its 95 % interval ("32.4 ms [31.8 ms, 33 ms]")
//   io over time per load from io_timeseries.csv: mean, p99 and max response time per
//                interval and direction (gaps where no request completed; log scale when the
//                values span more than two decades), and IOPS (errors/s when any)
//   jobs         a Gantt timeline of management operations from ops.csv, coloured by verdict
//                when an errant-provider fault fired (detected, undetected, hang, ...), else by
//                status (ok, failed, in_flight, skipped, ...); tooltips carry op, HRESULT,
//                fault, verdict and latency
//   drives       a status timeline per drive slot from events.csv (online, spare, failed,
//                offline, rebuilding; replacements continue their slot's row), for the drives
//                whose state changed
//   queues       mean and max queue depth, and utilisation, per subsystem over time
//                (timeseries.csv)
//   survival     for reliability runs (reliability.csv): the fraction of replications without
//                data loss by time t, with a 95 % Clopper–Pearson band at every step, and the
//                reliability.* rows of summary.csv with their intervals
//   paths        for topology runs: online (and online + standby) paths per LUN over time, from
//                LUNSIM_NF_PATH_MODIFY rows, LUNs named as in the scenario (luns.csv)
// A run directory with replications (rep-NNN/) shows its first replication's per-run data
// (ops, events, timeseries, io_timeseries, latency) and says so; survival uses every
// replication, and the per-replication line charts get a band: the min–max over replications
// 1..K (K = min(N, max_band_replications)) of the same value at the same x (the same quantile
// for CDFs, the same sample time for time series), each chart's note says so.
//
// A sweep directory (reports::is_sweep_directory; read by reports::read_sweep) gets a sweep
// report: its grid, then for each charted metric (those whose mean changes over the grid,
// reliability and response times first, at most max_sweep_metrics; the page names the others)
// one chart per grid axis (the mean at each point with its 95 % interval as error bars, one line
// per value of the other axes, at most max_sweep_lines; axes whose values are not all numbers
// are categories in grid order) and, for a 2-axis grid, a heat map; then the points table.
//
// Every chart is a `<figure class="chart" data-chart="NAME">` holding one `<svg>`. Errors in the
// input (no such directory, no meta.csv or summary.csv, malformed CSV, a missing column, a
// non-number where a number belongs) throw InputError naming the file, line and column.
#pragma once

#include "reports/compare.hpp"

#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <optional>

namespace sim::reports {

struct HtmlReportOptions {
  std::optional<std::filesystem::path> compare;  ///< --compare OTHER
  std::size_t max_points = 2000;  ///< per series, beyond which charts downsample
  std::size_t max_rows = 60;      ///< Gantt and drive rows beyond which timelines are cut
  std::size_t max_band_replications = 200;  ///< replications read for the bands
  std::size_t max_loads = 8;               ///< loads charted over time
  std::size_t max_sweep_metrics = 12;      ///< sweep metrics charted
  std::size_t max_sweep_lines = 8;         ///< lines (other axes' values) per sweep chart
  std::size_t max_sweep_rows = 200;        ///< points in the sweep's table
};

/// Writes the report of the run (or sweep) directory `run` to `out`. Throws InputError on bad
/// input, and for --compare with a sweep on either side.
void write_html_report(std::ostream& out, const std::filesystem::path& run, const HtmlReportOptions& options = {});

} // namespace sim::reports
