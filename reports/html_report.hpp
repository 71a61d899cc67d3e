// `lunsim report RUN [--compare OTHER]`: one self-contained HTML file (inline SVG and CSS, no
// script, no network, no external font) that shows a run.
//
// Sections, each present when its data is (charts are sim::reports::svg, so every rule there
// holds: escaping, colour-blind-safe palette, downsampling said on the chart):
//   run          scenario name, file, seed, replications, simulated end, lunsim version, events;
//                with --compare the same for the other run
//   latency      CDFs of response times per operation kind from latency.csv (I/O reads, I/O
//                writes, management operations; one series per load and target); with
//                --compare the other run's series dashed, and the comparison table
//                (reports::compare) beside them; without it, the summary.csv table
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
//                data loss by time t, with a 95 % Clopper–Pearson band at every step
//   paths        for topology runs: online (and online + standby) paths per LUN over time, from
//                LUNSIM_NF_PATH_MODIFY rows
// A run directory with replications (rep-NNN/) shows its first replication's per-run data
// (ops, events, timeseries, latency) and says so; survival uses every replication.
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
};

/// Writes the report of the run directory `run` to `out`. Throws InputError on bad input.
void write_html_report(std::ostream& out, const std::filesystem::path& run, const HtmlReportOptions& options = {});

} // namespace sim::reports
