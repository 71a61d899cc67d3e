// A GUID defined with DEFINE_GUID in a header that two translation units of test_compat
// include: test_sdk_spelling.cpp after <initguid.h>, test_windows_h.cpp without it. The test
// executable links, and both see one object.
#pragma once

#include <windows.h>

// {5C8E7F4A-1B2D-4E6F-9A0B-C1D2E3F40516}
DEFINE_GUID(LUNSIM_IID_TEST, 0x5c8e7f4a, 0x1b2d, 0x4e6f, 0x9a, 0x0b, 0xc1, 0xd2, 0xe3, 0xf4, 0x05, 0x16);

/// &LUNSIM_IID_TEST as test_windows_h.cpp sees it.
const GUID* test_guid_in_windows_h_tu();
