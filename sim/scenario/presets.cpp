#include "sim/scenario/presets.hpp"

#include <array>

namespace sim::scenario {

namespace {

// Figures and sources: README "Drive presets" (one row per figure). MB/s are 10^6 bytes/s.
constexpr std::array presets{
    DrivePreset{"hdd-7200", "7,200 rpm nearline SAS/SATA disk (Seagate Exos X24 24 TB; seeks of WD Ultrastar He10 / DC HC310)",
                "{capacity: 24TB, rpm: 7200, zones: 16, media_rate: {outer: 285MB/s, inner: 135MB/s}, "
                "seek: {average: 8.0ms, write: 8.6ms, track_to_track: 0.23ms, full_stroke: 17.1ms}}"},
    DrivePreset{"hdd-10k", "10,000 rpm SAS disk (Seagate Exos 10E2400 2.4 TB; seeks of Seagate Savvio 10K.4)",
                "{capacity: 2400GB, rpm: 10000, zones: 16, media_rate: {outer: 266MB/s, inner: 130MB/s}, "
                "seek: {average: 3.8ms, write: 4.4ms, track_to_track: 0.30ms, full_stroke: 7.81ms}}"},
    DrivePreset{"ssd-sata", "SATA SSD with an SLC write cache (Samsung 870 EVO 4 TB)",
                "{capacity: 4TB, read_latency: 77us, write_latency: 28us, bandwidth: 560MB/s, "
                "write_bandwidth: 530MB/s, write_buffer: {size: 24GB, sustained: 400MB/s}}"},
    DrivePreset{"ssd-nvme", "PCIe 4.0 NVMe SSD with an SLC write cache (Samsung 980 PRO 1 TB)",
                "{capacity: 1TB, read_latency: 45us, write_latency: 17us, bandwidth: 7000MB/s, "
                "write_bandwidth: 5000MB/s, write_buffer: {size: 113GB, sustained: 1500MB/s}}"},
};

} // namespace

std::span<const DrivePreset> drive_presets() { return presets; }

const DrivePreset* find_preset(std::string_view name) {
  for (const DrivePreset& p : presets)
    if (p.name == name) return &p;
  return nullptr;
}

} // namespace sim::scenario
