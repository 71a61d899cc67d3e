// Ctrl-C for the commands that run simulations (run, sweep, explore).
//
// The flag is the one global of the runner: a signal handler can reach nothing else. It is a
// lock-free std::atomic<bool>, safe both in a signal handler and across threads. Sweeps and
// explore poll it between runs; `lunsim run` also hands it to the simulation
// (RunOptions::interrupt), which stops within 1024 events of it being set.
#pragma once

#include <atomic>
#include <exception>

namespace sim::runner {

/// Set from the SIGINT handler (or by request_interrupt).
void request_interrupt();
bool interrupt_requested();
void clear_interrupt();
/// The flag itself, for engine::Simulation::interrupt_on.
const std::atomic<bool>& interrupt_flag();

/// Thrown by a run (RunOptions::interrupt) that the flag stopped: its results are incomplete
/// and must not be written.
struct Interrupted : std::exception {
  const char* what() const noexcept override { return "interrupted"; }
};

/// Installs the SIGINT handler for its lifetime (restoring the default action on destruction).
/// The first Ctrl-C sets the flag; the handler then restores the default action, so a second
/// Ctrl-C ends the process at once.
class InterruptGuard {
public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
};

} // namespace sim::runner
