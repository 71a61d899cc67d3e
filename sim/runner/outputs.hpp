// The run directory: one CSV per table (the README lists every file and column), written into a
// RunDirectory that becomes visible under its final name only when complete.
//
// Times are seconds printed exactly from nanoseconds (9 decimals); HRESULTs are two columns,
// `<name>_hex` (0x80042409) and `<name>` (VDS_E_OPERATION_PENDING); quoting is RFC 4180.
// Everything but meta.csv's wall_time_s is a pure function of (scenario, seed, build).
#pragma once

#include "sim/metrics/run_directory.hpp"
#include "sim/metrics/statistics.hpp"
#include "sim/runner/run.hpp"
#include "sim/scenario/spec.hpp"

#include <iosfwd>
#include <limits>
#include <string>
#include <vector>

namespace sim::runner {

/// Version of the CSV layout; readers refuse run directories of another schema.
inline constexpr int csv_schema = 1;

struct BuildInfo {
  std::string version;       ///< lunsim version
  std::string git_revision;  ///< "unknown" outside a git checkout
};

/// One row of summary.csv: metric `family.subject.measure`, its unit and which way is better.
struct SummaryRow {
  std::string metric;
  std::string unit;    ///< "s", "ratio", "ops/s", "count", "bytes"
  std::string better;  ///< lower, higher or none
  metrics::Summary stats;
  metrics::Interval ci95{std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
};

/// The metrics of one run, in a fixed order. Confidence intervals of I/O response times come from
/// batch means over the run (20 batches); single-valued metrics have none.
std::vector<SummaryRow> summarize(const RunResult& result);

/// Writes every file of the run directory (trace.csv only when the run recorded a trace);
/// `summary` is summarize(result).
void write_run(const RunResult& result, const scenario::ScenarioSpec& spec, const BuildInfo& build,
               const std::vector<SummaryRow>& summary, metrics::RunDirectory& dir);

/// The short human summary `lunsim run` prints.
void print_summary(std::ostream& os, const RunResult& result, const scenario::ScenarioSpec& spec,
                   const std::vector<SummaryRow>& rows);

} // namespace sim::runner
