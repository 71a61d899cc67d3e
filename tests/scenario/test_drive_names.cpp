// Drive names ("<enclosure>/<index>") are resolved from the enclosures alone: the loader keeps
// nothing per drive, so a scenario of 10^7 drives loads in milliseconds, and a name that is not a
// drive gets the same did-you-mean as a search over every drive name in string order would give.
#include "sim/scenario/loader.hpp"

#include "tests/support/scenario_text.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <random>
#include <string>
#include <string_view>
#include <vector>

using namespace sim;
using namespace sim::scenario;

namespace {

using sim::testing::errors;
using sim::testing::Lines;
using sim::testing::load_ok;

/// A scenario of one subsystem holding `enclosures` (a flow list's items), followed by `rest`
/// from line 7 on.
std::string with_enclosures(std::string_view enclosures, std::string_view rest) {
  return "name: t\nhorizon: 1h\ndrive_models: {m: {capacity: 1TB}}\nsubsystems:\n  - name: a\n    enclosures: [" +
         std::string(enclosures) + "]\n" + sim::testing::yaml(rest);
}

} // namespace

TEST_CASE("one enclosure of 10^7 drives loads at once, its names resolved without listing them", "[scenario][scale]") {
  const auto t0 = std::chrono::steady_clock::now();
  const ScenarioSpec s = load_ok(with_enclosures("{name: e, drives: {model: m, count: 10000000}}", R"(
workload:
  - {op: create_lun, name: x, type: mirror, size: 1GB, drives: [e/0, e/9999999]}
  - {op: create_lun, name: y, type: raid5, size: 1GB, drives: 3}
  - io: {targets: [e/5000000, e, x], read: 50%}
failures:
  lifetime: {afr: 2%}
  drives: [e/1, e]
  inject: [{at: 30m, drive: e/9999999}]
)"));
  CHECK(capacity_warnings(s).empty());
  // The names of the last drive and beyond, and a did-you-mean over the 10^7 names.
  CHECK(errors(with_enclosures("{name: e, drives: {model: m, count: 10000000}}", R"(
failures:
  inject: [{at: 1m, drive: e/9999999}, {at: 2m, drive: e/10000000}]
)")) == Lines{"s.yaml:8:56: error: key 'drive': no drive named 'e/10000000' (did you mean 'e/1000000'? drives are "
              "named ENCLOSURE/INDEX, from 0)"});
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  // A few milliseconds; a loader that listed every drive took 19 s and 2 GB here (issue 24).
  CHECK(seconds < 5.0);
}

TEST_CASE("a drive index is written as std::to_string writes it, and is below the enclosure's count",
          "[scenario]") {
  // e1/4 is one past the last; a sign, a leading zero, a blank or anything else is no index.
  CHECK(errors(with_enclosures("{name: e1, drives: {model: m, count: 4}}", R"(
workload:
  - {op: create_lun, name: x, type: mirror, size: 1GB, drives: [e1/3, e1/4, e1/03, e1/+1, e1/-1, "e1/ 1", e1/]}
)")) == Lines{
      "s.yaml:8:71: error: key 'drives': unknown drive 'e1/4' (enclosure 'e1' has drives e1/0 to e1/3)",
      "s.yaml:8:77: error: key 'drives': unknown drive 'e1/03' (enclosure 'e1' has drives e1/0 to e1/3)",
      "s.yaml:8:84: error: key 'drives': unknown drive 'e1/+1' (enclosure 'e1' has drives e1/0 to e1/3)",
      "s.yaml:8:91: error: key 'drives': unknown drive 'e1/-1' (enclosure 'e1' has drives e1/0 to e1/3)",
      "s.yaml:8:98: error: key 'drives': unknown drive 'e1/ 1' (enclosure 'e1' has drives e1/0 to e1/3)",
      "s.yaml:8:107: error: key 'drives': unknown drive 'e1/' (enclosure 'e1' has drives e1/0 to e1/3)",
  });
  // An enclosure whose name holds '/' prefixes its drives all the same: the index follows the
  // last '/'.
  load_ok(with_enclosures("{name: rack/1, drives: {model: m, count: 2}}", R"(
workload:
  - {op: create_lun, name: x, type: mirror, size: 1GB, drives: [rack/1/0, rack/1/1]}
)"));
}

TEST_CASE("an unknown enclosure in a drive name gets a did-you-mean among the enclosures", "[scenario]") {
  CHECK(errors(with_enclosures("{name: shelf-1, drives: {model: m, count: 4}}, {name: shelf-2, drives: {model: m, count: 4}}",
                               R"(
workload:
  - {op: create_lun, name: x, type: mirror, size: 1GB, drives: [shelf-3/0, shlf-1/0]}
)")) == Lines{
      "s.yaml:8:65: error: key 'drives': unknown drive 'shelf-3/0': no enclosure 'shelf-3' (did you mean 'shelf-1'?); "
      "enclosures: shelf-1, shelf-2",
      "s.yaml:8:76: error: key 'drives': unknown drive 'shlf-1/0': no enclosure 'shlf-1' (did you mean 'shelf-1'?); "
      "enclosures: shelf-1, shelf-2",
  });
}

TEST_CASE("a name with no '/' is shown the first drive name in string order", "[scenario]") {
  // "a-b/0" sorts before "a/0" ('-' before '/'), though the enclosure "a" sorts before "a-b".
  CHECK(errors(with_enclosures("{name: a, drives: {model: m, count: 2}}, {name: a-b, drives: {model: m, count: 2}}", R"(
workload:
  - {op: create_lun, name: x, type: mirror, size: 1GB, drives: [a0, a/1]}
)")) == Lines{"s.yaml:8:65: error: key 'drives': unknown drive 'a0' (drives are named <enclosure>/<index>, e.g. 'a-b/0')"});
}

TEST_CASE("a drive did-you-mean takes the nearest name, the first in string order among equals", "[scenario]") {
  // e1/x5 is one edit from e1/5 and from e1/15, e1/25, ..., e1/95: "e1/15" comes first as text.
  CHECK(errors(with_enclosures("{name: e1, drives: {model: m, count: 100}}", R"(
failures:
  inject: [{at: 1m, drive: e1/x5}, {at: 2m, drive: e1/100}, {at: 3m, drive: e2/7}, {at: 4m, drive: zz/1}]
)")) == Lines{
      "s.yaml:8:28: error: key 'drive': no drive named 'e1/x5' (did you mean 'e1/15'? drives are named "
      "ENCLOSURE/INDEX, from 0)",
      "s.yaml:8:52: error: key 'drive': no drive named 'e1/100' (did you mean 'e1/10'? drives are named "
      "ENCLOSURE/INDEX, from 0)",
      "s.yaml:8:77: error: key 'drive': no drive named 'e2/7' (did you mean 'e1/7'? drives are named "
      "ENCLOSURE/INDEX, from 0)",
      "s.yaml:8:100: error: key 'drive': no drive named 'zz/1' (drives are named ENCLOSURE/INDEX, from 0)",
  });
  // Across enclosures too: c/0 is one edit from a/0 and from b/0.
  CHECK(errors(with_enclosures("{name: b, drives: {model: m, count: 1}}, {name: a, drives: {model: m, count: 1}}", R"(
failures:
  inject: [{at: 1m, drive: c/0}]
)")) == Lines{"s.yaml:8:28: error: key 'drive': no drive named 'c/0' (did you mean 'a/0'? drives are named "
              "ENCLOSURE/INDEX, from 0)"});
}

TEST_CASE("failures.drives: a drive is preferred to an enclosure as near", "[scenario]") {
  // "e1/" is one edit from e1/0 and from the enclosure e1, "e11" from e1/1 and e1; "e1x" is one
  // edit from e1 only (two from e1/0).
  CHECK(errors(with_enclosures("{name: e1, drives: {model: m, count: 4}}", R"(
failures:
  lifetime: {afr: 2%}
  drives: [e1/, e11, e1x, e1/4]
)")) == Lines{
      "s.yaml:9:12: error: key 'drives': no drive or enclosure named 'e1/' (did you mean 'e1/0'?)",
      "s.yaml:9:17: error: key 'drives': no drive or enclosure named 'e11' (did you mean 'e1/1'?)",
      "s.yaml:9:22: error: key 'drives': no drive or enclosure named 'e1x' (did you mean 'e1'?)",
      "s.yaml:9:27: error: key 'drives': no drive or enclosure named 'e1/4' (did you mean 'e1/0'?)",
  });
}

TEST_CASE("the drive did-you-mean is did_you_mean over every drive name in string order", "[scenario]") {
  // Random enclosures and words a few random edits away from a drive name: the loader's answer
  // (no name listed) against did_you_mean over the listed names (drives, then enclosures).
  std::mt19937 rng(24);
  auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
  const std::string alphabet = "0123456789/ab-";
  for (int round = 0; round < 40; ++round) {
    std::vector<std::string> enclosures, drives;
    std::string list;
    const std::size_t n = 1 + pick(3);
    for (std::size_t k = 0; k < n; ++k) {
      std::string name(1, "ab"[pick(2)]);
      for (std::size_t c = pick(3); c > 0; --c) name += alphabet[pick(alphabet.size())];
      if (name.back() == '/' || std::find(enclosures.begin(), enclosures.end(), name) != enclosures.end()) continue;
      const std::size_t count = 1 + pick(130);
      enclosures.push_back(name);
      for (std::size_t i = 0; i < count; ++i) drives.push_back(name + "/" + std::to_string(i));
      list += (list.empty() ? "" : ", ") + ("{name: '" + name + "', drives: {model: m, count: " + std::to_string(count) + "}}");
    }
    if (drives.empty()) continue;
    std::sort(enclosures.begin(), enclosures.end());
    std::sort(drives.begin(), drives.end());
    std::vector<std::string> both = drives;
    both.insert(both.end(), enclosures.begin(), enclosures.end());
    for (int w = 0; w < 10; ++w) {
      std::string word = drives[pick(drives.size())];
      for (std::size_t e = 1 + pick(3); e > 0; --e) {
        const std::size_t at = pick(word.size() + 1);
        switch (pick(3)) {
          case 0: word.insert(word.begin() + static_cast<std::ptrdiff_t>(at), alphabet[pick(alphabet.size())]); break;
          case 1: if (at < word.size()) word.erase(at, 1); break;
          default: if (at < word.size()) word[at] = alphabet[pick(alphabet.size())]; break;
        }
      }
      if (word.empty() || std::binary_search(drives.begin(), drives.end(), word) ||
          std::binary_search(enclosures.begin(), enclosures.end(), word))
        continue;
      INFO(list << " / " << word);
      const std::string hint = did_you_mean(word, drives);
      const std::string hint_both = did_you_mean(word, both);
      const Lines got = errors(with_enclosures(list, "failures:\n  lifetime: {afr: 2%}\n  drives: ['" + word +
                                                         "']\n  inject: [{at: 1m, drive: '" + word + "'}]\n"));
      REQUIRE(got.size() == 2);
      CHECK(got[0].substr(got[0].find("error: ")) ==
            "error: key 'drives': no drive or enclosure named '" + word + "'" +
                (hint_both.empty() ? "" : " (did you mean '" + hint_both + "'?)"));
      CHECK(got[1].substr(got[1].find("error: ")) ==
            "error: key 'drive': no drive named '" + word + "' (" +
                (hint.empty() ? "" : "did you mean '" + hint + "'? ") + "drives are named ENCLOSURE/INDEX, from 0)");
    }
  }
}
