// Scenario loader: every kind of bad input gives a positioned message in lunsim's words
// ("file:line:column: error: ..." naming the key and what is accepted), all errors come at once
// sorted by position, and good scenarios load into the expected spec.
//
// Scenarios are inline YAML named "s.yaml". yaml() drops the newline right after `R"(`, so the
// first line of the literal is line 1 of the scenario.
#include "sim/provider/vds_types.hpp"
#include "sim/scenario/loader.hpp"

#include "tests/support/scenario_text.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

using namespace sim;
using namespace sim::scenario;
using namespace std::chrono_literals;

namespace {

using sim::testing::errors;
using sim::testing::Lines;
using sim::testing::load_ok;
using sim::testing::yaml;

/// A valid scenario whose `workload:` key is line 8: the first workload item is line 9.
std::string with_workload(std::string_view items) {
  return R"(name: t
drive_models:
  m1: {capacity: 1TB}
subsystems:
  - name: a
    enclosures:
      - {name: e1, drives: {model: m1, count: 4}}
workload:
)" + yaml(items);
}

const OpSpec* find_op(const ScenarioSpec& spec, std::string_view name) {
  const auto it = std::find_if(spec.ops.begin(), spec.ops.end(), [&](const OpSpec& op) { return op.name == name; });
  return it == spec.ops.end() ? nullptr : &*it;
}

std::vector<std::string> names(const std::vector<Located<std::string>>& v) {
  std::vector<std::string> out;
  for (const auto& x : v) out.push_back(x.value);
  return out;
}

std::int64_t seconds(base::Time t) { return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count(); }

} // namespace

// -------------------------------------------------------------------------------------------
// YAML itself

TEST_CASE("hostile YAML is refused before yaml-cpp or a tree walk can run away") {
  // yaml-cpp 0.7's LoadAll loops, allocating without bound, on a ',' that starts a document.
  for (const char* text : {",", " ,", "---\n,", "--- ,", "# c\n,", "a: 1\n---\n,", "...\n,"}) {
    INFO(text);
    const Lines e = errors(text);
    REQUIRE(e.size() == 1);
    CHECK(e[0].find("unexpected ',' at the start of the document") != std::string::npos);
  }
  CHECK(errors(",") == Lines{"s.yaml:1:1: error: YAML syntax error: unexpected ',' at the start of the document (a value "
                             "cannot begin with ','; quote it)"});
  // The same loop after a complete top-level flow collection or quoted scalar (found by fuzzing:
  // tests/fuzz/scenario/timeout-*), also on a later line; an anchor before '[' opens it as usual.
  CHECK(errors("{}\n,") == Lines{"s.yaml:2:1: error: YAML syntax error: unexpected ',' after a complete value (outside "
                                 "'[...]' and '{...}' a ',' cannot follow a quoted value or a closed bracket)"});
  CHECK(errors("\"q\",").size() == 1);
  // And on a ',' left of the document's first key, after a tag or an anchor before the first
  // value, and after a comment that ends a top-level scalar (found by fuzzing: tests/fuzz/scenario
  // and tests/fuzz/set, timeout-*): every ',' outside brackets gets a bounded first pass.
  CHECK(errors("  a: 2\n ,\n") == Lines{"s.yaml:2:2: error: YAML syntax error: unexpected ',' left of the document's first "
                                        "key (column 3): it belongs to no value; quote it or indent it"});
  for (const char* text : {"!x,b", "&a ,b", "!!str,b", "&a\n,"}) {
    INFO(text);
    const Lines e = errors(text);
    REQUIRE(e.size() == 1);
    CHECK(e[0].find("unexpected ',' at the start of the document") != std::string::npos);
  }
  CHECK(errors(".\n#\n,") == Lines{"s.yaml:3:1: error: YAML syntax error: unexpected ',' after the document's value: it "
                                   "belongs to no key or list (quote it)"});
  // A block scalar ends the root map when a line left of the map's keys follows; the ',' there is
  // left over at the document level (found by fuzzing: tests/fuzz/scenario/timeout-*-377-*). The
  // bracket inside the block scalar is text, not a flow collection: no scan of brackets decides
  // whether the bounded pass runs, only whether the root is certainly one map at column 0.
  CHECK(errors(" a: |\n  [\n,\n") == Lines{"s.yaml:3:1: error: YAML syntax error: unexpected ',' after the document's "
                                            "value: it belongs to no key or list (quote it)"});
  for (const char* text : {" a: |\n  {\n,\n", " a: >\n  \"[\n,\n", " - |\n  [\n,", " a: x\n  #[\n,", "%YAML 1.2\n---\n a: |\n  [\n,"}) {
    INFO(text);
    const Lines e = errors(text);
    REQUIRE(e.size() == 1);
    CHECK(e[0].find("YAML syntax error") != std::string::npos);
  }
  // yaml-cpp decodes UTF-16 (a NUL byte among the first four, or a byte-order mark): this text
  // is "#", "a", "#", "," to it, while every byte-wise check saw a key at column 0 (found by
  // review). Refused, as is any NUL: a scenario is UTF-8.
  const std::string utf16("#\0\na: \n\0a\0\n\0#\0\n\0,\0", 19);
  CHECK(errors(utf16) == Lines{"s.yaml:1:2: error: YAML syntax error: a NUL byte: a scenario is UTF-8 text (a UTF-16 or "
                               "UTF-32 file? save it as UTF-8)"});
  CHECK(errors("\xFF\xFE" "a\x01") == Lines{"s.yaml:1:1: error: YAML syntax error: the text starts with a UTF-16 "
                                           "byte-order mark: a scenario is UTF-8 text (save it as UTF-8)"});
  // A lone CR is no line break to yaml-cpp: "a:\rb" is one plain scalar, not a key, and the ','
  // after the comment is left over (load_scenario_file turns lone CRs into LFs; `sweep`, --set
  // and the fuzz targets give load_scenario the text as it is).
  for (const char* text : {"a:\rb\n#\n,\n", "name: s\r---\n,", "a: 1\n#\r\n---\r,"}) {
    INFO(text);
    const Lines e = errors(text);
    REQUIRE(!e.empty());
    CHECK(e[0].find("YAML syntax error") != std::string::npos);
  }
  CHECK(errors("a\n---\nb, c") == Lines{"s.yaml:2:1: error: YAML syntax error: a second YAML document starts here: a scenario "
                                   "file holds one document (remove this '---')"});
  // A ',' inside a plain value is part of it.
  for (const std::string& e : errors("name: a, b\n")) CHECK(e.find("YAML syntax error") == std::string::npos);
  for (const std::string& e : errors("name: s\nx: &a [\"1\", \"2\"]\n")) CHECK(e.find("YAML syntax error") == std::string::npos);
  // A distribution without its value or file is a missing key, not an internal error.
  CHECK(errors("name: s\nfailures:\n  lifetime: {dist: constant}\n").back() ==
        "s.yaml:3:13: error: key 'lifetime' (constant): missing required key 'value'");
  // Inside a flow collection a ',' is ordinary YAML: no syntax error, only the scenario's own
  // complaints (missing drive_models and subsystems, unknown key 'x').
  for (const std::string& e : errors("name: s\nx: [1, ,]\n")) CHECK(e.find("YAML syntax error") == std::string::npos);
  // Billion laughs under an unknown key: ten levels of nine aliases each (9^10 values when
  // expanded, 451 bytes); refused at the first alias, in milliseconds, whatever key holds it.
  std::string laughs = "name: x\nunknown:\n  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  std::string prev = "a";
  for (char c = 'b'; c <= 'k'; ++c) {
    const std::string a = "*" + prev;
    laughs += std::string("  ") + c + ": &" + c + " [" + a + "," + a + "," + a + "," + a + "," + a + "," + a + "," + a + "," + a +
              "," + a + "]\n";
    prev = std::string(1, c);
  }
  const Lines l = errors(laughs);
  REQUIRE(l.size() == 1);
  CHECK(l[0].rfind("s.yaml:4:10: error: YAML syntax error: anchors and aliases expand this document beyond 1000000 values", 0) == 0);
  // A modest use of anchors and aliases stays accepted.
  for (const std::string& e : errors("name: s\nx: &v 1\ny: *v\n")) CHECK(e.find("YAML syntax error") == std::string::npos);
  // Flow collections nested beyond 64 levels (yaml-cpp recurses on them).
  const std::string deep = "a: " + std::string(100, '[') + std::string(100, ']') + "\n";
  CHECK(errors(deep) == Lines{"s.yaml:1:68: error: YAML syntax error: flow collections ('[' and '{') nested deeper than 64 levels"});
  // A megabyte of ',' in a flow map: a million empty entries (yaml-cpp would keep some 900 MB of
  // nodes); refused at the first entry past 10^6 (the two keys and the brace count too), before
  // parsing.
  const Lines commas = errors("name: x\nsubsystems: {" + std::string(1'000'000, ',') + "}\n");
  CHECK(commas == Lines{"s.yaml:2:1000011: error: YAML syntax error: the document has more than 1000000 entries (keys, "
                        "values, list items); a scenario may have at most 1000000"});
  // Larger than 16 MiB: refused before parsing.
  const Lines big = errors(std::string((16u << 20) + 1, '#'));
  REQUIRE(big.size() == 1);
  CHECK(big[0].find("a scenario may have at most 16777216 (16 MiB)") != std::string::npos);
}

TEST_CASE("a flood of errors keeps the first 100 and counts the rest") {
  // 500,000 subsystems that are not maps: one error each.
  std::string text = "name: x\ndrive_models: {}\nsubsystems: [";
  for (int i = 0; i < 500'000; ++i) text += "a,";
  text += "]\n";
  const LoadResult r = load_scenario(text, "s.yaml");
  CHECK_FALSE(r.spec);
  CHECK(r.error_count >= 500'000);
  REQUIRE(r.diagnostics.size() == 101);
  CHECK(r.diagnostics[0].format().rfind("s.yaml:3:14: error: ", 0) == 0);
  CHECK(r.diagnostics[100].format() ==
        "s.yaml: note: " + std::to_string(r.error_count - 100) + " more errors not shown (the first 100 found are)");
  std::ostringstream err;
  CHECK_FALSE(print_diagnostics(r, err));
  const std::string printed = err.str();
  CHECK(std::count(printed.begin(), printed.end(), '\n') == 102);
  CHECK(printed.substr(printed.rfind('\n', printed.size() - 2) + 1) == std::to_string(r.error_count) + " errors\n");
}

TEST_CASE("a scenario file must be a regular file, CR-only line ends are line ends, messages stay one printable line") {
  const auto dir = std::filesystem::temp_directory_path() / ("lunsim-loader-files-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto first = [](const LoadResult& r) { return r.diagnostics.empty() ? std::string() : r.diagnostics.front().format(); };
  CHECK(first(load_scenario_file(dir)) == dir.string() + ": error: cannot read the scenario file: is a directory");
  CHECK(first(load_scenario_file(dir / "absent.yaml")) ==
        (dir / "absent.yaml").string() + ": error: cannot read the scenario file: no such file or directory");
  // A device is refused without being read (/dev/zero would never end); a FIFO without blocking.
  CHECK(first(load_scenario_file("/dev/zero")) ==
        "/dev/zero: error: cannot read the scenario file: is not a regular file (a device, FIFO or socket)");
  REQUIRE(::mkfifo((dir / "fifo.yaml").c_str(), 0600) == 0);
  CHECK(first(load_scenario_file(dir / "fifo.yaml")).find("is not a regular file") != std::string::npos);
  // Classic Mac OS line ends: three lines, the third (an unknown key) reported on line 3.
  std::ofstream(dir / "cr.yaml", std::ios::binary) << "name: x\rseed: 1\rbogus: 2\r";
  bool line3 = false;
  for (const auto& d : load_scenario_file(dir / "cr.yaml").diagnostics)
    line3 = line3 || d.format().rfind((dir / "cr.yaml").string() + ":3:1: error: scenario: unknown key 'bogus'", 0) == 0;
  CHECK(line3);
  // A control character in a key reaches the message escaped; a huge value is cut.
  const Lines esc = errors("name: x\nx\x1b[31m: 1\n");
  REQUIRE(!esc.empty());
  CHECK(esc.back().find("unknown key 'x\\x1b[31m'") != std::string::npos);
  CHECK(esc.back().find('\x1b') == std::string::npos);
  const Lines huge = errors("name: x\nseed: " + std::string(5'000'000, '7') + "\n");
  REQUIRE(huge.size() == 2);  // no subsystems, and the seed
  CHECK(huge.back().size() < 400);
  CHECK(huge.back().find("(5000000 bytes)") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("a YAML syntax error is reported once, in lunsim's words, where the mistake is") {
  // An unclosed flow map: yaml-cpp notices at the end of the file; the message points at the '{'.
  CHECK(errors(R"(
name: t
drive_models:
  m1: {capacity: 1TB}
subsystems:
  - name: a
    enclosures:
      - {name: e1, drives: {model: m1, count: 4}
)") == Lines{"s.yaml:7:9: error: YAML syntax error: this '{' is never closed: expected '}' after the last "
             "'key: value' of the map"});
  CHECK(errors(R"(
name: t
seed: [1, 2
)") == Lines{"s.yaml:2:7: error: YAML syntax error: this '[' is never closed: expected ']' after the last item of the list"});
  CHECK(errors(R"(
name: t
horizon: 30s: 5
)") == Lines{"s.yaml:2:13: error: YAML syntax error: unexpected ':': a 'key:' cannot follow a value on the same line, "
             "nor be indented under a plain value (quote a value that contains ': ')"});
  CHECK(errors(R"(
name: t
drive_models:
  m1:
    capacity: 1TB
   bandwidth: 250MB/s
)") == Lines{"s.yaml:5:4: error: YAML syntax error: unexpected 'b' in a map: check the indentation (the keys of one "
             "map line up) and do not mix 'key: value' entries with '- ' list items at one level"});
  CHECK(errors("name: t\ndrive_models:\n\tm1: {capacity: 1TB}\n") ==
        Lines{"s.yaml:3:1: error: YAML syntax error: tab character in the indentation (YAML indents with spaces only)"});
  CHECK(errors(R"(
name: t
seed: ]
)") == Lines{"s.yaml:2:7: error: YAML syntax error: unexpected ']': it closes no '{' or '['"});
}

TEST_CASE("a quoted value that is never closed is a syntax error, not a value that swallows the rest of the file") {
  // yaml-cpp itself accepts this, reading the name up to the end of the file.
  CHECK(errors(R"(
name: "quickstart
seed: 42
)") == Lines{"s.yaml:1:7: error: YAML syntax error: this quoted value is never closed: add the closing \""});
  CHECK(errors(R"(
name: t
horizon: '30s
)") == Lines{"s.yaml:2:10: error: YAML syntax error: this quoted value is never closed: add the closing '"});
}

TEST_CASE("a second YAML document in the file is an error at its '---'") {
  CHECK(errors(R"(
---
name: t
---
name: u
)") == Lines{"s.yaml:3:1: error: YAML syntax error: a second YAML document starts here: a scenario file holds one "
             "document (remove this '---')"});
}

TEST_CASE("an empty file, or one with only comments, is reported at its first line") {
  const std::string message =
      "s.yaml:1:1: error: empty scenario: expected a map with at least 'name', 'drive_models' and 'subsystems'";
  CHECK(errors("") == Lines{message});
  CHECK(errors("# nothing here yet\n\n") == Lines{message});
}

TEST_CASE("a scenario that is not a map says which keys it expects") {
  CHECK(errors(R"(
- name: t
)") == Lines{"s.yaml:1:1: error: scenario: expected a map of keys (schema_version, name, seed, horizon, drive_models, "
             "subsystems, provider, workload, metrics, failures, repair, reliability, topology, sweep), found a list"});
}

// -------------------------------------------------------------------------------------------
// keys

TEST_CASE("an unknown key is reported with a did-you-mean at its position, at the top level and nested") {
  CHECK(errors(R"(
name: t
horizn: 30s
drive_models:
  m1: {capacity: 1TB, bandwith: 250MB/s}
subsystems:
  - name: a
    enclosures:
      - {name: e1, drives: {model: m1, count: 4}, hot_spare: 1}
)") == Lines{
      "s.yaml:2:1: error: scenario: unknown key 'horizn' (did you mean 'horizon'?); accepted: schema_version, name, "
      "seed, horizon, drive_models, subsystems, provider, workload, metrics, failures, repair, reliability, topology, sweep",
      "s.yaml:4:23: error: drive model 'm1': unknown key 'bandwith' (did you mean 'bandwidth'?); accepted: capacity, "
      "bandwidth, latency, read_latency, write_latency, lifetime, age, latent_errors, rpm, zones, media_rate, seek, write_bandwidth, write_buffer, preset",
      "s.yaml:8:51: error: subsystem 'a' enclosure 1: unknown key 'hot_spare' (did you mean 'hot_spares'?); accepted: "
      "name, drives, hot_spares",
  });
  // Nothing close: no suggestion, only what is accepted.
  CHECK(errors(R"(
name: t
drive_models:
  m1: {capacity: 1TB, colour: red}
subsystems:
  - name: a
    enclosures:
      - {name: e1, drives: {model: m1, count: 4}}
)") == Lines{"s.yaml:3:23: error: drive model 'm1': unknown key 'colour'; accepted: capacity, bandwidth, latency, "
             "read_latency, write_latency, lifetime, age, latent_errors, rpm, zones, media_rate, seek, write_bandwidth, write_buffer, preset"});
}

TEST_CASE("a missing required key is reported at the map that lacks it") {
  // yaml-cpp gives a missing key no position: the message points at the map (its '{', or its first key).
  CHECK(errors(R"(
name: t
drive_models:
  m1: {bandwidth: 250MB/s}
subsystems:
  - name: a
    enclosures:
      - {drives: {model: m1, count: 4}}
)") == Lines{
      "s.yaml:3:7: error: drive model 'm1': missing required key 'capacity'",
      "s.yaml:7:9: error: subsystem 'a' enclosure 1: missing required key 'name'",
  });
  CHECK(errors(R"(
name: t
drive_models:
  m1: {capacity: 1TB}
)") == Lines{"s.yaml:1:1: error: scenario: missing required key 'subsystems'"});
}

// -------------------------------------------------------------------------------------------
// values

TEST_CASE("a bare number where a duration is needed is a missing unit, pointed at the end of the number") {
  CHECK(errors(R"(
name: t
horizon: 30
drive_models:
  m1: {capacity: 1TB}
subsystems:
  - name: a
    enclosures:
      - {name: e1, drives: {model: m1, count: 4}}
)") == Lines{"s.yaml:2:12: error: key 'horizon': missing unit (accepted: ns, us, ms, s, m, h, d, y)"});
}

TEST_CASE("a unit of the wrong kind names both kinds and the accepted units, pointed at the unit") {
  CHECK(errors(R"(
name: t
drive_models:
  m1: {capacity: 5ms}
subsystems:
  - name: a
    management_latency: 4KiB
    enclosures:
      - {name: e1, drives: {model: m1, count: 4}}
)") == Lines{
      "s.yaml:3:19: error: key 'capacity': unit 'ms' is a duration, expected a size (accepted: B, KB, MB, GB, TB, PB, "
      "EB, KiB, MiB, GiB, TiB, PiB, EiB)",
      "s.yaml:6:26: error: key 'management_latency': unit 'KiB' is a size, expected a duration (accepted: ns, us, ms, "
      "s, m, h, d, y)",
  });
}

TEST_CASE("a value out of range states the accepted range") {
  CHECK(errors(R"(
name: t
drive_models:
  m1: {capacity: 1TB}
subsystems:
  - name: a
    provisioning_priority: 16
    enclosures:
      - {name: e1, drives: {model: m1, count: 4}, hot_spares: 5}
)") == Lines{
      "s.yaml:6:28: error: key 'provisioning_priority': 16 is out of range (accepted: from 0 to 15)",
      "s.yaml:8:63: error: key 'hot_spares': 5 is more than the enclosure's 4 drives (accepted: from 0 to 4)",
  });
}

TEST_CASE("a value of the wrong type says what was expected and what was found") {
  // A list where a map is expected.
  CHECK(errors(R"(
name: t
drive_models:
  - m1
subsystems:
  - name: a
    enclosures:
      - {name: e1, drives: [m1]}
metrics: [1s]
)") == Lines{
      "s.yaml:3:3: error: key 'drive_models': expected a map of model names to models, e.g. {sas-8t: {capacity: "
      "8TiB}}, found a list",
      "s.yaml:7:28: error: enclosure 'e1' drives: expected a map of keys (model, count), found a list",
      "s.yaml:8:10: error: metrics: expected a map of keys (interval, timeseries, io), found a list",
  });
  // A map where a duration is expected, and a list where a duration or distribution is.
  CHECK(errors(R"(
name: t
horizon: {days: 30}
drive_models:
  m1: {capacity: 1TB}
subsystems:
  - name: a
    management_latency: [5ms, 10ms]
    enclosures:
      - {name: e1, drives: {model: m1, count: 4}}
)") == Lines{
      "s.yaml:2:10: error: key 'horizon': expected a value with a unit such as 250ms, found a map",
      "s.yaml:7:25: error: key 'management_latency': expected a duration such as 5ms or a map {dist: constant, "
      "uniform, exponential, normal, lognormal, weibull, empirical, ...}, found a list",
  });
}

// -------------------------------------------------------------------------------------------
// distributions

TEST_CASE("an unknown distribution gets a did-you-mean and the accepted kinds") {
  CHECK(errors(R"(
name: t
drive_models:
  m1:
    capacity: 1TB
    latency: {dist: lognormel, median: 4ms, p99: 20ms}
subsystems:
  - name: a
    enclosures:
      - {name: e1, drives: {model: m1, count: 4}}
)") == Lines{"s.yaml:5:21: error: key 'dist': unknown distribution 'lognormel' (did you mean 'lognormal'?); accepted: "
             "constant, uniform, exponential, normal, lognormal, weibull, empirical"});
}

TEST_CASE("a distribution with inconsistent parameters names both values") {
  CHECK(errors(R"(
name: t
drive_models:
  m1:
    capacity: 1TB
    read_latency: {dist: uniform, min: 5ms, max: 1ms}
    write_latency: {dist: lognormal, median: 4ms, p99: 4ms}
subsystems:
  - name: a
    management_latency: {min: 1ms, max: 2ms}
    enclosures:
      - {name: e1, drives: {model: m1, count: 4}}
)") == Lines{
      "s.yaml:5:50: error: key 'max': 1ms is below 'min' (5ms); a uniform distribution needs min <= max",
      "s.yaml:6:56: error: key 'p99': 4ms must be greater than 'median' (4ms)",
      "s.yaml:9:25: error: key 'management_latency': missing required key 'dist' (accepted: constant, uniform, "
      "exponential, normal, lognormal, weibull, empirical)",
  });
}

// -------------------------------------------------------------------------------------------
// workload

TEST_CASE("'every' without 'count' (or 'count' without 'every') is reported at the key given") {
  CHECK(errors(with_workload(R"(
  - {at: 1m, every: 5m, op: create_lun, name: s, type: simple, size: 1GiB, drives: 1}
  - {count: 3, op: create_lun, name: u, type: simple, size: 1GiB, drives: 1}
)")) == Lines{
      "s.yaml:9:14: error: key 'every' needs 'count' (how many operations to start, from 1 to 1000000)",
      "s.yaml:10:6: error: key 'count' needs 'every' (the time between two starts, such as 5m)",
  });
}

TEST_CASE("an unknown LUN type gets a did-you-mean and the accepted types") {
  CHECK(errors(with_workload(R"(
  - {op: create_lun, name: x, type: mirorr, size: 1GiB, drives: 2}
)")) == Lines{"s.yaml:9:37: error: key 'type': unknown LUN type 'mirorr' (did you mean 'mirror'?); accepted: simple, "
              "span, stripe, mirror, parity, raid5, raid6, raid10 (or a VDS_LT_ name)"});
}

TEST_CASE("an unknown operation kind gets a did-you-mean and the accepted kinds") {
  CHECK(errors(with_workload(R"(
  - {op: creat_lun, name: x, type: simple, size: 1GiB, drives: 1}
  - {op: resize_lun, lun: x, by: 1GiB}
)")) == Lines{
      "s.yaml:9:10: error: key 'op': unknown operation 'creat_lun' (did you mean 'create_lun'?); accepted: "
      "create_lun, extend_lun, shrink_lun, delete_lun, recover_lun",
      "s.yaml:10:10: error: key 'op': unknown operation 'resize_lun'; accepted: create_lun, extend_lun, shrink_lun, "
      "delete_lun, recover_lun",
  });
}

// -------------------------------------------------------------------------------------------
// references

TEST_CASE("an enclosure's unknown drive model gets a did-you-mean and the models defined") {
  CHECK(errors(R"(
name: t
drive_models:
  sas-1.2t: {capacity: 1.2TB}
subsystems:
  - name: a
    enclosures:
      - {name: e1, drives: {model: sas-1.2, count: 4}}
      - {name: e2, drives: {model: nvme, count: 4}}
)") == Lines{
      "s.yaml:7:36: error: key 'model': unknown drive model 'sas-1.2' (did you mean 'sas-1.2t'?); defined: sas-1.2t; presets: preset/hdd-7200, preset/hdd-10k, preset/ssd-sata, preset/ssd-nvme",
      "s.yaml:8:36: error: key 'model': unknown drive model 'nvme'; defined: sas-1.2t; presets: preset/hdd-7200, preset/hdd-10k, preset/ssd-sata, preset/ssd-nvme",
  });
}

TEST_CASE("an operation's unknown 'lun:' gets a did-you-mean") {
  CHECK(errors(with_workload(R"(
  - {op: create_lun, name: db, type: simple, size: 1GiB, drives: 1}
  - {after: db, op: extend_lun, lun: dv, by: 1GiB}
)")) == Lines{"s.yaml:10:38: error: key 'lun': unknown LUN 'dv' (did you mean 'db'?)"});
}

TEST_CASE("an unknown 'after:' name gets a did-you-mean, or the operations defined") {
  CHECK(errors(with_workload(R"(
  - {op: create_lun, name: db, type: simple, size: 1GiB, drives: 1}
  - {after: bd, op: extend_lun, lun: db, by: 1GiB}
  - {after: [db, nope], op: delete_lun, lun: db}
)")) == Lines{
      "s.yaml:10:13: error: key 'after': unknown operation 'bd' (did you mean 'db'?)",
      "s.yaml:11:18: error: key 'after': unknown operation 'nope'; defined: db, delete_lun-3, extend_lun-2",
  });
}

TEST_CASE("an unknown io target lists what a target can be") {
  CHECK(errors(with_workload(R"(
  - {op: create_lun, name: db, type: simple, size: 1GiB, drives: 1}
  - io: {clients: 2, requests: 10, targets: [db, logs, e1/2, e2/0]}
)")) == Lines{
      "s.yaml:10:50: error: key 'targets': unknown target 'logs'; accepted: a LUN (db), an enclosure (e1) or a drive "
      "(<enclosure>/<index>)",
      "s.yaml:10:62: error: key 'targets': unknown target 'e2/0': no enclosure 'e2' (did you mean 'e1'?); enclosures: "
      "e1; accepted: a LUN (db), an enclosure (e1) or a drive (<enclosure>/<index>)",
  });
}

TEST_CASE("an operation's unknown 'drives:' name says which drives exist") {
  // Drives are named "<enclosure>/<index>", 0-based.
  CHECK(errors(with_workload(R"(
  - {op: create_lun, name: x, type: mirror, size: 1GiB, drives: [e1/0, e1/4]}
  - {op: create_lun, name: y, type: mirror, size: 1GiB, drives: [shelf-1/0, e1-1]}
)")) == Lines{
      "s.yaml:9:72: error: key 'drives': unknown drive 'e1/4' (enclosure 'e1' has drives e1/0 to e1/3)",
      "s.yaml:10:66: error: key 'drives': unknown drive 'shelf-1/0': no enclosure 'shelf-1'; enclosures: e1",
      "s.yaml:10:77: error: key 'drives': unknown drive 'e1-1' (drives are named <enclosure>/<index>, e.g. 'e1/0')",
  });
}

TEST_CASE("an unknown 'subsystem:' gets a did-you-mean, and several subsystems need one named") {
  CHECK(errors(R"(
name: t
drive_models:
  m1: {capacity: 1TB}
subsystems:
  - name: array-a
    enclosures:
      - {name: e1, drives: {model: m1, count: 4}}
  - name: array-b
    enclosures:
      - {name: e2, drives: {model: m1, count: 4}}
workload:
  - {op: create_lun, name: x, subsystem: array-c, type: simple, size: 1GiB, drives: 1}
  - {op: create_lun, name: y, type: simple, size: 1GiB, drives: 1}
)") == Lines{
      "s.yaml:12:42: error: key 'subsystem': unknown subsystem 'array-c' (did you mean 'array-a'?)",
      "s.yaml:13:5: error: operation 'y': name its 'subsystem' (the scenario has 2: array-a, array-b)",
  });
}

TEST_CASE("a dependency cycle names the operations in it with their lines") {
  CHECK(errors(with_workload(R"(
  - {op: create_lun, name: x, type: simple, size: 1GiB, drives: 1, after: y}
  - {op: create_lun, name: y, type: simple, size: 1GiB, drives: 1, after: x}
)")) == Lines{"s.yaml:9:5: error: key 'after': dependency cycle x (line 9) -> y (line 10) -> x (each operation waits "
              "for the next)"});
  CHECK(errors(with_workload(R"(
  - {op: create_lun, name: x, type: simple, size: 1GiB, drives: 1, after: z}
  - {op: create_lun, name: y, type: simple, size: 1GiB, drives: 1, after: x}
  - {op: create_lun, name: z, type: simple, size: 1GiB, drives: 1, after: y}
)")) == Lines{"s.yaml:9:5: error: key 'after': dependency cycle x (line 9) -> z (line 11) -> y (line 10) -> x (each "
              "operation waits for the next)"});
  CHECK(errors(with_workload(R"(
  - {op: create_lun, name: x, type: simple, size: 1GiB, drives: 1, after: x}
)")) == Lines{"s.yaml:9:5: error: key 'after': dependency cycle x (line 9) -> x (each operation waits for the next)"});
}

TEST_CASE("separate cycles are each reported once, a diamond of dependencies is no cycle") {
  CHECK(errors(with_workload(R"(
  - {op: create_lun, name: a, type: simple, size: 1GiB, drives: 1, after: b}
  - {op: create_lun, name: b, type: simple, size: 1GiB, drives: 1, after: a}
  - {op: create_lun, name: c, type: simple, size: 1GiB, drives: 1, after: [d, a]}
  - {op: create_lun, name: d, type: simple, size: 1GiB, drives: 1, after: c}
)")) == Lines{"s.yaml:9:5: error: key 'after': dependency cycle a (line 9) -> b (line 10) -> a (each operation waits "
              "for the next)",
              "s.yaml:11:5: error: key 'after': dependency cycle c (line 11) -> d (line 12) -> c (each operation "
              "waits for the next)"});
  CHECK(errors(with_workload(R"(
  - {op: create_lun, name: top, type: simple, size: 1GiB, drives: 1}
  - {op: create_lun, name: left, type: simple, size: 1GiB, drives: 1, after: top}
  - {op: create_lun, name: right, type: simple, size: 1GiB, drives: 1, after: top}
  - {op: create_lun, name: bottom, type: simple, size: 1GiB, drives: 1, after: [left, right, top]}
)")).empty());
  // Through an `every:` group: waiting for the group waits for each member.
  CHECK(errors(with_workload(R"(
  - {at: 0s, every: 1m, count: 2, op: create_lun, name: g, type: simple, size: 1GiB, drives: 1, after: h}
  - {op: create_lun, name: h, type: simple, size: 1GiB, drives: 1, after: g}
)")) == Lines{"s.yaml:9:5: error: key 'after': dependency cycle g-1 (line 9) -> h (line 10) -> g-1 (each operation "
              "waits for the next)",
              "s.yaml:10:5: error: key 'after': dependency cycle h (line 10) -> g-2 (line 9) -> h (each operation "
              "waits for the next)"});
}

// -------------------------------------------------------------------------------------------
// duplicates

TEST_CASE("duplicate subsystem, enclosure and operation names point at the second and name the first's line") {
  CHECK(errors(R"(
name: t
drive_models:
  m1: {capacity: 1TB}
subsystems:
  - name: a
    enclosures:
      - {name: e1, drives: {model: m1, count: 4}}
  - name: a
    enclosures:
      - {name: e1, drives: {model: m1, count: 4}}
workload:
  - {op: create_lun, name: x, subsystem: a, type: simple, size: 1GiB, drives: 1}
  - {op: create_lun, name: x, subsystem: a, type: simple, size: 1GiB, drives: 1}
)") == Lines{
      "s.yaml:8:11: error: duplicate subsystem name 'a' (first at line 5)",
      "s.yaml:10:16: error: duplicate enclosure name 'e1' (first at line 7; enclosure names are global: they prefix "
      "drive names)",
      "s.yaml:13:28: error: duplicate operation name 'x' (first at line 12)",
  });
}

TEST_CASE("a duplicate YAML key, and a duplicate drive model, is an error (yaml-cpp keeps both silently)") {
  CHECK(errors(R"(
name: t
name: u
drive_models:
  m1: {capacity: 1TB, capacity: 2TB}
  m1: {capacity: 4TB}
subsystems:
  - name: a
    enclosures:
      - {name: e1, drives: {model: m1, count: 4}}
)") == Lines{
      "s.yaml:2:1: error: scenario: duplicate key 'name' (first given at line 1)",
      "s.yaml:4:23: error: drive model 'm1': duplicate key 'capacity' (first given at line 4)",
      "s.yaml:5:3: error: duplicate drive model 'm1' (first at line 4)",
  });
}

// -------------------------------------------------------------------------------------------
// --set

namespace {
const char* const array_a = R"(
name: t
drive_models:
  m1: {capacity: 1TB}
subsystems:
  - name: array-a
    enclosures:
      - {name: e1, drives: {model: m1, count: 4}}
)";

LoadOptions set(std::string text) {
  LoadOptions o;
  o.sets.push_back(Override{std::move(text)});
  return o;
}
} // namespace

TEST_CASE("a --set through something that does not exist is located on the command line, at that path element") {
  CHECK(errors(array_a, set("subsystems.nope.management_latency=5ms")) ==
        Lines{"--set subsystems.nope.management_latency=5ms:1:12: error: --set 'subsystems.nope.management_latency': "
              "no item named 'nope' in 'subsystems'; names there: array-a (or give a 0-based index)"});
  CHECK(errors(array_a, set("subsytems.array-a.controllers=4")) ==
        Lines{"--set subsytems.array-a.controllers=4:1:1: error: --set 'subsytems.array-a.controllers': no key "
              "'subsytems' in the scenario (did you mean 'subsystems'?); keys there: name, drive_models, subsystems"});
  CHECK(errors(array_a, set("name.x=5")) ==
        Lines{"--set name.x=5:1:6: error: --set 'name.x': 'name' holds a single value, so it has no 'x'"});
  CHECK(errors(array_a, set("seed")) ==
        Lines{"--set seed:1:1: error: --set expects path=value, e.g. subsystems.array-a.management_latency=50ms"});
  // The last key may be new; validation then reports it on the command line.
  CHECK(errors(array_a, set("horizn=5s")) ==
        Lines{"--set horizn=5s:1:1: error: scenario: unknown key 'horizn' (did you mean 'horizon'?); accepted: "
              "schema_version, name, seed, horizon, drive_models, subsystems, provider, workload, metrics, failures, repair, reliability, topology, sweep"});
}

TEST_CASE("a --set with a bad value is located on the command line, the column pointing into the value") {
  CHECK(errors(array_a, set("subsystems.array-a.management_latency=5KiB")) ==
        Lines{"--set subsystems.array-a.management_latency=5KiB:1:40: error: key 'management_latency': unit 'KiB' is "
              "a size, expected a duration (accepted: ns, us, ms, s, m, h, d, y)"});
  CHECK(errors(array_a, set("subsystems.0.provisioning_priority=99")) ==
        Lines{"--set subsystems.0.provisioning_priority=99:1:36: error: key 'provisioning_priority': 99 is out of "
              "range (accepted: from 0 to 15)"});
  // Inside a YAML map given as the value.
  CHECK(errors(array_a, set("subsystems.array-a.management_latency={dist: uniform, min: 5ms, max: 1ms}")) ==
        Lines{"--set subsystems.array-a.management_latency={dist: uniform, min: 5ms, max: 1ms}:1:70: error: key "
              "'max': 1ms is below 'min' (5ms); a uniform distribution needs min <= max"});
  CHECK(errors(array_a, set("subsystems.array-a.management_latency={dist: uniform")) ==
        Lines{"--set subsystems.array-a.management_latency={dist: uniform:1:39: error: --set "
              "'subsystems.array-a.management_latency': the value is not valid YAML: this '{' is never closed: "
              "expected '}' after the last 'key: value' of the map"});
}

// -------------------------------------------------------------------------------------------
// all at once

TEST_CASE("all errors are reported at once, sorted by position whatever the order they were found in") {
  // Found in the order horizon (line 2), metrics (line 14), then the cross-check of 'lun' (line 12).
  CHECK(errors(R"(
name: t
horizon: 30
drive_models:
  m1: {capacity: 1TB}
subsystems:
  - name: a
    enclosures:
      - {name: e1, drives: {model: m1, count: 4}}
workload:
  - {op: create_lun, name: db, type: simple, size: 1GiB, drives: 1}
  - {op: delete_lun, lun: dbb}
metrics:
  interval: 0s
)") == Lines{
      "s.yaml:2:12: error: key 'horizon': missing unit (accepted: ns, us, ms, s, m, h, d, y)",
      "s.yaml:11:27: error: key 'lun': unknown LUN 'dbb' (did you mean 'db'?)",
      "s.yaml:13:13: error: key 'interval': must be greater than 0",
  });
}

// -------------------------------------------------------------------------------------------
// good scenarios

TEST_CASE("quickstart.yaml loads without diagnostics into the expected spec") {
  const LoadResult r = load_scenario_file(std::string(LUNSIM_SOURCE_DIR) + "/scenarios/quickstart.yaml");
  for (const auto& d : r.diagnostics) UNSCOPED_INFO(d.format());
  REQUIRE(r.diagnostics.empty());
  REQUIRE(r.spec.has_value());
  const ScenarioSpec& s = *r.spec;
  CHECK(s.name == "quickstart");
  CHECK(s.seed == 42);
  CHECK(s.horizon == base::at(30min));
  REQUIRE(s.drive_models.size() == 1);
  CHECK(s.drive_models[0].name == "sas-1.2t");
  CHECK(s.drive_models[0].capacity == base::Bytes{1'200'000'000'000});
  CHECK(s.drive_models[0].bandwidth == base::Rate{250'000'000});
  CHECK(s.drive_models[0].read_latency.describe() == "lognormal(median=4ms, p99=20ms)");
  REQUIRE(s.subsystems.size() == 1);
  const SubsystemSpec& a = s.subsystems[0];
  CHECK(a.name == "array-a");
  CHECK(a.management_latency.describe() == "uniform(min=50ms, max=200ms)");
  CHECK(a.provisioning_priority == 4);
  CHECK(a.controllers == 2);
  REQUIRE(a.enclosures.size() == 1);
  CHECK(a.enclosures[0].name == "shelf-1");
  CHECK(a.enclosures[0].model.value == "sas-1.2t");
  CHECK(a.enclosures[0].count == 12);
  CHECK(a.enclosures[0].hot_spares == 1);

  // `every: 5m, count: 3` from `at: 1m` expands into scratch-1..3.
  std::vector<std::string> op_names;
  for (const auto& op : s.ops) op_names.push_back(op.name);
  CHECK(op_names == std::vector<std::string>{"db", "logs", "extend_lun-3", "scratch-1", "scratch-2", "scratch-3"});
  const std::vector<std::int64_t> starts = {seconds(*find_op(s, "scratch-1")->at), seconds(*find_op(s, "scratch-2")->at),
                                            seconds(*find_op(s, "scratch-3")->at)};
  CHECK(starts == std::vector<std::int64_t>{60, 360, 660});
  const OpSpec& db = *find_op(s, "db");
  CHECK(db.kind == OpKind::CreateLun);
  CHECK(db.lun_type == static_cast<std::int32_t>(provider::LunType::Raid6));
  CHECK(db.size == base::Bytes{200ULL << 30});
  CHECK(db.drive_count == 6);
  CHECK(db.rebuild_priority == 8);
  const OpSpec& extend = *find_op(s, "extend_lun-3");
  CHECK(extend.kind == OpKind::ExtendLun);
  CHECK_FALSE(extend.at.has_value());
  CHECK(names(extend.after) == std::vector<std::string>{"db"});
  CHECK(extend.lun.value == "db");
  CHECK(extend.by == base::Bytes{50ULL << 30});

  REQUIRE(s.io.size() == 1);
  const IoSpec& io = s.io[0];
  CHECK(io.name == "oltp");
  CHECK_FALSE(io.open_loop);
  CHECK(io.clients == 16);
  CHECK(io.requests == 2000);
  CHECK(io.size == base::Bytes{8192});
  CHECK(io.read_fraction == Approx(0.7));
  CHECK(io.think.describe() == "exponential(mean=5ms)");
  CHECK(names(io.luns) == std::vector<std::string>{"db", "logs"});
  CHECK(s.metrics.interval == 10s);
}

TEST_CASE("overrides (--set) are applied before validation, and LoadOptions.seed (--seed) replaces the seed") {
  LoadOptions o = set("subsystems.array-a.management_latency=50ms");
  o.sets.push_back(Override{"seed=7"});
  const ScenarioSpec s = load_ok(array_a, o);
  CHECK(s.subsystems[0].management_latency.describe() == "constant(value=50ms)");
  CHECK(s.seed == 7);

  LoadOptions with_seed = set("subsystems.array-a.management_latency={dist: uniform, min: 1ms, max: 2ms}");
  with_seed.seed = 99;
  const ScenarioSpec t = load_ok(array_a, with_seed);
  CHECK(t.subsystems[0].management_latency.describe() == "uniform(min=1ms, max=2ms)");
  CHECK(t.seed == 99);
}

TEST_CASE("a --set path names a key containing a dot in double quotes") {
  const std::string dotted = R"(
name: s
drive_models:
  sas-1.2t: {capacity: 1TB}
subsystems:
  - name: array.a
    enclosures:
      - {name: e1, drives: {model: sas-1.2t, count: 4}}
)";
  const ScenarioSpec s = load_ok(dotted, set(R"(drive_models."sas-1.2t".latency={dist: constant, value: 7ms})"));
  REQUIRE(s.drive_models.size() == 1);
  CHECK(s.drive_models[0].read_latency.describe() == "constant(value=7ms)");
  // A list item named with a dot, and an '=' inside the quotes that does not end the path.
  CHECK(load_ok(dotted, set(R"(subsystems."array.a".management_latency=3ms)")).subsystems[0].management_latency.describe() ==
        "constant(value=3ms)");
  // Unquoted, the dot splits the key: the error names 'sas-1' and suggests nothing wrong elsewhere.
  CHECK(errors(dotted, set("drive_models.sas-1.2t.latency=5ms")) ==
        Lines{"--set drive_models.sas-1.2t.latency=5ms:1:14: error: --set 'drive_models.sas-1.2t.latency': no key "
              "'sas-1' in 'drive_models'; keys there: sas-1.2t"});
  CHECK(errors(dotted, set(R"(drive_models."sas-1.2t.latency=5ms)")) ==
        Lines{R"(--set drive_models."sas-1.2t.latency=5ms:1:1: error: --set expects path=value, e.g. subsystems.array-a.management_latency=50ms)"});
  CHECK(errors(dotted, set(R"(drive_models."sas-1.2t"x.latency=5ms)")) ==
        Lines{R"(--set drive_models."sas-1.2t"x.latency=5ms:1:24: error: --set 'drive_models."sas-1.2t"x.latency': text after a quoted key (separate keys with single dots))"});
  CHECK(errors(dotted, set("drive_models..latency=5ms")) ==
        Lines{"--set drive_models..latency=5ms:1:14: error: --set 'drive_models..latency': empty path element (separate keys "
              "with single dots)"});
}

TEST_CASE("capacity_warnings: a create_lun that can never fit its drives is a warning at the operation") {
  const ScenarioSpec s = load_ok(R"(
name: s
drive_models:
  d: {capacity: 1TB}
  s: {capacity: 100GB}
subsystems:
  - name: a
    enclosures: [{name: e, drives: {model: d, count: 4}, hot_spares: 1}, {name: f, drives: {model: s, count: 2}}]
workload:
  - {op: create_lun, name: big, type: raid5, size: 10TB, drives: 4}
  - {op: create_lun, name: spares, type: raid5, size: 2TB, drives: 4}
  - {op: create_lun, name: named, type: mirror, size: 500GB, drives: [e/0, f/1]}
  - {op: create_lun, name: sp, type: span, size: 3.5TB, drives: 4}
  - {op: create_lun, name: fine, type: raid5, size: 1TB, drives: 3}
  - {op: create_lun, name: few, type: raid6, size: 1GB, drives: 6}
)");
  std::vector<std::string> got;
  for (const auto& d : capacity_warnings(s)) got.push_back(d.format());
  // 10 TB over 3 data members: 3.33 TB each, the drives hold 1 TB. 2 TB over 3: 667 GB each;
  // only three drives that large once e/3 is a hot spare (f/0 and f/1 hold 100 GB). A span's
  // four largest non-spare drives hold 3 x 1 TB + 100 GB. 'fine' fits: 500 GB on three 1 TB
  // drives. 'few': six drives asked, five that are not spares.
  CHECK(got == Lines{
                   "s.yaml:9:5: warning: create_lun 'big' (raid5, 10TB on 4 drive(s)) needs 3.33TB on each member, but "
                   "subsystem 'a' has 0 drive(s) that large (not counting hot spares; its largest hold 1TB); it will fail "
                   "with VDS_E_NOT_ENOUGH_SPACE",
                   "s.yaml:10:5: warning: create_lun 'spares' (raid5, 2TB on 4 drive(s)) needs 667GB on each member, but "
                   "subsystem 'a' has 3 drive(s) that large (not counting hot spares; its largest hold 1TB); it will fail "
                   "with VDS_E_NOT_ENOUGH_SPACE",
                   "s.yaml:11:5: warning: create_lun 'named' (mirror, 500GB on 2 drive(s)) needs 500GB on each member, but "
                   "drive f/1 holds 100GB; it will fail with VDS_E_NOT_ENOUGH_SPACE",
                   "s.yaml:12:5: warning: create_lun 'sp' (span, 3.5TB on 4 drive(s)) cannot fit: its 4 largest drives hold "
                   "3.1TB in all; it will fail with VDS_E_NOT_ENOUGH_SPACE",
                   "s.yaml:14:5: warning: create_lun 'few' (raid6, 1GB on 6 drive(s)) needs 250MB on each member, but "
                   "subsystem 'a' has 5 drive(s) that large (not counting hot spares; its largest hold 1TB); it will fail "
                   "with VDS_E_NOT_ENOUGH_DRIVE"});
}

TEST_CASE("capacity_warnings: time series past 10^7 rows are a warning at 'metrics', else at 'horizon'") {
  const std::string base = R"(
name: s
drive_models: {d: {capacity: 1TB}}
subsystems: [{name: a, enclosures: [{name: e, drives: {model: d, count: 2}}]}]
workload:
  - io: {name: l, rate: 1/s, targets: [e], read: 50%}
)";
  auto warnings = [&](const std::string& extra) {
    std::vector<std::string> got;
    for (const auto& d : capacity_warnings(load_ok(base + extra))) got.push_back(d.format());
    return got;
  };
  // 5 years at 1 s: 157,680,000 samples; one subsystem plus the load's reads and writes: x3.
  CHECK(warnings("horizon: 5y\n") ==
        Lines{"s.yaml:6:10: warning: the time series will have about 4.73e+08 rows (1.58e+08 samples at 1s over the "
              "horizon; roughly 28.4GB on disk): raise 'metrics.interval' or set 'metrics.timeseries: false'"});
  // At 10 s: 4.73e7 rows, located at the section; at 1 min 7.88e6, under the bound.
  const Lines ten = warnings("horizon: 5y\nmetrics: {interval: 10s}\n");
  REQUIRE(ten.size() == 1);
  CHECK(ten[0].rfind("s.yaml:7:10: warning: the time series will have about 4.73e+07 rows (1.58e+07 samples at 10s", 0) == 0);
  CHECK(warnings("horizon: 5y\nmetrics: {interval: 1min}\n").empty());
  CHECK(warnings("horizon: 5y\nmetrics: {timeseries: false}\n").empty());
  CHECK(warnings("horizon: 1d\n").empty());  // 86,400 x 3
}

TEST_CASE("split_path and path_end: quoted elements, columns, errors") {
  const auto parts = split_path(R"(a."b.c".d)");
  REQUIRE(parts);
  REQUIRE(parts->size() == 3);
  CHECK((*parts)[1].key == "b.c");
  CHECK((*parts)[1].column == 2);
  CHECK((*parts)[2].column == 8);
  CHECK(split_path(R"(a."b)").error().message.find("unterminated quote") == 0);
  CHECK(split_path("a.").error().column == 2);
  CHECK(split_path(R"(a.b"c)").error().column == 3);
  CHECK(path_end(R"(a."x=y".b=1)") == 9);
  CHECK(path_end("a.b") == std::string_view::npos);
}

TEST_CASE("'after:' on an 'every' group name waits for all of its members") {
  const ScenarioSpec s = load_ok(with_workload(R"(
  - {at: 0s, every: 1m, count: 3, op: create_lun, name: s, type: simple, size: 1GiB, drives: 1}
  - {after: s, op: create_lun, name: x, type: simple, size: 1GiB, drives: 1}
  - {after: [x, s-2], op: delete_lun, lun: s-2}
  - io: {targets: [x], after: s, requests: 10}
)"));
  CHECK(names(find_op(s, "x")->after) == std::vector<std::string>{"s-1", "s-2", "s-3"});
  CHECK(names(find_op(s, "delete_lun-3")->after) == std::vector<std::string>{"x", "s-2"});
  REQUIRE(s.io.size() == 1);
  CHECK(names(s.io[0].after) == std::vector<std::string>{"s-1", "s-2", "s-3"});
}

TEST_CASE("drives are named <enclosure>/<index>, 0-based, across every enclosure") {
  const ScenarioSpec s = load_ok(R"(
name: t
drive_models:
  m1: {capacity: 1TB}
subsystems:
  - name: a
    enclosures:
      - {name: shelf-1, drives: {model: m1, count: 2}}
      - {name: shelf-2, drives: {model: m1, count: 3}}
workload:
  - {op: create_lun, name: x, type: mirror, size: 1GiB, drives: [shelf-1/1, shelf-2/2]}
  - io: {targets: [shelf-2/0, shelf-1], requests: 10}
)");
  CHECK(names(find_op(s, "x")->drives) == std::vector<std::string>{"shelf-1/1", "shelf-2/2"});
  CHECK(find_op(s, "x")->drive_count == 0);
  CHECK(names(s.io[0].luns) == std::vector<std::string>{"shelf-2/0", "shelf-1"});
}

TEST_CASE("absent keys take their documented defaults") {
  // No horizon by default (the run ends when no event is left)...
  CHECK(load_ok(with_workload("  - {op: create_lun, name: x, type: simple, size: 1GiB, drives: 1}\n")).horizon ==
        base::never);
  // ... so a load with the default `requests` (until the horizon) needs one.
  const ScenarioSpec s = load_ok(with_workload(R"(
  - {op: create_lun, name: x, type: simple, size: 1GiB, drives: 1}
  - io: {targets: x}
)"), set("horizon=1h"));
  CHECK(s.file == "s.yaml");
  CHECK(s.seed == 1);
  CHECK(s.metrics.interval == 1s);
  CHECK(s.metrics.timeseries);
  CHECK(s.metrics.io);
  const DriveModelSpec& m = s.drive_models[0];
  CHECK(m.bandwidth.is_unlimited());
  CHECK(m.read_latency.describe() == "constant(value=0ns)");
  const SubsystemSpec& a = s.subsystems[0];
  CHECK(a.provisioning_priority == 0);
  CHECK(a.controllers == 2);
  CHECK(a.chunk_size == base::Bytes{64ULL << 20});
  CHECK(a.initialize);
  CHECK(a.enclosures[0].hot_spares == 0);
  const OpSpec& x = *find_op(s, "x");
  CHECK_FALSE(x.at.has_value());
  CHECK(x.after.empty());
  CHECK(x.subsystem.empty());
  CHECK(x.rebuild_priority == 0);
  const IoSpec& io = s.io[0];
  CHECK(io.name == "io-1");
  CHECK(io.clients == 1);
  CHECK(io.requests == 0);
  CHECK(io.size == base::Bytes{4096});
  CHECK(io.read_fraction == 1.0);
  CHECK(io.pattern == IoPattern::Random);
  CHECK(io.start == base::Time{});
  CHECK_FALSE(io.stop.has_value());
}

// -------------------------------------------------------------------------------------------
// provider.faults (errant providers)

namespace {

/// A valid scenario with LUNs 'db' and 'logs' on subsystem 'a'; `faults:` is line 12, so the
/// first fault (indented as "    - {...}") is line 13, its '{' in column 7.
std::string with_faults(std::string_view items) {
  return R"(name: t
drive_models:
  m1: {capacity: 1TB}
subsystems:
  - name: a
    enclosures:
      - {name: e1, drives: {model: m1, count: 4}}
workload:
  - {op: create_lun, name: db, type: simple, size: 1GiB, drives: 1}
  - {op: create_lun, name: logs, type: simple, size: 1GiB, drives: 1}
provider:
  faults:
)" + yaml(items);
}

} // namespace

TEST_CASE("a fault without 'op' or 'behavior' is reported at the entry, named by its --set path") {
  CHECK(errors(with_faults(R"(
    - {op: create_lun}
    - {behavior: null_handle}
)")) == Lines{
      "s.yaml:13:7: error: provider.faults.0: missing required key 'behavior'",
      "s.yaml:14:7: error: provider.faults.1: missing required key 'op'",
  });
}

TEST_CASE("a fault's unknown key, operation or behaviour gets a did-you-mean and what is accepted") {
  CHECK(errors(with_faults(R"(
    - {op: create_lun, behavior: null_handle, probabilty: 0.5}
    - {op: creat_lun, behavior: null_handel}
    - {op: create_lun, behavior: none}
)")) == Lines{
      "s.yaml:13:47: error: provider.faults.0: unknown key 'probabilty' (did you mean 'probability'?); accepted: op, "
      "behavior, probability, nth, window, target, hresult, at, factor, restarts, forever, after, by",
      "s.yaml:14:12: error: key 'op': unknown operation 'creat_lun' (did you mean 'create_lun'?); accepted: any, "
      "create_lun, extend_lun, shrink_lun, delete_lun, query_status, wait, cancel, query_luns",
      "s.yaml:14:33: error: key 'behavior': unknown behavior 'null_handel' (did you mean 'null_handle'?); accepted: "
      "null_handle, wrong_output_type, null_payload, no_interface, wait_fails, op_fails, never_completes, "
      "completes_twice, percent_regresses, restart_loop, instant_no_effect, size_rounded_down, hints_ignored, "
      "cancel_ignored, cancel_unsupported, sync_error_with_handle, leaked_reference, cache_corrupt, busy, "
      "stale_object, slow",
      // `none` is no misbehaviour: not accepted (nothing close to suggest).
      "s.yaml:15:34: error: key 'behavior': unknown behavior 'none'; accepted: null_handle, wrong_output_type, "
      "null_payload, no_interface, wait_fails, op_fails, never_completes, completes_twice, percent_regresses, "
      "restart_loop, instant_no_effect, size_rounded_down, hints_ignored, cancel_ignored, cancel_unsupported, "
      "sync_error_with_handle, leaked_reference, cache_corrupt, busy, stale_object, slow",
  });
}

TEST_CASE("'provider' and 'provider.faults' of the wrong shape say what they expect") {
  CHECK(errors(with_faults("") + "  colour: red\n") ==
        Lines{"s.yaml:12:3: error: key 'faults': expected a list of faults ('- {op: create_lun, behavior: null_handle, "
              "...}' items), found nothing",
              "s.yaml:13:3: error: provider: unknown key 'colour'; accepted: faults"});
  CHECK(errors(with_faults("    op: create_lun\n")) ==
        Lines{"s.yaml:13:5: error: key 'faults': expected a list of faults ('- {op: create_lun, behavior: null_handle, "
              "...}' items), found a map"});
  CHECK(errors(with_faults("    - null_handle\n")) ==
        Lines{"s.yaml:13:7: error: provider.faults.0: expected a map of keys (op, behavior, probability, nth, window, "
              "target, hresult, at, factor, restarts, forever, after, by), found 'null_handle'"});
}

TEST_CASE("fault triggers out of range: probability beyond 0..1, nth 0, a window that ends before it starts") {
  CHECK(errors(with_faults(R"(
    - {op: any, behavior: busy, probability: 1.5}
    - {op: any, behavior: busy, probability: 50%}
    - {op: any, behavior: busy, nth: 0}
    - {op: any, behavior: busy, window: {from: 20s, to: 10s}}
    - {op: any, behavior: busy, window: {from: 5s, to: 5s}}
    - {op: any, behavior: busy, window: {}}
    - {op: any, behavior: busy, window: {form: 1s}}
    - {op: any, behavior: busy, window: {from: 10}}
)")) == Lines{
      "s.yaml:13:46: error: key 'probability': 1.5 is out of range (accepted: from 0 to 1)",
      "s.yaml:14:46: error: key 'probability': expected a plain number such as 1.5, got '50%'",
      "s.yaml:15:38: error: key 'nth': 0 is out of range (accepted: from 1 to 18446744073709551615)",
      "s.yaml:16:57: error: key 'to': 10s is not after 'from' (20s); a window needs from < to",
      "s.yaml:17:56: error: key 'to': 5s is not after 'from' (5s); a window needs from < to",
      "s.yaml:18:41: error: provider.faults.5 window: give 'from', 'to' or both (durations such as 10s, 1h)",
      "s.yaml:19:42: error: provider.faults.6 window: unknown key 'form' (did you mean 'from'?); accepted: from, to",
      "s.yaml:20:50: error: key 'from': missing unit (accepted: ns, us, ms, s, m, h, d, y)",
  });
}

TEST_CASE("a fault's target must be a subsystem or a created LUN, and the one its operation is called on") {
  CHECK(errors(with_faults(R"(
    - {op: any, behavior: busy, target: dbb}
    - {op: create_lun, behavior: busy, target: db}
    - {op: extend_lun, behavior: busy, target: a}
    - {op: any, behavior: busy, target: nowhere}
)")) == Lines{
      "s.yaml:13:41: error: key 'target': unknown target 'dbb' (did you mean 'db'?); accepted: a subsystem (a) or a LUN "
      "(db, logs)",
      "s.yaml:14:48: error: key 'target': 'db' is a LUN, but create_lun is called on a subsystem; accepted: a "
      "subsystem (a)",
      "s.yaml:15:48: error: key 'target': 'a' is a subsystem, but extend_lun is called on a LUN; accepted: a LUN (db, "
      "logs)",
      "s.yaml:16:41: error: key 'target': unknown target 'nowhere'; accepted: a subsystem (a) or a LUN (db, logs)",
  });
}

TEST_CASE("a fault's hresult must be a known name or a hex value, and a failure") {
  CHECK(errors(with_faults(R"(
    - {op: create_lun, behavior: op_fails, hresult: VDS_E_TIMEOT}
    - {op: create_lun, behavior: wait_fails, hresult: S_OK}
    - {op: create_lun, behavior: sync_error_with_handle, hresult: 0x00042700}
    - {op: create_lun, behavior: op_fails, hresult: 0x8004245G}
    - {op: create_lun, behavior: op_fails, hresult: [VDS_E_TIMEOUT]}
)")) == Lines{
      "s.yaml:13:53: error: key 'hresult': unknown HRESULT 'VDS_E_TIMEOT' (did you mean 'VDS_E_TIMEOUT'?); accepted: "
      "a name such as VDS_E_TIMEOUT or a hexadecimal value such as 0x8004245F",
      "s.yaml:14:55: error: key 'hresult': S_OK is a success code; wait_fails needs a failure HRESULT (0x8xxxxxxx) "
      "such as VDS_E_PROVIDER_FAILURE or VDS_E_TIMEOUT",
      "s.yaml:15:67: error: key 'hresult': VDS_S_NAME_TRUNCATED is a success code; sync_error_with_handle needs a "
      "failure HRESULT (0x8xxxxxxx) such as VDS_E_PROVIDER_FAILURE or VDS_E_TIMEOUT",
      "s.yaml:16:53: error: key 'hresult': unknown HRESULT '0x8004245G'; accepted: a name such as VDS_E_TIMEOUT or a "
      "hexadecimal value such as 0x8004245F",
      "s.yaml:17:53: error: key 'hresult': expected a text value, found a list",
  });
}

TEST_CASE("a fault parameter that does not apply to the behaviour is an error at the key, naming both") {
  CHECK(errors(with_faults(R"(
    - {op: create_lun, behavior: null_handle, factor: 2}
    - {op: create_lun, behavior: slow, hresult: VDS_E_TIMEOUT, at: 50%}
    - {op: create_lun, behavior: op_fails, restarts: 2, forever: true, after: 1s, by: 1MiB}
)")) == Lines{
      "s.yaml:13:47: error: key 'factor' does not apply to behavior 'null_handle' (it applies to: slow)",
      "s.yaml:14:40: error: key 'hresult' does not apply to behavior 'slow' (it applies to: op_fails, wait_fails, "
      "sync_error_with_handle)",
      "s.yaml:14:64: error: key 'at' does not apply to behavior 'slow' (it applies to: op_fails, percent_regresses)",
      "s.yaml:15:44: error: key 'restarts' does not apply to behavior 'op_fails' (it applies to: restart_loop)",
      "s.yaml:15:57: error: key 'forever' does not apply to behavior 'op_fails' (it applies to: restart_loop)",
      "s.yaml:15:72: error: key 'after' does not apply to behavior 'op_fails' (it applies to: completes_twice)",
      "s.yaml:15:83: error: key 'by' does not apply to behavior 'op_fails' (it applies to: size_rounded_down)",
  });
}

TEST_CASE("fault parameters out of range: at beyond 100%, factor 0, restarts 0 or with forever, by 0, bare numbers") {
  CHECK(errors(with_faults(R"(
    - {op: create_lun, behavior: op_fails, at: 150%}
    - {op: create_lun, behavior: slow, factor: 0}
    - {op: create_lun, behavior: restart_loop, restarts: 0}
    - {op: create_lun, behavior: restart_loop, restarts: 3, forever: true}
    - {op: create_lun, behavior: size_rounded_down, by: 0B}
    - {op: create_lun, behavior: completes_twice, after: 2}
    - {op: create_lun, behavior: restart_loop, forever: maybe}
)")) == Lines{
      "s.yaml:13:48: error: key 'at': percentage must be between 0% and 100%",
      "s.yaml:14:48: error: key 'factor': must be greater than 0",
      "s.yaml:15:58: error: key 'restarts': 0 is out of range (accepted: from 1 to 1000000)",
      "s.yaml:16:48: error: key 'restarts' contradicts 'forever: true' (a loop that never ends has no count); give one "
      "or the other",
      "s.yaml:16:70: error: key 'forever': a job that restarts forever keeps the drives busy, so the run never ends: "
      "give the scenario a 'horizon'",
      "s.yaml:17:57: error: key 'by': must be greater than 0",
      "s.yaml:18:59: error: key 'after': missing unit (accepted: ns, us, ms, s, m, h, d, y)",
      "s.yaml:19:57: error: key 'forever': expected true or false, found 'maybe'",
  });  // With a horizon, a loop that never ends is fine.
  CHECK(errors(with_faults("    - {op: create_lun, behavior: restart_loop, forever: true}\n"), set("horizon=1h")).empty());
}

TEST_CASE("provider.faults loads every trigger and parameter, with defaults where absent") {
  const ScenarioSpec s = load_ok(with_faults(R"(
    - {op: create_lun, behavior: op_fails, nth: 3, at: 25%, hresult: VDS_E_LUN_DISK_FAILED, target: a}
    - {op: any, behavior: wait_fails, probability: 0.5, window: {from: 1m, to: 2h}, hresult: 0x8004245f}
    - {op: extend_lun, behavior: slow, factor: 2.5, target: db}
    - {op: create_lun, behavior: restart_loop, restarts: 3}
    - {op: create_lun, behavior: restart_loop, forever: true}
    - {op: create_lun, behavior: completes_twice, after: 250ms, window: {to: 10s}}
    - {op: delete_lun, behavior: busy, target: logs}
    - {op: create_lun, behavior: size_rounded_down, by: 4KiB}
    - {op: cancel, behavior: cancel_ignored}
)"), set("horizon=1d"));  // restart_loop forever needs one
  using provider::Behavior;
  using provider::FaultOp;
  CHECK(s.faults_section);
  REQUIRE(s.faults.size() == 9);
  REQUIRE(s.fault_locs.size() == 9);
  CHECK(s.fault_locs[0].line == 13);
  CHECK(s.fault_locs[0].column == 7);
  CHECK(s.fault_locs[8].line == 21);

  const provider::FaultSpec& f0 = s.faults[0];
  CHECK(f0.op == FaultOp::CreateLun);
  CHECK(f0.behavior == Behavior::OpFails);
  CHECK(f0.nth == std::optional<std::uint64_t>{3});
  CHECK_FALSE(f0.probability.has_value());
  CHECK(f0.at_fraction == 0.25);
  CHECK(f0.hresult == std::optional<provider::HResult>{provider::hr::vds_e_lun_disk_failed});
  CHECK(f0.target == "a");

  const provider::FaultSpec& f1 = s.faults[1];
  CHECK(f1.op == FaultOp::Any);
  CHECK(f1.behavior == Behavior::WaitFails);
  CHECK(f1.probability == std::optional<double>{0.5});
  CHECK_FALSE(f1.nth.has_value());
  CHECK(seconds(*f1.from) == 60);
  CHECK(seconds(*f1.to) == 7200);
  CHECK(f1.hresult == std::optional<provider::HResult>{provider::hr::vds_e_timeout});  // hex, either case
  CHECK(f1.target.empty());

  CHECK(s.faults[2].factor == 2.5);
  CHECK(s.faults[2].target == "db");
  CHECK(s.faults[3].restarts == 3);
  CHECK(s.faults[3].at_fraction == 0.5);  // restart_loop takes no `at`: the default stays
  CHECK_FALSE(s.faults[3].forever);
  CHECK(s.faults[4].forever);
  CHECK(s.faults[5].after == 250ms);
  CHECK_FALSE(s.faults[5].from.has_value());
  CHECK(seconds(*s.faults[5].to) == 10);
  CHECK(s.faults[6].op == FaultOp::DeleteLun);
  CHECK(s.faults[6].target == "logs");
  CHECK(s.faults[7].by == 4096);
  CHECK(s.faults[8].op == FaultOp::Cancel);
  CHECK(s.faults[8].behavior == Behavior::CancelIgnored);

  // Defaults (FaultSpec's): at 50 %, factor 4, one restart, not forever, after 1 s, by 1 MiB, no hresult.
  const provider::FaultSpec& d = s.faults[4];
  CHECK_FALSE(d.hresult.has_value());
  CHECK(d.at_fraction == 0.5);
  CHECK(d.restarts == 1);
  CHECK(s.faults[0].factor == 4.0);
  CHECK(s.faults[0].after == 1s);
  CHECK(s.faults[0].by == (1ULL << 20));

  // No provider section: no faults; an empty list is a section (faults.csv is written) without faults.
  const ScenarioSpec none = load_ok(with_workload("  - {op: create_lun, name: x, type: simple, size: 1GiB, drives: 1}\n"));
  CHECK_FALSE(none.faults_section);
  CHECK(none.faults.empty());
  const ScenarioSpec empty = load_ok(with_faults("") + "    []\n");
  CHECK(empty.faults_section);
  CHECK(empty.faults.empty());
}

TEST_CASE("a fault can be changed with --set through its index") {
  LoadOptions o = set("provider.faults.0.behavior=slow");
  o.sets.push_back(Override{"provider.faults.0.factor=3"});
  const ScenarioSpec s = load_ok(with_faults("    - {op: create_lun, behavior: null_handle}\n"), o);
  REQUIRE(s.faults.size() == 1);
  CHECK(s.faults[0].behavior == provider::Behavior::Slow);
  CHECK(s.faults[0].factor == 3.0);
  CHECK(errors(with_faults("    - {op: create_lun, behavior: null_handle}\n"), set("provider.faults.0.behavior=slo")) ==
        Lines{"--set provider.faults.0.behavior=slo:1:28: error: key 'behavior': unknown behavior 'slo' (did you mean "
              "'slow'?); accepted: null_handle, wrong_output_type, null_payload, no_interface, wait_fails, op_fails, "
              "never_completes, completes_twice, percent_regresses, restart_loop, instant_no_effect, "
              "size_rounded_down, hints_ignored, cancel_ignored, cancel_unsupported, sync_error_with_handle, "
              "leaked_reference, cache_corrupt, busy, stale_object, slow"});
}

TEST_CASE("a load that would never end without a horizon is an error at the load", "[scenario][loader]") {
  const std::string base = R"(name: s
drive_models:
  d: {capacity: 1TB}
subsystems:
  - name: a
    enclosures: [{name: e, drives: {model: d, count: 2}}]
workload:
)";
  const auto open = load_scenario(base + "  - io: {rate: 10/s, targets: [e]}\n", "s.yaml");
  REQUIRE(open.diagnostics.size() == 1);
  CHECK(open.diagnostics[0].format() ==
        "s.yaml:8:9: error: io load 'io-1': an open-loop load needs 'stop' or a scenario 'horizon' (else it never ends)");
  const auto closed = load_scenario(base + "  - io: {clients: 2, targets: [e]}\n", "s.yaml");
  REQUIRE(closed.diagnostics.size() == 1);
  CHECK(closed.diagnostics[0].format() ==
        "s.yaml:8:9: error: io load 'io-1': give 'requests' (per client) or a scenario 'horizon' (else it never ends)");
  CHECK(load_scenario(base + "  - io: {rate: 10/s, targets: [e], stop: 1m}\n", "s.yaml").spec.has_value());
  CHECK(load_scenario("horizon: 1h\n" + base + "  - io: {clients: 2, targets: [e]}\n", "s.yaml").spec.has_value());
}

TEST_CASE("subsystem placement: the accepted policies, and explicit needs every create_lun to name its drives") {
  auto with_placement = [](std::string_view policy, std::string_view items) {
    return std::string(R"(name: t
drive_models:
  m1: {capacity: 1TB}
subsystems:
  - name: a
    placement: )") + std::string(policy) + R"(
    enclosures:
      - {name: e1, drives: {model: m1, count: 4}}
workload:
)" + std::string(items);
  };
  CHECK(errors(with_placement("sprad", "  - {op: create_lun, name: x, type: simple, size: 1GiB, drives: 1}\n")) ==
        Lines{"s.yaml:6:16: error: key 'placement': unknown policy 'sprad' (did you mean 'spread'?); accepted: "
              "balanced, spread, pack, explicit"});
  CHECK(errors(with_placement("explicit", "  - {op: create_lun, name: x, type: simple, size: 1GiB, drives: 1}\n"
                                          "  - {op: create_lun, name: y, type: simple, size: 1GiB, drives: [e1/0]}\n")) ==
        Lines{"s.yaml:10:5: error: operation 'x': subsystem 'a' has placement 'explicit' (line 6): name its drives "
              "(drives: [ENCLOSURE/INDEX, ...])"});
  for (const char* p : {"balanced", "spread", "pack"}) {
    const ScenarioSpec spec = load_ok(with_placement(p, "  - {op: create_lun, name: x, type: simple, size: 1GiB, drives: 1}\n"));
    CHECK(std::string(sim::storage::to_string(spec.subsystems[0].placement)) == p);
  }
}
