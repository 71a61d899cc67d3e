// HRESULT vocabulary of the VDS-style provider API.
//
// Values and names follow vdserr.h / winerror.h as summarised in VDS-REFERENCE.md section 10
// (plus the path-validation codes of sections 7 and 11, and the two Cancel codes of section 2).
// Identifiers are snake_case on purpose: the compatibility layer (sim/compat) defines the Windows
// spellings (S_OK, E_UNEXPECTED, VDS_E_TIMEOUT, ...) as macros, which would clash with them.
#pragma once

#include <compare>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace sim::provider {

/// A COM HRESULT as its 32-bit pattern. Bit 31 is the severity: set = failure (FAILED()),
/// clear = success, including the informational 0x0004xxxx codes such as VDS_S_IN_PROGRESS.
struct HResult {
  std::uint32_t value = 0;

  constexpr bool failed() const { return (value & 0x8000'0000U) != 0; }
  constexpr bool succeeded() const { return !failed(); }
  friend constexpr auto operator<=>(HResult, HResult) = default;
};

namespace hr {
// Standard COM codes.
inline constexpr HResult s_ok{0x0000'0000};
inline constexpr HResult s_false{0x0000'0001}; // "not mine" (QueryIfCreatedLun)
inline constexpr HResult e_notimpl{0x8000'4001};
inline constexpr HResult e_nointerface{0x8000'4002};
inline constexpr HResult e_pointer{0x8000'4003};
inline constexpr HResult e_unexpected{0x8000'FFFF};
inline constexpr HResult e_accessdenied{0x8007'0005};
inline constexpr HResult e_outofmemory{0x8007'000E};
inline constexpr HResult e_invalidarg{0x8007'0057};

// VDS failure codes (0x8004xxxx), in numeric order.
inline constexpr HResult vds_e_not_supported{0x8004'2400};
inline constexpr HResult vds_e_initialized_failed{0x8004'2401};
inline constexpr HResult vds_e_initialize_not_called{0x8004'2402}; // OnLoad not called
inline constexpr HResult vds_e_another_call_in_progress{0x8004'2404};
inline constexpr HResult vds_e_object_not_found{0x8004'2405}; // unknown VDS_OBJECT_ID
inline constexpr HResult vds_e_operation_pending{0x8004'2409}; // async still running (a failure code)
inline constexpr HResult vds_e_object_deleted{0x8004'240B};
inline constexpr HResult vds_e_cancel_too_late{0x8004'240C};
inline constexpr HResult vds_e_operation_canceled{0x8004'240D};
inline constexpr HResult vds_e_not_enough_space{0x8004'240F};
inline constexpr HResult vds_e_not_enough_drive{0x8004'2410};
inline constexpr HResult vds_e_device_in_use{0x8004'2413};
inline constexpr HResult vds_e_invalid_operation{0x8004'2415};
inline constexpr HResult vds_e_unrecoverable_error{0x8004'2419};
inline constexpr HResult vds_e_provider_initialization_failed{0x8004'241C};
inline constexpr HResult vds_e_object_exists{0x8004'241D};
inline constexpr HResult vds_e_provider_cache_corrupt{0x8004'241F}; // fix: Reenumerate + Refresh
// Section 2 lists these two as Cancel returns without values; values from vdserr.h.
inline constexpr HResult vds_e_incompatible_file_system{0x8004'2425};
inline constexpr HResult vds_e_incompatible_media{0x8004'2426};
inline constexpr HResult vds_e_access_denied{0x8004'2427};
inline constexpr HResult vds_e_object_status_failed{0x8004'2431}; // target object is FAILED
inline constexpr HResult vds_e_bad_provider_data{0x8004'2441};
inline constexpr HResult vds_e_provider_failure{0x8004'2442};
inline constexpr HResult vds_e_internal_error{0x8004'2448};
inline constexpr HResult vds_e_async_object_failure{0x8004'244E};
inline constexpr HResult vds_e_object_out_of_sync{0x8004'2453};
inline constexpr HResult vds_e_timeout{0x8004'245F}; // e.g. Wait beyond the server maximum
inline constexpr HResult vds_e_retry{0x8004'2463};
inline constexpr HResult vds_e_provider_exiting{0x8004'2514};
inline constexpr HResult vds_e_invalid_stripe_size{0x8004'2525};
inline constexpr HResult vds_e_invalid_disk_count{0x8004'2526};
inline constexpr HResult vds_e_provider_internal_error{0x8004'2572};
inline constexpr HResult vds_e_unrecoverable_provider_error{0x8004'2575};
inline constexpr HResult vds_e_name_not_unique{0x8004'2701};
inline constexpr HResult vds_e_provider_cache_outofsync{0x8004'2712};
inline constexpr HResult vds_e_shrink_over_data{0x8004'2816};
inline constexpr HResult vds_e_invalid_shrink_size{0x8004'2817};
inline constexpr HResult vds_e_lun_disk_missing{0x8004'2818};
inline constexpr HResult vds_e_lun_disk_failed{0x8004'2819};
inline constexpr HResult vds_e_lun_disk_not_ready{0x8004'281A};
inline constexpr HResult vds_e_lun_disk_no_media{0x8004'281B};
inline constexpr HResult vds_e_lun_not_ready{0x8004'281C};
inline constexpr HResult vds_e_lun_offline{0x8004'281D};
inline constexpr HResult vds_e_lun_failed{0x8004'281E};
inline constexpr HResult vds_e_initiator_adapter_not_found{0x8004'2900};
inline constexpr HResult vds_e_target_portal_not_found{0x8004'2901};
inline constexpr HResult vds_e_invalid_port_path{0x8004'2902};
inline constexpr HResult vds_e_invalid_iscsi_target_name{0x8004'2903};
inline constexpr HResult vds_e_subsystem_id_is_null{0x8004'2907};
inline constexpr HResult vds_e_reboot_required{0x8004'290C};
inline constexpr HResult vds_e_invalid_path{0x8004'291B};
inline constexpr HResult vds_e_invalid_iscsi_path{0x8004'291C};
inline constexpr HResult vds_e_shrink_lun_not_unmasked{0x8004'291D};
inline constexpr HResult vds_e_lun_update_disk{0x8004'291F};
inline constexpr HResult vds_e_invalid_state{0x8004'2A05};
inline constexpr HResult vds_e_shrink_extend_unaligned{0x8004'2B00};

// VDS success-with-information codes (0x0004xxxx): succeeded() is true.
inline constexpr HResult vds_s_in_progress{0x0004'244D};
inline constexpr HResult vds_s_name_truncated{0x0004'2700};
inline constexpr HResult vds_s_statuses_incompletely_set{0x0004'2702}; // MPIO partial
inline constexpr HResult vds_s_already_exists{0x0004'2714};
inline constexpr HResult vds_s_properties_incomplete{0x0004'2715};
} // namespace hr

/// One row of the name table: the exact Windows spelling and its value.
struct HResultName {
  const char* name;
  HResult value;
};

/// Every named code of namespace hr, each exactly once (no duplicate names or values).
/// The span refers to static storage.
std::span<const HResultName> all_hresults();

/// The Windows name ("S_OK", "E_UNEXPECTED", "VDS_E_OPERATION_PENDING"), or nullptr when the
/// value is not in the table. The string has static storage duration.
const char* name(HResult h);

/// "0x80042409": lowercase prefix, exactly eight uppercase hex digits.
std::string hex(HResult h);

/// name(h) when known, hex(h) otherwise.
std::string describe(HResult h);

/// Inverse of describe(): a known name (case-sensitive) or "0x"/"0X" followed by 1 to 8 hex
/// digits of either case. Anything else, including unknown names, is nullopt; a well-formed hex
/// literal is accepted even when the value has no name.
std::optional<HResult> parse_hresult(std::string_view text);

/// Writes describe(h).
std::ostream& operator<<(std::ostream& os, HResult h);

} // namespace sim::provider
