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

} // namespace sim::testing
