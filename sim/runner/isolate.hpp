// Work in a child process (fork), so that client code that corrupts memory, dereferences a dead
// pointer or aborts ends its own process, not lunsim: `lunsim explore` and `lunsim check` run
// every --client-lib client so.
//
// A child runs `work` and writes the string it returns through a pipe, then ends with _exit(0)
// (no destructors or atexit handlers of the parent's run in it; SIGINT is ignored there: the
// parent decides when to stop). The parent reads the pipe while the child runs and reaps it:
// the outcome is the string, or how the child ended without one (a signal, an exit status, an
// exception escaping `work`, killed past its real-time limit). Call from a thread that owns the
// process's other threads' quiescence: fork copies only the calling thread (lunsim forks from
// the main thread only).
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace sim::runner {

struct ChildOutcome {
  enum class End { Done, Signal, Exit, Exception, Killed };
  End end = End::Done;
  std::string data;  ///< what `work` returned (Done)
  int code = 0;      ///< the signal (Signal) or exit status (Exit)
  std::string what;  ///< the exception's message (Exception)
  /// "died of signal 11 (Segmentation fault)", "exited with status 1", ... (empty for Done).
  std::string describe() const;
};

/// A running child (ChildPool's element).
struct Child {
  pid_t pid = -1;
  int fd = -1;
  std::string data;
  std::chrono::steady_clock::time_point started;
};

/// Forks a child running `work`. Throws std::runtime_error when pipe or fork fail.
Child spawn_child(const std::function<std::string()>& work);
/// Waits until one of `children` has finished (its pipe closed) or has run longer than
/// `wall_limit_s` seconds of real time (then it is killed); reaps it, removes it from
/// `children` and returns its index in `children` before removal and its outcome.
std::pair<std::size_t, ChildOutcome> wait_any(std::vector<Child>& children, double wall_limit_s);
/// `work` in one child, waited for.
ChildOutcome run_in_child(const std::function<std::string()>& work, double wall_limit_s = 120);

} // namespace sim::runner
