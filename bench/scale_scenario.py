#!/usr/bin/env python3
"""Writes bench_scale's world (bench/scale.cpp) as a scenario file, for `lunsim validate` and
`lunsim run` of 10^6 drives through the command (bench/run.sh, section "scale: validate/run").

The default shape is bench_scale's: 100 subsystems "array-<s>" (management_latency 100ms,
controllers 2), each with 400 enclosures "a<s>-shelf-<e>" of 25 drives (enclosure names are
global), one drive model "hdd" (16TB, 250MB/s, 4ms read and write latency), horizon 1h, no
workload: 2.5 MB of YAML, which is why it is generated and not kept in the repository.

usage: bench/scale_scenario.py [--subsystems S] [--enclosures E] [--drives D]
                               [--timeseries on|off] [-o FILE]
  --subsystems 1 --enclosures 1 --drives 1000000 is the other shape: one enclosure of 10^6
  drives. --timeseries off adds `metrics: {timeseries: false}` (default: on, the 1 s default).
"""
import argparse
import sys


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--subsystems", type=int, default=100)
    p.add_argument("--enclosures", type=int, default=400, help="per subsystem")
    p.add_argument("--drives", type=int, default=25, help="per enclosure")
    p.add_argument("--timeseries", choices=("on", "off"), default="on")
    p.add_argument("-o", "--output", default="-")
    a = p.parse_args()
    lines = [
        "name: scale-%dx%dx%d" % (a.subsystems, a.enclosures, a.drives),
        "horizon: 1h",
        "drive_models:",
        "  hdd: {capacity: 16TB, bandwidth: 250MB/s, read_latency: 4ms, write_latency: 4ms}",
        "subsystems:",
    ]
    for s in range(a.subsystems):
        lines += ["  - name: array-%d" % s, "    management_latency: 100ms", "    controllers: 2",
                  "    enclosures:"]
        lines += ["      - {name: a%d-shelf-%d, drives: {model: hdd, count: %d}}" % (s, e, a.drives)
                  for e in range(a.enclosures)]
    if a.timeseries == "off":
        lines.append("metrics: {timeseries: false}")
    text = "\n".join(lines) + "\n"
    if a.output == "-":
        sys.stdout.write(text)
    else:
        with open(a.output, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
