// Scenario loader, `failures:` and `repair:` sections, a drive model's own laws (lifetime, age,
// latent_errors) and the recover_lun operation: every kind of bad input gives a positioned
// message ("file:line:column: error: ..." naming the key and what is accepted), and a full valid
// pair of sections loads into the expected FailuresSpec and RepairConfig. Then, through a built
// World, which lifetime law each drive, replacement and hot spare gets (FailuresSpec's rule),
// checked by exact failure times.
//
// Scenarios are inline YAML named "s.yaml". with_sections() appends its text to a valid base
// whose last line is line 11, so the first line of the appended text is line 12.
#include "sim/provider/async.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/world.hpp"

#include "tests/support/scenario_text.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <utility>
#include <string_view>
#include <vector>

using namespace sim;
using namespace sim::scenario;
using namespace std::chrono_literals;

namespace {

using sim::testing::errors;
using sim::testing::Lines;
using sim::testing::load_ok;
using sim::testing::with_sections;
using sim::testing::without_horizon;
using sim::testing::yaml;

const std::string failures_keys = "lifetime, age, drives, inject, latent_errors, ure";
const std::string repair_keys = "replace_after, rebuild, policy, spares, automatic, restore_after_loss";

std::int64_t ns(base::Duration d) { return d.count(); }
std::int64_t seconds(base::Time t) { return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count(); }

} // namespace

// -------------------------------------------------------------------------------------------
// keys and shapes

TEST_CASE("failures: an unknown key gets a did-you-mean and the accepted keys") {
  CHECK(errors(with_sections(R"(
failures:
  lifetme: {afr: 2%}
)")) == Lines{"s.yaml:13:3: error: failures: unknown key 'lifetme' (did you mean 'lifetime'?); accepted: " +
              failures_keys});
  // Nothing close: no suggestion.
  CHECK(errors(with_sections(R"(
failures:
  colour: red
)")) == Lines{"s.yaml:13:3: error: failures: unknown key 'colour'; accepted: " + failures_keys});
}

TEST_CASE("repair: an unknown key gets a did-you-mean and the accepted keys") {
  CHECK(errors(with_sections(R"(
repair:
  replace_afer: 72h
)")) == Lines{"s.yaml:13:3: error: repair: unknown key 'replace_afer' (did you mean 'replace_after'?); accepted: " +
              repair_keys});
  CHECK(errors(with_sections(R"(
repair:
  rebuild: {mod: coarse}
)")) == Lines{"s.yaml:13:13: error: rebuild: unknown key 'mod' (did you mean 'mode'?); accepted: mode, duration"});
}

TEST_CASE("failures and repair that are not maps say which keys they expect") {
  CHECK(errors(with_sections(R"(
failures: [lifetime]
repair: fast
)")) == Lines{
      "s.yaml:12:11: error: failures: expected a map of keys (" + failures_keys + "), found a list",
      "s.yaml:13:9: error: repair: expected a map of keys (" + repair_keys + "), found 'fast'",
  });
}

// -------------------------------------------------------------------------------------------
// lifetime

TEST_CASE("lifetime that is not a map says what a lifetime can be") {
  const std::string expected =
      "error: key 'lifetime': expected {afr: 2%}, {mttf: 1000000h} or a distribution map {dist: exponential, weibull, "
      "...}, found ";
  CHECK(errors(with_sections(R"(
failures:
  lifetime: 2%
)")) == Lines{"s.yaml:13:13: " + expected + "'2%'"});
  CHECK(errors(with_sections(R"(
failures:
  lifetime: [2%]
)")) == Lines{"s.yaml:13:13: " + expected + "a list"});
}

TEST_CASE("lifetime with both afr and mttf is an error at 'mttf'") {
  CHECK(errors(with_sections(R"(
failures:
  lifetime: {afr: 2%, mttf: 1000000h}
)")) == Lines{"s.yaml:13:23: error: key 'lifetime': give 'afr' or 'mttf', not both"});
}

TEST_CASE("lifetime: an unknown key next to afr gets a did-you-mean") {
  CHECK(errors(with_sections(R"(
failures:
  lifetime: {afr: 2%, mtf: 1000000h}
)")) == Lines{"s.yaml:13:23: error: key 'lifetime': unknown key 'mtf' (did you mean 'mttf'?); accepted: afr, mttf"});
}

TEST_CASE("afr must be a percentage greater than 0") {
  CHECK(errors(with_sections(R"(
failures:
  lifetime: {afr: 0%}
)")) == Lines{"s.yaml:13:19: error: key 'afr': must be greater than 0% (failures per drive-year of 365 days)"});
  CHECK(errors(with_sections(R"(
failures:
  lifetime: {afr: -2%}
)")) == Lines{"s.yaml:13:19: error: key 'afr': negative values are not allowed"});
  CHECK(errors(with_sections(R"(
failures:
  lifetime: {afr: lots}
)")) == Lines{"s.yaml:13:19: error: key 'afr': expected a percentage such as 0.5%, got 'lots'"});
  CHECK(errors(with_sections(R"(
failures:
  lifetime: {afr: 2}
)")) == Lines{"s.yaml:13:20: error: key 'afr': missing unit (accepted: %)"});
}

TEST_CASE("mttf must be a duration greater than 0") {
  CHECK(errors(with_sections(R"(
failures:
  lifetime: {mttf: 0h}
)")) == Lines{"s.yaml:13:20: error: key 'mttf': must be greater than 0"});
  CHECK(errors(with_sections(R"(
failures:
  lifetime: {mttf: 1000000}
)")) == Lines{"s.yaml:13:27: error: key 'mttf': missing unit (accepted: ns, us, ms, s, m, h, d, y)"});
}

TEST_CASE("a bad distribution inside lifetime is reported as for any distribution, named 'lifetime'") {
  CHECK(errors(with_sections(R"(
failures:
  lifetime: {dist: weibul, shape: 1.2, scale: 100000h}
)")) == Lines{"s.yaml:13:20: error: key 'dist': unknown distribution 'weibul' (did you mean 'weibull'?); accepted: "
              "constant, uniform, exponential, normal, lognormal, weibull, empirical"});
  CHECK(errors(with_sections(R"(
failures:
  lifetime: {dist: weibull, shape: 0, scale: 100000h}
)")) == Lines{"s.yaml:13:36: error: key 'shape': must be greater than 0"});
  CHECK(errors(with_sections(R"(
failures:
  lifetime: {shape: 1.2, scale: 100000h}
)")) == Lines{"s.yaml:13:13: error: key 'lifetime': missing required key 'dist' (accepted: constant, uniform, "
              "exponential, normal, lognormal, weibull, empirical)"});
}

TEST_CASE("age and drives need a lifetime") {
  CHECK(errors(with_sections(R"(
failures:
  age: 2y
)")) == Lines{"s.yaml:13:3: error: key 'age' needs 'lifetime' (the law the age conditions)"});
  CHECK(errors(with_sections(R"(
failures:
  drives: [e1]
)")) == Lines{"s.yaml:13:3: error: key 'drives' needs 'lifetime' (the drives it applies to)"});
}

TEST_CASE("failures.drives: an unknown drive or enclosure gets a did-you-mean among both") {
  CHECK(errors(with_sections(R"(
failures:
  lifetime: {afr: 2%}
  drives: [e3, e1/7, e2/1, e1]
)")) == Lines{
      "s.yaml:14:12: error: key 'drives': no drive or enclosure named 'e3' (did you mean 'e1'?)",
      "s.yaml:14:16: error: key 'drives': no drive or enclosure named 'e1/7' (did you mean 'e1/0'?)",
  });
  CHECK(errors(with_sections(R"(
failures:
  lifetime: {afr: 2%}
  drives: {e1: all}
)")) == Lines{"s.yaml:14:11: error: key 'drives': expected a name or a list of names, found a map"});
}

// -------------------------------------------------------------------------------------------
// inject

TEST_CASE("inject must be a list of {at, drive}") {
  CHECK(errors(with_sections(R"(
failures:
  inject: {at: 1h, drive: e1/0}
)")) == Lines{"s.yaml:13:11: error: key 'inject': expected a list of {at: TIME, drive: NAME}, found a map"});
  CHECK(errors(with_sections(R"(
failures:
  inject: e1/0
)")) == Lines{"s.yaml:13:11: error: key 'inject': expected a list of {at: TIME, drive: NAME}, found 'e1/0'"});
}

TEST_CASE("an inject item without 'at' or 'drive', or with an unknown key, is reported at the item") {
  CHECK(errors(with_sections(R"(
failures:
  inject:
    - {drive: e1/0}
    - {at: 1h}
    - {at: 1h, drive: e1/0, count: 2}
    - e1/0
)")) == Lines{
      "s.yaml:14:7: error: inject item: missing required key 'at'",
      "s.yaml:15:7: error: inject item: missing required key 'drive'",
      "s.yaml:16:29: error: inject item: unknown key 'count'; accepted: at, drive",
      "s.yaml:17:7: error: inject item: expected a map of keys (at, drive), found 'e1/0'",
  });
}

TEST_CASE("an inject item naming an unknown drive gets a did-you-mean and how drives are named") {
  CHECK(errors(with_sections(R"(
failures:
  inject:
    - {at: 1h, drive: e1/9}
    - {at: 2h, drive: e1}
)")) == Lines{
      "s.yaml:14:23: error: key 'drive': no drive named 'e1/9' (did you mean 'e1/0'? drives are named "
      "ENCLOSURE/INDEX, from 0)",
      "s.yaml:15:23: error: key 'drive': no drive named 'e1' (drives are named ENCLOSURE/INDEX, from 0)",
  });
  CHECK(errors(with_sections(R"(
failures:
  inject:
    - {at: soon, drive: e1/0}
)")) == Lines{"s.yaml:14:12: error: key 'at': expected a duration such as 250us, got 'soon'"});
}

// -------------------------------------------------------------------------------------------
// latent errors and URE

TEST_CASE("latent_errors needs an interval, its keys are checked") {
  CHECK(errors(with_sections(R"(
failures:
  latent_errors: {scrub: 168h}
)")) == Lines{"s.yaml:13:18: error: latent_errors: missing required key 'interval'"});
  CHECK(errors(with_sections(R"(
failures:
  latent_errors: {interval: {dist: exponential, mean: 1000h}, scrb: 168h}
)")) == Lines{"s.yaml:13:63: error: latent_errors: unknown key 'scrb' (did you mean 'scrub'?); accepted: interval, "
              "scrub"});
  CHECK(errors(with_sections(R"(
failures:
  latent_errors: 1000h
)")) == Lines{"s.yaml:13:18: error: latent_errors: expected a map of keys (interval, scrub), found '1000h'"});
}

TEST_CASE("ure is a probability per bit read, from 0 to below 1") {
  const std::string message = "error: key 'ure': expected a probability per bit read from 0 to below 1, such as 1e-15, "
                              "found ";
  CHECK(errors(with_sections(R"(
failures:
  ure: 1.5
)")) == Lines{"s.yaml:13:8: " + message + "'1.5'"});
  CHECK(errors(with_sections(R"(
failures:
  ure: -1
)")) == Lines{"s.yaml:13:8: " + message + "'-1'"});
  CHECK(errors(with_sections(R"(
failures:
  ure: 1
)")) == Lines{"s.yaml:13:8: " + message + "'1'"});
  CHECK(errors(with_sections(R"(
failures:
  ure: often
)")) == Lines{"s.yaml:13:8: " + message + "'often'"});
  CHECK(errors(with_sections(R"(
failures:
  ure: 1e-15 per bit
)")) == Lines{"s.yaml:13:8: " + message + "'1e-15 per bit'"});
  CHECK(errors(with_sections(R"(
failures:
  ure: [1e-15]
)")) == Lines{"s.yaml:13:8: " + message + "a list"});
}

TEST_CASE("ure is written in scientific notation or as a plain decimal") {
  CHECK(load_ok(with_sections("failures:\n  ure: 1e-15\n")).repair.ure_per_bit == 1e-15);
  CHECK(load_ok(with_sections("failures:\n  ure: 1E-14\n")).repair.ure_per_bit == 1e-14);
  CHECK(load_ok(with_sections("failures:\n  ure: 0.000001\n")).repair.ure_per_bit == 1e-6);
  CHECK(load_ok(with_sections("failures:\n  ure: 0\n")).repair.ure_per_bit == 0);
}

// -------------------------------------------------------------------------------------------
// repair

TEST_CASE("rebuild takes 'mode' or 'duration', not both") {
  CHECK(errors(with_sections(R"(
repair:
  rebuild: {mode: coarse, duration: 24h}
)")) == Lines{"s.yaml:13:27: error: key 'rebuild': give 'mode' (io, coarse) or 'duration' (a law), not both"});
}

TEST_CASE("an unknown rebuild mode gets a did-you-mean and the accepted modes") {
  CHECK(errors(with_sections(R"(
repair:
  rebuild: {mode: corse}
)")) == Lines{"s.yaml:13:19: error: key 'mode': unknown rebuild mode 'corse' (did you mean 'coarse'?); accepted: io, "
              "coarse"});
  CHECK(errors(with_sections(R"(
repair:
  rebuild: {mode: fast}
)")) == Lines{"s.yaml:13:19: error: key 'mode': unknown rebuild mode 'fast'; accepted: io, coarse"});
  CHECK(errors(with_sections(R"(
repair:
  rebuild: coarse
)")) == Lines{"s.yaml:13:12: error: rebuild: expected a map of keys (mode, duration), found 'coarse'"});
}

TEST_CASE("unknown policy, spares and restore_after_loss values get a did-you-mean and the accepted values") {
  CHECK(errors(with_sections(R"(
repair:
  policy: paralel
  spares: shelf
  restore_after_loss: instnat
)")) == Lines{
      "s.yaml:13:11: error: key 'policy': unknown value 'paralel' (did you mean 'parallel'?); accepted: sequential, "
      "parallel",
      "s.yaml:14:11: error: key 'spares': unknown value 'shelf'; accepted: subsystem, enclosure",
      "s.yaml:15:23: error: key 'restore_after_loss': unknown value 'instnat' (did you mean 'instant'?); accepted: "
      "none, instant",
  });
}

TEST_CASE("automatic must be true or false") {
  CHECK(errors(with_sections(R"(
repair:
  automatic: sometimes
)")) == Lines{"s.yaml:13:14: error: key 'automatic': expected true or false, found 'sometimes'"});
}

TEST_CASE("replace_after and rebuild duration are durations or distributions") {
  CHECK(errors(with_sections(R"(
repair:
  replace_after: 72
  rebuild: {duration: {dist: exponential}}
)")) == Lines{
      "s.yaml:13:20: error: key 'replace_after': missing unit (accepted: ns, us, ms, s, m, h, d, y)",
      "s.yaml:14:23: error: key 'duration' (exponential): missing required key 'mean'",
  });
}

// -------------------------------------------------------------------------------------------
// cross-checks

TEST_CASE("random failures without a horizon are an error: the mission would never end") {
  const std::string message =
      "error: random failures (failures.lifetime or failures.latent_errors) need a 'horizon': without one the mission "
      "never ends (e.g. horizon: 10y)";
  CHECK(errors(without_horizon(R"(
failures:
  lifetime: {afr: 2%}
)")) == Lines{"s.yaml:12:3: " + message});
  CHECK(errors(without_horizon(R"(
failures:
  latent_errors: {interval: 1000h}
)")) == Lines{"s.yaml:12:3: " + message});
  // Injected failures alone end: no horizon needed.
  const ScenarioSpec spec = load_ok(without_horizon(R"(
failures:
  inject: [{at: 1h, drive: e1/0}]
repair:
  replace_after: 72h
)"));
  CHECK(spec.horizon == base::never);
  REQUIRE(spec.failures.inject.size() == 1);
}

TEST_CASE("coarse rebuilds with an I/O load in the workload are an error at the load") {
  CHECK(errors(with_sections(R"(
  - io: {clients: 1, targets: lun1, after: lun1}
repair:
  rebuild: {mode: coarse}
)")) == Lines{"s.yaml:12:9: error: repair.rebuild.mode 'coarse' times rebuilds on idle drives, but the workload has "
              "an I/O load; use mode 'io' (the default) so rebuilds contend with it"});
  // mode io and a law are fine with the load.
  load_ok(with_sections(R"(
  - io: {clients: 1, targets: lun1, after: lun1}
repair:
  rebuild: {mode: io}
)"));
  load_ok(with_sections(R"(
  - io: {clients: 1, targets: lun1, after: lun1}
repair:
  rebuild: {duration: 24h}
)"));
}

// -------------------------------------------------------------------------------------------
// recover_lun

TEST_CASE("recover_lun takes only a 'lun' (and the common keys), naming a created LUN") {
  CHECK(errors(with_sections(R"(
  - {op: recover_lun, lun: lun1, size: 1GB, at: 1h}
)")) == Lines{"s.yaml:12:34: error: key 'size' does not apply to op 'recover_lun'"});
  CHECK(errors(with_sections(R"(
  - {op: recover_lun, lun: lun1, by: 1GB, drives: [e1/0]}
)")) == Lines{
      "s.yaml:12:34: error: key 'by' does not apply to op 'recover_lun'",
      "s.yaml:12:43: error: key 'drives' does not apply to op 'recover_lun'",
  });
  CHECK(errors(with_sections(R"(
  - {op: recover_lun, lun: lnu1, at: 1h}
)")) == Lines{"s.yaml:12:28: error: key 'lun': unknown LUN 'lnu1' (did you mean 'lun1'?)"});
  CHECK(errors(with_sections(R"(
  - {op: recover_lun, at: 1h}
)")) == Lines{"s.yaml:12:5: error: workload item 2: missing required key 'lun'"});
}

TEST_CASE("recover_lun loads with its target and time") {
  const ScenarioSpec spec = load_ok(with_sections(R"(
  - {op: recover_lun, name: fix, lun: lun1, at: 2h, after: lun1}
repair:
  automatic: false
)"));
  REQUIRE(spec.ops.size() == 2);
  const OpSpec& op = spec.ops[1];
  CHECK(op.kind == OpKind::RecoverLun);
  CHECK(op.name == "fix");
  CHECK(op.lun.value == "lun1");
  REQUIRE(op.at.has_value());
  CHECK(seconds(*op.at) == 7200);
  CHECK(std::string(to_string(op.kind)) == "recover_lun");
  CHECK_FALSE(spec.repair.automatic);
}

// -------------------------------------------------------------------------------------------
// good input

TEST_CASE("a full failures and repair pair loads into the expected spec") {
  const ScenarioSpec spec = load_ok(with_sections(R"(
failures:
  lifetime: {afr: 2%}
  age: 1y
  drives: [e1, e2/0]
  inject:
    - {at: 1h, drive: e1/2}
    - {at: 36h, drive: e2/3}
  latent_errors: {interval: {dist: exponential, mean: 5000h}, scrub: 168h}
  ure: 1e-15
repair:
  replace_after: {dist: uniform, min: 24h, max: 72h}
  rebuild: {duration: {dist: exponential, mean: 24h}}
  policy: parallel
  spares: enclosure
  automatic: false
  restore_after_loss: instant
)"));
  const FailuresSpec& f = spec.failures;
  CHECK(f.present);
  CHECK(f.loc.line == 13);
  REQUIRE(f.lifetime.has_value());
  CHECK(f.lifetime->kind() == engine::DistKind::Exponential);
  // AFR 2%: 2 failures per 100 drive-years of 365 days, a mean life of 365 * 24 / 0.02 hours.
  CHECK(f.lifetime->mean_seconds() == 438000.0 * 3600.0);
  CHECK(ns(f.age) == 365LL * 86400 * 1'000'000'000 + 6LL * 3600 * 1'000'000'000);  // 1y is 365.25 days
  REQUIRE(f.drives.size() == 2);
  CHECK(f.drives[0].value == "e1");
  CHECK(f.drives[1].value == "e2/0");
  CHECK(f.drives[1].loc.line == 15);
  CHECK(f.drives[1].loc.column == 16);
  REQUIRE(f.inject.size() == 2);
  CHECK(seconds(f.inject[0].at) == 3600);
  CHECK(f.inject[0].drive.value == "e1/2");
  CHECK(seconds(f.inject[1].at) == 36 * 3600);
  CHECK(f.inject[1].drive.value == "e2/3");
  CHECK(f.inject[1].drive.loc.line == 18);

  const storage::RepairConfig& c = spec.repair;
  CHECK(spec.repair_section);
  CHECK(spec.reliability());
  REQUIRE(c.replace_after.has_value());
  CHECK(c.replace_after->kind() == engine::DistKind::Uniform);
  CHECK(c.replace_after->mean_seconds() == 48.0 * 3600);
  CHECK(c.mode == storage::RebuildMode::Law);
  CHECK(c.rebuild_duration.kind() == engine::DistKind::Exponential);
  CHECK(c.rebuild_duration.mean_seconds() == 24.0 * 3600);
  CHECK(c.policy == storage::RepairPolicy::Parallel);
  CHECK(c.spare_scope == storage::SpareScope::Enclosure);
  CHECK_FALSE(c.automatic);
  CHECK(c.restore_after_loss);
  REQUIRE(spec.failures.latent_errors.has_value());
  const storage::LatentErrorLaw& latent = *spec.failures.latent_errors;
  CHECK(latent.interval.kind() == engine::DistKind::Exponential);
  CHECK(latent.interval.mean_seconds() == 5000.0 * 3600);
  CHECK(latent.scrub.is_constant());
  CHECK(latent.scrub.mean_seconds() == 168.0 * 3600);
  CHECK(c.ure_per_bit == 1e-15);
}

TEST_CASE("lifetime as mttf, as a weibull law, and AFR 2% exactly as Distribution::exponential") {
  {
    const ScenarioSpec spec = load_ok(with_sections(R"(
failures:
  lifetime: {afr: 2%}
)"));
    REQUIRE(spec.failures.lifetime.has_value());
    const engine::Distribution expected = engine::Distribution::exponential(438000h);
    CHECK(spec.failures.lifetime->mean_seconds() == expected.mean_seconds());
    CHECK(spec.failures.lifetime->describe() == expected.describe());
  }
  {
    const ScenarioSpec spec = load_ok(with_sections(R"(
failures:
  lifetime: {mttf: 1200000h}
)"));
    REQUIRE(spec.failures.lifetime.has_value());
    CHECK(spec.failures.lifetime->kind() == engine::DistKind::Exponential);
    CHECK(spec.failures.lifetime->mean_seconds() == 1.2e6 * 3600);
  }
  {
    const ScenarioSpec spec = load_ok(with_sections(R"(
failures:
  lifetime: {dist: weibull, shape: 1.5, scale: 100000h, location: 1000h}
  age: 2y
)"));
    REQUIRE(spec.failures.lifetime.has_value());
    const engine::Distribution expected = engine::Distribution::weibull(1.5, 100000h, 1000h);
    CHECK(spec.failures.lifetime->kind() == engine::DistKind::Weibull);
    CHECK(spec.failures.lifetime->mean_seconds() == expected.mean_seconds());
    CHECK(spec.failures.lifetime->describe() == expected.describe());
    CHECK(ns(spec.failures.age) == 2LL * (365 * 86400 + 6 * 3600) * 1'000'000'000);
  }
}

TEST_CASE("absent failures and repair keys take their defaults, a rebuild mode loads") {
  {
    const ScenarioSpec spec = load_ok(with_sections(""));
    CHECK_FALSE(spec.failures.present);
    CHECK_FALSE(spec.repair_section);
    CHECK_FALSE(spec.reliability());
  }
  {
    const ScenarioSpec spec = load_ok(with_sections(R"(
failures:
repair:
  rebuild: {mode: coarse}
)"));
    CHECK(spec.failures.present);
    CHECK_FALSE(spec.failures.lifetime.has_value());
    CHECK(ns(spec.failures.age) == 0);
    CHECK(spec.failures.drives.empty());
    CHECK(spec.failures.inject.empty());
    CHECK(spec.reliability());
    const storage::RepairConfig& c = spec.repair;
    CHECK_FALSE(c.replace_after.has_value());
    CHECK(c.mode == storage::RebuildMode::Coarse);
    CHECK(c.policy == storage::RepairPolicy::Sequential);
    CHECK(c.spare_scope == storage::SpareScope::Subsystem);
    CHECK(c.automatic);
    CHECK_FALSE(c.restore_after_loss);
    CHECK(c.ure_per_bit == 0);
    CHECK_FALSE(spec.failures.latent_errors.has_value());
  }
  {
    const ScenarioSpec spec = load_ok(with_sections(R"(
repair:
  rebuild: {mode: io}
  spares: subsystem
  policy: sequential
  restore_after_loss: none
  automatic: true
)"));
    CHECK(spec.repair.mode == storage::RebuildMode::Io);
    CHECK(spec.repair.policy == storage::RepairPolicy::Sequential);
    CHECK(spec.repair.spare_scope == storage::SpareScope::Subsystem);
    CHECK_FALSE(spec.repair.restore_after_loss);
    CHECK(spec.repair.automatic);
  }
}

TEST_CASE("all errors of failures and repair come at once, sorted by position") {
  CHECK(errors(with_sections(R"(
repair:
  policy: random
failures:
  lifetime: {afr: 0%}
  ure: 2
)")) == Lines{
      "s.yaml:13:11: error: key 'policy': unknown value 'random'; accepted: sequential, parallel",
      "s.yaml:15:19: error: key 'afr': must be greater than 0% (failures per drive-year of 365 days)",
      "s.yaml:16:8: error: key 'ure': expected a probability per bit read from 0 to below 1, such as 1e-15, found '2'",
  });
}

TEST_CASE("the horizon error points at the key that makes failures random, not at the first key") {
  CHECK(errors(without_horizon(R"(
failures:
  inject: [{at: 1h, drive: e1/0}]
  latent_errors: {interval: 1000h}
)")) == Lines{"s.yaml:13:3: error: random failures (failures.lifetime or failures.latent_errors) need a 'horizon': "
              "without one the mission never ends (e.g. horizon: 10y)"});
  // An invalid horizon is reported once, as itself: no second error about a missing horizon.
  const auto e = errors(R"(name: t
horizon: 10000y
drive_models:
  m: {capacity: 1TB, bandwidth: 100MB/s, latency: 5ms}
subsystems:
  - name: a
    enclosures:
      - {name: e1, drives: {model: m, count: 4}}
failures:
  lifetime: {afr: 2%}
)");
  REQUIRE(e.size() == 1);
  CHECK(e[0].rfind("s.yaml:2:10: error: key 'horizon'", 0) == 0);
}

TEST_CASE("a lifetime or latent-error law with a zero mean is an error (it would loop forever at one instant)") {
  CHECK(errors(with_sections(R"(
failures:
  lifetime: 0s
)")) == Lines{"s.yaml:13:13: error: key 'lifetime': expected {afr: 2%}, {mttf: 1000000h} or a distribution map "
              "{dist: exponential, weibull, ...}, found '0s'"});
  CHECK(errors(with_sections(R"(
failures:
  lifetime: {dist: constant, value: 0s}
)")) == Lines{"s.yaml:13:13: error: key 'lifetime': the mean life must be greater than 0 (drives that fail at once "
              "would fail again as soon as replaced)"});
  CHECK(errors(with_sections(R"(
failures:
  latent_errors: {interval: {dist: uniform, min: 0s, max: 0s}}
)")) == Lines{"s.yaml:13:29: error: key 'interval': the mean time between latent errors must be greater than 0"});
}

TEST_CASE("an injected failure at or after the horizon is an error: it would never happen") {
  CHECK(errors(with_sections(R"(
failures:
  inject: [{at: 10y, drive: e1/0}]
)")) == Lines{"s.yaml:13:17: error: key 'at': 315576000.000000000 s is not before the horizon (315576000.000000000 s): "
              "the failure would never happen"});
}

TEST_CASE("AFRs below 0.35 % (mean lives beyond the 292-year time range) are accepted, draws beyond it never fail") {
  const ScenarioSpec spec = load_ok(with_sections(R"(
failures:
  lifetime: {afr: 0.1%}
)"));
  REQUIRE(spec.failures.lifetime);
  CHECK(spec.failures.lifetime->mean_seconds() == Approx(365.0 * 86400.0 / 0.001).epsilon(1e-12));
}

// -------------------------------------------------------------------------------------------
// a drive model's own laws: lifetime, age, latent_errors

namespace {

const std::string model_keys =
    "capacity, bandwidth, latency, read_latency, write_latency, lifetime, age, latent_errors, rpm, zones, media_rate, "
    "seek, write_bandwidth, write_buffer, preset";

/// with_sections(sections) with model m1 written as a block whose `keys` (indented four spaces)
/// follow its capacity from line 6 on; `sections` start at line 13 + (lines of `keys`).
std::string with_model(std::string_view keys, std::string_view sections = "") {
  return "name: t\nhorizon: 10y\ndrive_models:\n  m1:\n    capacity: 1TB\n" + yaml(keys) +
         std::string(sim::testing::scenario_body.substr(sim::testing::scenario_body.find("subsystems:"))) +
         yaml(sections);
}

/// The same without a horizon: `keys` from line 5, `sections` from line 12 + (lines of `keys`).
std::string model_without_horizon(std::string_view keys, std::string_view sections = "") {
  return "name: t\ndrive_models:\n  m1:\n    capacity: 1TB\n" + yaml(keys) +
         std::string(sim::testing::scenario_body.substr(sim::testing::scenario_body.find("subsystems:"))) +
         yaml(sections);
}

} // namespace

TEST_CASE("a drive model's lifetime takes the forms of failures.lifetime, and its age conditions it") {
  {
    const ScenarioSpec spec = load_ok(with_model(R"(
    lifetime: {afr: 2%}
)"));
    REQUIRE(spec.drive_models.size() == 1);
    const DriveModelSpec& m = spec.drive_models[0];
    REQUIRE(m.lifetime.has_value());
    const engine::Distribution expected = engine::Distribution::exponential(438000h);
    CHECK(m.lifetime->kind() == engine::DistKind::Exponential);
    CHECK(m.lifetime->mean_seconds() == expected.mean_seconds());
    CHECK(m.lifetime->describe() == expected.describe());
    CHECK(ns(m.age) == 0);
    CHECK_FALSE(m.latent_errors.has_value());
    CHECK(m.random_loc.line == 6);  // the `lifetime` key
    CHECK(m.random_loc.column == 5);
    CHECK_FALSE(spec.failures.present);  // the model's law is not failures.lifetime
    CHECK_FALSE(spec.failures.lifetime.has_value());
  }
  {
    const ScenarioSpec spec = load_ok(with_model(R"(
    lifetime: {mttf: 1200000h}
)"));
    REQUIRE(spec.drive_models[0].lifetime.has_value());
    CHECK(spec.drive_models[0].lifetime->kind() == engine::DistKind::Exponential);
    CHECK(spec.drive_models[0].lifetime->mean_seconds() == 1.2e6 * 3600);
  }
  {
    const ScenarioSpec spec = load_ok(with_model(R"(
    lifetime: {dist: weibull, shape: 1.5, scale: 100000h, location: 1000h}
    age: 2y
)"));
    const DriveModelSpec& m = spec.drive_models[0];
    REQUIRE(m.lifetime.has_value());
    const engine::Distribution expected = engine::Distribution::weibull(1.5, 100000h, 1000h);
    CHECK(m.lifetime->kind() == engine::DistKind::Weibull);
    CHECK(m.lifetime->describe() == expected.describe());
    CHECK(ns(m.age) == 2LL * (365 * 86400 + 6 * 3600) * 1'000'000'000);
    CHECK(ns(spec.failures.age) == 0);  // the model's age is its own
  }
  {
    // Flow style, as the other model keys.
    std::string text = with_sections("");
    const std::string_view m1 = "m1: {capacity: 1TB}";
    text.replace(text.find(m1), m1.size(), "m1: {capacity: 1TB, lifetime: {dist: constant, value: 100h}, age: 40h}");
    const ScenarioSpec spec = load_ok(text);
    const DriveModelSpec& m = spec.drive_models[0];
    REQUIRE(m.lifetime.has_value());
    CHECK(m.lifetime->is_constant());
    CHECK(m.lifetime->mean_seconds() == 100.0 * 3600);
    CHECK(ns(m.age) == ns(40h));
    CHECK(m.random_loc.line == 4);
    CHECK(m.random_loc.column == 23);
  }
}

TEST_CASE("a drive model's unknown key gets a did-you-mean among the model keys, lifetime keys included") {
  CHECK(errors(with_model(R"(
    lifetme: {afr: 2%}
)")) == Lines{"s.yaml:6:5: error: drive model 'm1': unknown key 'lifetme' (did you mean 'lifetime'?); accepted: " +
              model_keys});
  CHECK(errors(with_model(R"(
    latent_error: {interval: 1000h}
)")) == Lines{"s.yaml:6:5: error: drive model 'm1': unknown key 'latent_error' (did you mean 'latent_errors'?); "
              "accepted: " + model_keys});
}

TEST_CASE("a drive model's age needs the model's own lifetime, not failures.lifetime") {
  CHECK(errors(with_model(R"(
    age: 2y
)")) == Lines{"s.yaml:6:5: error: key 'age' needs 'lifetime' (the law the age conditions)"});
  // failures.lifetime (line 15) is another law, with its own age.
  CHECK(errors(with_model(R"(
    age: 2y
)", R"(
failures:
  lifetime: {afr: 2%}
)")) == Lines{"s.yaml:6:5: error: key 'age' needs 'lifetime' (the law the age conditions)"});
}

TEST_CASE("a drive model's bad lifetime is reported at its place inside drive_models") {
  CHECK(errors(with_model(R"(
    lifetime: {afr: 0%}
)")) == Lines{"s.yaml:6:21: error: key 'afr': must be greater than 0% (failures per drive-year of 365 days)"});
  CHECK(errors(with_model(R"(
    lifetime: {mttf: 0h}
)")) == Lines{"s.yaml:6:22: error: key 'mttf': must be greater than 0"});
  CHECK(errors(with_model(R"(
    lifetime: {afr: 2%, mttf: 1000000h}
)")) == Lines{"s.yaml:6:25: error: key 'lifetime': give 'afr' or 'mttf', not both"});
  CHECK(errors(with_model(R"(
    lifetime: 2%
)")) == Lines{"s.yaml:6:15: error: key 'lifetime': expected {afr: 2%}, {mttf: 1000000h} or a distribution map "
              "{dist: exponential, weibull, ...}, found '2%'"});
  CHECK(errors(with_model(R"(
    lifetime: [{afr: 2%}]
)")) == Lines{"s.yaml:6:15: error: key 'lifetime': expected {afr: 2%}, {mttf: 1000000h} or a distribution map "
              "{dist: exponential, weibull, ...}, found a list"});
  CHECK(errors(with_model(R"(
    lifetime: {dist: constant, value: 0s}
)")) == Lines{"s.yaml:6:15: error: key 'lifetime': the mean life must be greater than 0 (drives that fail at once "
              "would fail again as soon as replaced)"});
  // An exponential law refuses a zero mean itself, at the mean.
  CHECK(errors(with_model(R"(
    lifetime: {dist: exponential, mean: 0s}
)")) == Lines{"s.yaml:6:41: error: key 'mean': must be greater than 0"});
  CHECK(errors(with_model(R"(
    lifetime: {dist: weibul, shape: 1.2, scale: 100000h}
)")) == Lines{"s.yaml:6:22: error: key 'dist': unknown distribution 'weibul' (did you mean 'weibull'?); accepted: "
              "constant, uniform, exponential, normal, lognormal, weibull, empirical"});
}

TEST_CASE("a drive model's latent_errors needs an interval, its keys are checked, it loads as failures' does") {
  CHECK(errors(with_model(R"(
    latent_errors: {scrub: 168h}
)")) == Lines{"s.yaml:6:20: error: latent_errors: missing required key 'interval'"});
  CHECK(errors(with_model(R"(
    latent_errors: {interval: {dist: exponential, mean: 1000h}, scrb: 168h}
)")) == Lines{"s.yaml:6:65: error: latent_errors: unknown key 'scrb' (did you mean 'scrub'?); accepted: interval, "
              "scrub"});
  CHECK(errors(with_model(R"(
    latent_errors: 1000h
)")) == Lines{"s.yaml:6:20: error: latent_errors: expected a map of keys (interval, scrub), found '1000h'"});
  CHECK(errors(with_model(R"(
    latent_errors: {interval: {dist: uniform, min: 0s, max: 0s}}
)")) == Lines{"s.yaml:6:31: error: key 'interval': the mean time between latent errors must be greater than 0"});

  const ScenarioSpec spec = load_ok(with_model(R"(
    latent_errors: {interval: {dist: exponential, mean: 5000h}, scrub: 168h}
)"));
  const DriveModelSpec& m = spec.drive_models[0];
  REQUIRE(m.latent_errors.has_value());
  CHECK(m.latent_errors->interval.kind() == engine::DistKind::Exponential);
  CHECK(m.latent_errors->interval.mean_seconds() == 5000.0 * 3600);
  CHECK(m.latent_errors->scrub.is_constant());
  CHECK(m.latent_errors->scrub.mean_seconds() == 168.0 * 3600);
  CHECK_FALSE(m.lifetime.has_value());
  CHECK(m.random_loc.line == 6);  // no lifetime: the `latent_errors` key
  CHECK(m.random_loc.column == 5);
  CHECK_FALSE(spec.failures.latent_errors.has_value());
}

TEST_CASE("a drive model's random failures without a horizon are an error at the model's lifetime key") {
  const std::string message =
      "error: random failures (drive_models.m1.lifetime or latent_errors) need a 'horizon': without one the mission "
      "never ends (e.g. horizon: 10y)";
  CHECK(errors(model_without_horizon(R"(
    lifetime: {afr: 2%}
)")) == Lines{"s.yaml:5:5: " + message});
  CHECK(errors(model_without_horizon(R"(
    latent_errors: {interval: 1000h}
)")) == Lines{"s.yaml:5:5: " + message});
  // Both: at `lifetime`, even when it comes second.
  CHECK(errors(model_without_horizon(R"(
    latent_errors: {interval: 1000h}
    lifetime: {afr: 2%}
)")) == Lines{"s.yaml:6:5: " + message});
  // With failures.lifetime too (line 14): one error for each, in file order.
  CHECK(errors(model_without_horizon(R"(
    lifetime: {afr: 2%}
)", R"(
failures:
  lifetime: {afr: 2%}
)")) == Lines{
      "s.yaml:5:5: " + message,
      "s.yaml:14:3: error: random failures (failures.lifetime or failures.latent_errors) need a 'horizon': without "
      "one the mission never ends (e.g. horizon: 10y)",
  });
  // A lifetime that is itself an error gives only its own error; with latent errors too, the
  // horizon error points at them (as in failures:), not at the rejected lifetime.
  CHECK(errors(model_without_horizon(R"(
    lifetime: {afr: 0%}
)")) == Lines{"s.yaml:5:21: error: key 'afr': must be greater than 0% (failures per drive-year of 365 days)"});
  CHECK(errors(model_without_horizon(R"(
    lifetime: {afr: 0%}
    latent_errors: {interval: 1000h}
)")) == Lines{
      "s.yaml:5:21: error: key 'afr': must be greater than 0% (failures per drive-year of 365 days)",
      "s.yaml:6:5: " + message,
  });
}

TEST_CASE("a drive model's lifetime or latent errors alone make the run a reliability run") {
  {
    const ScenarioSpec spec = load_ok(with_model(R"(
    lifetime: {afr: 2%}
)"));
    CHECK_FALSE(spec.failures.present);
    CHECK_FALSE(spec.repair_section);
    CHECK(spec.reliability());
  }
  {
    const ScenarioSpec spec = load_ok(with_model(R"(
    latent_errors: {interval: 1000h}
)"));
    CHECK_FALSE(spec.failures.present);
    CHECK_FALSE(spec.repair_section);
    CHECK(spec.reliability());
  }
  CHECK_FALSE(load_ok(with_model(R"(
    latency: 5ms
)")).reliability());
}

// -------------------------------------------------------------------------------------------
// which law a drive has (the World): failures.lifetime for the drives `failures.drives` names,
// else the drive's model's, else failures.lifetime when `drives` names none; replacements keep
// their slot's law, hot spares their own; latent errors: the model's, else failures'. Constant
// laws make every failure time and latent-error count exact.

namespace {

/// A World of `spec` run until its horizon, recording the drive failures its subsystems report
/// (VDS_NF_DRIVE_MODIFY with status=VDS_DRS_FAILED).
class FailureRun final : public provider::NotificationSink {
public:
  explicit FailureRun(const ScenarioSpec& spec) : spec_(spec), sim_(spec.seed, 0), world_(sim_, spec_) {
    for (const auto& sub : world_.subsystems()) sub->set_sink(this);
  }
  World& world() { return world_; }
  void run_until(base::Duration t) { sim_.run_until(base::at(t)); }
  void run_to_horizon() { sim_.run_until(spec_.horizon); }

  /// "TIME DRIVE" ("300h s/ea/0#2"), by time, then name (failures at one instant in either order).
  Lines failures() const {
    auto sorted = failed_;
    std::sort(sorted.begin(), sorted.end());
    Lines out;
    for (const auto& [t, name] : sorted) {
      const base::Duration d = t.time_since_epoch();
      out.push_back((d % 1h == 0h ? std::to_string(d / 1h) + "h " : base::format_seconds(d) + "s ") + name);
    }
    return out;
  }

  void notify(const provider::Notification& n) override {
    if (n.event == provider::NotificationEvent::DriveModify && n.detail == "status=VDS_DRS_FAILED health=VDS_H_FAILED")
      failed_.emplace_back(n.time, n.object);
  }

private:
  ScenarioSpec spec_;
  engine::Simulation sim_;
  World world_;
  std::vector<std::pair<base::Time, std::string>> failed_;
};

/// Subsystem s: enclosure ea of two drives of model a (lifetime constant 100 h, and `a_extra`
/// keys), enclosure eb of two drives of model b (no law of its own); failures.lifetime constant
/// 300 h with `failures` (further keys of the section, indented two spaces), horizon 1000 h.
std::string two_models(std::string_view failures, std::string_view a_extra = "", std::string_view rest = "") {
  return "name: laws\nhorizon: 1000h\ndrive_models:\n"
         "  a: {capacity: 1TB, lifetime: {dist: constant, value: 100h}" + std::string(a_extra) + "}\n"
         "  b: {capacity: 1TB}\n"
         "subsystems:\n  - name: s\n    enclosures:\n"
         "      - {name: ea, drives: {model: a, count: 2}}\n"
         "      - {name: eb, drives: {model: b, count: 2}}\n"
         "failures:\n  lifetime: {dist: constant, value: 300h}\n" + yaml(failures) + yaml(rest);
}

} // namespace

TEST_CASE("a drive's law: failures.lifetime if failures.drives names it or its enclosure, else its model's, else "
          "failures.lifetime if failures.drives is empty, else none") {
  SECTION("failures.drives empty: model a's drives have a's law, model b's failures.lifetime") {
    FailureRun run(load_ok(two_models("")));
    run.run_to_horizon();
    CHECK(run.failures() == Lines{"100h s/ea/0", "100h s/ea/1", "300h s/eb/0", "300h s/eb/1"});
  }
  SECTION("a named drive of model a takes failures.lifetime; a b drive not named has no law at all") {
    FailureRun run(load_ok(two_models("  drives: [ea/1, eb/0]\n")));
    run.run_to_horizon();
    CHECK(run.failures() == Lines{"100h s/ea/0", "300h s/ea/1", "300h s/eb/0"});
  }
  SECTION("a named enclosure: its drives take failures.lifetime, the others keep their model's law") {
    FailureRun run(load_ok(two_models("  drives: [eb]\n")));
    run.run_to_horizon();
    CHECK(run.failures() == Lines{"100h s/ea/0", "100h s/ea/1", "300h s/eb/0", "300h s/eb/1"});
  }
  SECTION("naming model a's enclosure overrides the model's law; model b's drives, not named, never fail") {
    FailureRun run(load_ok(two_models("  drives: [ea]\n")));
    run.run_to_horizon();
    CHECK(run.failures() == Lines{"300h s/ea/0", "300h s/ea/1"});
  }
  SECTION("without failures.lifetime only the model's law applies") {
    std::string text = two_models("");
    text.erase(text.find("failures:"));
    const ScenarioSpec spec = load_ok(text);
    CHECK_FALSE(spec.failures.present);
    FailureRun run(spec);
    run.run_to_horizon();
    CHECK(run.failures() == Lines{"100h s/ea/0", "100h s/ea/1"});
  }
}

TEST_CASE("a replacement keeps its slot's law, drawn new: the model's age conditions only the first drive") {
  // ea/0: model a (100 h) aged 40 h: fails at 60 h, its replacements 100 h after each other.
  // ea/1: named, so failures.lifetime (300 h) with failures' age (none), and so are its
  // replacements. eb/0 and eb/1: no law. Horizon 650 h.
  FailureRun run(load_ok(two_models("  drives: [ea/1]\n", ", age: 40h", R"(
repair:
  replace_after: 0s
)")));
  run.run_until(650h);
  CHECK(run.failures() == Lines{"60h s/ea/0", "160h s/ea/0#2", "260h s/ea/0#3", "300h s/ea/1", "360h s/ea/0#4",
                                "460h s/ea/0#5", "560h s/ea/0#6", "600h s/ea/1#2"});
  const auto& stats = run.world().subsystem("s")->reliability();
  CHECK(stats.drive_failures == 8);
  CHECK(stats.replacements == 8);
}

TEST_CASE("a hot spare of model b taking a failed model-a member keeps model b's law, and so does its replacement") {
  // A mirror on ea/0 (model a, 100 h) and eb/0 (named in failures.drives: 1000 h, beyond the
  // horizon); eb/1 is a hot spare of model b (250 h, from time 0 like every drive). Slot ea/0
  // fails every 100 h; slot eb/1 at 250 h while holding the mirror's member it took at 100 h
  // (with ea/0's law it would fail at 200 h), and its replacement, of model b, 250 h later.
  FailureRun run(load_ok(R"(name: spare
horizon: 650h
drive_models:
  a: {capacity: 1TB, lifetime: {dist: constant, value: 100h}}
  b: {capacity: 1TB, lifetime: {dist: constant, value: 250h}}
subsystems:
  - name: s
    management_latency: 0s
    init: none
    enclosures:
      - {name: ea, drives: {model: a, count: 1}}
      - {name: eb, drives: {model: b, count: 2}, hot_spares: 1}
failures:
  lifetime: {dist: constant, value: 1000h}
  drives: [eb/0]
repair:
  replace_after: 0s
  rebuild: {duration: 1h}
)"));
  provider::Subsystem& sub = *run.world().subsystem("s");
  provider::AsyncHandle* h = nullptr;
  const provider::Holder me = provider::Holder::client("t");
  REQUIRE(sub.create_lun(static_cast<std::int32_t>(provider::LunType::Mirror), base::Bytes{1ULL << 30}, {}, nullptr, &h,
                         me) == provider::hr::s_ok);
  const auto members = [&] {
    std::vector<std::string> out;
    for (const storage::Drive* d : sub.luns().back()->lun()->members()) out.push_back(d->name());
    return out;
  };
  run.run_until(1h);
  REQUIRE(sub.luns().size() == 1);
  REQUIRE(sub.luns().back()->status() == provider::LunStatus::Online);
  CHECK(members() == std::vector<std::string>{"ea/0", "eb/0"});
  run.run_until(249h);
  CHECK(members() == std::vector<std::string>{"eb/1", "eb/0"});  // the spare took ea/0's member at 100 h
  run.run_until(650h);
  CHECK(run.failures() == Lines{"100h s/ea/0", "200h s/ea/0#2", "250h s/eb/1", "300h s/ea/0#3", "400h s/ea/0#4",
                                "500h s/ea/0#5", "500h s/eb/1#2", "600h s/ea/0#6"});
  CHECK(sub.reliability().losses.empty());
  CHECK(h->release(me) == provider::hr::s_ok);
}

TEST_CASE("a drive's latent errors: its model's law, else failures.latent_errors") {
  // Constant gaps: until 99 h a drive with a 10 h interval has 9 latent errors, one with 25 h 3.
  SECTION("model a's drives have a's law (10 h), model b's failures.latent_errors (25 h)") {
    FailureRun run(load_ok(two_models("  latent_errors: {interval: 25h}\n", ", latent_errors: {interval: 10h}")));
    run.run_until(99h);
    CHECK(run.world().subsystem("s")->reliability().latent_errors == 2 * 9 + 2 * 3);
  }
  SECTION("without failures.latent_errors only model a's drives have latent errors") {
    FailureRun run(load_ok(two_models("", ", latent_errors: {interval: 10h}")));
    run.run_until(99h);
    CHECK(run.world().subsystem("s")->reliability().latent_errors == 2 * 9);
  }
  SECTION("failures.drives does not choose latent errors: every drive without its model's has failures'") {
    FailureRun run(load_ok(two_models("  drives: [ea/0]\n  latent_errors: {interval: 25h}\n")));
    run.run_until(99h);
    CHECK(run.world().subsystem("s")->reliability().latent_errors == 4 * 3);
  }
}

// -------------------------------------------------------------------------------------------
// reliability: the estimator

TEST_CASE("reliability: importance sampling with a bias loads, and monte_carlo is the default") {
  {
    const ScenarioSpec spec = load_ok(with_sections(R"(
failures:
  lifetime: {dist: weibull, shape: 1.2, scale: 100000h}
reliability: {method: importance_sampling, bias: 0.3}
)"));
    CHECK(spec.estimator.present);
    CHECK(spec.estimator.importance_sampling());
    CHECK(spec.estimator.biasing.probability == 0.3);
  }
  {
    const ScenarioSpec spec = load_ok(with_sections(R"(
failures:
  lifetime: {afr: 2%}
)"));
    CHECK_FALSE(spec.estimator.present);
    CHECK(spec.estimator.method == EstimatorMethod::MonteCarlo);
    CHECK(spec.estimator.biasing.probability == 0.5);
  }
}

TEST_CASE("reliability: an unknown method, a bias out of range and a bias without importance sampling are "
          "positioned errors") {
  CHECK(errors(with_sections(R"(
failures: {lifetime: {afr: 2%}}
reliability: {method: importance_sampler}
)")) == Lines{"s.yaml:13:23: error: key 'method': unknown estimator 'importance_sampler' (did you mean "
              "'importance_sampling'?); accepted: monte_carlo, importance_sampling"});
  CHECK(errors(with_sections(R"(
failures: {lifetime: {afr: 2%}}
reliability: {method: importance_sampling, bias: 1}
)")) == Lines{"s.yaml:13:50: error: key 'bias': 1 is not a probability strictly between 0 and 1 (the probability "
              "of a further failure while a group is exposed, e.g. 0.5)"});
  CHECK(errors(with_sections(R"(
failures: {lifetime: {afr: 2%}}
reliability: {bias: 0.5}
)")) == Lines{"s.yaml:13:15: error: key 'bias' applies to method importance_sampling (the probability of a further "
              "failure while a group is exposed)"});
  CHECK(errors(with_sections(R"(
reliability: {methd: monte_carlo}
)")) == Lines{"s.yaml:12:15: error: reliability: unknown key 'methd' (did you mean 'method'?); accepted: method, bias"});
}

TEST_CASE("reliability: importance sampling without a failure process to bias, or with a law that has no density, "
          "is an error at the law or the method") {
  CHECK(errors(with_sections(R"(
repair: {replace_after: 24h}
reliability: {method: importance_sampling}
)")) == Lines{"s.yaml:13:23: error: key 'method': importance_sampling biases drive failures, but no drive has a "
              "lifetime law (give failures.lifetime or drive_models.M.lifetime)"});
  CHECK(errors(with_sections(R"(
failures:
  lifetime: {dist: constant, value: 1000h}
reliability: {method: importance_sampling}
)")) == Lines{"s.yaml:13:3: error: key 'lifetime': importance sampling needs lifetime laws with a density "
              "(exponential, weibull, lognormal, normal, uniform); constant has none"});
}
