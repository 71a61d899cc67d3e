#include "sim/provider/hresult.hpp"

#include <array>
#include <ostream>

namespace sim::provider {

namespace {

constexpr std::array hresult_table{
    HResultName{"S_OK", hr::s_ok},
    HResultName{"S_FALSE", hr::s_false},
    HResultName{"E_NOTIMPL", hr::e_notimpl},
    HResultName{"E_NOINTERFACE", hr::e_nointerface},
    HResultName{"E_POINTER", hr::e_pointer},
    HResultName{"E_UNEXPECTED", hr::e_unexpected},
    HResultName{"E_ACCESSDENIED", hr::e_accessdenied},
    HResultName{"E_OUTOFMEMORY", hr::e_outofmemory},
    HResultName{"E_INVALIDARG", hr::e_invalidarg},
    HResultName{"VDS_E_NOT_SUPPORTED", hr::vds_e_not_supported},
    HResultName{"VDS_E_INITIALIZED_FAILED", hr::vds_e_initialized_failed},
    HResultName{"VDS_E_INITIALIZE_NOT_CALLED", hr::vds_e_initialize_not_called},
    HResultName{"VDS_E_ANOTHER_CALL_IN_PROGRESS", hr::vds_e_another_call_in_progress},
    HResultName{"VDS_E_OBJECT_NOT_FOUND", hr::vds_e_object_not_found},
    HResultName{"VDS_E_OPERATION_PENDING", hr::vds_e_operation_pending},
    HResultName{"VDS_E_OBJECT_DELETED", hr::vds_e_object_deleted},
    HResultName{"VDS_E_CANCEL_TOO_LATE", hr::vds_e_cancel_too_late},
    HResultName{"VDS_E_OPERATION_CANCELED", hr::vds_e_operation_canceled},
    HResultName{"VDS_E_NOT_ENOUGH_SPACE", hr::vds_e_not_enough_space},
    HResultName{"VDS_E_NOT_ENOUGH_DRIVE", hr::vds_e_not_enough_drive},
    HResultName{"VDS_E_DEVICE_IN_USE", hr::vds_e_device_in_use},
    HResultName{"VDS_E_INVALID_OPERATION", hr::vds_e_invalid_operation},
    HResultName{"VDS_E_UNRECOVERABLE_ERROR", hr::vds_e_unrecoverable_error},
    HResultName{"VDS_E_PROVIDER_INITIALIZATION_FAILED", hr::vds_e_provider_initialization_failed},
    HResultName{"VDS_E_OBJECT_EXISTS", hr::vds_e_object_exists},
    HResultName{"VDS_E_PROVIDER_CACHE_CORRUPT", hr::vds_e_provider_cache_corrupt},
    HResultName{"VDS_E_INCOMPATIBLE_FILE_SYSTEM", hr::vds_e_incompatible_file_system},
    HResultName{"VDS_E_INCOMPATIBLE_MEDIA", hr::vds_e_incompatible_media},
    HResultName{"VDS_E_ACCESS_DENIED", hr::vds_e_access_denied},
    HResultName{"VDS_E_OBJECT_STATUS_FAILED", hr::vds_e_object_status_failed},
    HResultName{"VDS_E_BAD_PROVIDER_DATA", hr::vds_e_bad_provider_data},
    HResultName{"VDS_E_PROVIDER_FAILURE", hr::vds_e_provider_failure},
    HResultName{"VDS_E_INTERNAL_ERROR", hr::vds_e_internal_error},
    HResultName{"VDS_E_ASYNC_OBJECT_FAILURE", hr::vds_e_async_object_failure},
    HResultName{"VDS_E_OBJECT_OUT_OF_SYNC", hr::vds_e_object_out_of_sync},
    HResultName{"VDS_E_TIMEOUT", hr::vds_e_timeout},
    HResultName{"VDS_E_RETRY", hr::vds_e_retry},
    HResultName{"VDS_E_PROVIDER_EXITING", hr::vds_e_provider_exiting},
    HResultName{"VDS_E_INVALID_STRIPE_SIZE", hr::vds_e_invalid_stripe_size},
    HResultName{"VDS_E_INVALID_DISK_COUNT", hr::vds_e_invalid_disk_count},
    HResultName{"VDS_E_PROVIDER_INTERNAL_ERROR", hr::vds_e_provider_internal_error},
    HResultName{"VDS_E_UNRECOVERABLE_PROVIDER_ERROR", hr::vds_e_unrecoverable_provider_error},
    HResultName{"VDS_E_NAME_NOT_UNIQUE", hr::vds_e_name_not_unique},
    HResultName{"VDS_E_PROVIDER_CACHE_OUTOFSYNC", hr::vds_e_provider_cache_outofsync},
    HResultName{"VDS_E_SHRINK_OVER_DATA", hr::vds_e_shrink_over_data},
    HResultName{"VDS_E_INVALID_SHRINK_SIZE", hr::vds_e_invalid_shrink_size},
    HResultName{"VDS_E_LUN_DISK_MISSING", hr::vds_e_lun_disk_missing},
    HResultName{"VDS_E_LUN_DISK_FAILED", hr::vds_e_lun_disk_failed},
    HResultName{"VDS_E_LUN_DISK_NOT_READY", hr::vds_e_lun_disk_not_ready},
    HResultName{"VDS_E_LUN_DISK_NO_MEDIA", hr::vds_e_lun_disk_no_media},
    HResultName{"VDS_E_LUN_NOT_READY", hr::vds_e_lun_not_ready},
    HResultName{"VDS_E_LUN_OFFLINE", hr::vds_e_lun_offline},
    HResultName{"VDS_E_LUN_FAILED", hr::vds_e_lun_failed},
    HResultName{"VDS_E_INITIATOR_ADAPTER_NOT_FOUND", hr::vds_e_initiator_adapter_not_found},
    HResultName{"VDS_E_TARGET_PORTAL_NOT_FOUND", hr::vds_e_target_portal_not_found},
    HResultName{"VDS_E_INVALID_PORT_PATH", hr::vds_e_invalid_port_path},
    HResultName{"VDS_E_INVALID_ISCSI_TARGET_NAME", hr::vds_e_invalid_iscsi_target_name},
    HResultName{"VDS_E_SUBSYSTEM_ID_IS_NULL", hr::vds_e_subsystem_id_is_null},
    HResultName{"VDS_E_REBOOT_REQUIRED", hr::vds_e_reboot_required},
    HResultName{"VDS_E_INVALID_PATH", hr::vds_e_invalid_path},
    HResultName{"VDS_E_INVALID_ISCSI_PATH", hr::vds_e_invalid_iscsi_path},
    HResultName{"VDS_E_SHRINK_LUN_NOT_UNMASKED", hr::vds_e_shrink_lun_not_unmasked},
    HResultName{"VDS_E_LUN_UPDATE_DISK", hr::vds_e_lun_update_disk},
    HResultName{"VDS_E_INVALID_STATE", hr::vds_e_invalid_state},
    HResultName{"VDS_E_SHRINK_EXTEND_UNALIGNED", hr::vds_e_shrink_extend_unaligned},
    HResultName{"VDS_S_IN_PROGRESS", hr::vds_s_in_progress},
    HResultName{"VDS_S_NAME_TRUNCATED", hr::vds_s_name_truncated},
    HResultName{"VDS_S_STATUSES_INCOMPLETELY_SET", hr::vds_s_statuses_incompletely_set},
    HResultName{"VDS_S_ALREADY_EXISTS", hr::vds_s_already_exists},
    HResultName{"VDS_S_PROPERTIES_INCOMPLETE", hr::vds_s_properties_incomplete},
};

constexpr bool table_has_no_duplicates() {
  for (std::size_t i = 0; i < hresult_table.size(); ++i) {
    for (std::size_t j = i + 1; j < hresult_table.size(); ++j) {
      if (hresult_table[i].value == hresult_table[j].value ||
          std::string_view{hresult_table[i].name} == std::string_view{hresult_table[j].name})
        return false;
    }
  }
  return true;
}
static_assert(table_has_no_duplicates(), "HRESULT table: duplicate name or value");

constexpr int hex_digit_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

} // namespace

std::span<const HResultName> all_hresults() { return hresult_table; }

const char* name(HResult h) {
  for (const HResultName& row : hresult_table) {
    if (row.value == h)
      return row.name;
  }
  return nullptr;
}

std::string hex(HResult h) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out = "0x";
  for (int shift = 28; shift >= 0; shift -= 4)
    out.push_back(digits[(h.value >> shift) & 0xFU]);
  return out;
}

std::string describe(HResult h) {
  const char* n = name(h);
  return n != nullptr ? std::string{n} : hex(h);
}

std::optional<HResult> parse_hresult(std::string_view text) {
  for (const HResultName& row : hresult_table) {
    if (text == row.name)
      return row.value;
  }
  if (text.size() < 3 || text.size() > 10 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X'))
    return std::nullopt;
  std::uint32_t value = 0;
  for (char c : text.substr(2)) {
    const int d = hex_digit_value(c);
    if (d < 0)
      return std::nullopt;
    value = (value << 4) | static_cast<std::uint32_t>(d);
  }
  return HResult{value};
}

std::ostream& operator<<(std::ostream& os, HResult h) { return os << describe(h); }

} // namespace sim::provider
