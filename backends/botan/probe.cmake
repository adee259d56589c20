# Botan 2 (Debian's libbotan-2-dev), used only through its C FFI
# (botan/ffi.h), so the project stays C.
pkg_check_modules(BOTAN ${RSALAB_PROBE_REQUIRED} IMPORTED_TARGET botan-2)
set(RSALAB_PROBE_FOUND ${BOTAN_FOUND})
