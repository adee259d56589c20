# Conformance vectors and the interop matrix (issue 5), included from
# tests/CMakeLists.txt, which sets RSALAB_VECTOR_DIR, RSALAB_WYCHEPROOF_DIR
# and (top level) RSALAB_BACKENDS.
#
#   vectors.<backend>.<source>.<family>      one per (backend, source, family),
#                                            e.g. vectors.gmp.cavp.pss: every
#                                            file of that group in one run
#   interop.<bits>                           one per key size
#   vectors.selftest.*                       the runner itself must notice a
#                                            wrong vector and name it
#
# The file list is vectors/catalogue.txt, the same data `rsalab vectors`
# is built from.  Files not on this machine get no test; `rsalab vectors` with
# no option lists them as not found.  A test prints "rsalab vectors: all
# skipped" and exits 0 (ctest: "Skipped", SKIP_REGULAR_EXPRESSION) when
# nothing in its file applies to its backend or every check was skipped, with
# the reasons in its output (gmp's AES-GCM files: it has no AEAD).  The
# backends in RSALAB_STRICT_BACKENDS run every RSA file with --fail-on-skip:
# our own backend must run every RSA vector.
set(RSALAB_STRICT_BACKENDS gmp)
set(_rsa_families OAEP PSS PKCS1_SIG PKCS1_CRYPT PKCS1_GEN)

include(RsalabCatalogue)
rsalab_read_catalogue("${PROJECT_SOURCE_DIR}/vectors/catalogue.txt")
set(_v "${RSALAB_VECTOR_DIR}")
set(_vector_files "")
foreach(entry ${RSALAB_CAT_FILES})
  string(REPLACE "|" ";" p "${entry}")
  list(GET p 0 _source)
  list(GET p 2 _family)
  list(GET p 5 _rel)
  if(_rel MATCHES "^@/")        # a file of the source tree (vectors/data/)
    string(SUBSTRING "${_rel}" 2 -1 _rel)
    set(_matches "${PROJECT_SOURCE_DIR}/${_rel}")
  elseif(_rel MATCHES "\\*")
    file(GLOB _matches "${_v}/${_rel}")
    list(SORT _matches)
  else()
    set(_matches "${_v}/${_rel}")
  endif()
  foreach(f ${_matches})
    list(APPEND _vector_files "${_source}|${_family}|${f}")
  endforeach()
endforeach()

# Wycheproof: every *.json whose top-level "schema" starts with a catalogue
# schema prefix.
set(_prefixes "")
set(_schema_family "")
foreach(entry ${RSALAB_CAT_SCHEMAS})
  string(REPLACE "|" ";" p "${entry}")
  list(GET p 0 _prefix)
  list(APPEND _prefixes "${_prefix}")
endforeach()
string(REPLACE ";" "|" _alt "${_prefixes}")
set(_wp_schema_re "\"schema\"[ \t\r\n]*:[ \t\r\n]*\"(${_alt})[_.]")
set(_wp_args "")
set(_wp_dir "${RSALAB_WYCHEPROOF_DIR}")
if(EXISTS "${_wp_dir}/testvectors_v1")   # a whole checkout
  set(_wp_dir "${_wp_dir}/testvectors_v1")
elseif(EXISTS "${_wp_dir}/testvectors")
  set(_wp_dir "${_wp_dir}/testvectors")
endif()
if(NOT EXISTS "${_wp_dir}")
  message(FATAL_ERROR "rsalab: no Wycheproof folder at ${RSALAB_WYCHEPROOF_DIR}")
endif()
set(_wp_args --wycheproof "${_wp_dir}")
file(GLOB _wp_json "${_wp_dir}/*.json")
list(SORT _wp_json)
foreach(f ${_wp_json})
  file(READ "${f}" _head LIMIT 65536)
  if(NOT _head MATCHES "${_wp_schema_re}")
    file(READ "${f}" _head)
  endif()
  if(_head MATCHES "${_wp_schema_re}")
    set(_fam "")
    foreach(entry ${RSALAB_CAT_SCHEMAS})
      string(REPLACE "|" ";" p "${entry}")
      list(GET p 0 _prefix)
      list(GET p 1 _f)
      if(_head MATCHES "\"schema\"[ \t\r\n]*:[ \t\r\n]*\"${_prefix}[_.]")
        set(_fam "${_f}")
      endif()
    endforeach()
    list(APPEND _vector_files "wycheproof|${_fam}|${f}")
  endif()
endforeach()

# One test per (backend, source, family): the files of a group run in one
# process (its report names each file and each failure), since under the
# sanitizers starting the program costs more than most files.
set(_groups "")
set(_n_vector_files 0)
foreach(entry ${_vector_files})
  string(REPLACE "|" ";" _parts "${entry}")
  list(GET _parts 0 _source)
  list(GET _parts 1 _family)
  list(GET _parts 2 _file)
  if(NOT EXISTS "${_file}")
    continue()
  endif()
  string(TOLOWER "${_source}.${_family}" _g)
  if(NOT _g IN_LIST _groups)
    list(APPEND _groups "${_g}")
    set(_grp_fam_${_g} "${_family}")
    set(_grp_files_${_g} "")
  endif()
  list(APPEND _grp_files_${_g} --file "${_file}")
  math(EXPR _n_vector_files "${_n_vector_files} + 1")
endforeach()

set(_n_vector_tests 0)
foreach(be ${RSALAB_BACKENDS})
  foreach(_g ${_groups})
    set(_strict "")
    if(be IN_LIST RSALAB_STRICT_BACKENDS AND _grp_fam_${_g} IN_LIST _rsa_families)
      set(_strict --fail-on-skip)
    endif()
    set(_name "vectors.${be}.${_g}")
    add_test(NAME ${_name}
             COMMAND $<TARGET_FILE:rsalab> vectors --backend ${be} ${_grp_files_${_g}}
                     --vectors "${RSALAB_VECTOR_DIR}" ${_wp_args} ${_strict})
    set_tests_properties(${_name} PROPERTIES LABELS "vectors;${be}"
                         SKIP_REGULAR_EXPRESSION "rsalab vectors: all skipped"
                         TIMEOUT 600)
    math(EXPR _n_vector_tests "${_n_vector_tests} + 1")
  endforeach()
endforeach()
# The gmp backend's RSA files again on its mpn_sec_powm engine (the default
# takes AVX-512 IFMA where the CPU has it; backends/gmp/gmp_r52.h):
# vectors.gmp-mpn.<source>.<family>.
if("gmp" IN_LIST RSALAB_BACKENDS)
  foreach(_g ${_groups})
    if(NOT _grp_fam_${_g} IN_LIST _rsa_families)
      continue()
    endif()
    set(_name "vectors.gmp-mpn.${_g}")
    add_test(NAME ${_name}
             COMMAND $<TARGET_FILE:rsalab> vectors --backend gmp ${_grp_files_${_g}}
                     --vectors "${RSALAB_VECTOR_DIR}" ${_wp_args} --fail-on-skip)
    set_tests_properties(${_name} PROPERTIES LABELS "vectors;gmp" SKIP_RETURN_CODE 77
                         TIMEOUT 600 ENVIRONMENT RSALAB_GMP_ENGINE=mpn)
    math(EXPR _n_vector_tests "${_n_vector_tests} + 1")
  endforeach()
endif()
message(STATUS "rsalab: ${_n_vector_tests} vector tests over ${_n_vector_files} files")

set(_rsa "${_v}/asymmetric/RSA")
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
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/vectors_selftest.cmake)
  set_tests_properties(vectors.selftest.wrong_vectors_fail PROPERTIES LABELS vectors)
endif()

# The same for the signature generation runner, on the file made from CAVP
# data (vectors/data/wycheproof/rsalab_pkcs1_sig_gen_cavp_test.json).
set(_siggen "${PROJECT_SOURCE_DIR}/vectors/data/wycheproof/rsalab_pkcs1_sig_gen_cavp_test.json")
add_test(NAME vectors.selftest.siggen_wrong_fail
         COMMAND ${CMAKE_COMMAND} -DRSALAB=$<TARGET_FILE:rsalab> -DSIGGEN=${_siggen}
                 -DWORK=${CMAKE_CURRENT_BINARY_DIR}/vectors-siggen-selftest
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/vectors_siggen_selftest.cmake)
set_tests_properties(vectors.selftest.siggen_wrong_fail PROPERTIES LABELS vectors)

# The interop matrix: every ordered pair of backends plus the openssl tool.
foreach(bits 2048 4096)
  add_test(NAME interop.${bits} COMMAND $<TARGET_FILE:rsalab> interop --bits ${bits})
  set_tests_properties(interop.${bits} PROPERTIES LABELS interop TIMEOUT 900)
endforeach()
