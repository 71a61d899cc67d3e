// Trace loads in the scenario (`io: {trace: FILE, format, map, timing, speed, depth}`): what the
// loader accepts, what it reads from the whole trace, and every kind of bad input, positioned.
#include "tests/support/scenario_text.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

using namespace sim;
namespace fs = std::filesystem;
using sim::testing::errors;
using sim::testing::Lines;
using sim::testing::load_ok;

namespace {

/// A trace file in a temporary folder (removed with the object).
struct Folder {
  fs::path dir;
  Folder() {
    dir = fs::temp_directory_path() / ("lunsim-trace-load-" + std::to_string(::getpid()));
    fs::create_directories(dir);
  }
  ~Folder() { fs::remove_all(dir); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(dir / name) << text;
    return (dir / name).string();
  }
};

const std::string fio = "fio version 3 iolog\n"
                        "0 /dev/sdb add\n"
                        "5 /dev/sdb read 0 4096\n"
                        "9 /dev/sdc write 4096 4096\n"
                        "12 /dev/sdb read 8192 4096\n";

/// A scenario whose load (line 11) is `{name: r, trace: PATH, KEYS}`.
std::string with_load(const std::string& path, const std::string& keys) {
  return "name: t\nhorizon: 1s\n" + std::string(R"(drive_models:
  d: {capacity: 1GB}
subsystems:
  - name: a
    enclosures:
      - {name: e1, drives: {model: d, count: 4}}
workload:
  - {op: create_lun, name: lun1, type: raid5, size: 64MB, drives: 3}
  - io: {name: r, trace: )") + path + ", " + keys + "}\n";
}

} // namespace

TEST_CASE("a trace load reads the whole trace when loaded: its requests, reads, devices in order, and the map's "
          "targets as the load's targets", "[scenario][trace]") {
  Folder f;
  const std::string path = f.write("a.log", fio);
  const auto spec = load_ok(with_load(path, "format: fio, map: {/dev/sdb: lun1, /dev/sdc: e1/3}"));
  REQUIRE(spec.io.size() == 1);
  const scenario::IoSpec& io = spec.io[0];
  REQUIRE(io.trace);
  CHECK(io.trace->records == 3);
  CHECK(io.trace->reads == 2);
  CHECK(io.read_fraction == Approx(2.0 / 3.0));
  CHECK(io.trace->devices == std::vector<std::string>{"/dev/sdb", "/dev/sdc"});
  CHECK(io.trace->timing == scenario::TraceTiming::Recorded);
  CHECK(io.trace->speed == 1.0);
  REQUIRE(io.luns.size() == 2);
  CHECK(io.luns[0].value == "lun1");
  CHECK(io.luns[1].value == "e1/3");
  CHECK(io.trace->target_of("/dev/sdb") == 0u);
  CHECK(io.trace->target_of("/dev/sdc") == 1u);
  CHECK(!io.trace->target_of("/dev/sdd"));

  const auto star = load_ok(with_load(path, "format: fio, timing: closed, depth: 4, map: {/dev/sdc: e1/0, \"*\": lun1}"));
  CHECK(star.io[0].trace->target_of("/dev/sdb") == 1u);  // the second target, from "*"
  CHECK(star.io[0].trace->depth == 4);
}

TEST_CASE("bad trace loads: each error at its key, naming what is accepted", "[scenario][trace][errors]") {
  Folder f;
  const std::string path = f.write("a.log", fio);
  // The load is the map at column 9 of line 11.
  CHECK(errors(with_load(path, "map: {/dev/sdb: lun1}")) ==
        Lines{"s.yaml:11:9: error: io load: missing required key 'format'"});
  CHECK(errors(with_load(path, "format: iolog, map: {\"*\": lun1}")).at(0).find(
            "key 'format': unknown trace format 'iolog'; accepted: fio, blkparse, msr") != std::string::npos);
  CHECK(errors(with_load(path, "format: fio, clients: 4, map: {\"*\": lun1}")).at(0).find(
            "key 'clients' does not apply to a trace load (its requests, sizes and offsets come from the trace; 'map' "
            "names its targets)") != std::string::npos);
  CHECK(errors(with_load(path, "format: fio, map: [lun1]")).at(0).find(
            "key 'map': expected a map of trace devices to targets, e.g. {/dev/sdb: lun-a} or {\"*\": lun-a}, found a "
            "list") != std::string::npos);
  CHECK(errors(with_load(path, "format: fio, map: {/dev/sdb: lun1}")).at(0).find(
            "key 'map': trace device '/dev/sdc' (1 requests) has no target; map it, or map \"*\" to take every other "
            "device") != std::string::npos);
  CHECK(errors(with_load(path, "format: fio, map: {/dev/sdx: lun1, \"*\": lun1}")).at(0).find(
            "key 'map': the trace has no device '/dev/sdx' (did you mean '/dev/sdb'?); its devices: /dev/sdb, "
            "/dev/sdc") != std::string::npos);
  CHECK(errors(with_load(path, "format: fio, map: {\"*\": e1}")).at(0).find(
            "key 'map': 'e1' is an enclosure; a trace device maps to one LUN or one drive (e1/0, ...)") !=
        std::string::npos);
  CHECK(errors(with_load(path, "format: fio, map: {\"*\": lun2}")).at(0).find(
            "key 'map': unknown target 'lun2' (did you mean 'lun1'?); accepted: a LUN (lun1) or a drive "
            "(<enclosure>/<index>)") != std::string::npos);
  CHECK(errors(with_load(path, "format: fio, timing: closed, speed: 2, map: {\"*\": lun1}")).at(0).find(
            "key 'speed' applies to 'timing: recorded' only") != std::string::npos);
  CHECK(errors(with_load(path, "format: fio, depth: 2, map: {\"*\": lun1}")).at(0).find(
            "key 'depth' applies to 'timing: closed' only") != std::string::npos);
  CHECK(errors(with_load(path, "format: fio, speed: 0, map: {\"*\": lun1}")).at(0).find(
            "key 'speed': expected a factor from 1e-6 to 1e6 (2: twice as fast)") != std::string::npos);
  CHECK(errors(with_load(path, "format: fio, timing: closed, depth: 0, map: {\"*\": lun1}")).size() == 1);

  // The trace itself: a missing file at the key; a bad line where it is, in the trace.
  const Lines missing = errors(with_load((f.dir / "none.log").string(), "format: fio, map: {\"*\": lun1}"));
  REQUIRE(missing.size() == 1);
  CHECK(missing[0].starts_with("s.yaml:11:"));
  CHECK(missing[0].ends_with("none.log': cannot open the trace: no such file or directory"));
  const std::string bad = f.write("bad.log", "fio version 3 iolog\n5 /dev/sdb read 0 4096\n9 /dev/sdb read zero 4096\n");
  CHECK(errors(with_load(bad, "format: fio, map: {\"*\": lun1}")) ==
        Lines{bad + ":3:17: error: trace fio: field 'offset': expected a byte offset (a whole number), found \"zero\""});
  const std::string empty = f.write("empty.log", "fio version 3 iolog\n0 /dev/sdb add\n");
  CHECK(errors(with_load(empty, "format: fio, map: {\"*\": lun1}")).at(0).find("has no read or write requests") !=
        std::string::npos);
  const std::string csv = f.write("hm_1.csv", "1,hm,1,Read,0,512,1\n");
  CHECK(errors(with_load(csv, "format: fio, map: {\"*\": lun1}")).at(0).find(
            "the first line must be \"fio version 2 iolog\" or \"fio version 3 iolog\"") != std::string::npos);
  // Keys of trace loads on a synthetic load.
  CHECK(errors("name: t\nhorizon: 1s\n" + std::string(R"(drive_models:
  d: {capacity: 1GB}
subsystems:
  - name: a
    enclosures:
      - {name: e1, drives: {model: d, count: 4}}
workload:
  - io: {clients: 1, targets: [e1/0], format: fio}
)")) == Lines{"s.yaml:10:39: error: key 'format' applies to trace loads (with 'trace: FILE') only"});
}

TEST_CASE("a closed-loop replay takes at most 64 devices, each read on its own", "[scenario][trace][errors]") {
  Folder f;
  std::string many = "fio version 3 iolog\n";
  for (int d = 0; d < 65; ++d) many += std::to_string(d) + " /dev/d" + std::to_string(d) + " read 0 4096\n";
  const std::string path = f.write("many.log", many);
  const Lines e = errors(with_load(path, "format: fio, timing: closed, map: {\"*\": lun1}"));
  REQUIRE(e.size() == 1);
  CHECK(e[0].find("key 'timing': a closed-loop replay reads the trace once per device") != std::string::npos);
  CHECK(e[0].find("has 65 devices (at most 64)") != std::string::npos);
  load_ok(with_load(path, "format: fio, map: {\"*\": lun1}"));  // recorded: any number
}

TEST_CASE("a preset overridden key by key: latency replaces both of the preset's laws", "[scenario][presets]") {
  const auto spec = load_ok(R"(
name: p
drive_models:
  fast: {preset: ssd-sata, latency: 50us, capacity: 2TB}
subsystems:
  - name: a
    enclosures:
      - {name: e1, drives: {model: fast, count: 2}}
      - {name: e2, drives: {model: preset/hdd-7200, count: 2}}
)");
  REQUIRE(spec.drive_models.size() == 2);
  const scenario::DriveModelSpec& fast = spec.drive_models[0];
  CHECK(fast.preset == "ssd-sata");
  CHECK(fast.capacity.value == 2'000'000'000'000ULL);
  CHECK(fast.read_latency.mean_seconds() == Approx(50e-6));
  CHECK(fast.write_latency.mean_seconds() == Approx(50e-6));
  REQUIRE(fast.write_buffer);
  CHECK(fast.write_buffer->sustained.bytes_per_second == 400'000'000);
  const scenario::DriveModelSpec& disk = spec.drive_models[1];
  CHECK(disk.name == "preset/hdd-7200");
  REQUIRE(disk.mechanics);
  CHECK(disk.mechanics->rotation() == base::Duration(8'333'333));
  CHECK(disk.mechanics->zone_rate(0).bytes_per_second == 285'000'000);
}
