#include "sim/cli/demo.hpp"

#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>

namespace {

constexpr int exit_ok = 0;
constexpr int exit_usage = 2;
constexpr int exit_internal = 3;

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"lunsim: discrete-event simulator of storage arrays managed through a VDS-style API"};
  app.set_version_flag("--version", std::string("lunsim ") + LUNSIM_VERSION);
  app.require_subcommand(1);

  sim::cli::DemoOptions demo;
  auto* run = app.add_subcommand("run", "Run a simulation (for now: the engine demo, drive-fifo)");
  run->add_option("--drives", demo.drives, "Number of FIFO drives")->capture_default_str();
  run->add_option("--clients", demo.clients, "Number of closed-loop clients")->capture_default_str();
  run->add_option("--requests", demo.requests, "Requests per client")->capture_default_str();
  run->add_option("--seed", demo.seed, "Run seed")->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return exit_usage;
  }

  try {
    if (*run) return sim::cli::run_demo(demo, std::cout);
  } catch (const std::exception& e) {
    std::cerr << "lunsim: internal error: " << e.what() << '\n';
    return exit_internal;
  }
  return exit_ok;
}
