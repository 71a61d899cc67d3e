#include "sim/runner/run.hpp"
#include "sim/scenario/loader.hpp"

#include <catch2/catch.hpp>

TEST_CASE("an extend that fails and rolls back is judged ok: the client reported the truth", "[runner][verdict]") {
  const auto loaded = sim::scenario::load_scenario(R"(name: v
drive_models:
  d: {capacity: 100GB, bandwidth: 200MB/s, latency: 2ms}
subsystems:
  - name: a
    management_latency: 100ms
    enclosures: [{name: e, drives: {model: d, count: 4}}]
provider:
  faults:
    - {op: extend_lun, behavior: op_fails, at: 50%}
workload:
  - {op: create_lun, name: x, type: raid5, size: 1GiB, drives: 3}
  - {after: x, op: extend_lun, lun: x, by: 1GiB}
)", "v.yaml");
  REQUIRE(loaded.spec);
  const sim::runner::RunResult r = sim::runner::run_scenario(*loaded.spec);
  REQUIRE(r.ops.size() == 2);
  CHECK(r.ops[1].status == sim::runner::OpStatus::Failed);
  CHECK(r.ops[1].fault == "op_fails");
  CHECK(r.ops[1].verdict == "ok");
  CHECK(r.ops[1].lun_size == std::optional<std::uint64_t>{1ULL << 30});  // unchanged after the rollback
}
