// The memory budget: what a command will hold at its peak, estimated from the scenario before any
// model is built, so that a scenario which cannot fit is refused at once with a positioned error
// naming the sizes (exit 2), instead of dying of std::bad_alloc minutes later.
//
// The estimate is a peak resident set size in bytes: the process's own floor plus, per item the
// scenario makes, a cost measured on this build (bench/run.sh's "memory estimate" rows compare
// it with the measured peak RSS of every shipped scenario and benchmark; the target is 0.5-2x).
// The items: drives (the model, their drives.csv record), LUNs and management operations,
// closed-loop clients, host I/O response times (8 bytes each, kept for exact percentiles, plus
// the sorted copy the summary makes; at most metrics::DurationSample::exact_limit per target and
// direction, then a sketch of constant size), and, with replications, one model per worker
// thread plus the pooled values of every metric (exact up to 2^20 per metric, then a sketch).
// The time series stream to disk and cost nothing here. Not counted: --trace (a row per engine event)
// and foreign clients' own memory.
#pragma once

#include "sim/base/diagnostic.hpp"
#include "sim/scenario/spec.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sim::runner {

/// One item of the estimate, with where the scenario sets its size.
struct MemoryPart {
  std::string what;  ///< "1000000 drives (enclosure 'shelf')", for messages
  base::SourceLoc loc;
  double bytes = 0;
};

struct MemoryEstimate {
  double bytes = 0;               ///< the estimated peak RSS
  std::vector<MemoryPart> parts;  ///< what the scenario adds to the floor, largest first
};

struct EstimateOptions {
  std::uint64_t replications = 1;
  unsigned threads = 1;  ///< worker threads running replications (each holds a model)
  bool tables = true;    ///< per-run tables (false: --summary-only, sweeps, explore)
};

/// The estimate for running `spec` (a loaded scenario) so.
MemoryEstimate estimate_memory(const scenario::ScenarioSpec& spec, const EstimateOptions& options = {});

/// The default budget: 80 % of the smaller of MemAvailable (/proc/meminfo) and the cgroup's
/// memory.max less its memory.current (cgroup v2, when limited); nullopt when neither is known.
/// `source` receives how it was found ("80 % of the 5.2 GB available").
std::optional<std::uint64_t> default_memory_budget(std::string& source);

/// Reads /proc/meminfo-style text: MemAvailable in bytes (nullopt when absent).
std::optional<std::uint64_t> parse_mem_available(const std::string& meminfo);

/// An error, located at the largest part, when `estimate` exceeds `budget`:
/// "the run needs about 4.6 GB (1e7 drives (enclosure 'e'): 4.5 GB, ...), over the memory
/// budget of 3.2 GB (<source>); --max-memory raises it". nullopt when it fits.
std::optional<base::Diagnostic> check_memory(const MemoryEstimate& estimate, std::uint64_t budget, const std::string& source);

/// "4.6 GB": bytes with three significant digits in decimal units.
std::string format_bytes(double bytes);

} // namespace sim::runner
