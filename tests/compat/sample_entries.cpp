// An entry point that runs a documentation sample's function under lunsim: `lunsim check
// --client-lib libvds_sample_create_lun.so --entry sample_synchronous_create_lun` (tests/cli).
// The sample itself (samples/managing_asynchronous_operations.cpp) is linked in as it is; this
// file only calls it the way lunsim's check calls its reference client: a 6 GiB RAID-5 LUN with
// the check's hints (at most 4 drives, 128 KiB stripes, rebuild priority 8), released at once.
#include <windows.h>
#include <vds.h>

// samples/managing_asynchronous_operations.cpp
HRESULT SynchronousCreateLun(IVdsSubSystem* pSubsystem, VDS_LUN_TYPE type, ULONGLONG ullSize,
                             VDS_OBJECT_ID* pDriveIdArray, LONG lNumberOfDrives, LPWSTR pwszUnmaskingList,
                             VDS_HINTS* pHints, IVdsLun** ppLun);

extern "C" HRESULT sample_synchronous_create_lun(IVdsSubSystem* pSubsystem) {
  VDS_HINTS hints;
  ZeroMemory(&hints, sizeof hints);
  hints.ulMaximumDriveCount = 4;
  hints.ulStripeSize = 128 * 1024;
  hints.sRebuildPriority = 8;
  IVdsLun* pLun = NULL;
  const HRESULT hr = SynchronousCreateLun(pSubsystem, VDS_LT_RAID5, 6ULL << 30, NULL, 0, NULL, &hints, &pLun);
  if (SUCCEEDED(hr) && pLun != NULL) pLun->Release();
  return hr;
}
