#include "sim/runner/interrupt.hpp"

#include <csignal>

namespace sim::runner {

namespace {

std::atomic<bool> g_interrupt{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the SIGINT flag must be lock-free to be set from a handler");

extern "C" void on_sigint(int) {
  g_interrupt.store(true);
  std::signal(SIGINT, SIG_DFL);  // a second Ctrl-C ends the process
}

} // namespace

void request_interrupt() { g_interrupt.store(true); }
bool interrupt_requested() { return g_interrupt.load(); }
void clear_interrupt() { g_interrupt.store(false); }
const std::atomic<bool>& interrupt_flag() { return g_interrupt; }

InterruptGuard::InterruptGuard() { std::signal(SIGINT, on_sigint); }
InterruptGuard::~InterruptGuard() { std::signal(SIGINT, SIG_DFL); }

} // namespace sim::runner
