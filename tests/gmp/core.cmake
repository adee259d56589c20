# gmp.validate: key generation (FIPS 186-5 properties), import validation
# (one broken check at a time), factor recovery, raw operations.
# gmp.ctgrind: the private operation and the OAEP / v1.5 decoders under
# valgrind memcheck with the key's secrets marked undefined (ctgrind); run
# when valgrind and its memcheck.h are found, and not in a sanitizer build
# (valgrind cannot run AddressSanitizer binaries).
find_package(Threads REQUIRED)

add_executable(test_gmp_validate ${CMAKE_CURRENT_LIST_DIR}/test_gmp_validate.c)
target_include_directories(test_gmp_validate PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(test_gmp_validate PRIVATE rlab_backends rlab_base GMP::gmp
                      Threads::Threads PkgConfig::CHECK)
rsalab_warnings(test_gmp_validate)
add_test(NAME gmp.validate COMMAND test_gmp_validate)
set_tests_properties(gmp.validate PROPERTIES TIMEOUT 1200)

find_path(RSALAB_MEMCHECK_H_DIR valgrind/memcheck.h)
if(VALGRIND AND RSALAB_MEMCHECK_H_DIR AND NOT RSALAB_SANITIZE)
  add_executable(test_gmp_ctgrind ${CMAKE_CURRENT_LIST_DIR}/test_gmp_ctgrind.c)
  target_include_directories(test_gmp_ctgrind PRIVATE ${PROJECT_SOURCE_DIR}
                             ${RSALAB_MEMCHECK_H_DIR})
  target_link_libraries(test_gmp_ctgrind PRIVATE rlab_backends rlab_base GMP::gmp)
  rsalab_warnings(test_gmp_ctgrind)
  add_test(NAME gmp.ctgrind
           COMMAND ${VALGRIND} --error-exitcode=1 --track-origins=yes
                   $<TARGET_FILE:test_gmp_ctgrind>)
  set_tests_properties(gmp.ctgrind PROPERTIES TIMEOUT 1800 SKIP_RETURN_CODE 77 COST 25)
else()
  message(STATUS "gmp.ctgrind left out (needs valgrind and valgrind/memcheck.h, "
                 "and no RSALAB_SANITIZE)")
endif()
