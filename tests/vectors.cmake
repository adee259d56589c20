# Conformance vectors and the interop matrix (issue 5), included from
# tests/CMakeLists.txt, which sets RSALAB_VECTOR_DIR, RSALAB_WYCHEPROOF_DIR
# and (top level) RSALAB_BACKENDS.
#
#   vectors.<backend>.<source>.<file stem>   one per (backend, vector file)
#   interop.<bits>                           one per key size
#   vectors.selftest.*                       the runner itself must notice a
#                                            wrong vector and name it
#
# The file list mirrors the catalogue in vectors/sources.c (keep them in
# step).  Files not on this machine get no test; `rsalab vectors` with no
# option lists them as not found.  A test exits 77 (ctest: "Skipped") when
# nothing in its file applies to its backend or every check was skipped, with
# the reasons in its output.  gmp runs with --fail-on-skip: it must run every
# vector of every file.

set(_v "${RSALAB_VECTOR_DIR}")
set(_rsa "${_v}/asymmetric/RSA")
set(_vector_files
  "rsalabs|${_rsa}/pkcs-1v2-1d2-vec/oaep-vect.txt"
  "rsalabs|${_rsa}/pkcs-1v2-1d2-vec/pss-vect.txt"
  "cavp|${_rsa}/FIPS_186-2/SigGen15_186-3.rsp"
  "cavp|${_rsa}/FIPS_186-2/SigVer15_186-3.rsp"
  "cavp|${_rsa}/FIPS_186-2/SigGenPSS_186-3.rsp"
  "cavp|${_rsa}/FIPS_186-2/SigVerPSS_186-3.rsp"
  "cavp|${_rsa}/FIPS_186-2/SigGen15_186-2.txt"
  "cavp|${_rsa}/FIPS_186-2/SigGenPSS_186-2.txt"
  "pyca|${_rsa}/pkcs1v15crypt-vectors.txt"
  "pyca|${_rsa}/pkcs1v15sign-vectors.txt"
  "pyca|${_rsa}/oaep-label.txt"
  "cavp|${_v}/ciphers/AES/GCM/gcmEncryptExtIV128.rsp"
  "cavp|${_v}/ciphers/AES/GCM/gcmEncryptExtIV256.rsp"
  "cavp|${_v}/ciphers/AES/GCM/gcmDecrypt128.rsp"
  "cavp|${_v}/ciphers/AES/GCM/gcmDecrypt256.rsp"
  "rfc|${_v}/HMAC/rfc-2202-sha1.txt"
  "rfc|${_v}/HMAC/rfc-4231-sha224.txt"
  "rfc|${_v}/HMAC/rfc-4231-sha256.txt"
  "rfc|${_v}/HMAC/rfc-4231-sha384.txt"
  "rfc|${_v}/HMAC/rfc-4231-sha512.txt"
  "rfc|${_v}/KDF/rfc-5869-HKDF-SHA1.txt"
  "rfc|${_v}/KDF/rfc-5869-HKDF-SHA256.txt"
  "pyca|${_v}/KDF/hkdf-generated.txt")
file(GLOB _oaep_custom "${_rsa}/oaep-custom/*.txt")
list(SORT _oaep_custom)
foreach(f ${_oaep_custom})
  list(APPEND _vector_files "pyca|${f}")
endforeach()
foreach(h SHA1/SHA1 SHA2/SHA224 SHA2/SHA256 SHA2/SHA384 SHA2/SHA512
          SHA2/SHA512_224 SHA2/SHA512_256)
  foreach(kind ShortMsg LongMsg Monte)
    list(APPEND _vector_files "cavp|${_v}/hashes/${h}${kind}.rsp")
  endforeach()
endforeach()

# Wycheproof: every *.json whose top-level "schema" is an RSA schema we run.
set(_wp_schema_re
  "\"schema\"[ \t\r\n]*:[ \t\r\n]*\"(rsaes_oaep_decrypt_schema|rsaes_pkcs1_decrypt_schema|rsassa_pkcs1_verify_schema|rsassa_pss_verify_schema|rsassa_pss_with_parameters_verify_schema)[_.]")
set(_wp_args "")
set(_wp_dir "${RSALAB_WYCHEPROOF_DIR}")
if(EXISTS "${_wp_dir}/testvectors_v1")   # a whole checkout
  set(_wp_dir "${_wp_dir}/testvectors_v1")
elseif(EXISTS "${_wp_dir}/testvectors")
  set(_wp_dir "${_wp_dir}/testvectors")
endif()
if(EXISTS "${_wp_dir}")
  set(_wp_args --wycheproof "${_wp_dir}")
  file(GLOB _wp_json "${_wp_dir}/*.json")
  list(SORT _wp_json)
  foreach(f ${_wp_json})
    file(READ "${f}" _head LIMIT 65536)
    if(NOT _head MATCHES "${_wp_schema_re}")
      file(READ "${f}" _head)
    endif()
    if(_head MATCHES "${_wp_schema_re}")
      list(APPEND _vector_files "wycheproof|${f}")
    endif()
  endforeach()
else()
  message(STATUS "rsalab: no Wycheproof folder at ${RSALAB_WYCHEPROOF_DIR}: "
                 "Wycheproof vector tests not registered")
endif()

set(_n_vector_tests 0)
foreach(be ${RSALAB_BACKENDS})
  set(_strict "")
  if(be STREQUAL "gmp")
    set(_strict --fail-on-skip)  # our own backend: every vector, no skip
  endif()
  foreach(entry ${_vector_files})
    string(REPLACE "|" ";" _parts "${entry}")
    list(GET _parts 0 _source)
    list(GET _parts 1 _file)
    if(NOT EXISTS "${_file}")
      continue()
    endif()
    # gmp has no AES-GCM by design (the protocol takes the default
    # provider's), so the GCM files do not apply to it: no entry, rather
    # than an entry that always reports "Skipped".
    if(be STREQUAL "gmp" AND _file MATCHES "/ciphers/AES/")
      continue()
    endif()
    get_filename_component(_stem "${_file}" NAME_WLE)
    set(_name "vectors.${be}.${_source}.${_stem}")
    add_test(NAME ${_name}
             COMMAND $<TARGET_FILE:rsalab> vectors --backend ${be} --file "${_file}"
                     --vectors "${RSALAB_VECTOR_DIR}" ${_wp_args} ${_strict})
    set_tests_properties(${_name} PROPERTIES LABELS "vectors;${be}"
                         SKIP_RETURN_CODE 77 TIMEOUT 600)
    math(EXPR _n_vector_tests "${_n_vector_tests} + 1")
  endforeach()
endforeach()
message(STATUS "rsalab: ${_n_vector_tests} vector tests")

# The runner must see a wrong vector: a copy of SigVer15_186-3.rsp with one
# "Result = P" turned into F, and of oaep-vect.txt with one plaintext byte
# changed, must fail on every backend and name the case.
set(_sigver "${_rsa}/FIPS_186-2/SigVer15_186-3.rsp")
set(_oaep "${_rsa}/pkcs-1v2-1d2-vec/oaep-vect.txt")
if(EXISTS "${_sigver}" AND EXISTS "${_oaep}")
  add_test(NAME vectors.selftest.wrong_vectors_fail
           COMMAND ${CMAKE_COMMAND} -DRSALAB=$<TARGET_FILE:rsalab>
                   -DSIGVER=${_sigver} -DOAEP=${_oaep}
                   -DWORK=${CMAKE_CURRENT_BINARY_DIR}/vectors-selftest
                   -P ${PROJECT_SOURCE_DIR}/vectors/selftest.cmake)
  set_tests_properties(vectors.selftest.wrong_vectors_fail PROPERTIES LABELS vectors)
endif()

# The interop matrix: every ordered pair of backends plus the openssl tool.
foreach(bits 2048 4096)
  add_test(NAME interop.${bits} COMMAND $<TARGET_FILE:rsalab> interop --bits ${bits})
  set_tests_properties(interop.${bits} PROPERTIES LABELS interop TIMEOUT 900)
endforeach()
