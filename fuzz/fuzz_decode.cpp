// Fuzz target "decode": the byte message that carries one sweep task's result between MPI ranks
// (runner::encode / runner::decode, sweep.hpp), and the point statistics built from it.
//
// Feeds runner::decode (std::runtime_error is its documented answer to a truncated or malformed
// buffer), then encodes what it decoded and decodes that again. The decoded values are not
// statistics any rank could have sent (a loss count above the group count, 10^19 groups), so they
// go no further: the messages come from lunsim's own ranks, and only the decoder must stand any
// bytes (bounds, sizes, no allocation beyond the message's own size times a constant).
//
// Findings, beyond those of fuzz_target.hpp: encode and decode disagreeing, i.e. a decoded
// result whose encoding does not decode, or decodes to a result with another encoding.
#include "fuzz/fuzz_target.hpp"

#include "sim/runner/sweep.hpp"

#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace runner = sim::runner;
  runner::TaskResult r;
  try {
    r = runner::decode(sim::fuzz::as_text(data, size));
  } catch (const std::runtime_error&) {
    return 0;
  }
  const std::string bytes = runner::encode(r);
  try {
    if (runner::encode(runner::decode(bytes)) != bytes) sim::fuzz::finding("decode(encode(r)) has another encoding than r");
  } catch (const std::runtime_error& e) {
    sim::fuzz::finding(std::string("decode refuses what encode wrote: ") + e.what());
  }
  return 0;
}
