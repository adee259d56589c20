# The rsalab command under bad input (issue 15 and the rough edges of
# issue 8), included from tests/CMakeLists.txt:
#
#   cli.errors.<backend>   bad numbers, two standard inputs, keygen all or
#                          nothing, FIFOs and devices as keys, the key-size
#                          cap, key rules and messages, PSS salt limits,
#                          binary output to a terminal
#   cli.errors.general     --version, backends, help texts, vectors and
#                          interop exit statuses and messages
#   cli.vectors-bad        vectors --file on malformed Wycheproof files
#   memcheck.cli.vectors-bad   the same under valgrind (plain build only)
#
# Every case asserts the exit status and the message.  Needs no openssl tool
# (the few cases that make EC/Ed25519/3-prime keys with it say SKIP).
foreach(be ${RSALAB_BACKENDS})
  add_test(NAME cli.errors.${be}
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/cli_errors.sh
                   $<TARGET_FILE:rsalab> ${be} ${PROJECT_SOURCE_DIR})
  set_tests_properties(cli.errors.${be} PROPERTIES
    TIMEOUT 600 SKIP_RETURN_CODE 77 LABELS "cli;${be}")
endforeach()
add_test(NAME cli.errors.general
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/cli_errors.sh
                 $<TARGET_FILE:rsalab> general ${PROJECT_SOURCE_DIR})
set_tests_properties(cli.errors.general PROPERTIES TIMEOUT 600 LABELS cli)

add_test(NAME cli.vectors-bad
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/cli_vectors_bad.sh $<TARGET_FILE:rsalab>)
set_tests_properties(cli.vectors-bad PROPERTIES TIMEOUT 300 LABELS cli)
if(VALGRIND AND NOT RSALAB_SANITIZE)
  add_test(NAME memcheck.cli.vectors-bad
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/cli_vectors_bad.sh $<TARGET_FILE:rsalab>
                   ${VALGRIND} -q --error-exitcode=99 --leak-check=full
                   --errors-for-leak-kinds=definite)
  set_tests_properties(memcheck.cli.vectors-bad PROPERTIES
    TIMEOUT 1800 LABELS "memcheck;cli")
endif()
