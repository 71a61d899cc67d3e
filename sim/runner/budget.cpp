#include "sim/runner/budget.hpp"

#include "sim/metrics/run_directory.hpp"
#include "sim/metrics/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <unordered_map>

namespace sim::runner {

namespace {

// Costs measured on this build (bench/run.sh, "memory estimate"): peak RSS over items.
constexpr double floor_bytes = 9e6;          // the process, its libraries, an empty run
constexpr double drive_model_bytes = 480;    // storage::Drive, DriveObject, ledger entry, slot
constexpr double drive_table_bytes = 330;    // its drives.csv record and the scenario's DriveInfo
constexpr double lun_bytes = 4096;           // LunObject, its layout, job, handle, records
constexpr double op_bytes = 512;             // an operation's record and coroutine
constexpr double client_bytes = 1024;        // a closed-loop client's coroutine and state
constexpr double response_bytes = 16;        // kept (8) plus the summary's sorted copy (8)
constexpr double pooled_value_bytes = 8;     // a pooled value of one metric, per replication
constexpr double exact_pool_limit = 1 << 20; // values per metric kept exactly, then a sketch
constexpr double metrics_per_run = 40;       // summary rows of a typical run

std::string count_text(double n) {
  char text[32];
  if (n < 1e15) std::snprintf(text, sizeof text, "%.0f", n);
  else std::snprintf(text, sizeof text, "%.3g", n);
  return text;
}

/// Seconds a load issues requests: from its start to its stop (open loop) or the horizon.
double active_seconds(const scenario::ScenarioSpec& spec, const scenario::IoSpec& io) {
  base::Time end = spec.horizon;
  if (io.stop && *io.stop < end) end = *io.stop;
  if (end == base::never) return 0;
  return std::max(0.0, static_cast<double>((end - io.start).count()) * 1e-9);
}

/// Responses a load will record: open loop, rate x active time; closed loop, clients x
/// requests, or while the horizon lasts at most one per client per think time plus the fastest
/// drive model's mean latency.
double expected_responses(const scenario::ScenarioSpec& spec, const scenario::IoSpec& io) {
  const double seconds = active_seconds(spec, io);
  if (io.trace) return static_cast<double>(io.trace->records);  // at most one per request
  if (io.open_loop) return io.rate.per_second_value() * seconds;
  double latency = 1e-3;
  for (const scenario::DriveModelSpec& m : spec.drive_models) {
    // A disk's service is mostly its positioning: on average a seek and half a turn.
    const double positioning =
        m.mechanics ? 1e-9 * static_cast<double>((m.mechanics->mean_seek() + m.mechanics->rotation() / 2).count()) : 0.0;
    latency = std::min(latency, std::max(1e-6, m.read_latency.mean_seconds() + positioning));
  }
  const double cycle = std::max(1e-6, io.think.mean_seconds() + latency);
  const double clients = static_cast<double>(io.clients);
  double n = seconds > 0 ? clients * seconds / cycle : HUGE_VAL;
  if (io.requests > 0) n = std::min(n, clients * static_cast<double>(io.requests));
  return std::isfinite(n) ? n : 0;
}

} // namespace

MemoryEstimate estimate_memory(const scenario::ScenarioSpec& spec, const EstimateOptions& options) {
  MemoryEstimate e;
  const double models = static_cast<double>(std::max<std::uint64_t>(1, std::min<std::uint64_t>(options.threads, options.replications)));
  const double per_drive = drive_model_bytes + (options.tables ? drive_table_bytes : 0);
  for (const scenario::SubsystemSpec& s : spec.subsystems)
    for (const scenario::EnclosureSpec& en : s.enclosures)
      e.parts.push_back({count_text(en.count) + " drives (enclosure '" + en.name + "')", en.loc,
                         models * per_drive * static_cast<double>(en.count)});
  double luns = 0;
  for (const scenario::OpSpec& op : spec.ops) luns += op.kind == scenario::OpKind::CreateLun ? 1 : 0;
  if (!spec.ops.empty())
    e.parts.push_back({count_text(static_cast<double>(spec.ops.size())) + " operations (" + count_text(luns) + " LUNs)",
                       spec.ops.front().loc, models * (op_bytes * static_cast<double>(spec.ops.size()) + lun_bytes * luns)});
  std::unordered_map<std::string, double> enclosure_drives;
  if (!spec.io.empty())
    for (const scenario::SubsystemSpec& s : spec.subsystems)
      for (const scenario::EnclosureSpec& en : s.enclosures) enclosure_drives[en.name] += static_cast<double>(en.count);
  for (const scenario::IoSpec& io : spec.io) {
    const double responses = expected_responses(spec, io);
    // Each target (an enclosure: each of its drives) keeps at most exact_limit response times
    // per direction it is sent, then a sketch.
    double targets = 0;
    for (const auto& name : io.luns) {
      const auto en = enclosure_drives.find(name.value);
      targets += en != enclosure_drives.end() ? en->second : 1.0;
    }
    const double directions = (io.read_fraction > 0 ? 1.0 : 0.0) + (io.read_fraction < 1 ? 1.0 : 0.0);
    const double records = directions * std::max(1.0, targets);
    const double kept = std::min(responses, records * static_cast<double>(metrics::DurationSample::exact_limit));
    const bool loop = !io.open_loop && !io.trace;
    const double clients = loop ? static_cast<double>(io.clients) : 0;
    e.parts.push_back({"io load '" + io.name + "' (" + count_text(responses) + " responses" +
                           (loop ? ", " + count_text(clients) + " clients" : std::string()) + ")",
                       io.loc, models * (response_bytes * kept + client_bytes * clients)});
  }
  if (options.replications > 1) {
    const double r = static_cast<double>(options.replications);
    e.parts.push_back({count_text(r) + " replications (pooled values)", base::SourceLoc{spec.file, 0, 0},
                       pooled_value_bytes * metrics_per_run * std::min(r, exact_pool_limit)});
  }
  std::sort(e.parts.begin(), e.parts.end(), [](const MemoryPart& a, const MemoryPart& b) { return a.bytes > b.bytes; });
  e.bytes = floor_bytes;
  for (const MemoryPart& p : e.parts) e.bytes += p.bytes;
  return e;
}

std::optional<std::uint64_t> parse_mem_available(const std::string& meminfo) {
  std::istringstream in(meminfo);
  std::string key;
  std::uint64_t kib = 0;
  std::string unit;
  while (in >> key >> kib) {
    std::getline(in, unit);
    if (key == "MemAvailable:") return kib * 1024;
  }
  return std::nullopt;
}

std::optional<std::uint64_t> default_memory_budget(std::string& source) {
  std::optional<std::uint64_t> available;
  if (auto text = metrics::read_regular_file("/proc/meminfo", 1 << 20)) available = parse_mem_available(*text);
  // cgroup v2: this process's group, its limit less what it uses.
  if (auto self = metrics::read_regular_file("/proc/self/cgroup", 1 << 16)) {
    const std::string& line = *self;
    if (line.rfind("0::", 0) == 0) {
      std::string group = line.substr(3);
      while (!group.empty() && (group.back() == '\n' || group.back() == '\r')) group.pop_back();
      const std::filesystem::path dir = std::filesystem::path("/sys/fs/cgroup") / group.substr(group.empty() ? 0 : 1);
      auto max = metrics::read_regular_file(dir / "memory.max", 64);
      auto current = metrics::read_regular_file(dir / "memory.current", 64);
      if (max && current && max->rfind("max", 0) != 0) {
        const double limit = std::strtod(max->c_str(), nullptr), used = std::strtod(current->c_str(), nullptr);
        if (limit > 0) {
          const auto left = static_cast<std::uint64_t>(std::max(0.0, limit - used));
          if (!available || left < *available) {
            available = left;
            source = "80 % of the " + format_bytes(static_cast<double>(left)) + " left under the cgroup's memory.max";
            return static_cast<std::uint64_t>(0.8 * static_cast<double>(left));
          }
        }
      }
    }
  }
  if (!available) return std::nullopt;
  source = "80 % of the " + format_bytes(static_cast<double>(*available)) + " available";
  return static_cast<std::uint64_t>(0.8 * static_cast<double>(*available));
}

std::optional<base::Diagnostic> check_memory(const MemoryEstimate& estimate, std::uint64_t budget, const std::string& source) {
  if (estimate.bytes <= static_cast<double>(budget)) return std::nullopt;
  std::string parts;
  for (std::size_t i = 0; i < std::min<std::size_t>(3, estimate.parts.size()); ++i) {
    if (estimate.parts[i].bytes < 1e6) break;
    parts += (parts.empty() ? "" : ", ") + estimate.parts[i].what + ": " + format_bytes(estimate.parts[i].bytes);
  }
  base::SourceLoc at = estimate.parts.empty() ? base::SourceLoc{} : estimate.parts.front().loc;
  return base::Diagnostic::error(std::move(at), "the run needs about " + format_bytes(estimate.bytes) +
                                                    (parts.empty() ? std::string() : " (" + parts + ")") +
                                                    ", over the memory budget of " + format_bytes(static_cast<double>(budget)) +
                                                    " (" + source + "); make it smaller, or raise --max-memory");
}

std::string format_bytes(double bytes) {
  static const char* const units[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
  std::size_t u = 0;
  while (bytes >= 1000 && u + 1 < std::size(units)) bytes /= 1000, ++u;
  char text[32];
  std::snprintf(text, sizeof text, "%.3g %s", bytes, units[u]);
  return text;
}

} // namespace sim::runner
