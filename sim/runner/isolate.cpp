#include "sim/runner/isolate.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <stdexcept>

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace sim::runner {

namespace {

// The child's message: one tag byte ('D' done, 'E' exception), then the text.
void write_all(int fd, const std::string& s) {
  std::size_t off = 0;
  while (off < s.size()) {
    const ssize_t n = ::write(fd, s.data() + off, s.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    off += static_cast<std::size_t>(n);
  }
}

void drain(Child& c) {
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(c.fd, buf, sizeof buf);
    if (n > 0) {
      c.data.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return;
  }
}

ChildOutcome reap(Child& c, bool killed) {
  drain(c);
  ::close(c.fd);
  int status = 0;
  while (::waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
  }
  ChildOutcome o;
  if (killed) {
    o.end = ChildOutcome::End::Killed;
  } else if (WIFSIGNALED(status)) {
    o.end = ChildOutcome::End::Signal;
    o.code = WTERMSIG(status);
  } else if (!c.data.empty() && c.data[0] == 'D') {
    o.data = c.data.substr(1);
  } else if (!c.data.empty() && c.data[0] == 'E') {
    o.end = ChildOutcome::End::Exception;
    o.what = c.data.substr(1);
  } else {
    o.end = ChildOutcome::End::Exit;
    o.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  return o;
}

} // namespace

std::string ChildOutcome::describe() const {
  switch (end) {
    case End::Done: return {};
    case End::Signal: return "died of signal " + std::to_string(code) + " (" + ::strsignal(code) + ")";
    case End::Exit: return "exited with status " + std::to_string(code) + " before its result";
    case End::Exception: return "exception: " + what;
    case End::Killed: return "ran past its real-time limit (killed)";
  }
  return {};
}

Child spawn_child(const std::function<std::string()>& work) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    ::close(fds[0]);
    std::signal(SIGINT, SIG_IGN);
    std::string out;
    try {
      out = "D" + work();
    } catch (const std::exception& e) {
      out = std::string("E") + e.what();
    } catch (...) {
      out = "Eunknown exception";
    }
    write_all(fds[1], out);
    std::fflush(nullptr);
    ::_exit(0);
  }
  ::close(fds[1]);
  return Child{pid, fds[0], {}, std::chrono::steady_clock::now()};
}

std::pair<std::size_t, ChildOutcome> wait_any(std::vector<Child>& children, double wall_limit_s) {
  for (;;) {
    std::vector<pollfd> fds;
    for (const Child& c : children) fds.push_back(pollfd{c.fd, POLLIN, 0});
    if (::poll(fds.data(), fds.size(), 200) > 0)
      for (std::size_t i = 0; i < fds.size(); ++i) {
        if (fds[i].revents == 0) continue;
        // Data or hang-up: read what is there; a closed pipe means the child is done.
        char buf[4096];
        const ssize_t got = ::read(children[i].fd, buf, sizeof buf);
        if (got > 0) {
          children[i].data.append(buf, static_cast<std::size_t>(got));
          continue;
        }
        if (got < 0 && errno == EINTR) continue;
        ChildOutcome o = reap(children[i], false);
        children.erase(children.begin() + static_cast<std::ptrdiff_t>(i));
        return {i, std::move(o)};
      }
    const auto now = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < children.size(); ++i)
      if (std::chrono::duration<double>(now - children[i].started).count() > wall_limit_s) {
        ::kill(children[i].pid, SIGKILL);
        ChildOutcome o = reap(children[i], true);
        children.erase(children.begin() + static_cast<std::ptrdiff_t>(i));
        return {i, std::move(o)};
      }
  }
}

ChildOutcome run_in_child(const std::function<std::string()>& work, double wall_limit_s) {
  std::vector<Child> children{spawn_child(work)};
  return wait_any(children, wall_limit_s).second;
}

} // namespace sim::runner
