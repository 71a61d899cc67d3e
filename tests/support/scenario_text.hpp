// Shared helpers of the scenario-loader tests: inline YAML loaded as "s.yaml".
#pragma once

#include "sim/scenario/loader.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace sim::testing {

using Lines = std::vector<std::string>;

/// `text` without its leading newline (raw string literals start on the next line).
inline std::string yaml(std::string_view text) {
  if (!text.empty() && text.front() == '\n') text.remove_prefix(1);
  return std::string(text);
}

/// The formatted diagnostics of loading `text` as "s.yaml"; a spec must come back only without them.
inline Lines errors(std::string_view text, const scenario::LoadOptions& options = {}) {
  const scenario::LoadResult r = scenario::load_scenario(yaml(text), "s.yaml", options);
  Lines out;
  for (const auto& d : r.diagnostics) out.push_back(d.format());
  CHECK(r.spec.has_value() == out.empty());
  return out;
}

/// The spec of `text`, which must load without any diagnostic.
inline scenario::ScenarioSpec load_ok(std::string_view text, const scenario::LoadOptions& options = {}) {
  scenario::LoadResult r = scenario::load_scenario(yaml(text), "s.yaml", options);
  std::string all;
  for (const auto& d : r.diagnostics) all += d.format() + "\n";
  INFO(all);
  REQUIRE(r.diagnostics.empty());
  REQUIRE(r.spec.has_value());
  return std::move(*r.spec);
}

/// The body shared by with_sections and without_horizon: one subsystem 'a' (2 controllers by
/// default) with two enclosures (e1: drives e1/0..e1/3, e1/3 a hot spare; e2: e2/0..e2/3) and one
/// RAID-5 LUN 'lun1'; 9 lines.
inline constexpr std::string_view scenario_body = R"(drive_models:
  m1: {capacity: 1TB}
subsystems:
  - name: a
    enclosures:
      - {name: e1, drives: {model: m1, count: 4}, hot_spares: 1}
      - {name: e2, drives: {model: m1, count: 4}}
workload:
  - {op: create_lun, name: lun1, type: raid5, size: 1GB, drives: 3}
)";

/// A valid scenario with a horizon of 10y and scenario_body, followed by `sections` from line 12
/// on (the base's last line is line 11).
inline std::string with_sections(std::string_view sections) {
  return "name: t\nhorizon: 10y\n" + std::string(scenario_body) + yaml(sections);
}

/// The same without a horizon: its last line is line 10, `sections` start at line 11.
inline std::string without_horizon(std::string_view sections) {
  return "name: t\n" + std::string(scenario_body) + yaml(sections);
}

} // namespace sim::testing
