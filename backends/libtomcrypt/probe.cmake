# libtomcrypt 1.18 with libtommath as its math provider (Debian's
# libtomcrypt-dev and libtommath-dev).  LTM_DESC declares ltm_desc in
# tomcrypt_math.h; the library itself already carries it.
pkg_check_modules(LIBTOMCRYPT ${RSALAB_PROBE_REQUIRED} IMPORTED_TARGET
                  libtomcrypt libtommath)
set(RSALAB_PROBE_FOUND ${LIBTOMCRYPT_FOUND})
