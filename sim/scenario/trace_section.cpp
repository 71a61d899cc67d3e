// A trace load's keys (`io: {trace: FILE, format, map, timing, speed, depth}`) and the whole-trace
// check made at load time.
#include "sim/scenario/loader_sections.hpp"

#include <map>

namespace sim::scenario::detail {

namespace {

/// Distinct devices a trace may name: each costs a map entry at load time and a reader pass in a
/// closed-loop replay.
constexpr std::size_t max_devices = 10'000;
/// A closed-loop replay opens the trace once per device (each an open file and a 64 KiB buffer,
/// and a pass over the whole file): few devices only.
constexpr std::size_t max_closed_devices = 64;

std::string listed(const std::vector<std::string>& names) {
  constexpr std::size_t shown = 10;
  std::vector<std::string> head(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(std::min(shown, names.size())));
  std::string out = join(head);
  if (names.size() > shown) out += " and " + std::to_string(names.size() - shown) + " more";
  return out;
}

} // namespace

void Loader::trace_load(const MapReader& m, IoSpec& io) {
  for (const char* key : {"clients", "requests", "think", "rate", "size", "read", "pattern", "targets"})
    if (m.has(key))
      r.error(m.key_loc(key), "key " + q(key) + " does not apply to a trace load (its requests, sizes and offsets " +
                                  "come from the trace; 'map' names its targets)");
  TraceSpec t;
  const YAML::Node file_node = m.get("trace");
  const auto file = get_string(r, file_node, "trace");
  if (file && file->empty()) r.error(file_node, "key 'trace': expected the path of a trace file, found an empty string");
  bool ok = file && !file->empty();
  if (ok) {
    t.file = *file;
    t.path = r.base_dir / *file;
    t.loc = r.loc(file_node);
  }
  if (const YAML::Node f = m.required("format")) {
    if (auto format = get_choice(r, f, "format", trace::format_names, "trace format")) t.format = *format;
    else ok = false;
  } else {
    ok = false;
  }
  if (m.has("timing"))
    if (auto timing = get_choice(r, m.get("timing"), "timing", trace_timing_names, "timing")) t.timing = *timing;
  if (m.has("speed")) {
    if (t.timing != TraceTiming::Recorded)
      r.error(m.key_loc("speed"), "key 'speed' applies to 'timing: recorded' only (a closed-loop replay has no clock of its own)");
    if (auto s = get_number(r, m.get("speed"), "speed")) {
      if (!(*s >= 1e-6 && *s <= 1e6)) r.error(m.get("speed"), "key 'speed': expected a factor from 1e-6 to 1e6 (2: twice as fast)");
      else t.speed = *s;
    }
  }
  if (m.has("depth")) {
    if (t.timing != TraceTiming::Closed)
      r.error(m.key_loc("depth"), "key 'depth' applies to 'timing: closed' only (a recorded replay issues at the trace's times)");
    if (auto d = get_count(r, m.get("depth"), "depth", 1, 1024)) t.depth = static_cast<std::uint32_t>(*d);
  }
  if (m.has("stop") && t.timing != TraceTiming::Recorded)
    r.error(m.key_loc("stop"), "key 'stop' applies to 'timing: recorded' only");
  else if (m.has("stop"))
    if (auto d = get_duration(r, m.get("stop"), "stop")) io.stop = base::at(*d);

  // map: {DEVICE: TARGET, ..., "*": TARGET}
  struct Entry {
    std::string device;
    base::SourceLoc loc;
    std::uint32_t target;
  };
  std::vector<Entry> entries;
  const YAML::Node map = m.required("map");
  if (map && !map.IsMap()) {
    r.error(map, "key 'map': expected a map of trace devices to targets, e.g. {/dev/sdb: lun-a} or {\"*\": lun-a}, found " +
                     describe_kind(map));
    ok = false;
  } else if (map) {
    for (const auto& kv : map) {
      const auto device = get_string(r, kv.first, "map");
      const auto target = get_string(r, kv.second, "map");
      if (!device || !target) continue;
      std::uint32_t index = 0;
      while (index < io.luns.size() && io.luns[index].value != *target) ++index;
      if (index == io.luns.size()) io.luns.push_back(Located<std::string>{*target, r.loc(kv.second)});
      if (*device == "*") {
        if (t.rest) r.error(kv.first, "key 'map': '*' is given twice");
        t.rest = index;
        continue;
      }
      bool twice = false;
      for (const Entry& e : entries) twice = twice || e.device == *device;
      if (twice) r.error(kv.first, "key 'map': device " + q(*device) + " is given twice");
      else entries.push_back(Entry{*device, r.loc(kv.first), index});
    }
    if (entries.empty() && !t.rest) {
      r.error(map, "key 'map': expected at least one device, e.g. {\"*\": lun-a}");
      ok = false;
    }
  } else {
    ok = false;
  }
  if (!ok) {
    io.trace = std::move(t);
    return;
  }

  // Read the whole trace now: a malformed line is an error before anything runs, and the map is
  // checked against the devices it names.
  std::map<std::string, std::uint64_t, std::less<>> counts;
  try {
    trace::Reader reader(t.path, t.format, t.path.string());
    trace::Record rec;
    while (reader.next(rec)) {
      ++t.records;
      if (rec.op == trace::Op::Read) ++t.reads;
      auto it = counts.find(rec.device);
      if (it == counts.end()) {
        if (counts.size() == max_devices) {
          r.error(base::SourceLoc{reader.name(), static_cast<int>(std::min<std::uint64_t>(rec.line, INT32_MAX)), 0},
                  "trace: more than " + std::to_string(max_devices) + " devices (the limit of one trace load)");
          io.trace = std::move(t);
          return;
        }
        it = counts.emplace(std::string(rec.device), 0).first;
        t.devices.emplace_back(rec.device);
      }
      ++it->second;
    }
  } catch (const trace::TraceError& e) {
    // A line at fault is shown where it is; the file itself (missing, a directory) at the key.
    if (e.diagnostic().loc.line > 0) r.error(e.diagnostic().loc, e.diagnostic().message);
    else r.error(file_node, "key 'trace': " + q(t.path.string()) + ": " + e.diagnostic().message);
    io.trace = std::move(t);
    return;
  }
  if (t.timing == TraceTiming::Closed && t.devices.size() > max_closed_devices)
    r.error(m.key_loc("timing"), "key 'timing': a closed-loop replay reads the trace once per device, and " +
                                     q(t.path.string()) + " has " + std::to_string(t.devices.size()) +
                                     " devices (at most " + std::to_string(max_closed_devices) +
                                     "): replay it with 'timing: recorded', or split it");
  if (t.records == 0)
    r.error(t.loc, "key 'trace': " + q(t.path.string()) + " has no read or write requests");
  else
    io.read_fraction = static_cast<double>(t.reads) / static_cast<double>(t.records);
  for (const Entry& e : entries) {
    if (t.records > 0 && !counts.contains(e.device))
      r.error(e.loc, "key 'map': the trace has no device " + q(e.device) + hint_for(e.device, t.devices) +
                         "; its devices: " + listed(t.devices));
    t.map.emplace_back(e.device, e.target);
  }
  if (!t.rest)
    for (const std::string& d : t.devices) {
      bool mapped = false;
      for (const Entry& e : entries) mapped = mapped || e.device == d;
      if (!mapped) {
        r.error(map, "key 'map': trace device " + q(d) + " (" + std::to_string(counts.find(d)->second) +
                         " requests) has no target; map it, or map \"*\" to take every other device");
        break;
      }
    }
  io.trace = std::move(t);
}

} // namespace sim::scenario::detail
